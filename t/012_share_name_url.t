# A share's name and its link shown again: alice names her links, renames
# them and removes the name; Shared Links (GET one, the list) gives her and
# the admins the link while the share is active, never once it is revoked
# or expired, never to others, and never for a share made before the token
# was kept sealed. The token is never in a log; the store holds it only
# sealed.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use Digest::SHA ();

sub show {
    my ($id, $user, $pass) = @_;
    my $res = req(GET => "/linkshare/api/shares/$id", user => $user // 'alice',
        pass => $pass // 'alicepw');
    return ($res, decode_json_body($res));
}

sub listed {
    my ($id, $user, $pass, $q) = @_;
    my $res = req(GET => '/linkshare/api/shares' . ($q // ''),
        user => $user // 'alice', pass => $pass // 'alicepw');
    my ($sh) = grep { $_->{id} eq $id } @{ decode_json_body($res)->{shares} };
    return $sh;
}

sub patch {
    my ($id, $body) = @_;
    my $res = req(PATCH => "/linkshare/api/shares/$id", user => 'alice',
        pass => 'alicepw', json => $body);
    return ($res, decode_json_body($res));
}

my $m = log_mark();

# -- name ------------------------------------------------------------------------
my $long = "\x{e9}" x 200;    # 200 characters, 400 bytes in UTF-8
my ($res, $j) = create_share('alice', 'alicepw',
    { paths => ['readme.txt'], name => $long });
is $res->code, 201, 'a name of 200 characters: 201';
is $j->{name}, $long, '... returned as given';
my $id = $j->{id};
my $url = $j->{url};
my $token = token_from_url($url);
is((show($id))[1]{name}, $long, '... and stored');

($res, $j) = create_share('alice', 'alicepw',
    { paths => ['readme.txt'], name => 'x' . $long });
is $res->code, 400, '201 characters: 400';
like $j->{error}, qr/"name" is longer than 200 characters/, '... naming the field';
for my $bad ("Q3\nreport", "Q3\r\nBcc: x", "tab\there", "bell\x07", "c1\x{85}x") {
    ($res, $j) = create_share('alice', 'alicepw',
        { paths => ['readme.txt'], name => $bad });
    (my $shown = $bad) =~ s/([^ -~])/sprintf '\\x%02x', ord $1/ge;
    is $res->code, 400, "name with a control character ($shown): 400";
    like $j->{error}, qr/Field "name" may not contain line breaks or control/,
      '... naming the field';
}
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'], name => 7 });
is $res->code, 400, 'a name that is a number: 400';
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
is $res->code, 201, 'no name';
ok exists $j->{name} && !defined $j->{name}, '... is null in the JSON';
my $plain = $j;

req(GET => url_path($url)); # the share in this child's cache before the rename
($res, $j) = patch($id, { name => 'Q3 "final" <report>' });
is $res->code, 200, 'PATCH name: 200';
is $j->{name}, 'Q3 "final" <report>', '... the new name returned';
is((show($id))[1]{name}, 'Q3 "final" <report>', '... and stored');
is $j->{url}, $url, '... with the link (still active)';
{
    # The recipient's page is titled by the name, escaped.
    my $page = req(GET => url_path($url));
    like $page->decoded_content, qr{<h1>Q3 &quot;final&quot; &lt;report&gt;</h1>},
      "the recipient's page is headed by the new name";
    like $page->decoded_content, qr{<title>Q3 &quot;final&quot; &lt;report&gt;},
      '... and titled by it';
}
like log_since($m, 'error_log', qr/LS00521/), qr/LS00521: user alice renamed share \Q$id\E/,
  'renaming logged (LS00521)';
($res, $j) = patch($id, { name => "a\nb" });
is $res->code, 400, 'PATCH a name with LF: 400';
like $j->{error}, qr/Field "name"/, '... naming the field';
($res, $j) = patch($id, { name => 'y' x 201 });
is $res->code, 400, 'PATCH 201 characters: 400';
($res, $j) = patch($id, { name => undef });
is $res->code, 200, 'PATCH name null: 200';
ok !defined $j->{name}, '... the name is gone';
ok !defined((show($id))[1]{name}), '... stored as none';
($res, $j) = patch($id, { name => 'Both', expires => $plain->{expires} });
is $res->code, 200, 'PATCH name and expiry together';
is_deeply [@$j{qw(name expires)}], ['Both', $plain->{expires}], '... both changed';
($res, $j) = patch($id, {});
is $res->code, 400, 'PATCH with nothing to change: 400';
like $j->{error}, qr/Nothing to change/, '... says so';

# -- url: the owner and admins, while active ----------------------------------------
($res, $j) = show($id);
is $j->{url}, $url, 'GET: the owner gets the same link again';
is listed($id)->{url}, $url, 'list: with the link';
is((show($id, 'admin', 'adminpw'))[1]{url}, $url, 'an admin gets it too');
is listed($id, 'admin', 'adminpw', '?all=1')->{url}, $url, '... in the list of all';
($res) = show($id, 'bob', 'bobpw');
is $res->code, 404, 'another user: 404, no link';
is req(GET => url_path($url))->code, 200, 'the link shown again works';
my $row = join '|', map { $_ // '' } @{ (sql("SELECT * FROM ls_share WHERE id = "
    . sql_quote($id)))[0] };
unlike $row, qr/\Q$token\E/, 'the store holds no usable token';
like sql_value("SELECT sealed_token FROM ls_share WHERE id = " . sql_quote($id)),
  qr/^[0-9a-f]{142}$/, '... only the sealed one';

# Expired: no link (the row as an expiry that has passed).
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $exp = $j;
sql("UPDATE ls_share SET expires = " . (time - 60) . " WHERE id = " . sql_quote($exp->{id}));
($res, $j) = show($exp->{id});
is $j->{state}, 'expired', 'an expired share';
ok !exists $j->{url}, '... has no link in GET';
ok !exists listed($exp->{id})->{url}, '... nor in the list';
ok !exists((show($exp->{id}, 'admin', 'adminpw'))[1]{url}), '... nor for an admin';

# Revoked: no link.
$res = req(DELETE => "/linkshare/api/shares/$plain->{id}", user => 'alice', pass => 'alicepw');
is $res->code, 204, 'unshare';
($res, $j) = show($plain->{id});
is $j->{state}, 'revoked', 'a revoked share';
ok !exists $j->{url}, '... has no link in GET';
ok !exists listed($plain->{id})->{url}, '... nor in the list';
($res, $j) = patch($plain->{id}, { name => 'old one' });
is $res->code, 200, 'a revoked share may still be named';
ok !exists $j->{url}, '... and the answer has no link';

# Made before schema v5: no sealed token, no link (said gracefully by the page).
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $old = $j;
sql("UPDATE ls_share SET sealed_token = NULL WHERE id = " . sql_quote($old->{id}));
($res, $j) = show($old->{id});
is $res->code, 200, 'a share without a sealed token';
is $j->{state}, 'active', '... active';
ok !exists $j->{url}, '... has no link';
ok !exists listed($old->{id})->{url}, '... nor in the list';
is req(GET => url_path($old->{url}))->code, 200, '... though the link itself works';

# A sealed token that does not open (another node's key): no link, no error.
sql("UPDATE ls_share SET sealed_token = '" . ('0' x 142) . "' WHERE id = "
    . sql_quote($old->{id}));
($res, $j) = show($old->{id});
is $res->code, 200, 'a sealed token under another key: 200';
ok !exists $j->{url}, '... without a link';

# -- never a token in a log -----------------------------------------------------------
for my $t ($token, token_from_url($plain->{url}), token_from_url($exp->{url})) {
    unlike error_log(), qr/\Q$t\E/, 'the error log never has a token';
    unlike access_log(), qr/\Q$t\E/, 'the access log never has a token';
}
done_testing();

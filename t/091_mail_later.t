# Send by email after Share: POST /linkshare/api/shares/ID/recipients mails
# the link of a share made earlier (the dialog's form after Share), from
# the share's sealed token, through the same queue and workers as mail at
# creation. Runs a private httpd with mail configured beside the test
# server (same store), as t/090 does.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use LSMail;

plan skip_all => 'needs /usr/bin/python3 for the SMTP sink'
  unless -x '/usr/bin/python3';

my $sink = sink_start();
my $h = mail_httpd_start(<<"CONF");
LinkShareSMTPServer   127.0.0.1:$sink->{port}
LinkShareSMTPStartTLS off
LinkShareMailFrom     linkshare\@example.com
LinkShareOrgDomain    example.com
LinkShareSMTPTimeout  3s
LinkShareMailRetry    1s 5s
CONF
ok $h, 'httpd with mail configured starts' or BAIL_OUT('no mail httpd');
my $api = "$h->{url}/linkshare/api/shares";

sub call {
    my ($method, $path, $body, $user) = @_;
    $user //= 'alice';
    my $r = req($method => "$api$path", user => $user, pass => "${user}pw",
        (defined $body ? (json => $body) : ()));
    return ($r, decode_json_body($r));
}
sub to { my ($addr) = @_; grep { ($_->{rcpt} // '') eq $addr } sink_messages($sink) }
sub log_text { open my $fh, '<', $h->{log} or return ''; local $/; <$fh> }

# A share made without recipients, as the dialog does before "Send by email".
my ($res, $j) = call(POST => '', { paths => ['photos/2026/cat.jpg'], name => 'Cat for Bob' });
is $res->code, 201, 'a share without recipients: 201';
my ($id, $tok) = ($j->{id}, token_from_url($j->{url}));
is scalar @{ $j->{recipients} }, 0, '... sent to nobody yet';

# -- mailed afterwards ----------------------------------------------------------
($res, $j) = call(POST => "/$id/recipients",
    { recipients => ['bob@example.com', 'dan@partner.example'],
      subject => 'The cat', message => "Here it is.\nAlice" });
is $res->code, 202, 'recipients afterwards: 202';
is_deeply [map { $_->{email} } @{ $j->{recipients} }], ['bob@example.com', 'dan@partner.example'],
  '... the share now lists both';
is_deeply [map { $_->{external} ? 1 : 0 } @{ $j->{recipients} }], [0, 1],
  '... dan is outside LinkShareOrgDomain: external';
ok !exists $j->{url} || token_from_url($j->{url}) eq $tok, '... the same link, never a new one';
ok wait_until(15, sub { to('bob@example.com') && to('dan@partner.example') }),
  'both mails delivered' or diag log_text();
my ($m) = to('bob@example.com');
is $m->{subject}, 'The cat', 'the subject given afterwards';
like $m->{text}, qr/Here it is\.\nAlice/, 'the message given afterwards';
my ($link) = $m->{text} =~ m{(http://\S+linkshare\.html\?sh=\S+)};
is token_from_url($link // ''), $tok, 'the mail holds the share\'s own link';
is req(GET => url_path($link))->code, 200, '... and it opens';
like log_text(), qr/LS00218: user alice queued share \Q$id\E's mail to 2 more recipient/,
  'logged: LS00218 with the count';
unlike log_text(), qr/\Q$tok\E/, 'the token is not in the log';

# The same address again (another case) is sent again, not listed twice;
# a new one is added after the others.
my $before = () = to('bob@example.com');
($res, $j) = call(POST => "/$id/recipients", { recipients => ['BOB@example.com', 'eve@example.com'] });
is $res->code, 202, 'again to bob and to eve: 202';
is_deeply [map { $_->{email} } @{ $j->{recipients} }],
  ['bob@example.com', 'dan@partner.example', 'eve@example.com'], '... bob once, eve added last';
ok wait_until(15, sub { to('eve@example.com') && (() = to('bob@example.com')) > $before }),
  '... eve gets it and bob gets it again';
($m) = to('eve@example.com');
is $m->{subject}, 'The cat', '... the subject kept from before';

# Receipts turned on afterwards.
($res, $j) = call(POST => "/$id/recipients", { recipients => ['fay@example.com'], receipt => JSON::PP::true() });
is $res->code, 202, 'with receipt: 202';
is sql_value("SELECT receipt FROM ls_share_mail WHERE share_id = " . sql_quote($id)), 1,
  '... receipts are on for the share';

# -- refused -----------------------------------------------------------------------
my $count = sql_value("SELECT COUNT(*) FROM ls_mail WHERE share_id = " . sql_quote($id));
for my $bad (
    [{ recipients => [] }, qr/at least one email address/, 'no address'],
    [{ recipients => ['eve@example.com>, x@evil.example'] }, qr/not a valid email address/, 'an injected address'],
    [{ recipients => ['gil@example.com'], subject => "Hi\r\nBcc: x\@evil.example" }, qr/line breaks/, 'CR/LF in the subject'],
    [{ recipients => ['gil@example.com'], url => 'x' }, qr/url/, 'an unknown field'],
    [{ recipients => [map { "u$_\@example.com" } 1 .. 48] }, qr/at most 50 addresses/, 'past 50 addresses in all'],
) {
    ($res, $j) = call(POST => "/$id/recipients", $bad->[0]);
    is $res->code, 400, "$bad->[2]: 400";
    like $j->{error} // '', $bad->[1], '... saying why';
}
is sql_value("SELECT COUNT(*) FROM ls_mail WHERE share_id = " . sql_quote($id)), $count,
  '... and none of them queued anything';
($res) = call(POST => "/$id/recipients", { recipients => ['gil@example.com'] }, 'bob');
is $res->code, 404, 'another user\'s share: 404';
($res) = call(POST => "/0123456789abcdef0123456789abcdef/recipients", { recipients => ['gil@example.com'] });
is $res->code, 404, 'an unknown share: 404';
($res) = call(GET => "/$id/recipients");
is $res->code, 405, 'GET: 405';
like $res->header('Allow') // '', qr/POST/, '... Allow: POST';

# A share made before links were kept (no sealed token): said, not sent.
my ($r2, $old) = call(POST => '', { paths => ['readme.txt'] });
sql("UPDATE ls_share SET sealed_token = NULL WHERE id = " . sql_quote($old->{id}));
($res, $j) = call(POST => "/$old->{id}/recipients", { recipients => ['gil@example.com'] });
is $res->code, 409, 'a share without a kept link: 409';
like $j->{error}, qr/create a new share/, '... saying what to do';
ok wait_until(5, sub { log_text() =~ /LS00219: share \Q$old->{id}\E has no sealed link/ }), '... LS00219';

# Ended shares are not mailed.
is((call(DELETE => "/$old->{id}"))[0]->code, 204, 'revoke a share');
($res) = call(POST => "/$old->{id}/recipients", { recipients => ['gil@example.com'] });
is $res->code, 409, 'a revoked share: 409';

# Without mail configured (the test server itself): 400, nothing queued.
my ($r3, $plain) = call(POST => '', { paths => ['readme.txt'] });
$res = req(POST => base_url() . "/linkshare/api/shares/$plain->{id}/recipients",
    user => 'alice', pass => 'alicepw', json => { recipients => ['gil@example.com'] });
is $res->code, 400, 'mail not set up on the server: 400';
like decode_json_body($res)->{error}, qr/Copy the link/, '... saying what to do instead';

mail_httpd_stop($h);
sink_stop($sink);
done_testing();

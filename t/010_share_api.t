# The sharer API: alice shares files and folders, lists, changes and
# revokes her links; bad bodies and forbidden assets are refused.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/AH01631: user (alice|bob): authorization failure for "\/assets\/private\//);
use POSIX qw(strftime);
use Digest::SHA ();



sub rfc3339 { strftime('%Y-%m-%dT%H:%M:%SZ', gmtime(time + shift)) }

# -- create ------------------------------------------------------------------
my $m = log_mark();
my ($res, $j) = create_share('alice', 'alicepw',
    { paths => ['photos/2026/cat.jpg', 'press kit/', "caf\x{e9} menu.txt"] });
is $res->code, 201, 'create: 201';
like $j->{url}, qr{^http://[^/]+/linkshare\.html\?sh=[A-Za-z0-9_-]{43}$},
  'create: the link, built from LinkSharePublicURL';
my $token = token_from_url($j->{url});
like $res->header('Location'), qr{/linkshare/api/shares/\Q$j->{id}\E$},
  'create: Location names the new share';
is $res->header('Cache-Control'), 'no-store', 'create: not cacheable';
is $j->{owner}, 'alice', 'owner from REMOTE_USER';
is $j->{state}, 'active', 'active';
is $j->{allow_original}, JSON::PP::true, 'originals allowed by default';
is_deeply [map { [$_->{path}, $_->{kind}, $_->{available} ? 1 : 0] }
    @{ $j->{items} }],
  [['photos/2026/cat.jpg', 'file', 1], ['press kit', 'folder', 1],
   ["caf\x{e9} menu.txt", 'file', 1]],
  'items with kind and availability; non-ASCII kept';
my $life = do {
    my ($c, $e) = map { s/Z$//r } @$j{qw(created expires)};
    require Time::Local;
    my @c = reverse split /[-T:]/, $c; $c[4]--;
    my @e = reverse split /[-T:]/, $e; $e[4]--;
    Time::Local::timegm(@e) - Time::Local::timegm(@c);
};
is $life, 86400, 'default expiry: one day';
my $id = $j->{id};
is sql_value("SELECT COUNT(*) FROM ls_share WHERE id = " . sql_quote($id)), 1,
  'stored';
is sql_value("SELECT COUNT(*) FROM ls_share WHERE token_hash = "
      . sql_quote(Digest::SHA::sha256_hex($token))), 1,
  'only the SHA-256 of the token is stored';

my $dump = join "\n", map { join '|', @$_ } sql("SELECT * FROM ls_share");
unlike $dump, qr/\Q$token\E/, 'the token itself is nowhere in the table';
like log_since($m, 'error_log', qr/LS00207/), qr/LS00207: user alice shared 3/,
  'creation logged (LS00207)';
unlike error_log(), qr/\Q$token\E/, 'the error log never has the token';

# -- read, list ----------------------------------------------------------------
($res) = req(GET => "/linkshare/api/shares/$id", user => 'alice', pass => 'alicepw');
is $res->code, 200, 'show: 200';
is decode_json_body($res)->{url}, $j->{url},
  'show: the owner has the link again while it is active (t/012)';
$res = req(GET => "/linkshare/api/shares/$id", user => 'bob', pass => 'bobpw');
is $res->code, 404, "another user's share is 404";
$res = req(GET => "/linkshare/api/shares/$id", user => 'admin', pass => 'adminpw');
is $res->code, 200, 'an admin sees any share';
$res = req(GET => '/linkshare/api/shares', user => 'alice', pass => 'alicepw');
ok((grep { $_->{id} eq $id } @{ decode_json_body($res)->{shares} }),
  'list: mine');
$res = req(GET => '/linkshare/api/shares', user => 'bob', pass => 'bobpw');
ok(!(grep { $_->{id} eq $id } @{ decode_json_body($res)->{shares} }),
  "list: not others'");
$res = req(GET => '/linkshare/api/shares?all=1', user => 'bob', pass => 'bobpw');
is $res->code, 403, 'list all: 403 for non-admins';
$res = req(GET => '/linkshare/api/shares?all=1', user => 'admin', pass => 'adminpw');
ok((grep { $_->{id} eq $id } @{ decode_json_body($res)->{shares} }),
  'list all: admins see every share');

# -- expiry --------------------------------------------------------------------
my $new = rfc3339(3 * 86400);
$res = req(PATCH => "/linkshare/api/shares/$id", user => 'alice',
    pass => 'alicepw', json => { expires => $new });
is $res->code, 200, 'patch expiry: 200';
is decode_json_body($res)->{expires}, $new, 'new expiry returned';
$res = req(PATCH => "/linkshare/api/shares/$id", user => 'alice',
    pass => 'alicepw', json => { expires => rfc3339(-60) });
is $res->code, 400, 'expiry in the past: 400';
like decode_json_body($res)->{error}, qr/"expires" is in the past/, '... says why';
$res = req(PATCH => "/linkshare/api/shares/$id", user => 'alice',
    pass => 'alicepw', json => { expires => rfc3339(31 * 86400) });
is $res->code, 400, 'expiry beyond LinkShareMaxExpiry: 400';
like decode_json_body($res)->{error}, qr/at most 30 days/, '... says the limit';
($res) = create_share('alice', 'alicepw',
    { paths => ['readme.txt'], expires => 'tomorrow' });
is $res->code, 400, 'unparseable expiry: 400';
my $exp = rfc3339(7200);    # once: a second may tick between two calls
($res, $j) = create_share('alice', 'alicepw',
    { paths => ['readme.txt'], expires => $exp, allow_original => JSON::PP::false });
is $res->code, 201, 'explicit expiry and no originals';
is $j->{expires}, $exp, '... expiry kept';

# -- bad bodies ------------------------------------------------------------------
my @bad = (
    ['{"paths": ["readme.txt"', 400, qr/not valid JSON/, 'truncated JSON'],
    ['[1,2]', 400, qr/must be a JSON object/, 'not an object'],
    ['{"paths": "readme.txt"}', 400, qr/"paths" must be an array/, 'paths not an array'],
    ['{"paths": [1]}', 400, qr/"paths" must be an array of strings/, 'path not a string'],
    ['{"paths": ["readme.txt"], "allow_original": "yes"}', 400, qr/"allow_original"/, 'bool as string'],
    ['{"paths": ["readme.txt"], "colour": 1}', 400, qr/Unknown field "colour"/, 'unknown field'],
    ['{}', 400, qr/Nothing to share/, 'nothing to share'],
    ['{"paths": ["../etc/passwd"]}', 400, qr/'\.\.'/, 'traversal'],
    ['{"paths": ["/etc/passwd"]}', 400, qr/relative/, 'absolute path'],
    ['{"paths": ["a\\\\b"]}', 400, qr/backslash/, 'backslash'],
    ['{"paths": ["no such file.txt"]}', 400, qr/no file or folder/, 'missing asset'],
    ['{"collection": "0123456789abcdef"}', 400, qr/no such collection/, 'unknown collection'],
    ['{"paths": ["readme.txt"], "recipients": ["bob@example.com"]}', 400,
        qr/email is not set up/, 'recipients without mail configured'],
    ['{"paths": ["readme.txt"], "recipients": ["bob@example.com\r\nBcc: x@y.z"]}', 400,
        qr/not a valid email/, 'CR/LF in an address'],
);
for my $b (@bad) {
    my ($body, $code, $re, $name) = @$b;
    ($res, $j) = create_share('alice', 'alicepw', $body);
    is $res->code, $code, "$name: $code";
    like(($j || {})->{error} // '', $re, "$name: error names it");
}
# httpd itself refuses the symlink here (no FollowSymLinks: 403); with
# FollowSymLinks our own confinement refuses it (400). Never a share.
my $before = sql_value("SELECT COUNT(*) FROM ls_share");
($res, $j) = create_share('alice', 'alicepw', { paths => ['escape/passwd'] });
like $res->code, qr/^40[03]$/, 'symlink leaving the root: refused';
is sql_value("SELECT COUNT(*) FROM ls_share"), $before, '... and nothing stored';
$m = log_mark();
$res = req(POST => '/linkshare/api/shares', user => 'alice', pass => 'alicepw',
    content => 'paths=readme.txt', headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
is $res->code, 415, 'a form body is 415';
like log_since($m, 'error_log', qr/LS00203/), qr/LS00203/, '... logged LS00203';

# -- permission: httpd decides ---------------------------------------------------
($res, $j) = create_share('alice', 'alicepw', { paths => ['private/secret.txt'] });
is $res->code, 403, 'alice may not share what she may not read';
($res, $j) = create_share('admin', 'adminpw', { paths => ['private/secret.txt'] });
is $res->code, 201, 'admin may';
$res = req(POST => '/linkshare/api/shares', json => { paths => ['readme.txt'] });
is $res->code, 401, 'not signed in: 401 from httpd';
$res = req(PUT => '/linkshare/api/shares', user => 'alice', pass => 'alicepw', json => {});
is $res->code, 405, 'PUT on shares: 405';
like $res->header('Allow') // '', qr/GET, POST/, '... with Allow';

# -- revoke ----------------------------------------------------------------------
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $tok2 = token_from_url($j->{url});
is req(GET => "/linkshare.html?sh=$tok2")->code, 200, 'link works';
$res = req(DELETE => "/linkshare/api/shares/$j->{id}", user => 'bob', pass => 'bobpw');
is $res->code, 404, "bob cannot revoke alice's share";
$res = req(DELETE => "/linkshare/api/shares/$j->{id}", user => 'alice', pass => 'alicepw');
is $res->code, 204, 'unshare: 204';
is req(GET => "/linkshare.html?sh=$tok2")->code, 410,
  'the link answers 410 at once (cache generation bumped)';
$res = req(GET => "/linkshare/api/shares/$j->{id}", user => 'alice', pass => 'alicepw');
is decode_json_body($res)->{state}, 'revoked', 'state: revoked';
$res = req(PATCH => "/linkshare/api/shares/$j->{id}", user => 'alice',
    pass => 'alicepw', json => { expires => rfc3339(86400) });
is $res->code, 409, 'a revoked share cannot be given a new expiry: 409';
is req(GET => "/linkshare.html?sh=$tok2")->code, 410, '... and stays revoked';

# -- admins revoke anyone's share; ids are checked -------------------------------
($res, $j) = create_share('bob', 'bobpw', { paths => ['readme.txt'] });
my $tok3 = token_from_url($j->{url});
$res = req(DELETE => "/linkshare/api/shares/$j->{id}", user => 'admin', pass => 'adminpw');
is $res->code, 204, "an admin revokes bob's share";
is req(GET => "/linkshare.html?sh=$tok3")->code, 410, '... and the link is gone';
$res = req(GET => '/linkshare/api/shares/..%2f..%2fetc', user => 'alice', pass => 'alicepw');
is $res->code, 404, 'malformed id: 404';
$res = req(GET => '/linkshare/api/shares/zzzzzzzzzzzzzzzz', user => 'alice', pass => 'alicepw');
is $res->code, 404, 'unknown id: 404';
is decode_json_body($res)->{error}, 'There is no such share.', '... in words';
$res = req(GET => '/linkshare/api/nothing', user => 'alice', pass => 'alicepw');
is $res->code, 404, 'unknown resource: 404 JSON';
done_testing();

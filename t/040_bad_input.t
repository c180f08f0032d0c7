# Malformed, unknown, expired and revoked links; traversal; wrong methods;
# and the token never reaching a log.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;

my ($res, $j) = create_share('alice', 'alicepw', { paths => ['press kit', 'readme.txt'] });
my $tok = token_from_url($j->{url});
my $base = "/linkshare.html?sh=$tok";

my $m = log_mark();
for my $t (['', 'empty'], ['abc', 'short'], [$tok . 'A', 'overlong'],
           [substr($tok, 0, 42) . '+', 'bad character'],
           ['A' x 43, 'unknown']) {
    $res = req(GET => "/linkshare.html?sh=$t->[0]");
    is $res->code, 404, "$t->[1] token: 404";
    like $res->decoded_content, qr/does not work/, "$t->[1] token: a page that says so";
}
$res = req(GET => '/linkshare.html');
is $res->code, 404, 'no token: 404';
my $errs = log_since($m, 'error_log', qr/LS00103/);
like $errs, qr/LS00102: malformed share token/, 'malformed logged LS00102';
like $errs, qr/LS00103: unknown share token/, 'unknown logged LS00103';

# Expired: set in the store before first use (nothing cached yet).
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $old = token_from_url($j->{url});
sql("UPDATE ls_share SET expires = 1000 WHERE id = " . sql_quote($j->{id}));
$res = req(GET => "/linkshare.html?sh=$old");
is $res->code, 410, 'expired: 410';
like $res->decoded_content, qr/has expired.*shared by <strong>alice/s, 'expired page names whom to ask';
is req(GET => "/linkshare.html?sh=$old&op=file&path=readme.txt")->code, 410, 'expired download: 410';
is req(GET => "/linksharepreview.html?sh=$old&path=readme.txt")->code, 410, 'expired preview: 410';

# Traversal and odd paths.
for my $p (['..', 400], ['%2e%2e', 400], ['press%20kit/../readme.txt', 400],
           ['press%20kit/%2e%2e/%2e%2e/etc/passwd', 400], ['/etc/passwd', 400],
           ['press%20kit%5c..%5creadme.txt', 400], ['press%20kit/logo.png%00.txt', 400],
           ['press%20kit//logo.png', 400], ['%zz', 400], ['escape/passwd', 404]) {
    $res = req(GET => "$base&op=file&path=$p->[0]");
    is $res->code, $p->[1], "path $p->[0]: $p->[1]";
    unlike $res->content, qr/root:x:0/, "path $p->[0]: nothing leaked";
}
like error_log(), qr/LS00113: share \w+: refused path/, 'refused paths logged LS00113';

# A symlink inside a shared folder pointing out of the asset root.
my $link = asset_root() . '/press kit/outside';
symlink '/etc', $link unless -l $link;
$res = req(GET => "$base&op=file&path=press%20kit/outside/passwd");
is $res->code, 404, 'symlink escaping a shared folder: 404';
unlike req(GET => "$base&path=press%20kit")->decoded_content, qr/outside/,
  'and it is not listed';
unlink $link;

# Methods.
for my $meth (qw(POST PUT DELETE PATCH)) {
    $res = req($meth => $base, content => 'x');
    is $res->code, 405, "$meth on the page: 405";
}
$res = req(OPTIONS => $base);
isnt $res->code, 200, 'OPTIONS is not served as a page';
is req(POST => '/linkexpired.html', content => 'x')->code, 405, 'POST on linkexpired.html: 405';

# The token never reaches a log.
req(GET => "$base&path=press%20kit");
req(GET => "$base&op=file&path=readme.txt");
my $acc = log_since($m, 'access_log', qr/REDACTED:$j->{id}|REDACTED/);
sleep 1;
unlike access_log(), qr/\Q$tok\E/, 'access log: no token';
unlike access_log(), qr/\Q$old\E/, 'access log: no expired token either';
like access_log(), qr/sh=REDACTED/, 'access log: requests still identifiable';
unlike error_log(), qr/\Q$tok\E/, 'error log: no token';
done_testing();

# The token check runs in httpd's access phase: a bad, expired or revoked
# link is refused before any other module's fixups see the request, the
# check composes with Require, and no token shows anywhere another module
# can look: mod_status with a download in flight, the access and error
# logs.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/AH01630: client denied by server configuration: \S*\/iponly/);
use File::Temp qw(tempdir);

my ($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
is $res->code, 201, 'shared';
my $tok  = token_from_url($j->{url});
my $id   = $j->{id};
my $base = "/linkshare.html?sh=$tok";
my $bad  = 'A' x 43;

# -- refusals happen before fixups ------------------------------------------------
my $m = log_mark();
is req(GET => "/linkshare.html?sh=$bad&x=unknown")->code, 404, 'unknown token: 404';
is req(GET => "/linkshare.html?sh=short&x=malformed")->code, 404, 'malformed token: 404';
is req(GET => "$base&x=good")->code, 200, 'good token: 200';
my $log = log_since($m, 'access_log', qr/x=good.*\n/);
like $log, qr/x=unknown[^\n]*fixup=-$/m, 'unknown token: no fixup ran (SetEnv never applied)';
like $log, qr/x=malformed[^\n]*fixup=-$/m, 'malformed token: no fixup ran';
like $log, qr/x=good[^\n]*fixup=yes$/m, 'good token: the fixups ran';

# The refusal is our page, in UTF-8, with the public headers.
$res = req(GET => "/linkshare.html?sh=$bad");
like $res->decoded_content, qr/This link does not work/, 'the not-found page says why';
is $res->header('Content-Type'), 'text/html; charset=utf-8', 'as UTF-8 HTML';
like $res->header('Content-Security-Policy') // '', qr/default-src 'none'/, 'with our CSP';
is $res->header('Referrer-Policy'), 'no-referrer', 'and Referrer-Policy';
is $res->header('Cache-Control'), 'no-store', 'and no-store';

# Revoked: 410 with the withdrawn page, also before fixups.
my ($r2, $j2) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $tok2 = token_from_url($j2->{url});
is DELETE_as('alice', 'alicepw', "/linkshare/api/shares/$j2->{id}")->code, 204, 'revoked';
$m = log_mark();
$res = req(GET => "/linkshare.html?sh=$tok2&x=revoked");
is $res->code, 410, 'revoked: 410';
like $res->decoded_content, qr/withdrawn/, 'revoked: the withdrawn page';
like $res->decoded_content, qr/shared by <strong>alice<\/strong>/, '... naming who shared it';
like log_since($m, 'access_log', qr/x=revoked.*\n/), qr/x=revoked[^\n]*fixup=-$/m,
  'revoked: no fixup ran';
is req(HEAD => "/linkshare.html?sh=$tok2")->code, 410, 'HEAD of a revoked link: 410';
is req(GET => "/linksharepreview.html?sh=$tok2&path=readme.txt")->code, 410,
  'the preview URL: 410 too';

# Methods are refused in the same phase.
is req(PUT => "$base", content => 'x')->code, 405, 'PUT: 405';
is req(DELETE => "$base")->code, 405, 'DELETE: 405';

# -- composes with Require --------------------------------------------------------
is req(GET => "/iponly/linkshare.html?sh=$tok")->code, 403,
  'a good token where Require refuses this client: 403 from Require';
is req(GET => "/iponly/linkshare.html?sh=$bad")->code, 404,
  'a bad token there: 404 (the token check comes first)';

# -- no token in mod_status while a download is in flight -----------------------------
# mod_status shows the first 64 bytes of a request line: the file name goes
# first, so the row can be told apart, and the token right after it.
my $big = asset_root() . '/q1.bin';
system('dd', 'if=/dev/urandom', "of=$big", 'bs=1M', 'count=2', 'status=none') == 0 or die;
($res, $j) = create_share('alice', 'alicepw', { paths => ['q1.bin'] });
my $btok = token_from_url($j->{url});
my $url  = base_url() . "/linkshare.html?path=q1.bin&sh=$btok&op=file";
my $pid  = open my $curl, '-|', 'curl', '-s', '-o', '/dev/null', '--limit-rate', '64k',
  '--max-time', '20', $url;
die "curl: $!" unless $pid;
my $status = '';
for (1 .. 40) {
    select undef, undef, undef, 0.25;
    $status = req(GET => '/server-status')->decoded_content;
    last if $status =~ /path=q1\.bin/;
}
kill 'TERM', $pid;
close $curl;
like $status, qr/path=q1\.bin&amp;sh=REDACTED/,
  'mod_status shows the download in flight, its token redacted';
unlike $status, qr/\Q${\ substr($btok, 0, 8)}\E/, 'not even part of the token';

# A queue request whose body is slow to come: httpd sits in our handler
# reading it, with the request line it copied when the request started.
require IO::Socket::INET;
my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
    PeerPort => (split /:/, Apache::TestRequest::hostport())[1]) or die "connect: $!";
print $sock "POST /linkshare.html?path=q1.bin&sh=$btok&op=queue HTTP/1.1\r\n"
  . "Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n{";
$sock->flush;
for (1 .. 40) {
    select undef, undef, undef, 0.25;
    $status = req(GET => '/server-status')->decoded_content;
    last if $status =~ /POST \/linkshare\.html\?path=q1\.bin/;
}
close $sock;
like $status, qr/POST \/linkshare\.html\?path=q1\.bin&amp;sh=REDACTED/,
  'mod_status shows a slow queue request in flight, its token redacted';
unlike $status, qr/\Q${\ substr($btok, 0, 8)}\E/, 'not even part of the token';
unlink $big;

# -- the logs ------------------------------------------------------------------------
for my $t ($tok, $tok2, $btok) {
    unlike access_log(), qr/\Q${\ substr($t, 0, 12)}\E/, 'access log: no token';
    unlike error_log(), qr/\Q${\ substr($t, 0, 12)}\E/, 'error log: no token';
}
like access_log(), qr/sh=REDACTED:$id/, 'the access log names the share instead';

done_testing;

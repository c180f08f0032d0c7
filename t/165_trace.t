# TRACE on the three public URLs answers 405 whatever TraceEnable says
# (the test server has TraceEnable On): httpd would otherwise echo the
# request line and headers, share token included, before any hook of ours.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;

my ($res, $json) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
is $res->code, 201, 'a share';
my $tok = token_from_url($json->{url});

$res = req(TRACE => '/index.html');
is $res->code, 200, 'TraceEnable On: the rest of the site answers TRACE';
like $res->content, qr{^TRACE /index\.html}, '... echoing the request';

my $m = log_mark();
for my $url ("/linkshare.html?sh=$tok", "/linkshare.html?sh=$tok&op=file&path=readme.txt",
    "/linksharepreview.html?sh=$tok&path=readme.txt", '/linkexpired.html') {
    (my $shown = $url) =~ s/\Q$tok\E/TOKEN/;
    $res = req(TRACE => $url, headers => ['X-Secret' => 'echo-me']);
    is $res->code, 405, "TRACE $shown: 405";
    unlike $res->content, qr/\Q$tok\E|echo-me/, '... echoing nothing';
    my $allow = $res->header('Allow') // '';
    like $allow, qr/^GET, HEAD/, "... Allow: $allow";
    unlike $allow, qr/TRACE/, '... which does not offer TRACE';
    is $res->header('X-Content-Type-Options'), 'nosniff', '... with the public headers';
}
like log_since($m, 'error_log', qr/LS00161/), qr/LS00161: TRACE refused on a public URL/,
  'logged as LS00161';
is req(GET => "/linkshare.html?sh=$tok&op=file&path=readme.txt")->code, 200,
  'GET still works';
unlike log_since($m, 'access_log', qr/TRACE/), qr/\Q$tok\E/,
  'the access log of the refused TRACEs holds no token';
done_testing();

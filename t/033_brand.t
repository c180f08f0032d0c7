# LinkShareBrand: the admin's name, logo and accent colour on every
# recipient page (the Link Share page and the error pages), the accent as
# a second inline style allowed by its own hash, and the logo served by
# the module at linkshare.html?op=logo without a token: its type, ETag,
# Last-Modified, a day's caching, nosniff and a sandboxing CSP; 304 when
# unchanged; 404 where no brand is configured. A second httpd, configured
# like the test server, carries the brand (and a content limit of 50
# bytes, so Download all names a size limit).
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use LWP::UserAgent;
use HTTP::Request;
use MIME::Base64 qw(decode_base64);

# -- the test server has no brand --------------------------------------------------------
my $res = req(GET => '/linkshare.html?op=logo');
is $res->code, 404, 'no LinkShareBrand: op=logo is 404';
like $res->header('Content-Type'), qr{^text/html}, '... the not-found page';
unlike $res->decoded_content, qr/Check that you copied/, '... which does not blame the link';
my ($r0, $j0) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $page = req(GET => url_path($j0->{url}));
unlike $page->decoded_content, qr/class="brand"/, 'an unbranded page has no brand bar';
my ($styles) = ($page->header('Content-Security-Policy') // '') =~ /style-src ([^;]+)/;
is scalar(() = $styles =~ /'sha256-/g), 1, '... and one style in its CSP';

# -- a branded server ----------------------------------------------------------------------
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my $png = decode_base64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==');
{ open my $f, '>', "$dir/logo.png" or die $!; binmode $f; print $f $png; close $f; chmod 0644, "$dir/logo.png" }
my ($base, $stop) = second_server($dir, sub {
    my $x = shift;
    $x =~ s/^LinkShareMaxContentSize\s.*$/LinkShareMaxContentSize 50/m or die 'no content limit';
    $x . qq{\nLinkShareBrand "Example <Corp>" "$dir/logo.png" #fc0\n};
});
END { $stop->() if $stop }
my $ua = LWP::UserAgent->new(timeout => 10);
my $req = HTTP::Request->new(POST => "$base/linkshare/api/shares");
$req->authorization_basic('alice', 'alicepw');
$req->content_type('application/json');
$req->content('{"paths":["readme.txt","caf\u00e9 menu.txt"]}');
my $r = $ua->request($req);
is $r->code, 201, 'a share on the branded server';
my ($link) = $r->content =~ /"url":"([^"]+)"/;

$r = $ua->get($link);
my $html = $r->decoded_content;
like $html, qr{<div class="brand"><img class="logo" src="\Q$base\E/linkshare\.html\?op=logo&amp;v=[0-9a-f]{16}" alt=""><span class="brand-name">Example &lt;Corp&gt;</span></div>},
  'the page: the logo (a versioned URL) and the name, escaped';
like $html, qr{<style>:root\{--accent:#ffcc00;--on-accent:#111;--accent-ink:#[0-9a-f]{6}\}}, 'the accent as a second style, with a text colour that reads on it';
($styles) = ($r->header('Content-Security-Policy') // '') =~ /style-src ([^;]+)/;
is scalar(() = $styles =~ /'sha256-/g), 2, 'the CSP allows both styles by hash';
like $html, qr{<p class="limit" id="ls-limit">Everything together is more than the 50 bytes one download may hold\.},
  'over LinkShareMaxContentSize: Download all names the size limit';

my ($logo) = $html =~ /<img class="logo" src="([^"]+)"/;
$logo =~ s/&amp;/&/g;
$r = $ua->get($logo);
is $r->code, 200, 'the logo: 200 without a token';
is $r->header('Content-Type'), 'image/png', '... image/png, from its bytes';
is $r->content, $png, '... the file itself';
is $r->header('Cache-Control'), 'public, max-age=86400', '... cached for a day';
is $r->header('X-Content-Type-Options'), 'nosniff', '... nosniff';
like $r->header('Content-Security-Policy') // '', qr/default-src 'none'.*sandbox/, '... a sandboxing CSP (an SVG logo runs nothing)';
my $etag = $r->header('ETag');
like $etag // '', qr/^"[0-9a-f]{16}"$/, '... an ETag';
ok $r->header('Last-Modified'), '... Last-Modified';
is $ua->get($logo, 'If-None-Match' => $etag)->code, 304, 'unchanged: 304';
is $ua->get($logo, 'If-Modified-Since' => $r->header('Last-Modified'))->code, 304, '... by date too';
$r = $ua->head("$base/linkshare.html?op=logo");
is $r->code, 200, 'HEAD: 200';
is length($r->content), 0, '... without a body';
is $ua->post("$base/linkshare.html?op=logo")->code, 405, 'POST: 405';

# The error pages wear the brand too.
$r = $ua->get("$base/linkshare.html?sh=" . ('A' x 43));
is $r->code, 404, 'an unknown link: 404';
like $r->decoded_content, qr{<span class="brand-name">Example &lt;Corp&gt;</span>}, '... branded';
like $r->decoded_content, qr{<h1>This link does not work</h1>.*Check that you copied the whole link}s,
  '... and only here asks whether the whole link was copied';
$r = $ua->get("$base/linkexpired.html");
like $r->decoded_content, qr{class="brand-name"}, 'the expired page is branded';

my $log = do { local $/; open my $l, '<', "$dir/error_log" or die; <$l> };
unlike $log, qr/LS00101|LS00102/, 'a logo request is no guess at a token';

done_testing();

# A recipient opens a link, browses a shared folder, previews and downloads
# files through httpd's own delivery (Range, ETag), with strict headers.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use Encode qw(encode_utf8);
use URI::Escape qw(uri_escape_utf8);

my ($res, $j) = create_share('alice', 'alicepw',
    { paths => ['press kit', 'photos/2026/cat.jpg', "\x{65e5}\x{672c}\x{8a9e}.txt",
                "Q3 \"final\" report.pdf", "it's here.txt"] });
is $res->code, 201, 'shared';
my $tok = token_from_url($j->{url});
my $base = "/linkshare.html?sh=$tok";

# -- the page ------------------------------------------------------------------
$res = req(GET => $base);
is $res->code, 200, 'page: 200';
like $res->header('Content-Type'), qr{text/html; charset=utf-8}, 'HTML, UTF-8';
my $html = $res->decoded_content;
like $html, qr/press kit/, 'folder listed';
like $html, qr/cat\.jpg/, 'file listed';
like $html, qr/\x{65e5}\x{672c}\x{8a9e}\.txt/, 'non-ASCII name displayed';
like $html, qr/Q3 &quot;final&quot; report\.pdf/, 'quotes escaped in HTML';
like $html, qr/it&#39;s here\.txt|it's here\.txt/, 'apostrophe name shown';
like $html, qr{Shared by <strong>alice</strong>}, 'who shared it';
like $html, qr{<a (?:class="name" )?href="[^"]*&amp;path=press%20kit">press kit</a>},
  'browsing is by plain links (no script needed)';
my @scripts = $html =~ /<script\b/gi;
is scalar @scripts, 2, 'two inline scripts (the page, the preview overlay) ...';
my @hashes = ($res->header('Content-Security-Policy') // '') =~ /script-src ((?:'sha256-[^']+'\s*)+)/;
is scalar(() = ($hashes[0] // '') =~ /'sha256-/g), 2, '... each allowed by its hash';
for my $h (['Referrer-Policy', qr/^no-referrer$/],
           ['X-Content-Type-Options', qr/^nosniff$/],
           ['X-Robots-Tag', qr/noindex/],
           ['Cache-Control', qr/^no-store$/],
           ['Content-Security-Policy', qr/default-src 'none'.*style-src 'sha256-/]) {
    like $res->header($h->[0]) // '', $h->[1], "page header $h->[0]";
}

# -- browsing ------------------------------------------------------------------
$res = req(GET => "$base&path=" . uri_escape_utf8('press kit'));
is $res->code, 200, 'folder: 200';
$html = $res->decoded_content;
like $html, qr/brochure\.pdf.*logo\.png/s, 'folder contents listed, sorted';
like $html, qr/All shared items/, 'breadcrumb back to the root';
# Sorting by the column headers, without script.
my @order = sub { $_[0] =~ /<td class="name"><a [^>]*>([^<]+)</g }
  ->(req(GET => "$base&path=press%20kit&sort=size&view=list")->decoded_content);
is_deeply \@order, ['notes.txt', 'logo.png', 'brochure.pdf', 'product video.mp4'],
  'sort=size: smallest first';
@order = sub { $_[0] =~ /<td class="name"><a [^>]*>([^<]+)</g }
  ->(req(GET => "$base&path=press%20kit&sort=name&order=desc&view=list")->decoded_content);
is_deeply \@order, ['product video.mp4', 'notes.txt', 'logo.png', 'brochure.pdf'],
  'sort=name&order=desc';
like req(GET => "$base&path=press%20kit&sort=size&view=list")->decoded_content,
  qr/aria-sort="ascending">Size/, 'the sorted column is marked for assistive technology';
is req(GET => "$base&path=press%20kit&sort=colour")->code, 400, 'an unknown sort: 400';
$res = req(GET => "$base&path=" . uri_escape_utf8('press kit/nope.txt'));
is $res->code, 404, 'missing file in a shared folder: 404';
$res = req(GET => "$base&path=readme.txt");
is $res->code, 404, 'an asset outside the share: 404';

# -- downloads -----------------------------------------------------------------
my $cat = do { local $/; open my $f, '<:raw', asset_root() . '/photos/2026/cat.jpg' or die; <$f> };
$res = req(GET => "$base&op=file&path=cat.jpg");
is $res->code, 200, 'download: 200';
is $res->content, $cat, 'download: the original bytes';
is $res->header('Content-Type'), 'image/jpeg', 'download: media type';
like $res->header('Content-Disposition') // '', qr/^attachment; filename="cat\.jpg"; filename\*=UTF-8''cat\.jpg$/,
  'download: attachment with filename*';
is $res->header('Content-Length'), length $cat, 'download: Content-Length';
my $etag = $res->header('ETag');
ok $etag, 'download: ETag';
ok $res->header('Last-Modified'), 'download: Last-Modified';
like $res->header('Cache-Control') // '', qr/private, no-cache/, 'download: revalidated';
like $res->header('Content-Security-Policy') // '', qr/sandbox/, 'download: sandboxed';
$res = req(GET => "$base&op=file&path=cat.jpg", headers => [Range => 'bytes=0-9']);
is $res->code, 206, 'Range: 206';
is $res->content, substr($cat, 0, 10), 'Range: the right bytes';
$res = req(GET => "$base&op=file&path=cat.jpg", headers => ['If-None-Match' => $etag]);
is $res->code, 304, 'If-None-Match: 304';
$res = req(HEAD => "$base&op=file&path=cat.jpg");
is $res->code, 200, 'HEAD: 200';
is $res->content, '', 'HEAD: no body';
$res = req(GET => "$base&op=file&path=" . uri_escape_utf8("\x{65e5}\x{672c}\x{8a9e}.txt"));
is $res->code, 200, 'non-ASCII download';
like $res->header('Content-Disposition'), qr/filename="___\.txt"; filename\*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E\.txt/,
  'non-ASCII filename* encoded';
$res = req(GET => "$base&op=file&path=" . uri_escape_utf8("Q3 \"final\" report.pdf"));
is $res->code, 200, 'name with quotes downloads';
like $res->header('Content-Disposition'), qr/filename="Q3 _final_ report\.pdf"/, 'quotes never break the header';
$res = req(GET => "$base&op=file&path=" . uri_escape_utf8('press kit/logo.png'));
is $res->code, 200, 'download inside a shared folder';
$res = req(GET => "$base&op=file&path=" . uri_escape_utf8('press kit'));
is $res->code, 400, 'op=file on a folder: 400';
$res = req(GET => "$base&op=frobnicate");
is $res->code, 400, 'unknown op: 400';

# -- preview and thumbnail -------------------------------------------------------
$res = req(GET => "/linksharepreview.html?sh=$tok&path=cat.jpg");
is $res->code, 200, 'preview: 200';
like $res->decoded_content, qr/<img src="[^"]*op=view[^"]*path=cat\.jpg"/, 'preview shows the image';
$res = req(GET => "$base&op=thumb&path=cat.jpg");
is $res->code, 200, 'thumbnail from the renditions';
is $res->header('Content-Type'), 'image/png', 'thumbnail type';
$res = req(GET => "$base&op=thumb&path=" . uri_escape_utf8("it's here.txt"));
is $res->code, 404, 'no thumbnail: 404';

# -- originals not allowed ---------------------------------------------------------
($res, $j) = create_share('alice', 'alicepw',
    { paths => ['photos/2026/cat.jpg', 'readme.txt'], allow_original => JSON::PP::false });
my $t2 = token_from_url($j->{url});
$res = req(GET => "/linkshare.html?sh=$t2&op=file&path=cat.jpg");
is $res->code, 200, 'no originals: a rendition is served';
isnt $res->content, $cat, '... not the original bytes';
my $web = do { local $/; open my $f, '<:raw', rendition_root() . '/photos/2026/cat.jpg/web.jpg' or die; <$f> };
is $res->content, $web, '... the web rendition';
$res = req(GET => "/linkshare.html?sh=$t2&op=file&path=readme.txt");
is $res->code, 404, 'no rendition and no originals: 404, never the original';

# -- an asset that moves -------------------------------------------------------------
my $tmp = asset_root() . '/moving.txt';
open my $fh, '>', $tmp or die; print $fh "hello\n"; close $fh;
($res, $j) = create_share('alice', 'alicepw', { paths => ['moving.txt', 'readme.txt'] });
my $t3 = token_from_url($j->{url});
is req(GET => "/linkshare.html?sh=$t3&op=file&path=moving.txt")->code, 200, 'before the move: 200';
rename $tmp, "$tmp.moved" or die;
$res = req(GET => "/linkshare.html?sh=$t3");
is $res->code, 200, 'page still renders';
like $res->decoded_content, qr/moving\.txt.*Unavailable/s, 'moved item shows as unavailable';
is req(GET => "/linkshare.html?sh=$t3&op=file&path=moving.txt")->code, 404, 'its link: 404, not 500';
$res = req(GET => "/linkshare/api/shares/$j->{id}", user => 'alice', pass => 'alicepw');
ok !decode_json_body($res)->{items}[0]{available}, 'API: available false';
unlink "$tmp.moved";

# -- the expired page ------------------------------------------------------------------
$res = req(GET => '/linkexpired.html');
is $res->code, 200, 'linkexpired.html: 200';
like $res->decoded_content, qr/expired/i, 'says the link expired';
done_testing();

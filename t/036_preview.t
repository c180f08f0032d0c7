# The preview page and op=view: what each type of file shows, from which
# bytes (renditions vs originals), sandboxed PDF, Range on video, escaped
# text, previous/next within the folder, and never shared markup.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use URI::Escape qw(uri_escape_utf8);

sub bytes_of { my $f = shift; local $/; open my $h, '<:raw', $f or die "$f: $!"; <$h> }

my ($res, $j) = create_share('alice', 'alicepw',
    { paths => ['press kit', 'photos/2026/cat.jpg', "Q3 \"final\" report.pdf",
                "caf\x{e9} menu.txt", 'page.html', 'image.svg'] });
is $res->code, 201, 'shared';
my $tok  = token_from_url($j->{url});
my $pv   = "/linksharepreview.html?sh=$tok&path=";
my $view = "/linkshare.html?sh=$tok&op=view&path=";
my $q    = sub { uri_escape_utf8(shift) };

# -- image: the web rendition first ------------------------------------------------
$res = req(GET => $pv . 'cat.jpg');
is $res->code, 200, 'image preview page';
like $res->decoded_content, qr/<img src="[^"]*op=view&amp;path=cat\.jpg"/, '... embeds op=view';
$res = req(GET => $view . 'cat.jpg');
is $res->code, 200, 'op=view of an image';
is $res->content, bytes_of(rendition_root() . '/photos/2026/cat.jpg/web.jpg'),
  '... the web rendition, not the original';
like $res->header('Content-Disposition') // '', qr/^inline/, '... inline';

# -- PDF: the original in a sandboxed frame --------------------------------------------
my $pdf = "Q3 \"final\" report.pdf";
$res = req(GET => $pv . $q->($pdf));
like $res->decoded_content, qr/<iframe src="[^"]*op=view[^"]*" title="Q3 &quot;final&quot; report\.pdf" loading="lazy">/,
  'PDF preview: a frame';
like $res->decoded_content,
  qr/<a class="pdf-poster" href="[^"]*op=view[^"]*"><img src="[^"]*op=thumb[^"]*" alt="Page 1 of Q3 &quot;final&quot; report\.pdf">/,
  '... after its first page as a poster that opens the PDF (shown on phones)';
like $res->header('Content-Security-Policy'), qr/frame-src 'self'/, 'the page may frame our PDF';
$res = req(GET => $view . $q->($pdf));
is $res->code, 200, 'op=view of a PDF';
is $res->header('Content-Type'), 'application/pdf', '... as PDF';
is $res->content, bytes_of(asset_root() . "/$pdf"), '... the original (share allows it)';
like $res->header('Content-Security-Policy'), qr/^sandbox\b/, '... sandboxed by CSP';
like $res->header('Content-Security-Policy'), qr/frame-ancestors 'self'/, '... framed by us only';
is $res->header('X-Frame-Options'), 'SAMEORIGIN', '... X-Frame-Options SAMEORIGIN';

# -- video: the rendition, Range-capable -----------------------------------------------
my $vid = 'press kit/product video.mp4';
$res = req(GET => $pv . $q->($vid));
like $res->decoded_content, qr/<video controls preload="metadata" src="[^"]*op=view/, 'video preview';
my $web = bytes_of(rendition_root() . "/$vid/web.mp4");
$res = req(GET => $view . $q->($vid), headers => [Range => 'bytes=10-19']);
is $res->code, 206, 'video: Range answered 206';
is $res->content, substr($web, 10, 10), '... the rendition bytes';

# -- text: escaped, inline -------------------------------------------------------------
$res = req(GET => $pv . $q->("caf\x{e9} menu.txt"));
like $res->decoded_content, qr{<pre class="text"[^>]*>Croissant 2\.50\nCaf\x{e9} cr\x{e8}me 3\.00\n</pre>},
  'text shown in a <pre>';
my $big = asset_root() . '/press kit/long notes.txt';
{ open my $f, '>:raw', $big or die; print $f ("<b>&amp;</b> \x{e2}\x{82}\x{ac}\n" x 6000); close $f }
$res = req(GET => $pv . $q->('press kit/long notes.txt'));
my $html = $res->decoded_content;
unlike $html, qr/<b>/, 'text is escaped';
like $html, qr/Showing the first 64\.0 KB of/, 'a long text is cut and says so';
my ($pre) = $html =~ m{<pre class="text"[^>]*>(.*?)</pre>}s;
unlike $pre // '', qr/\x{fffd}/, '... on a character boundary';
unlink $big;

# -- never rendered: HTML and SVG ---------------------------------------------------------
for my $f ('page.html', 'image.svg') {
    $res = req(GET => $pv . $f);
    is $res->code, 200, "$f: preview page";
    like $res->decoded_content, qr/There is no preview for this type of file/, "$f: no preview";
    unlike $res->decoded_content, qr/<(iframe|img|object|embed)\b/, "$f: nothing embedded";
    is req(GET => $view . $f)->code, 404, "$f: op=view refuses";
}

# -- previous / next within the folder ---------------------------------------------------
$res = req(GET => $pv . $q->('press kit/logo.png'));
$html = $res->decoded_content;
like $html, qr{<a rel="prev" href="[^"]*path=press%20kit%2Fbrochure\.pdf">&larr; brochure\.pdf</a>}, 'previous file';
like $html, qr{<a rel="next" href="[^"]*path=press%20kit%2Fnotes\.txt">notes\.txt &rarr;</a>}, 'next file';
like $html, qr{File 2 of 4}, 'position in the folder';
$html = req(GET => $pv . $q->('press kit/brochure.pdf'))->decoded_content;
unlike $html, qr/rel="prev"/, 'the first file has no previous';

# -- renditions only ----------------------------------------------------------------------
($res, $j) = create_share('alice', 'alicepw',
    { paths => ['photos/2026/cat.jpg', "Q3 \"final\" report.pdf", 'readme.txt', 'press kit/product video.mp4'],
      allow_original => JSON::PP::false });
my $t2 = token_from_url($j->{url});
$res = req(GET => "/linkshare.html?sh=$t2&op=view&path=cat.jpg");
is $res->content, bytes_of(rendition_root() . '/photos/2026/cat.jpg/web.jpg'), 'renditions only: image from the rendition';
# No PDF rendition and no original: the image of its first page, made by
# the workers (t/190), never the PDF's bytes.
$res = req(GET => "/linkshare.html?sh=$t2&op=view&path=" . $q->($pdf));
is $res->code, 200, 'renditions only, no PDF rendition: previewed';
is $res->content_type, 'image/jpeg', '... as the image of its first page';
isnt $res->content, bytes_of(asset_root() . "/$pdf"), '... never the original';
like req(GET => "/linksharepreview.html?sh=$t2&path=readme.txt")->decoded_content,
  qr/There is no preview of this file/, 'renditions only: text is not shown';
is req(GET => "/linkshare.html?sh=$t2&op=view&path=" . $q->('product video.mp4'))->code, 200,
  'renditions only: video rendition';

# -- bad input --------------------------------------------------------------------------
is req(GET => "/linkshare.html?sh=$tok&op=view&path=" . $q->('press kit'))->code, 400, 'op=view of a folder: 400';
is req(GET => "/linkshare.html?sh=$tok&op=view&path=..%2Fetc%2Fpasswd")->code, 400, 'op=view traversal: 400';
is req(POST => "/linkshare.html?sh=$tok&op=view&path=cat.jpg")->code, 405, 'op=view POST: 405';

done_testing();

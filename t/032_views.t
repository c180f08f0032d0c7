# The Link Share page's two views and its paging: cards with thumbnails
# from the renditions (or a type icon), the list, the choice remembered in
# a cookie, and a folder of 5,000 items shown 100 at a time.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Path qw(make_path remove_tree);

my ($res, $j) = create_share('alice', 'alicepw',
    { paths => ['press kit', 'photos/2026/cat.jpg', 'readme.txt'] });
my $tok  = token_from_url($j->{url});
my $base = "/linkshare.html?sh=$tok";

# -- cards by default -------------------------------------------------------------
$res = req(GET => $base);
my $html = $res->decoded_content;
like $html, qr/<ul class="cards items">/, 'card view by default';
like $html, qr{<li class="item card"><input type="checkbox" name="path" value="cat\.jpg"[^>]*><a class="thumb"[^>]*><img src="[^"]*op=thumb&amp;path=cat\.jpg" alt="" loading="lazy">},
  'a card with its thumbnail rendition';
like $html, qr{<span class="icon text"><svg [^>]*>.*?</svg><span class="ext">txt</span></span></a><button [^>]*class="qone"[^>]*>.*?</button><span class="info"><a class="name" href="[^"]*">readme\.txt</a>},
  'no thumbnail: a type icon';
like $html, qr{<span class="icon folder"><svg [^>]*>.*?</svg></span></a><button [^>]*class="qone"[^>]*value="press kit"[^>]*>.*?</button><span class="info"><a class="name" href="[^"]*path=press%20kit">press kit</a>},
  'a folder card';
like $html, qr{<a href="[^"]*&amp;view=list"><svg [^>]*>.*?</svg>List</a>}, 'a link to the list view';
is $res->header('Set-Cookie'), undef, 'no cookie until a view is chosen';
# Every card's thumbnail answers.
for my $src ($html =~ /<img src="([^"]+)"/g) {
    $src =~ s/&amp;/&/g;
    is req(GET => url_path($src))->code, 200, "thumbnail $src answers";
}

# -- the list, remembered --------------------------------------------------------------
$res = req(GET => "$base&view=list");
like $res->decoded_content, qr/<table class="items">/, 'view=list: a table';
like $res->header('Set-Cookie') // '', qr/^lsview=list; Path=\/; Max-Age=\d+; SameSite=Lax$/,
  'the choice goes into a cookie';
$res = req(GET => "$base&path=press%20kit", headers => [Cookie => 'lsview=list']);
like $res->decoded_content, qr/<table class="items">/, 'the cookie keeps the list in other folders';
like $res->decoded_content, qr{<a href="[^"]*view=card"><svg [^>]*>.*?</svg>Cards</a>}, '... with a way back to cards';
$res = req(GET => "$base&view=card", headers => [Cookie => 'lsview=list']);
like $res->decoded_content, qr/<ul class="cards items">/, 'an explicit view wins over the cookie';
is req(GET => "$base&view=grid")->code, 400, 'an unknown view: 400';

# -- sorting in card view keeps the view -------------------------------------------------
$html = req(GET => "$base&path=press%20kit&sort=size")->decoded_content;
my @order = $html =~ /<a class="name" href="[^"]*">([^<]+)</g;
is_deeply \@order, ['notes.txt', 'logo.png', 'brochure.pdf', 'product video.mp4'], 'cards sorted by size';

# -- 5,000 items ---------------------------------------------------------------------------
my $many = asset_root() . '/many';
remove_tree($many);
make_path($many);
for my $i (1 .. 5000) {
    open my $f, '>', sprintf('%s/file %04d.txt', $many, $i) or die; print $f "$i\n"; close $f;
}
($res, $j) = create_share('alice', 'alicepw', { paths => ['many'] });
my $mt = token_from_url($j->{url});
my $mb = "/linkshare.html?sh=$mt&path=many";
$res = req(GET => "$mb&view=list");
is $res->code, 200, '5,000 items: 200';
$html = $res->decoded_content;
my @names = $html =~ /<td class="name"><a [^>]*>([^<]+)</g;
is scalar @names, 100, 'the first page holds 100 items';
is $names[0], 'file 0001.txt', '... from the first';
like $html, qr/Page 1 of 50/, 'page 1 of 50';
like $html, qr/Select all on this page/, 'select all says it is per page';
like $html, qr{<a class="btn" rel="next" href="[^"]*path=many&amp;page=2">Next}, 'a next page link';
$html = req(GET => "$mb&page=50&sort=name&order=desc&view=list")->decoded_content;
@names = $html =~ /<td class="name"><a [^>]*>([^<]+)</g;
is_deeply [@names[0, -1]], ['file 0100.txt', 'file 0001.txt'], 'the last page, sorted descending';
like $html, qr{<a class="btn" rel="prev" href="[^"]*sort=name&amp;order=desc&amp;page=49">}, 'previous keeps the sort';
unlike $html, qr/rel="next"/, 'no next on the last page';
is req(GET => "$mb&page=51")->code, 404, 'past the last page: 404';
is req(GET => "$mb&page=0")->code, 400, 'page 0: 400';
is req(GET => "$mb&page=x")->code, 400, 'page x: 400';
remove_tree($many);

done_testing();

# Download all, said before anyone clicks: the whole share's size up front
# when it fits LinkShareMaxFiles and LinkShareMaxContentSize (the test
# server allows 6 files), each folder's size in the list, and when the
# share does not fit, a sentence naming the limit instead of the button.
# The button is a form of its own that works without script.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use HTTP::Cookies;
use File::Path qw(make_path remove_tree);

LSTest::ua()->cookie_jar(HTTP::Cookies->new);
my $root = asset_root();
sub spew { open my $f, '>', $_[0] or die "$_[0]: $!"; print $f $_[1]; close $f; chmod 0644, $_[0] }

# -- fits: the total, and the folder's size ------------------------------------------
my ($res, $j) = create_share('alice', 'alicepw', { paths => ['press kit', 'readme.txt'] });
my $tok  = token_from_url($j->{url});
my $base = "/linkshare.html?sh=$tok";
my $kit = 0;
$kit += -s $_ for glob("'$root/press kit/'*");
my $total = $kit + -s "$root/readme.txt";
$res = req(GET => "$base&view=list");
my $html = $res->decoded_content;
like $html, qr{<form class="all" method="post" action="[^"]*op=queue"><button type="submit" class="btn primary" id="ls-dlall">.*?Download all</button>}s,
  'Download all: a button of its own form';
like $html, qr{<span class="total" id="ls-total">5 files, [\d.]+ KB</span>}, '... with the size up front';
like $html, qr{<input type="checkbox" name="path" value="press kit" data-size="$kit"},
  "the folder's size, for the selection's sum ($kit bytes)";
like $html, qr{<td class="name"><a [^>]*>press kit</a></td><td class="opt">Folder</td><td class="num">[\d.]+ KB</td>},
  '... and shown in the list';
like $html, qr{<h1>2 items</h1>}, 'the title: how many items';
like $html, qr{<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">\d{4}-\d\d-\d\d \d\d:\d\d UTC</time>},
  'the expiry as a machine-readable time, in UTC until the script localizes it';
like $html, qr{Expires <span class="rel">in 2[34] hours</span>}, '... and relative';

# The button without script: an empty selection is the whole share.
$res = req(POST => "$base&op=queue", content => '',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded', Accept => 'text/html']);
is $res->code, 303, 'Download all without script: 303 back to the page';
my $inbox;
for (1 .. 100) {
    $inbox = decode_json_body(req(GET => "$base&op=inbox"));
    last if $inbox->{jobs}[0] && $inbox->{jobs}[0]{state} eq 'done';
    select undef, undef, undef, 0.2;
}
is $inbox->{jobs}[0]{files_total}, 5, '... queues every file of the share';
is $inbox->{jobs}[0]{bytes_total}, $total, '... the size the page said';

# Queue this item: a button of the one-item form, its path its value.
like $html, qr{<form id="ls-one" method="post" action="[^"]*op=queue"></form>}, 'the one-item form';
like $html, qr{<button type="submit" class="qone" form="ls-one" name="path" value="readme\.txt"[^>]*aria-label="Queue a download of readme\.txt">},
  'a row offers to queue itself';

# -- one item: its name is the title -------------------------------------------------------
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
like req(GET => url_path($j->{url}))->decoded_content, qr{<h1>readme\.txt</h1>}, 'one item: its name is the title';

# -- too many files: said, naming the limit ----------------------------------------------
remove_tree("$root/dlall7");
make_path("$root/dlall7");
spew("$root/dlall7/f$_.txt", "file $_\n") for 1 .. 7;
END { remove_tree("$root/dlall7") }
($res, $j) = create_share('alice', 'alicepw', { paths => ['dlall7'] });
$html = req(GET => url_path($j->{url}))->decoded_content;
unlike $html, qr{id="ls-dlall"}, 'over LinkShareMaxFiles: no Download all';
like $html, qr{<p class="limit" id="ls-limit">Everything together is more than the 6 files one download may hold\.},
  '... but a sentence naming the limit';
like $html, qr{value="dlall7" data-size="-1"}, "... and the folder's size is not claimed";

# -- the expired page has no such offers ---------------------------------------------------
unlike req(GET => "/linkexpired.html")->decoded_content, qr{id="ls-dlall"|id="ls-limit"}, 'the expired page offers nothing';

done_testing();

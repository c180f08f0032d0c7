# A page's files are rendered before the rest of their share: a share of
# two folders queues every thumbnail at once (in no useful order); the
# moment a recipient opens the second folder, its files go first. A
# second server whose stand-in renderer takes 0.3 s a file and writes
# down the order it was asked in.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use LWP::UserAgent;

my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my $src = asset_root() . "/ord$$";
for my $sub ('', '/x', '/y') {
    mkdir "$src$sub" or die "$src$sub: $!";
    chmod 0755, "$src$sub";
}
for my $sub (qw(x y)) {
    for my $i (1 .. 8) {
        open my $f, '>', "$src/$sub/$sub$i.jpg" or die $!;
        print $f "a stand-in photo $sub $i\n";
        close $f;
        chmod 0644, "$src/$sub/$sub$i.jpg";
    }
}
END { system('rm', '-rf', $src) if $src && -d $src }

my $order = "$dir/order.log";
my $render = "$dir/render.pl";
open my $sh, '>', $render or die $!;
print $sh <<"PL";
#!/usr/bin/perl
use strict;
use warnings;
\$| = 1;
local \$/ = "\\0";
while (defined(my \$kind = <STDIN>)) {
    my \$in  = <STDIN>;
    my \$out = <STDIN>;
    chop \$kind; chop \$in;
    open my \$o, '>>', '$order' or die;
    my (\$name) = \$in =~ m{([^/]+)\$};
    print \$o "\$kind \$name\\n";
    close \$o;
    select undef, undef, undef, 0.3;
    print "3 a stand-in\\n";
}
PL
close $sh;
chmod 0755, $render;
open my $o, '>', $order or die;
close $o;
chmod 0666, $order;

my ($base, $stop) = second_server($dir, sub {
    return $_[0] . "\nLinkShareRenderer $render\n";
});
END { $stop->() if $stop }

my $ua  = LWP::UserAgent->new(timeout => 30);
my $req = HTTP::Request->new(POST => "$base/linkshare/api/shares");
$req->authorization_basic('alice', 'alicepw');
$req->content_type('application/json');
$req->content(qq({"paths":["ord$$/x","ord$$/y"]}));
my $r = $ua->request($req);
is $r->code, 201, 'two folders shared: 16 thumbnails queued';
my ($link) = $r->content =~ /"url":"([^"]+)"/;

$r = $ua->get("$link&path=y");
is $r->code, 200, 'the second folder opened';
like $r->content, qr/data-pending/, 'its thumbnails are not made yet';

my @thumbs;
for (1 .. 100) {
    @thumbs = grep { s/^thumb // } do { open my $f, '<', $order; map { chomp; $_ } <$f> };
    last if @thumbs >= 16;
    select undef, undef, undef, 0.2;
}
is scalar(@thumbs), 16, 'every thumbnail asked for once';
my ($last_y) = grep { $thumbs[$_] =~ /^y/ } reverse 0 .. $#thumbs;
my $x_before = grep { /^x/ } @thumbs[0 .. $last_y];
# Two workers may each have taken an x file before the page was opened.
cmp_ok $x_before, '<=', 2, "the opened folder's files came first (@thumbs)";

done_testing;

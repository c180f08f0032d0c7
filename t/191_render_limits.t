# The renderer runs under limits, and whatever it does cannot hurt httpd:
# a second server whose LinkShareRenderer is a stand-in program that, by
# the name of the file it is given, hangs, crashes (SIGSEGV), reports the
# limits it was started with, or refuses. A hang is killed after
# LinkShareRenditionTimeout, a crash is caught, both leave the type icon
# and a failure marker (LS00355), the workers keep running and httpd keeps
# answering.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Find qw(find);
use File::Temp qw(tempdir);
use LWP::UserAgent;

my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my $src = asset_root() . "/lim$$";
mkdir $src or die "$src: $!";
chmod 0755, $src;
for my $name (qw(hang.jpg crash.jpg limits.jpg refuse.jpg)) {
    open my $f, '>', "$src/$name" or die $!;
    print $f "not really a $name\n";
    close $f;
    chmod 0644, "$src/$name";
}
END { system('rm', '-rf', $src) if $src && -d $src }

# The stand-in renderer: linkshare-render [--max-pixels N] KIND IN OUT.
my $render = "$dir/render.sh";
open my $sh, '>', $render or die $!;
print $sh <<"SH";
#!/bin/sh
in=\$4
case "\$in" in
  *hang*) sleep 30 ;;
  *crash*) kill -SEGV \$\$ ;;
  *limits*) echo "as=\$(ulimit -v) cpu=\$(ulimit -t)" >&2; exit 2 ;;
  *) echo "refused for the test" >&2; exit 3 ;;
esac
SH
close $sh;
chmod 0755, $render;

my ($base, $stop) = second_server($dir, sub {
    my ($x) = @_;
    $x .= "\nLinkShareRenderer $render\nLinkShareRenditionTimeout 2s\n";
    return $x;
});
END { $stop->() if $stop }

my $ua  = LWP::UserAgent->new(timeout => 30);
my $req = HTTP::Request->new(POST => "$base/linkshare/api/shares");
$req->authorization_basic('alice', 'alicepw');
$req->content_type('application/json');
$req->content(qq({"paths":["lim$$"]}));
my $r = $ua->request($req);
is $r->code, 201, 'the folder shared';
my ($link) = $r->content =~ /"url":"([^"]+)"/;

my $cache = "$dir/state/renditions";
sub markers {
    my %m;
    find(sub { $m{$_} = do { local $/; open my $f, '<', $_; <$f> } if /\.thumb\.fail$/ },
        $cache) if -d $cache;
    return values %m;
}
# Every file ends with a marker: the hang after its 2 s, the rest at once.
my @m;
for (1 .. 100) {
    @m = markers();
    last if @m >= 4;
    select undef, undef, undef, 0.2;
}
is scalar(@m), 4, 'each file is remembered as having no thumbnail';
ok((grep { /no answer within 2 s: killed/ } @m), 'the hang was killed after LinkShareRenditionTimeout');
ok((grep { /died \(signal 11\)/ } @m), 'the crash was caught (signal 11)');
ok((grep { /refused for the test/ } @m), 'a refusal keeps its reason');

my ($limits) = grep { /as=/ } @m;
$limits //= '';
like $limits, qr/as=1048576\b/, 'the renderer ran with 1 GiB of address space';
like $limits, qr/cpu=30\b/, '... and 30 s of CPU';

for my $name (qw(hang.jpg crash.jpg)) {
    $r = $ua->get("$link&op=thumb&path=lim$$/$name");
    is $r->code, 200, "$name: answered";
    is $r->header('Content-Type'), 'image/svg+xml', "$name: the type icon";
}
is $ua->get("$link&path=lim$$")->code, 200, 'httpd answers';
my $log = do { local $/; open my $l, '<', "$dir/error_log" or die; <$l> };
like $log, qr/LS00355: no thumb rendition of \S*crash\.jpg: the renderer died \(signal 11\)/,
  'logged (LS00355)';
unlike $log, qr/LS00310/, 'no worker died';

done_testing;

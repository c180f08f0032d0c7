# The renderer runs under limits, and whatever it does cannot hurt httpd:
# a second server whose LinkShareRenderer is a stand-in program speaking
# linkshare-render's --serve protocol that, by the name of the file it is
# asked, hangs, crashes (SIGSEGV), reports the limits and arguments it was
# started with, or refuses. A hang is killed after
# LinkShareRenditionTimeout, a crash is caught, both leave the type icon
# and a failure marker (LS00355), the workers keep running and httpd keeps
# answering. One renderer process serves several files in a row.
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
chmod 0777, $src; # the stand-in deletes vanish.jpg as httpd's user
# Seven harmless files, two killers, two workers: at most four runs of
# harmless files, so at least one renderer serves two of them in a row.
for my $name (qw(hang.jpg crash.jpg limits.jpg vanish.jpg), map {"refuse-$_.jpg"} 'a' .. 'f') {
    open my $f, '>', "$src/$name" or die $!;
    print $f "not really a $name\n";
    close $f;
    chmod 0644, "$src/$name";
}
END { system('rm', '-rf', $src) if $src && -d $src }

# The stand-in renderer: linkshare-render --max-pixels N --serve FILE-CPU,
# requests "KIND\0IN\0OUT\0" on stdin, one answer line each on stdout.
my $render = "$dir/render.pl";
open my $sh, '>', $render or die $!;
print $sh <<'PL';
#!/usr/bin/perl
use strict;
use warnings;
$| = 1;
my ($served, $args) = (0, "@ARGV");
local $/ = "\0";
while (defined(my $kind = <STDIN>)) {
    my $in  = <STDIN>;
    my $out = <STDIN>;
    $served++;
    if ($in =~ /hang/) { sleep 30; }
    elsif ($in =~ /crash/) { kill 'SEGV', $$; sleep 5; }
    elsif ($in =~ /vanish/) {
        chop $in;
        unlink $in;
        print "1 cannot open $in: No such file or directory\n";
    }
    elsif ($in =~ /limits/) {
        local $/ = "\n";
        open my $l, '<', '/proc/self/limits' or die;
        my %lim;
        while (<$l>) {
            $lim{$1} = "$2/$3" if /^Max (cpu time|address space)\s+(\S+)\s+(\S+)/;
        }
        print "2 as=$lim{'address space'} cpu=$lim{'cpu time'} args=$args",
          " (file $served of $$)\n";
    }
    else { print "3 refused for the test (file $served of $$)\n"; }
}
PL
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
    last if @m >= 9;
    select undef, undef, undef, 0.2;
}
is scalar(@m), 9, 'each file is remembered as having no thumbnail';
for (1 .. 50) { last unless -e "$src/vanish.jpg"; select undef, undef, undef, 0.1 }
ok !-e "$src/vanish.jpg", 'a file deleted while it was rendered ...';
ok((grep { /no answer within 2 s: killed/ } @m), 'the hang was killed after LinkShareRenditionTimeout');
ok((grep { /died \(signal 11\)/ } @m), 'the crash was caught (signal 11)');
ok((grep { /refused for the test/ } @m), 'a refusal keeps its reason');

my ($limits) = grep { /as=/ } @m;
$limits //= '';
like $limits, qr{as=1073741824/1073741824\b}, 'the renderer ran with 1 GiB of address space';
like $limits, qr{cpu=120/120\b}, '... 120 s of CPU for the session';
like $limits, qr{args=--max-pixels 100000000 --serve 30 }, '... and 30 s per file';
ok((grep { /\(file ([2-9]|\d\d+) of \d+\)/ } @m),
  'one renderer process served several files');

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
unlike $log, qr/LS00356/, '... is no rendering error (LS00353 at debug)';

done_testing;

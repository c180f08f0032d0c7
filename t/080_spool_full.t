# The spool has no room: a queued download is refused with 507 before any
# work, and the server keeps serving. A second httpd, configured like the
# test server, runs with its spool on a 2 MB tmpfs (root only).
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use IO::Socket::INET;
use LWP::UserAgent;

plan skip_all => 'mounting a tmpfs needs root' unless $> == 0;
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
mkdir "$dir/spool";
plan skip_all => 'cannot mount a tmpfs here'
  unless system("mount -t tmpfs -o size=2m tmpfs '$dir/spool' 2>/dev/null") == 0;

my $httpd = var('httpd');
my $port = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1', LocalPort => 0)->sockport;
my $conf = var('t_conf');
my $stop = sub {
    system("'$httpd' -d '" . var('serverroot') . "' -f '$dir/httpd.conf' -k stop >/dev/null 2>&1")
      if -f "$dir/httpd.pid";
    for (1 .. 50) { last unless -f "$dir/httpd.pid"; select undef, undef, undef, 0.1 }
    system("umount '$dir/spool' 2>/dev/null");
};
END { $stop->() if $stop }

sub slurp_file { local $/; open my $f, '<', shift or die $!; <$f> }
sub spew { open my $f, '>', $_[0] or die $!; print $f $_[1]; close $f }

# The test server's own configuration, moved to another port, log and
# state, with LinkShareSpool on the tmpfs.
my $main = slurp_file("$conf/httpd.conf");
$main =~ s/^Listen\s.*$/Listen 127.0.0.1:$port/m;
$main =~ s/^PidFile\s.*$/PidFile "$dir\/httpd.pid"/m;
$main =~ s/^DefaultRuntimeDir\s.*$/DefaultRuntimeDir "$dir"/m;
$main =~ s/^ErrorLog\s.*$/ErrorLog "$dir\/error_log"/m;
$main =~ s/^Include\s+"?\Q$conf\E\/extra\.conf"?\s*$/Include "$dir\/extra.conf"/m;
my $extra = slurp_file("$conf/extra.conf");
$extra =~ s/^CustomLog\s.*$/CustomLog "$dir\/access_log" linkshare_full/m;
$extra =~ s/^LinkShareDatabase\s.*$/LinkShareDatabase sqlite3 "$dir\/state\/ls.db"/m;
$extra =~ s/^LinkShareStateDir\s.*$/LinkShareStateDir "$dir\/state"/m;
$extra =~ s/^LinkSharePublicURL\s.*$/LinkSharePublicURL http:\/\/127.0.0.1:$port/m;
$extra .= qq{\nLinkShareSpool "$dir/spool"\n};
spew("$dir/httpd.conf", $main);
spew("$dir/extra.conf", $extra);
is system("'$httpd' -d '" . var('serverroot') . "' -f '$dir/httpd.conf' -k start"), 0,
  'a second server starts with its spool on a 2 MB tmpfs';

my $ua = LWP::UserAgent->new(timeout => 30);
my $base = "http://127.0.0.1:$port";
my $r;
for (1 .. 50) {
    $r = $ua->get("$base/linkexpired.html");
    last if $r->code == 200;
    select undef, undef, undef, 0.1;
}
my $req = HTTP::Request->new(POST => "$base/linkshare/api/shares");
$req->authorization_basic('alice', 'alicepw');
$req->content_type('application/json');
$req->content('{"paths":["press kit"]}');
$r = $ua->request($req);
is $r->code, 201, 'shared on the second server';
my ($link) = $r->content =~ /"url":"([^"]+)"/;
$r = $ua->post("$link&op=queue", 'Content-Type' => 'application/x-www-form-urlencoded', Content => '');
is $r->code, 507, 'no room in the spool: 507';
like $r->content, qr/no room to prepare this download/, '... says so in words';
my $log = slurp_file("$dir/error_log");
like $log, qr/LS00326: spool \S+ has \d+ bytes free/, '... logged LS00326';
is $ua->get($link)->code, 200, 'the link itself still works';
is $ua->get("$link&op=file&path=press%20kit/notes.txt")->code, 200, 'single files still download';
done_testing();

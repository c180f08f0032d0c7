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
use LWP::UserAgent;

plan skip_all => 'mounting a tmpfs needs root' unless $> == 0;
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
mkdir "$dir/spool";
plan skip_all => 'cannot mount a tmpfs here'
  unless system("mount -t tmpfs -o size=2m tmpfs '$dir/spool' 2>/dev/null") == 0;

# The test server's own configuration, moved to another port, log and
# state, with LinkShareSpool on the tmpfs.
my $stop;
my $base = eval {
    (my $b, $stop) = second_server($dir, sub { $_[0] . qq{\nLinkShareSpool "$dir/spool"\n} });
    $b;
};
END { $stop->() if $stop; system("umount '$dir/spool' 2>/dev/null") }
ok $base, 'a second server starts with its spool on a 2 MB tmpfs';

my $ua = LWP::UserAgent->new(timeout => 30);
my $r;
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
my $log = do { local $/; open my $f, '<', "$dir/error_log" or die $!; <$f> };
like $log, qr/LS00326: spool \S+ has \d+ bytes free/, '... logged LS00326';
is $ua->get($link)->code, 200, 'the link itself still works';
is $ua->get("$link&op=file&path=press%20kit/notes.txt")->code, 200, 'single files still download';
done_testing();

# LinkShareAssetURL must map onto LinkShareAssetRoot: it is how httpd is
# asked what a share's owner may read. A site where it maps elsewhere (a
# missing Alias) shows nothing below a share and tells the admin why,
# rather than judging by some other file's rules.
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
my ($base, $stop) = second_server($dir,
    sub { my $x = shift; $x =~ s/^LinkShareAssetURL\s.*$/LinkShareAssetURL \/nowhere/m; $x });
END { $stop->() if $stop }

my $ua  = LWP::UserAgent->new(timeout => 30);
my $req = HTTP::Request->new(POST => "$base/linkshare/api/shares");
$req->authorization_basic('alice', 'alicepw');
$req->content_type('application/json');
$req->content('{"paths":["readme.txt"]}');
my $r = $ua->request($req);
is $r->code, 403, 'sharing is refused: httpd cannot be asked about the asset';
my $log = sub { local $/; open my $f, '<', "$dir/error_log" or return ''; <$f> // '' };
like $log->(), qr/LS00133: LinkShareAssetURL \/nowhere does not map onto LinkShareAssetRoot/,
  'the admin is told why (LS00133)';
$r = $ua->request($req) for 1 .. 6;
cmp_ok scalar(() = $log->() =~ /LS00133/g), '<=', 3,
  'once per httpd process, not on every request';

done_testing;

# A spool without O_TMPFILE (NFS, or an older filesystem): a second httpd
# runs with an LD_PRELOAD shim (t/lib/no_tmpfile.c) under which open()
# with O_TMPFILE fails as it does there. Parts are then written under a
# temporary name in the spool and renamed when complete: the download is
# still whole and valid, nothing is left beside it, and a temporary file
# a killed worker left behind is removed by the workers' sweep once it is
# old (LS00365) while a fresh one (a part being written) stays.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use HTTP::Cookies;
use JSON::PP;
use LWP::UserAgent;
use Time::HiRes qw(sleep);

my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
system('cc', '-shared', '-fPIC', '-o', "$dir/no_tmpfile.so", "$FindBin::Bin/lib/no_tmpfile.c", '-ldl') == 0
  or plan skip_all => 'cannot build the LD_PRELOAD shim (no cc)';
my ($B, $stop);
{   # The workers run as the server's user: the shim's note must be theirs to write.
    open my $n, '>', "$dir/refused" or die;
    close $n;
    chmod 0666, "$dir/refused";
    local $ENV{LD_PRELOAD} = "$dir/no_tmpfile.so";
    local $ENV{LS_NO_TMPFILE_LOG} = "$dir/refused";
    ($B, $stop) = second_server($dir);
}
my $ua = LWP::UserAgent->new(timeout => 10, cookie_jar => HTTP::Cookies->new);
sub api {
    my ($method, $path, $body) = @_;
    my $rq = HTTP::Request->new($method => "$B/linkshare/api$path",
        ['Content-Type' => 'application/json'], $body ? encode_json($body) : undef);
    $rq->authorization_basic('alice', 'alicepw');
    my $r = $ua->request($rq);
    return ($r, decode_json_body($r));
}

my ($res, $j) = api(POST => '/shares', { paths => ['press kit'] });
is $res->code, 201, 'shared on the server without O_TMPFILE';
my $base = url_path($j->{url});
my $q = $ua->post("$B$base&op=queue", 'Content-Type' => 'application/json', Content => '{"paths":[]}');
is $q->code, 202, 'a download queued';
my $job = decode_json_body($q);
my $done;
for (1 .. 120) {
    ($done) = grep { $_->{id} eq $job->{id} && $_->{state} =~ /^(done|failed)$/ }
      @{ decode_json_body($ua->get("$B$base&op=inbox"))->{jobs} || [] };
    last if $done;
    sleep 0.25;
}
is $done && $done->{state}, 'done', '... and done';
ok -s "$dir/refused", 'O_TMPFILE was refused to the worker (the shim saw it)';
my $spool = "$dir/state/spool";
my $n = 0;
for my $p (@{ $done->{parts} || [] }) {
    my $file = "$dir/part-$p->{n}.zip";
    my $r = $ua->get($B . url_path($p->{url}), ':content_file' => $file);
    $n++ if $r->code == 200 && system("unzip -tqq '$file' >/dev/null 2>&1") == 0;
}
ok $n > 0 && $n == @{ $done->{parts} }, "every part ($n) downloads as a valid archive";
opendir my $d, $spool or die "$spool: $!";
my @left = grep { /\.tmp\./ } readdir $d;
closedir $d;
is_deeply \@left, [], 'no temporary file is left in the spool';

# What a worker killed mid-part leaves, old and fresh.
my $old = "$spool/0123456789abcdef-1.zip.tmp.4242.0";
my $young = "$spool/0123456789abcdef-2.zip.tmp.4242.1";
for my $f ($old, $young) { open my $fh, '>', $f or die "$f: $!"; print $fh 'PK'; close $fh }
utime time - 3600, time - 3600, $old;
# A revocation wakes the workers' sweep at once.
($res) = api(DELETE => "/shares/$j->{id}");
is $res->code, 204, 'a share revoked (the workers sweep)';
my $gone = 0;
for (1 .. 50) { last if ($gone = !-e $old); sleep 0.2 }
ok $gone, 'the old half-written part is removed';
ok -e $young, '... a fresh one (maybe being written) stays';
my $log = do { local $/; open my $l, '<', "$dir/error_log" or die; <$l> };
like $log, qr/LS00365: removed \Q$old\E: a part left half-written by a worker that stopped/, '... logged LS00365';
unlink $young;
$stop->();
done_testing();

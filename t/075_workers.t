# Workers under stress: one killed with SIGKILL mid-job, a graceful restart
# mid-job (both jobs still complete), and a file deleted between queueing
# and packaging (a clear failure). Slow jobs come from large sparse files.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/LS00301: job [0-9a-f]{16} failed: "slowdir\/b-after\.txt" was removed or renamed/);
use HTTP::Cookies;

LSTest::ua()->cookie_jar(HTTP::Cookies->new);
my $root = asset_root();
my @made;
sub sparse { my ($f, $size) = @_; system('truncate', '-s', $size, $f) == 0 or die; push @made, $f }
END { unlink @made; rmdir "$root/slowdir" }

sub share_and_queue {
    my ($paths) = @_;
    my ($res, $j) = create_share('alice', 'alicepw', { paths => $paths });
    my $base = url_path($j->{url});
    $res = req(POST => "$base&op=queue", content => '',
        headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
    return ($base, decode_json_body($res));
}

sub job_state {
    my ($base, $id) = @_;
    my $r = req(GET => "$base&op=inbox");
    my ($job) = grep { $_->{id} eq $id } @{ (decode_json_body($r) || {})->{jobs} || [] };
    return $job || {};
}

sub wait_state {
    my ($base, $id, $re, $secs) = @_;
    my $job = {};
    for (1 .. $secs * 20) {
        $job = job_state($base, $id);
        return $job if ($job->{state} // '') =~ $re;
        select undef, undef, undef, 0.05;
    }
    return $job;
}

sub worker_pids {
    my %pids;
    for (split /\n/, error_log()) {
        $pids{$1} = 1 if /LS00308: worker \d+ started \(pid (\d+)\)/;
    }
    return grep { kill 0, $_ } keys %pids;
}

# -- SIGKILL of the workers mid-job -------------------------------------------------
sparse("$root/big1.bin", '1200M');
my ($b1, $j1) = share_and_queue(['big1.bin']);
my $job = wait_state($b1, $j1->{id}, qr/^(running|done)$/, 20);
is $job->{state}, 'running', 'a slow job is running';
my $m = log_mark();
my @w = worker_pids();
ok @w >= 1, 'worker processes found (' . scalar(@w) . ')';
kill 'KILL', @w;
# The MPM reaps children about once a second: give it a few.
my $seen = '';
for (1 .. 10) { $seen = log_since($m, 'error_log', qr/LS00310/); last if $seen =~ /LS00310/; sleep 1 }
like $seen, qr/LS00310: worker \d+ \(pid \d+\) died; starting another/,
  'the parent starts another worker (LS00310)';
$job = wait_state($b1, $j1->{id}, qr/^(done|failed)$/, 90);
is $job->{state}, 'done', 'the job still completes';
like log_since($m, 'error_log', qr/LS00307/), qr/LS00307: job $j1->{id} put back in the queue/,
  'its job was put back at once (LS00307)';
is $job->{files_done}, 1, 'all files done';
is scalar @{ $job->{parts} }, 1, 'one part';
is req(GET => url_path($job->{parts}[0]{url}), headers => [Range => 'bytes=0-3'])->content,
  "PK\x03\x04", 'the part is there';

# -- graceful restart mid-job ----------------------------------------------------------
sparse("$root/big2.bin", '1200M');
my ($b2, $j2) = share_and_queue(['big2.bin']);
$job = wait_state($b2, $j2->{id}, qr/^(running|done)$/, 20);
is $job->{state}, 'running', 'another slow job is running';
open my $p, '<', var('t_logs') . '/httpd.pid' or die;
chomp(my $ppid = <$p>);
ok kill('USR1', $ppid), 'graceful restart';
$job = wait_state($b2, $j2->{id}, qr/^(done|failed)$/, 90);
is $job->{state}, 'done', 'the job completes after the restart';
is scalar @{ $job->{parts} }, 1, '... with its part';

# -- cancelling a job while a worker packages it ------------------------------------
sparse("$root/big3.bin", '1200M');
my ($b4, $j4) = share_and_queue(['big3.bin']);
$job = wait_state($b4, $j4->{id}, qr/^(running|done)$/, 20);
is $job->{state}, 'running', 'a job to cancel is running';
my $res = req(POST => "$b4&op=cancel&job=$j4->{id}", content => '');
is $res->code, 200, 'cancel while running: 200';
is decode_json_body($res)->{state}, 'cancelled', '... cancelled';
sleep 3;    # the worker notices at its next heartbeat (every 2 s)
is job_state($b4, $j4->{id})->{state}, 'cancelled', 'it stays cancelled';
my $spool0 = var('ls_state_dir') . '/spool';
is scalar(grep { /$j4->{id}/ } glob("$spool0/* $spool0/.*")), 0,
  'the worker left nothing of it in the spool';

# -- a file deleted between queueing and packaging ------------------------------------
mkdir "$root/slowdir";
sparse("$root/slowdir/a-big.bin", '1200M');
open my $fh, '>', "$root/slowdir/b-after.txt" or die;
print $fh "soon gone\n";
close $fh;
push @made, "$root/slowdir/b-after.txt";
my ($b3, $j3) = share_and_queue(['slowdir']);
$job = wait_state($b3, $j3->{id}, qr/^(running|done|failed)$/, 20);
is $job->{state}, 'running', 'a job with a file that will vanish is running';
unlink "$root/slowdir/b-after.txt";
$job = wait_state($b3, $j3->{id}, qr/^(done|failed)$/, 90);
is $job->{state}, 'failed', 'the job fails';
like $job->{error} // '', qr/b-after\.txt/, 'its error names the file';
is scalar @{ $job->{parts} }, 0, 'no parts are offered';
my $spool = var('ls_state_dir') . '/spool';
my @left = grep { /$j3->{id}/ } glob("$spool/*");
is scalar @left, 0, 'nothing of it is left in the spool';
unlink glob("$spool/$j1->{id}-*"), glob("$spool/$j2->{id}-*");
done_testing();

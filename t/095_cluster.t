# Two nodes on one PostgreSQL: the test server (A) and a second httpd (B)
# with the same store, state directory (the sealing key) and spool. A share
# made on A opens on B; a revocation on A reaches B's warmed cache within
# a second, and an expiry changed on B reaches A's (ls_notify: schema v8's
# triggers, LISTEN in each node's worker 0); a download queued on B is
# done and its part downloads from A; A restarted gracefully under a loop
# of requests answers every one. PostgreSQL only: one SQLite file is one
# node.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use HTTP::Cookies;
use LWP::UserAgent;
use POSIX qw(strftime);
use Time::HiRes qw(time sleep);

plan skip_all => 'several nodes need the PostgreSQL store' unless db_driver() eq 'pgsql';
# A graceful restart under a loop of requests (below): the old generation's
# children still drain while the new one starts, and the event MPM may say
# its scoreboard is full for a moment. No request fails (asserted).
expect_errors(qr/AH03490: scoreboard is full, not at MaxRequestWorkers/);

my $slurp = sub { local $/; open my $f, '<', shift or die $!; <$f> };
my $extra = $slurp->(var('t_conf') . '/extra.conf');
my ($db)    = $extra =~ /^(LinkShareDatabase\s.*)$/m;
my ($state) = $extra =~ /^(LinkShareStateDir\s.*)$/m;
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my ($B, $stop_b) = second_server($dir, sub {
    my $e = shift;
    $e =~ s/^LinkShareDatabase\s.*$/$db/m;
    $e =~ s/^LinkShareStateDir\s.*$/$state/m;
    $e;
});
my $A = base_url();
my $jar = HTTP::Cookies->new;    # one browser, on both nodes (same host)
# Keep-alive: each node answers on one connection, so in one process,
# whose cache the test warms and then watches.
my $ua = LWP::UserAgent->new(timeout => 10, cookie_jar => $jar, keep_alive => 4);
sub at { my ($node, $path) = @_; $ua->get("$node$path") }
sub b_log { $slurp->("$dir/error_log") }
sub rfc3339 { strftime('%Y-%m-%dT%H:%M:%SZ', gmtime $_[0]) }

# Both nodes listen for each other's changes.
ok wait_for(sub { b_log() =~ /LS0036[12]: listening for other nodes/ }, 10), 'node B started and listens for the other node' or diag b_log();

# -- a share made on A opens on B -----------------------------------------------------
my ($res, $j) = create_share('alice', 'alicepw', { paths => ['press kit'] });
is $res->code, 201, 'shared on A';
my $path = url_path($j->{url});
is at($B, $path)->code, 200, '... opens on B';

# -- revoked on A: B's cached answer ends within a second -----------------------------
is at($B, $path)->code, 200, 'B has it cached';
$res = DELETE_as('alice', 'alicepw', "/linkshare/api/shares/$j->{id}");
is $res->code, 204, 'revoked on A';
my $t0 = time;
my $code;
while (time - $t0 < 6) {
    last if ($code = at($B, $path)->code) == 410;
    sleep 0.05;
}
my $took = time - $t0;
is $code, 410, 'B answers 410';
cmp_ok $took, '<', 1, sprintf('... within a second (%.2f s; LinkShareCacheTTL is 5 s)', $took);

# -- expiry changed on B: A's cached answer ends when the new time comes -------------
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $path2 = url_path($j->{url});
is at($A, $path2)->code, 200, 'a second share opens on A (and is cached there)';
my $until = int(time) + 3;
$res = $ua->request(do {
    my $rq = HTTP::Request->new(PATCH => "$B/linkshare/api/shares/$j->{id}",
        ['Content-Type' => 'application/json'], qq({"expires":") . rfc3339($until) . qq("}));
    $rq->authorization_basic('alice', 'alicepw');
    $rq;
});
is $res->code, 200, 'its expiry moved to 3 s from now on B';
sleep 0.05 while time < $until;
$t0 = time;
while (time - $t0 < 6) {
    last if ($code = at($A, $path2)->code) == 410;
    sleep 0.05;
}
is $code, 410, 'A answers 410 once the new time has come';
cmp_ok time - $t0, '<', 1, sprintf('... within a second of it (%.2f s)', time - $t0);

# -- a download queued on B, its part downloaded from A -----------------------------
($res, $j) = create_share('bob', 'bobpw', { paths => ['press kit'] });
my $base = url_path($j->{url});
my $q = $ua->post("$B$base&op=queue", 'Content-Type' => 'application/json', Content => '{"paths":[]}');
is $q->code, 202, 'queued on B';
my $job = decode_json_body($q);
my $done;
for (1 .. 120) {
    ($done) = grep { $_->{id} eq $job->{id} && $_->{state} eq 'done' }
      @{ decode_json_body(at($A, "$base&op=inbox"))->{jobs} || [] };
    last if $done;
    sleep 0.25;
}
ok $done, 'A\'s inbox shows it done (the same browser)';
my $part = at($A, url_path($done->{parts}[0]{url}));
is $part->code, 200, 'its first part downloads from A';
is substr($part->content, 0, 4), "PK\x03\x04", '... a ZIP archive';

# -- B dies mid-job (kill -9, every process): A takes the job over -----------------
# A is held still (SIGSTOP) while B claims the download, so that B is the
# node that dies holding it; then every process of B is killed and A goes
# on. A takes the job over once B's heartbeat is LinkShareWorkerTimeout
# (10 s) old.
my $root = asset_root();
mkdir "$root/cluster big";
system("head -c 60000000 /dev/urandom > '$root/cluster big/noise.bin'") == 0 or die;
($res, $j) = create_share('alice', 'alicepw', { paths => ['cluster big'] });
$base = url_path($j->{url});
my @a_pids = tree(read_pid(var('t_logs') . '/httpd.pid'));
my @b_pids = tree(read_pid("$dir/httpd.pid"));
ok @a_pids > 2 && @b_pids > 2, sprintf('the nodes\' processes: A %d, B %d', scalar @a_pids, scalar @b_pids);
kill 'STOP', @a_pids;
$q = $ua->post("$B$base&op=queue", 'Content-Type' => 'application/json', Content => '{"paths":[]}');
my $qjob = decode_json_body($q) || {};
my $claimed;
for (1 .. 50) {
    $claimed = sql_value("SELECT claim FROM ls_job WHERE id = " . sql_quote($qjob->{id} // '') . " AND state = 'running'");
    last if $claimed;
    sleep 0.05;
}
sleep 0.3;
kill 'KILL', tree(read_pid("$dir/httpd.pid"));
kill 'CONT', @a_pids;
is $q->code, 202, 'a 60 MB download queued on B while A was held';
ok $claimed, "... B's worker claimed it ($claimed)";
is sql_value("SELECT state FROM ls_job WHERE id = " . sql_quote($qjob->{id})), 'running',
  '... and every process of B was killed while it ran';
$t0 = time;
my $taken;
for (1 .. 150) {
    my ($row) = sql("SELECT claim, state FROM ls_job WHERE id = " . sql_quote($qjob->{id}));
    $taken = time - $t0 if !defined $taken && ($row->[0] ne $claimed || $row->[1] ne 'running');
    last if $row->[1] =~ /^(done|failed)$/;
    sleep 0.2;
}
ok defined $taken, 'A took the job over';
cmp_ok $taken // 99, '<', 15, sprintf('... within 15 s of B\'s death (%.1f s; LinkShareWorkerTimeout 10s)', $taken // 99);
for (1 .. 150) {
    ($done) = grep { $_->{id} eq $qjob->{id} && $_->{state} =~ /^(done|failed)$/ }
      @{ decode_json_body(at($A, "$base&op=inbox"))->{jobs} || [] };
    last if $done;
    sleep 0.2;
}
is $done && $done->{state}, 'done', '... and finished it';
my $zip = "$dir/taken-over.zip";
{
    my $r = $ua->get($A . url_path($done->{parts}[0]{url}), ':content_file' => $zip);
    is $r->code, 200, '... its part downloads';
}
is system("unzip -tqq '$zip' >/dev/null 2>&1"), 0, '... a valid archive (unzip -t)';
my ($spool) = sql("SELECT path FROM ls_part WHERE job_id = " . sql_quote($qjob->{id}));
(my $spooldir = $spool->[0]) =~ s{/[^/]+$}{};
opendir my $sd, $spooldir or die;
my @stray = grep { /\.tmp\./ } readdir $sd;
is_deeply \@stray, [], 'B\'s half-written part left nothing in the spool';
unlink $zip, "$root/cluster big/noise.bin";
rmdir "$root/cluster big";

# -- A restarted gracefully under a bounded loop of requests: none fails -------------
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $file = url_path($j->{url}) . '&op=file&path=readme.txt';
my $pid = fork;
if (!$pid) {
    my $n = 0;
    my $ua2 = LWP::UserAgent->new(timeout => 10, keep_alive => 0);
    my $end = time + 4;
    my $bad = 0;
    while (time < $end && $n < 2000) {
        my $r = $ua2->get("$A$file");
        $bad++ unless $r->code == 200;
        $n++;
    }
    open my $o, '>', "$dir/loop" or die;
    print $o "$n $bad\n";
    close $o;
    POSIX::_exit(0);
}
sleep 1;
my $httpd = var('httpd');
system("'$httpd' -d '" . var('serverroot') . "' -f '" . var('t_conf') . "/httpd.conf' -k graceful");
waitpid $pid, 0;
my ($n, $bad) = split ' ', $slurp->("$dir/loop");
cmp_ok $n, '>', 20, "a loop of downloads ran across the restart ($n requests)";
is $bad, 0, '... and none of them failed';

done_testing();

sub read_pid { open my $f, '<', shift or return 0; my $p = <$f>; chomp $p; $p }

# pid and every process below it.
sub tree {
    my ($top) = @_;
    return () unless $top;
    my %kids;
    for my $st (glob '/proc/[0-9]*/stat') {
        open my $f, '<', $st or next;
        my $line = <$f> // next;
        my ($pid, $ppid) = $line =~ /^(\d+) \(.*\) \S+ (\d+)/s or next;
        push @{ $kids{$ppid} }, $pid;
    }
    my @all = ($top);
    for (my $i = 0; $i < @all; $i++) { push @all, @{ $kids{ $all[$i] } || [] } }
    return @all;
}

sub wait_for {
    my ($cond, $secs) = @_;
    my $end = time + $secs;
    while (time < $end) { return 1 if $cond->(); sleep 0.1 }
    return 0;
}

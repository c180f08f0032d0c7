# PostgreSQL high availability: a node on a libpq connection string with
# two hosts and target_session_attrs=read-write, the first a read-only
# standby, the second the primary. The node uses the primary; the primary
# stops (requests answer 503, LS00104); the standby is promoted and the
# same string reaches it: links and downloads work again, and the
# notification listener reconnects (LS00363, then LS00361), so a
# revocation made in the new primary empties the node's warm cache at
# once. Two throw-away PostgreSQL servers of its own (streaming
# replication); the suite's store is left alone. PostgreSQL passes only.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use Cwd qw(abs_path);
use File::Temp qw(tempdir);
use LWP::UserAgent;
use Time::HiRes qw(time sleep);

plan skip_all => 'a failover needs the PostgreSQL store' unless db_driver() eq 'pgsql';
my ($pgbin) = sort glob '/usr/lib/postgresql/*/bin';
plan skip_all => 'PostgreSQL server binaries not found' unless $pgbin && -x "$pgbin/pg_basebackup";

my $pgsh = abs_path("$FindBin::Bin/../scripts/pg.sh");
my $dir  = tempdir(CLEANUP => !$ENV{LS_KEEP});
chmod 0755, $dir;
my ($p1, $p2) = (free_port(), free_port());
# PostgreSQL's own tools, as user postgres when we are root; quiet.
sub as_pg {
    my @cmd = (($> == 0 ? ('runuser', '-u', 'postgres', '--') : ()), @_);
    return system(join(' ', map { "'$_'" } @cmd) . ' >/dev/null 2>&1');
}
sub pg { system("cd /tmp && bash '$pgsh' @_ >/dev/null 2>&1") == 0 }
sub psql_at {
    my ($port, $sql) = @_;
    my $out = `psql -X -q -A -t -d 'host=127.0.0.1 port=$port user=linkshare dbname=linkshare' -c "$sql" 2>&1`;
    chomp $out;
    return $out;
}
my ($X, $stop_x);
END {
    local $?;    # system() here must not become the test's exit status
    return unless $dir;
    $stop_x->() if $stop_x;
    pg('stop', "$dir/p2");
    pg('stop', "$dir/p1");
}

# -- a primary and its standby -----------------------------------------------------
ok pg('start', "$dir/p1", $p1), "primary on port $p1";
mkdir "$dir/p2";
system('chown', 'postgres', "$dir/p2") if $> == 0;
is as_pg("$pgbin/pg_basebackup", '-h', '127.0.0.1', '-p', $p1, '-U', 'linkshare',
    '-D', "$dir/p2/data", '-R', '-X', 'stream', '-c', 'fast'), 0, 'a standby copied from it (pg_basebackup -R)';
ok pg('start', "$dir/p2", $p2), "standby on port $p2";
is psql_at($p2, 'SELECT pg_is_in_recovery()'), 't', '... read-only, in recovery';

# -- a node on both, the standby first -------------------------------------------
my $conn = "host=127.0.0.1,127.0.0.1 port=$p2,$p1 user=linkshare dbname=linkshare "
  . "target_session_attrs=read-write connect_timeout=2";
($X, $stop_x) = second_server($dir, sub {
    my $e = shift;
    $e =~ s/^LinkShareDatabase\s.*$/LinkShareDatabase pgsql "$conn"/m;
    $e;
});
my $xlog = sub { open my $f, "<", "$dir/error_log" or return ""; local $/; <$f> // "" };
my $ua = LWP::UserAgent->new(timeout => 10, keep_alive => 2);
sub share_on_x {
    my $r = req(POST => "$X/linkshare/api/shares", user => 'alice', pass => 'alicepw',
        json => { paths => ['readme.txt'] });
    return ($r->code, decode_json_body($r) || {});
}
my ($code, $s1) = share_on_x();
is $code, 201, 'the node starts and shares (the standby listed first is passed over)';
is psql_at($p1, "SELECT COUNT(*) FROM ls_share WHERE id = '$s1->{id}'"), 1, '... into the primary';
my $link1 = url_path($s1->{url});
is $ua->get("$X$link1")->code, 200, '... and the link opens';
ok wait_for(sub { $xlog->() =~ /LS0036[12]: listening for other nodes/ }, 10),
  '... its listener is on the primary';
# The node's state directory is new (the spool in it): its workers must
# reach it with PostgreSQL as with SQLite.
is download_on_x($p1), 'done', 'a download queued on the node is packaged';

# -- the primary stops: 503, tagged ------------------------------------------------
my ($c2, $s2) = share_on_x();
my $link2 = url_path($s2->{url});    # never opened: not cached
ok pg('stop', "$dir/p1"), 'the primary stops';
my $t_down = time;
my $res = $ua->get("$X$link2");
is $res->code, 503, 'a link while no primary is up: 503';
like $xlog->(), qr/LS00104: store unavailable while checking a share link/, '... logged LS00104';
unlike $xlog->(), qr/exit signal|Segmentation fault/, '... no child crashed';

# -- the standby is promoted: the same string reaches it ----------------------------
is as_pg("$pgbin/pg_ctl", '-D', "$dir/p2/data", '-w', 'promote'), 0,
  'the standby is promoted';
my $t_promoted = time;
my $back;
while (time - $t_promoted < 30) {
    if ($ua->get("$X$link2")->code == 200) { $back = time - $t_promoted; last }
    sleep 0.1;
}
ok defined $back, sprintf('links open again (%.2f s after the promotion, %.2f s after the primary stopped)',
    $back // -1, time - $t_down);
is((share_on_x())[0], 201, '... sharing works again (writes reach the new primary)');
is download_on_x($p2), 'done', '... and a download queued now is packaged (the workers reconnected)';

# -- the listener found the new primary: a change made there reaches the cache -------
ok wait_for(sub { $xlog->() =~ /LS00363: .*reconnecting/ }, 5), 'the listener saw its connection go (LS00363)';
ok wait_for(sub { $xlog->() =~ /LS00361: listening for other nodes' changes again/ }, 40),
  sprintf('... and listens again (LS00361, %.1f s after the promotion)', time - $t_promoted);
my ($c3, $s3) = share_on_x();
my $link3 = url_path($s3->{url});
is $ua->get("$X$link3")->code, 200, 'a link opened (and cached: LinkShareCacheTTL 5)';
is $ua->get("$X$link3")->code, 200, '... twice';
psql_at($p2, "UPDATE ls_share SET revoked = EXTRACT(EPOCH FROM now())::bigint WHERE id = '$s3->{id}'");
my $t0 = time;
while (time - $t0 < 6) {
    last if ($code = $ua->get("$X$link3")->code) == 410;
    sleep 0.05;
}
is $code, 410, 'revoked in the new primary (as another node would): 410';
cmp_ok time - $t0, '<', 1, sprintf('... within a second (%.2f s): the NOTIFY came through', time - $t0);

done_testing();

# A download of a new share queued on the node: its final state in the
# store on PORT ('' if none within 10 s).
sub download_on_x {
    my ($port) = @_;
    my $base = url_path((share_on_x())[1]{url});
    my $q = $ua->post("$X$base&op=queue", 'Content-Type' => 'application/json', Content => '{"paths":[]}');
    my $id = (decode_json_body($q) || {})->{id} // '';
    my $state = '';
    for (1 .. 100) {
        $state = psql_at($port, "SELECT state FROM ls_job WHERE id = '$id'");
        last if $state =~ /^(done|failed)$/;
        sleep 0.1;
    }
    diag psql_at($port, "SELECT error FROM ls_job WHERE id = '$id'"), "\n", $xlog->() unless $state eq 'done';
    return $state;
}

sub wait_for {
    my ($cond, $secs) = @_;
    my $end = time + $secs;
    while (time < $end) { return 1 if $cond->(); sleep 0.1 }
    return 0;
}

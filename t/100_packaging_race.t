# Packaging opens exactly what was selected. A file swapped after the
# download was queued (for a same-size symlink out of the asset root, or
# for another file of the same size) fails the job with a sentence and
# puts no byte of anything else in a ZIP. Deterministic: the workers are
# stopped (SIGSTOP) while the job is queued and the file swapped, then
# let go.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/LS00301: job [0-9a-f]{16} failed: "race\/[abc]\.txt" changed after the download was queued/);
use File::Temp qw(tempdir);
use HTTP::Cookies;

LSTest::ua()->cookie_jar(HTTP::Cookies->new);
my $root = asset_root();
my $dir  = "$root/race";
my $out  = tempdir(CLEANUP => 1);    # outside the asset root
chmod 0755, $out;
my $tmp = tempdir(CLEANUP => 1);

sub spew {
    my ($f, $bytes) = @_;
    open my $fh, '>:raw', $f or die "$f: $!";
    print $fh $bytes;
    close $fh or die;
    chmod 0644, $f;
}

sub reset_files {
    system('rm', '-rf', $dir);
    mkdir $dir or die;
    chmod 0755, $dir;
    spew("$dir/a.txt", "A" x 64);
    spew("$dir/b.txt", "B" x 64);
    spew("$dir/c.txt", "C" x 64);
}
END { system('rm', '-rf', $dir) if $dir }

# The workers of this server: LS00308 names them; only live children of
# the running httpd count (pids of earlier runs may be reused).
sub worker_pids {
    open my $pf, '<', var('t_logs') . '/httpd.pid' or return ();
    chomp(my $parent = <$pf> // '');
    my %pids;
    for (split /\n/, error_log()) {
        $pids{$1} = 1 if /LS00308: worker \d+ started \(pid (\d+)\)/;
    }
    return grep { ppid_of($_) eq $parent } keys %pids;
}

sub ppid_of {
    open my $st, '<', "/proc/$_[0]/stat" or return '';
    my @f = split ' ', (<$st> // '');
    return $f[3] // '';
}

my @stopped;
sub pause_workers { @stopped = worker_pids(); kill 'STOP', @stopped; scalar @stopped }
sub resume_workers { kill 'CONT', @stopped; @stopped = () }
END { kill 'CONT', @stopped if @stopped }

reset_files();
my ($res, $j) = create_share('alice', 'alicepw', { paths => ['race'] });
is $res->code, 201, 'shared a folder';
my $base = url_path($j->{url});

sub queue {
    my (@paths) = @_;
    my $r = req(POST => "$base&op=queue", json => { paths => \@paths });
    return ($r, decode_json_body($r));
}

sub wait_end {
    my ($id) = @_;
    my $job = {};
    for (1 .. 200) {
        my $r = req(GET => "$base&op=inbox");
        ($job) = grep { $_->{id} eq $id } @{ (decode_json_body($r) || {})->{jobs} || [] };
        return $job if $job && $job->{state} =~ /^(done|failed|cancelled)$/;
        select undef, undef, undef, 0.1;
    }
    return $job || {};
}

sub part_names {
    my ($job) = @_;
    my @names;
    for my $p (@{ $job->{parts} || [] }) {
        my $r = req(GET => url_path($p->{url}));
        spew("$tmp/p.zip", $r->content);
        push @names, split /\n/, `unzip -Z1 '$tmp/p.zip'`;
    }
    return @names;
}

# -- untouched: the archive holds exactly the files, byte for byte ----------------
($res, my $job) = queue('race/a.txt', 'race/b.txt');
is $res->code, 202, 'queued two files';
$job = wait_end($job->{id});
is $job->{state}, 'done', 'untouched files: done';
my @p = @{ $job->{parts} || [] };
is scalar @p, 1, 'one part';
my $r = req(GET => url_path($p[0]{url}));
spew("$tmp/ok.zip", $r->content);
is_deeply [sort split /\n/, `unzip -Z1 '$tmp/ok.zip'`], ['race/a.txt', 'race/b.txt'],
  'the ZIP lists the two files';
is `unzip -p '$tmp/ok.zip' race/a.txt`, "A" x 64, 'a.txt holds its own bytes';

# -- swapped for a same-size symlink out of the asset root ------------------------
spew("$out/outside.txt", "S" x 64);    # same size as a.txt: a secret elsewhere
ok pause_workers() >= 1, 'workers paused (SIGSTOP)';
my $m = log_mark();
($res, $job) = queue('race/a.txt', 'race/c.txt');
is $res->code, 202, 'queued while the workers are paused';
is $job->{state}, 'queued', '... still queued';
unlink "$dir/a.txt";
symlink "$out/outside.txt", "$dir/a.txt" or die "symlink: $!";
resume_workers();
my $done = wait_end($job->{id});
is $done->{state}, 'failed', 'a file swapped for a symlink out of the root: failed';
like $done->{error} // '', qr/"race\/a\.txt" changed after the download was queued\./,
  '... says which file changed';
is scalar @{ $done->{parts} || [] }, 0, '... and offers no part';
like log_since($m, 'error_log', qr/LS00301/), qr/LS00301: job $job->{id} failed: "race\/a\.txt" changed/,
  '... logged LS00301';
my @left = glob(var('ls_state_dir') . "/spool/$job->{id}-*");
is scalar @left, 0, '... and left nothing in the spool';

# -- swapped for another regular file of the same size and mtime -------------------
reset_files();
my $mtime = (stat "$dir/b.txt")[9];
ok pause_workers() >= 1, 'workers paused again';
($res, $job) = queue('race/b.txt');
is $res->code, 202, 'queued b.txt';
spew("$dir/b.new", "X" x 64);
utime $mtime, $mtime, "$dir/b.new";
rename "$dir/b.new", "$dir/b.txt" or die;
resume_workers();
$done = wait_end($job->{id});
is $done->{state}, 'failed', 'another file of the same size and mtime: failed (inode)';
like $done->{error} // '', qr/"race\/b\.txt" changed after the download was queued/, '... says so';

# -- a symlink inside the root to a file of the same size elsewhere in the root ----
reset_files();
ok pause_workers() >= 1, 'workers paused again';
($res, $job) = queue('race/c.txt');
unlink "$dir/c.txt";
symlink 'a.txt', "$dir/c.txt" or die;
resume_workers();
$done = wait_end($job->{id});
is $done->{state}, 'failed', 'swapped for a symlink to another file in the root: failed';

# -- a row queued before device and inode were recorded still packages -------------
reset_files();
my $src = "$dir/a.txt";
utime 1767225600, 1767225600, $src;    # whole seconds, as old rows kept them
my @st = stat $src;
my $now = time;
my $id = join '', map { sprintf '%x', int rand 16 } 1 .. 16;
my $entries = '[[' . join(',', qq{"$src"}, '"race/a.txt"', $st[7], $st[9] * 1000000, 'false') . ']]';
sql("INSERT INTO ls_job (id, share_id, selection_key, title, state, entries, files_total, "
    . "bytes_total, created, updated) VALUES ('$id', " . sql_quote($j->{id})
    . ", 'oldrow', 'race', 'queued', " . sql_quote($entries) . ", 1, $st[7], $now, $now)");
req(POST => "$base&op=queue", json => { paths => ['race/b.txt'] });    # wakes a worker
my $state = '';
for (1 .. 100) {
    $state = sql_value("SELECT state FROM ls_job WHERE id = '$id'") // '';
    last if $state =~ /^(done|failed)$/;
    select undef, undef, undef, 0.1;
}
is $state, 'done', 'an old row (no device or inode) still loads and packages';
done_testing();

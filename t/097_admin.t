# linkshare-admin against the test server's own store, found through its
# httpd configuration (t/conf/httpd.conf and the extra.conf it includes):
# list, show, revoke, expire, jobs, stats, check and purge as an admin
# would use them, on both stores; clear errors with exit status 2; never a
# token or link in its output.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use HTTP::Cookies;
use JSON::PP;
use File::Path qw(make_path);

my $bin = "$FindBin::Bin/../build/linkshare-admin";
plan skip_all => "$bin is not built (make all)" unless -x $bin;
my $conf = var('t_conf') . '/httpd.conf';
LSTest::ua()->cookie_jar(HTTP::Cookies->new);

# Runs linkshare-admin -f CONF ARGS: (exit status, stdout, stderr).
sub admin {
    my @args = @_;
    my $cmd = join ' ', map { my $s = $_; $s =~ s/'/'\\''/g; "'$s'" } $bin, @args;
    my $out = `$cmd 2>/tmp/ls-admin-err.$$`;
    my $rc = $? >> 8;
    open my $fh, '<', "/tmp/ls-admin-err.$$";
    my $err = do { local $/; <$fh> } // '';
    unlink "/tmp/ls-admin-err.$$";
    return ($rc, $out, $err);
}
sub A { admin('-f', $conf, @_) }

my @made;
for my $s (['alice', 'alicepw', ['readme.txt'], 'Admin A'],
           ['bob', 'bobpw', ['press kit'], 'Admin B'],
           ['alice', 'alicepw', ['photos/2026/cat.jpg'], 'Admin C']) {
    my ($res, $j) = create_share($s->[0], $s->[1], { paths => $s->[2], name => $s->[3] });
    is $res->code, 201, "share $s->[3] made";
    push @made, $j;
}
my ($a, $b, $c) = @made;
my @tokens = map { token_from_url($_->{url}) } @made;
sql("UPDATE ls_share SET max_downloads = 2, downloads = 2 WHERE id = " . sql_quote($c->{id}));

# -- list ---------------------------------------------------------------------------
my ($rc, $out, $err) = A('list');
is $rc, 0, 'list: exit 0' or diag $err;
like $out, qr/^ID\s+STATE\s+OWNER\s+EXPIRES\s+DOWNLOADS\s+ITEMS$/m, '... a header line';
like $out, qr/^\Q$a->{id}\E\s+active\s+alice\s+\S+Z\s+0\s+readme\.txt$/m, '... share A: active, alice, readme.txt';
like $out, qr/^\Q$c->{id}\E\s+exhausted\s/m, '... share C: its download limit reached';
my $all = $out;
($rc, $out) = A('list', '--owner', 'bob');
like $out, qr/\Q$b->{id}\E/, 'list --owner bob: B';
unlike $out, qr/\Q$a->{id}\E|\Q$c->{id}\E/, '... not alice\'s';
($rc, $out) = A('list', '--state', 'exhausted', '--json');
my $j = decode_json($out);
my ($jc) = grep { $_->{id} eq $c->{id} } @{ $j->{shares} };
ok $jc, 'list --state exhausted --json: C';
is_deeply [grep { $_->{state} ne 'exhausted' } @{ $j->{shares} }], [], '... and only exhausted shares';
ok !grep({ $_->{id} eq $a->{id} || $_->{id} eq $b->{id} } @{ $j->{shares} }), '... not A or B';
is $jc->{name}, 'Admin C', '... with its name';
($rc, $out) = A('list', '--json');
$all .= $out;
unlike $all, qr/sh=|\Q$tokens[0]\E|\Q$tokens[1]\E|\Q$tokens[2]\E/, 'no token or link in any listing';
($rc, undef, $err) = A('list', '--state', 'gone');
is $rc, 2, 'list --state gone: exit 2';
like $err, qr/--state gone: not one of active, expired, revoked, exhausted/, '... saying what is allowed';

# -- show ----------------------------------------------------------------------------
($rc, $out) = A('show', $b->{id});
is $rc, 0, 'show: exit 0';
like $out, qr/^owner:\s+bob$/m, '... the owner';
like $out, qr/^item:\s+press kit \(folder\)$/m, '... the item and its kind';
($rc, $out) = A('show', $b->{id}, '--json');
is decode_json($out)->{state}, 'active', 'show --json: the state';
($rc, undef, $err) = A('show', '0123456789abcdef');
is $rc, 2, 'show of an unknown id: exit 2';
like $err, qr/no share with id 0123456789abcdef/, '... saying so';
($rc, undef, $err) = A('show');
is $rc, 2, 'show without an id: exit 2';
like $err, qr/usage: linkshare-admin show ID/, '... with its usage';

# -- revoke --------------------------------------------------------------------------
is req(GET => url_path($a->{url}))->code, 200, 'A opens before';    # cached by the server
($rc, $out) = A('revoke', $a->{id});
is $rc, 0, 'revoke: exit 0';
like $out, qr/share \Q$a->{id}\E revoked/, '... said';
my $gone = 0;
for (1 .. 40) {
    last if ($gone = req(GET => url_path($a->{url}))->code == 410);
    select undef, undef, undef, 0.25;
}
ok $gone, '... and the link answers 410 within the cache TTL';
($rc, $out) = A('revoke', $a->{id});
is $rc, 0, 'revoke again: exit 0';
like $out, qr/was already revoked/, '... saying it was';

# -- expire --------------------------------------------------------------------------
($rc, $out) = A('expire', $b->{id}, '3h');
is $rc, 0, 'expire in 3h: exit 0';
my $exp = decode_json_body(GET_as('bob', 'bobpw', "/linkshare/api/shares/$b->{id}"))->{expires};
like $out, qr/now expires \Q$exp\E/, '... the API shows the new time';
($rc, undef, $err) = A('expire', $b->{id}, 'next tuesday');
is $rc, 2, 'expire with a bad time: exit 2';
like $err, qr/'next tuesday' is not a time: give RFC 3339/, '... saying what a time is';

# -- jobs ----------------------------------------------------------------------------
my $bbase = '/linkshare.html?sh=' . $tokens[1];
my $q = req(POST => "$bbase&op=queue", json => { paths => [] });
is $q->code, 202, 'a download of B queued';
my $job = decode_json_body($q);
my $done;
for (1 .. 120) {
    ($done) = grep { $_->{id} eq $job->{id} && $_->{state} eq 'done' }
      @{ decode_json_body(req(GET => "$bbase&op=inbox"))->{jobs} || [] };
    last if $done;
    select undef, undef, undef, 0.25;
}
ok $done, '... and done';
($rc, $out) = A('jobs', '--state', 'done');
my $nparts = sql_value("SELECT COUNT(*) FROM ls_part WHERE job_id = " . sql_quote($job->{id}));
like $out, qr/^\Q$job->{id}\E\s+\Q$b->{id}\E\s+done\s+4\/4\s+\d+\s+$nparts\s/m,
  "jobs --state done: the job, its share, 4/4 files, its $nparts part(s)";
($rc, $out) = A('jobs', '--json', '--limit', '5');
ok((grep { $_->{id} eq $job->{id} } @{ decode_json($out)->{jobs} }), 'jobs --json --limit 5: it is there');
($rc, undef, $err) = A('jobs', '--limit', '0');
is $rc, 2, 'jobs --limit 0: exit 2';

# -- stats ---------------------------------------------------------------------------
# Other tests' shares are in the same store: counted as SQL counts them.
my $now = time;
my %want = map { $_->[0] => $_->[1] } sql("SELECT CASE WHEN revoked <> 0 THEN 'revoked' "
    . "WHEN expires <= $now THEN 'expired' WHEN max_downloads IS NOT NULL AND downloads >= "
    . "max_downloads THEN 'exhausted' ELSE 'active' END AS st, COUNT(*) FROM ls_share GROUP BY 1");
($rc, $out) = A('stats', '--json');
is $rc, 0, 'stats: exit 0';
my $st = decode_json($out);
cmp_ok $want{revoked}, '>=', 1, 'the store holds revoked shares (A at least)';
is $st->{shares}{revoked}, $want{revoked}, 'stats: revoked shares as the store counts them';
is $st->{shares}{exhausted}, $want{exhausted}, '... exhausted ones (C)';
is $st->{shares}{active}, $want{active}, '... active ones';
cmp_ok $st->{jobs}{done}, '>=', 1, '... jobs done counted';
cmp_ok $st->{spool}{bytes}, '>', 0, '... the spool holds the archive';
cmp_ok $st->{spool}{free}, '>', 0, '... and has room';
($rc, $out) = A('stats');
like $out, qr/^shares\s+active\s+\d+$/m, 'stats as text: shares by state';

# -- check ---------------------------------------------------------------------------
($rc, $out) = A('check');
is $rc, 0, 'check: exit 0 on a healthy store' or diag $out;
like $out, qr/^ok\s+schema version \d+/m, '... the schema version';
like $out, qr/^ok\s+sealing key /m, '... the sealing key';
my $spool = var('ls_data_dir') ? undef : undef;
my ($part) = sql("SELECT path FROM ls_part WHERE job_id = " . sql_quote($job->{id}));
(my $spooldir = $part->[0]) =~ s{/[^/]+$}{};
my $orphan = "$spooldir/orphan-test.zip";
open my $fh, '>', $orphan or die "$orphan: $!";
print $fh 'x' x 100;
close $fh;
utime time - 3600, time - 3600, $orphan;
($rc, $out) = A('check');
is $rc, 1, 'check with a file no job owns: exit 1';
like $out, qr/^PROBLEM\s+orphaned spool file \Q$orphan\E$/m, '... naming it';
unlink $orphan;
# The activity log's batches: one the node's writer set aside.
my $actdir = var('ls_state_dir') . '/activity';
like $out, qr/^ok\s+activity log: nothing waiting in \Q$actdir\E$/m,
  'check: the activity log has nothing waiting';
my $bad = "$actdir/0-test.batch.bad";
open my $bh, '>', $bad or die "$bad: $!";
close $bh;
($rc, $out) = A('check');
is $rc, 1, 'check with a batch set aside: exit 1';
like $out, qr/^PROBLEM\s+activity log: 1 batch file\(s\) in \Q$actdir\E set aside as \*\.bad/m,
  '... saying where and what to look for';
unlink $bad;

# -- activity ------------------------------------------------------------------------
is req(GET => url_path($c->{url}))->code, 410, 'C\'s page: 410, its limit reached (recorded)';
($rc, $out) = (0, '');
for (1 .. 30) {
    ($rc, $out) = A('activity', $c->{id});
    last if $out =~ /\blimit\b/;
    select undef, undef, undef, 0.2;
}
is $rc, 0, 'activity: exit 0';
like $out, qr/^\S+Z\s+limit\s+410\s+\d+\s+127\.0\.0\.0\s/m, '... the refusal: time, kind, status, bytes, truncated address';
($rc, $out) = A('activity', $c->{id}, '--csv');
like $out, qr/\Atime,kind,path,job,status,bytes,address\r?\n/, 'activity --csv: a header row';
like $out, qr/,limit,.*,410,/, '... and the event';
($rc, $out) = A('activity', $c->{id}, '--json');
is decode_json($out)->{events}[0]{kind}, 'limit', 'activity --json: the events';
($rc, $out) = A('show', $c->{id});
like $out, qr/^downloads:\s+2 of 2$/m, 'show: downloads of the limit';
like $out, qr/^password:\s+no$/m, '... and whether a password protects it';

# -- purge ---------------------------------------------------------------------------
my $long_ago = time - 40 * 86400;
sql("UPDATE ls_share SET revoked = $long_ago WHERE id = " . sql_quote($a->{id}));
sql("UPDATE ls_share SET expires = $long_ago WHERE id = " . sql_quote($b->{id}));
ok -f $part->[0], 'B\'s archive is in the spool';
($rc, undef, $err) = A('purge');
is $rc, 2, 'purge without --before: exit 2';
my $cut = time - 30 * 86400;
my $ended = sql_value("SELECT COUNT(*) FROM ls_share WHERE (revoked <> 0 AND revoked < $cut) "
    . "OR (revoked = 0 AND expires < $cut)");
cmp_ok $ended, '>=', 2, 'A and B (and maybe other tests\' shares) ended over 30 days ago';
($rc, $out, $err) = A('purge', '--before', '30d');
is $rc, 0, 'purge --before 30d: exit 0' or diag $err;
like $out, qr/purged $ended share\(s\)/, "... $ended share(s)";
my ($removed) = $out =~ /removed (\d+) archive file/;
cmp_ok $removed // 0, '>=', $nparts, "... and at least B's $nparts archive file(s)";
ok !-e $part->[0], '... the archive file is gone';
is sql_value("SELECT COUNT(*) FROM ls_job WHERE share_id = " . sql_quote($b->{id})), 0, '... and B\'s jobs';
is sql_value("SELECT COUNT(*) FROM ls_share_item WHERE share_id IN (" . join(',', map { sql_quote($_->{id}) } $a, $b) . ")"), 0,
  '... and their items';
($rc, $out) = A('list');
unlike $out, qr/\Q$a->{id}\E|\Q$b->{id}\E/, 'list: A and B are gone';
like $out, qr/\Q$c->{id}\E/, '... C stays';

# -- errors and help -----------------------------------------------------------------
($rc, undef, $err) = admin('--db', 'pgsql', 'host=127.0.0.1 port=1 dbname=none connect_timeout=2', 'list');
is $rc, 2, 'a store that is not there: exit 2';
like $err, qr/store unavailable \(pgsql\)/, '... saying so';
($rc, undef, $err) = admin('--db', 'sqlite3', '/nonexistent/linkshare.db', 'stats');
is $rc, 2, 'no SQLite database: exit 2, and none created';
ok !-e '/nonexistent/linkshare.db', '... nothing created';
($rc, undef, $err) = admin('-f', '/nonexistent/httpd.conf', 'list');
is $rc, 2, 'a configuration that is not there: exit 2';
like $err, qr/cannot read the configuration: \/nonexistent\/httpd\.conf/, '... naming it';
($rc, undef, $err) = A('frobnicate');
is $rc, 2, 'an unknown command: exit 2';
($rc, undef, $err) = A('list', '--before', 'x');
like $err, qr/list does not take --before/, 'an option of another command: named';
($rc, $out) = admin('--help');
is $rc, 0, '--help: exit 0';
for my $cmd (qw(list show revoke expire activity jobs purge stats check)) {
    ($rc, $out) = admin($cmd, '--help');
    ok $rc == 0 && $out =~ /^usage: linkshare-admin .*\b$cmd\b/, "$cmd --help";
}
done_testing();

# The activity log: what a recipient does on a link is recorded behind the
# request (kind, path or job, status, bytes actually sent, a truncated
# address) and read by the owner or an admin, newest first, paged, as JSON
# or CSV; a Range request is recorded with its 206 and is no download;
# refusals are recorded; the workers sweep events past the retention.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use HTTP::Cookies;

LSTest::ua()->cookie_jar(HTTP::Cookies->new);    # one browser

my ($res, $j) = create_share('alice', 'alicepw',
    { paths => ['press kit', 'photos/2026/cat.jpg'] });
is $res->code, 201, 'shared';
my $id   = $j->{id};
my $base = url_path($j->{url});
my $api  = "/linkshare/api/shares/$id/activity";
my $cat  = -s asset_root() . '/photos/2026/cat.jpg';

sub activity {
    my ($query, %o) = @_;
    my $r = GET_as($o{user} // 'alice', $o{pass} // 'alicepw',
        $api . ($query // ''), %o);
    return ($r, decode_json_body($r));
}

# Polls until the log holds n events (a child hands them over within a
# second, the node's writer stores them within another quarter).
sub events_upto {
    my ($n) = @_;
    my $ev = [];
    for (1 .. 80) {
        my ($r, $d) = activity('?limit=500');
        $ev = $d->{events} if $d;
        last if @$ev >= $n;
        select undef, undef, undef, 0.1;
    }
    return $ev;
}

# -- a recipient's visit ------------------------------------------------------
is req(GET => $base)->code, 200, 'the page';
is req(GET => "$base&path=press%20kit")->code, 200, 'a folder of the page';
is req(GET => "/linksharepreview.html?sh=" . token_from_url($j->{url})
    . "&path=cat.jpg")->code, 200, 'a preview';
is req(GET => "$base&op=thumb&path=cat.jpg")->code, 200, 'a thumbnail (not recorded)';
$res = req(GET => "$base&op=file&path=cat.jpg");
is $res->code, 200, 'a download';
is length($res->content), $cat, 'all of it';
$res = req(GET => "$base&op=file&path=cat.jpg", headers => [Range => 'bytes=0-9']);
is $res->code, 206, 'a range of it';
is length($res->content), 10, 'ten bytes';

$res = req(POST => "$base&op=queue", json => { paths => ['press kit/notes.txt'] });
is $res->code, 202, 'queued';
my $job = decode_json_body($res);
for (1 .. 120) {
    last if $job->{state} =~ /^(done|failed)$/;
    select undef, undef, undef, 0.25;
    ($job) = grep { $_->{id} eq $job->{id} }
      @{ decode_json_body(req(GET => "$base&op=inbox"))->{jobs} };
}
is $job->{state}, 'done', 'packaged';
$res = req(GET => url_path($job->{parts}[0]{url}));
is $res->code, 200, 'the part downloaded';
my $part_size = length $res->content;
is $part_size, $job->{parts}[0]{size}, 'every byte of it';

my $ev = events_upto(7);
is scalar(@$ev), 7, 'seven events recorded (no thumbnail)'
  or diag explain $ev;
my %by;
push @{ $by{ $_->{kind} } }, $_ for @$ev;
is join(',', map { $_->{kind} } @$ev),
  'part,queue,download,download,preview,page,page', 'newest first';
is scalar(@{ $by{page} }), 2, 'two page views';
is $by{page}[0]{path}, 'press kit', 'the folder viewed';
is $by{page}[1]{path}, undef, 'the root viewed';
is $by{preview}[0]{path}, 'cat.jpg', 'the preview, once';
is $by{preview}[0]{status}, 200, 'preview status';
my ($full) = grep { $_->{status} == 200 } @{ $by{download} };
my ($range) = grep { $_->{status} == 206 } @{ $by{download} };
is $full->{bytes}, $cat, 'the download: every byte counted';
is $full->{path}, 'cat.jpg', 'the download: its path';
ok $range, 'the range: recorded with 206';
is $range->{bytes}, 10, 'the range: its bytes';
is $by{queue}[0]{job}, $job->{id}, 'the queue: its job';
is $by{queue}[0]{status}, 202, 'the queue: 202';
is $by{part}[0]{job}, $job->{id}, 'the part: its job';
is $by{part}[0]{path}, '1', 'the part: its number';
is $by{part}[0]{bytes}, $part_size, 'the part: its bytes';
is $by{part}[0]{status}, 200, 'the part: 200';
is_deeply [sort keys %{ $ev->[0] }],
  [qw(address bytes job kind path status time)], 'the fields of an event';
ok !(grep { ($_->{address} // '') ne '127.0.0.0' } @$ev),
  'addresses truncated to the /24';
like $ev->[0]{time}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'RFC 3339 time';

# -- who may read it -----------------------------------------------------------
($res) = activity('', user => 'bob', pass => 'bobpw');
is $res->code, 404, "another user: 404";
($res, my $d) = activity('', user => 'admin', pass => 'adminpw');
is $res->code, 200, 'an admin: 200';
is scalar(@{ $d->{events} }), 7, 'an admin sees them all';
is req(GET => $api)->code, 401, 'nobody signed in: 401';
is GET_as('alice', 'alicepw', "/linkshare/api/shares/0000000000000000/activity")
  ->code, 404, 'an unknown share: 404';
is POST_as('alice', 'alicepw', $api, json => {})->code, 405, 'POST: 405';

# -- pages ---------------------------------------------------------------------
my (@all, $next, $pages);
do {
    ($res, $d) = activity('?limit=3' . ($next ? "&before=$next" : ''));
    is $res->code, 200, "page " . ++$pages;
    push @all, @{ $d->{events} };
    $next = $d->{next};
} while ($next && $pages < 10);
is $pages, 3, 'seven events in three pages of three';
is_deeply [map { $_->{kind} . $_->{status} } @all],
  [map { $_->{kind} . $_->{status} } @$ev], 'the pages hold the same events';
for my $bad ('?limit=0', '?limit=501', '?limit=abc', '?limit=-1',
    '?before=nonsense', '?before=123-zz', '?before=%ZZ') {
    ($res, $d) = activity($bad);
    is $res->code, 400, "$bad: 400";
    like $d->{error} // '', qr/^[A-Z].*\.$/, "$bad: a sentence";
}
($res, $d) = activity('?limit=500');
is $res->code, 200, 'limit 500 is allowed';

# -- CSV -----------------------------------------------------------------------
($res) = activity('?limit=3', headers => [Accept => 'text/csv']);
is $res->code, 200, 'CSV: 200';
like $res->header('Content-Type'), qr{^text/csv}, 'CSV: its type';
my @lines = split /\r\n/, $res->content;
is $lines[0], 'time,kind,path,job,status,bytes,address', 'CSV: the header row';
is scalar(@lines), 4, 'CSV: three rows';
like $lines[1], qr/^[^,]+,part,1,$job->{id},200,$part_size,127\.0\.0\.0$/,
  'CSV: a part row';
like $res->header('Link') // '', qr/before=\d+-[0-9a-f]{32}>; rel="next"/,
  'CSV: the next page in a Link header';

# A file named like a formula is shown as text in a spreadsheet.
my ($r2, $j2) = create_share('alice', 'alicepw', { paths => ['photos/2026/cat.jpg'] });
req(GET => url_path($j2->{url}) . '&op=file&path=%3DSUM(A1).jpg');
my $csv = '';
for (1 .. 80) {
    $csv = GET_as('alice', 'alicepw', "/linkshare/api/shares/$j2->{id}/activity",
        headers => [Accept => 'text/csv'])->content;
    last if $csv =~ /download/;
    select undef, undef, undef, 0.1;
}
like $csv, qr/,download,"'=SUM\(A1\)\.jpg",,404,/, 'CSV: a formula gets an apostrophe';

# A path that is not UTF-8 is recorded too, and still reads as JSON; a
# job parameter over the column's size is dropped, not the batch with it
# (PostgreSQL would refuse both).
req(GET => url_path($j2->{url}) . '&op=part&n=1&job=' . ('a' x 100));
req(GET => url_path($j2->{url}) . '&op=file&path=%FF%20x');
# All three of the share's events (each child hands its own over: the
# part and the odd path may arrive in either order).
my $odd;
for (1 .. 80) {
    my $r = GET_as('alice', 'alicepw', "/linkshare/api/shares/$j2->{id}/activity");
    my $all = (decode_json_body($r) || {})->{events} || [];
    ($odd) = grep { ($_->{path} // '') =~ /x$/ } @$all;
    last if $odd && @$all >= 3;
    select undef, undef, undef, 0.1;
}
is $odd && $odd->{path}, '%FF x', 'JSON: its bytes percent-encoded';

# -- many events, paged through the API ----------------------------------------
my $n = 1234;
my $t0 = sprintf '%.0f', (time() - 3600) * 1e6;    # within the retention
# Ids as the module makes them (schema v9): the time in 14 hex digits, then
# 10 more (here the row's number) and 8.
my $ids = db_driver() eq 'pgsql'
  ? "lpad(to_hex($t0 + i / 2), 14, '0') || lpad(to_hex(i), 10, '0') || '00000000'"
  : "printf('%014x%010x00000000', $t0 + i / 2, i)";
sql("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n) "
  . "INSERT INTO ls_activity (id, share_id, at, kind, status, bytes) "
  . "SELECT $ids, '$j2->{id}', $t0 + i / 2, 'page', 200, i FROM s");
my %seen;
($next, $pages) = (undef, 0);
my $sorted = 1;
my $last;
do {
    ($res, $d) = GET_as('alice', 'alicepw', "/linkshare/api/shares/$j2->{id}/activity?limit=500"
        . ($next ? "&before=$next" : ''));
    $d = decode_json_body($res);
    $pages++;
    for (@{ $d->{events} }) {
        $seen{ join '|', map { $_ // '' } @$_{qw(kind path status bytes)} }++;
    }
    $next = $d->{next};
} while ($next && $pages < 10);
is $pages, 3, "$n + 3 events in three pages of 500";
is scalar(keys %seen), $n + 3, 'each once';

# -- refusals ------------------------------------------------------------------
is DELETE_as('alice', 'alicepw', "/linkshare/api/shares/$id")->code, 204, 'revoked';
is req(GET => $base)->code, 410, 'the link answers 410';
$ev = events_upto(8);
is $ev->[0]{kind}, 'revoked', 'the refusal recorded as revoked';
is $ev->[0]{status}, 410, 'with its 410';
($res, $d) = activity('', user => 'alice', pass => 'alicepw');
is $res->code, 200, 'a revoked share\'s log is still readable';

# -- retention: the workers sweep what is older ---------------------------------
# An id as the module makes them: the time (1000000 us) in 14 hex digits
# first, which the sweep relies on.
my $old = sprintf('%014x', 1000000) . 'ffffffffff' . '00000000';
sql("INSERT INTO ls_activity (id, share_id, at, kind, status, bytes) "
  . "VALUES ('$old', '$id', 1000000, 'page', 200, 0)");
is sql_value("SELECT COUNT(*) FROM ls_activity WHERE id = '$old'"), 1,
  'an event from 1970';
# A revocation nudges the workers' housekeeping, which sweeps.
DELETE_as('alice', 'alicepw', "/linkshare/api/shares/$j2->{id}");
my $left = 1;
for (1 .. 60) {
    $left = sql_value("SELECT COUNT(*) FROM ls_activity WHERE id = '$old'");
    last unless $left;
    select undef, undef, undef, 0.1;
}
is $left, 0, 'swept by the workers';
is sql_value("SELECT COUNT(*) FROM ls_activity WHERE share_id = '$id'"), 8,
  'the recent events stay';

# -- a Range is no download ------------------------------------------------------
my $pidfile = var('t_logs') . '/httpd.pid';
open my $p, '<', $pidfile or die "no pid file: $!";
chomp(my $pid = <$p>);
ok kill('USR1', $pid), 'graceful restart (children write their counts)';
my $downloads;
for (1 .. 40) {
    select undef, undef, undef, 0.25;
    $res = GET_as('alice', 'alicepw', "/linkshare/api/shares/$id");
    next unless $res->code == 200;
    $downloads = decode_json_body($res)->{downloads};
    last if $downloads == 2;
}
is $downloads, 2, 'downloads: the whole file and the whole part, not the range';

# -- a wrong password and a used-up link are recorded ---------------------------
my ($r3, $j3) = create_share('alice', 'alicepw',
    { paths => ['readme.txt'], password => 'correct horse battery', max_downloads => 1 });
is $r3->code, 201, 'a protected share with a limit of one download';
my $base3 = url_path($j3->{url});
is req(POST => "$base3&op=unlock", content => 'password=wrong+guess+here',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded'])->code, 401,
  'a wrong password: 401';
is req(POST => "$base3&op=unlock", content => 'password=correct+horse+battery',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded'])->code, 303,
  'the right one: 303';
is req(GET => "$base3&op=file&path=readme.txt")->code, 200, 'the one download';
is req(GET => "$base3&op=file&path=readme.txt")->code, 410, 'then the link is used up';
$api = "/linkshare/api/shares/$j3->{id}/activity";
$ev = events_upto(3);
my %kinds = map { $_->{kind} => $_ } @$ev;
is $kinds{unlock_failed}{status}, 401, 'the wrong password recorded (unlock_failed, 401)';
like $kinds{unlock_failed}{address} // '', qr/^127\.0\.0\.0$/, '... with the truncated address';
is $kinds{download}{status}, 200, 'the download recorded';
is $kinds{limit}{status}, 410, 'the refusal of the used-up link recorded (limit, 410)';
unlike join(' ', map { $_->{path} // '' } @$ev), qr/horse|guess/, 'no password in the log';
done_testing();

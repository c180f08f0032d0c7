# A recipient selects files, queues a download, watches the inbox and
# downloads the finished ZIP; limits, reuse, cancel and renditions-only.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use Digest::SHA qw(sha256_hex);
use File::Temp qw(tempdir);
use HTTP::Cookies;
use POSIX qw(strftime);

my $tmp = tempdir(CLEANUP => 1);
LSTest::ua()->cookie_jar(HTTP::Cookies->new);    # one browser

my ($res, $j) = create_share('alice', 'alicepw',
    { paths => ['press kit', 'photos/2026/cat.jpg', "caf\x{e9} menu.txt"] });
is $res->code, 201, 'shared';
my $tok  = token_from_url($j->{url});
my $share_id = $j->{id};
our $base = "/linkshare.html?sh=$tok";

sub queue {
    my ($body, %o) = @_;
    my $r = req(POST => "$base&op=queue", %o,
        ref $body ? (json => $body)
                  : (content => $body,
                     headers => ['Content-Type' => 'application/x-www-form-urlencoded']));
    return ($r, decode_json_body($r));
}

sub wait_done {
    my ($id) = @_;
    my $job;
    for (1 .. 120) {
        my $r = req(GET => "$base&op=inbox");
        ($job) = grep { $_->{id} eq $id } @{ (decode_json_body($r) || {})->{jobs} || [] };
        return $job if $job && $job->{state} =~ /^(done|failed|cancelled)$/;
        select undef, undef, undef, 0.25;
    }
    return $job;
}

sub fetch_zip {
    my ($url, $file) = @_;
    my $r = req(GET => url_path($url));
    open my $fh, '>:raw', $file or die;
    print $fh $r->content;
    close $fh;
    return $r;
}

# -- queue a folder by form, watch it, download it -----------------------------
($res, my $job) = queue('path=' . 'press%20kit');
is $res->code, 202, 'queue: 202';
like $job->{id} // '', qr/^[0-9a-f]{16}$/, 'queue: a job id';
like $job->{state}, qr/^(queued|running|done)$/, 'queue: a state';
is $job->{files_total}, 4, 'queue: four files in press kit';
like $res->header('Set-Cookie') // '', qr/lsb=[0-9a-f]{16}.*HttpOnly.*SameSite=Strict/,
  'queue: the browser gets its inbox cookie';
my $done = wait_done($job->{id});
is $done->{state}, 'done', 'the job finishes';
is $done->{files_done}, $done->{files_total}, 'all files done';
my @parts = @{ $done->{parts} };
cmp_ok scalar @parts, '>=', 2, 'several parts (LinkShareZipPartSize 3K)';
my $M = @parts;
system("mkdir -p '$tmp/x'");
for my $part (@parts) {
    my $n = $part->{n};
    like $part->{url}, qr{/linkshare\.html\?sh=.*&op=part&job=$job->{id}&n=$n$}, "part $n: URL";
    my $zip = "$tmp/a$n.zip";
    $res = fetch_zip($part->{url}, $zip);
    is $res->code, 200, "part $n: 200";
    is $res->header('Content-Type'), 'application/zip', "part $n: a ZIP";
    like $res->header('Content-Disposition'), qr/filename="press kit-\Q${\ substr($job->{id}, 0, 8)}\E-part$n-of-$M\.zip"/,
      "part $n: named <selection>-<job id>-partN-of-M.zip";
    is -s $zip, $part->{size}, "part $n: the size the inbox showed";
    is sha256_hex(do { local $/; open my $f, '<:raw', $zip; <$f> }), $part->{sha256},
      "part $n: the SHA-256 the inbox showed";
    is system("unzip -tq '$zip' >/dev/null 2>&1"), 0, "part $n: valid on its own (unzip -t)";
    system("cd '$tmp/x' && unzip -qo '$zip'");
}
for my $f ('brochure.pdf', 'logo.png', 'notes.txt', 'product video.mp4') {
    my $orig = asset_root() . "/press kit/$f";
    is system('cmp', '-s', $orig, "$tmp/x/press kit/$f"), 0, "extracted $f equals the asset";
}
my $part = $parts[0];
$res = req(GET => url_path($part->{url}), headers => [Range => 'bytes=0-3']);
is $res->code, 206, 'part: Range';
is $res->content, "PK\x03\x04", 'part: starts like a ZIP';

# -- the same selection again: the same archive ---------------------------------
($res, my $again) = queue({ paths => ['press kit'] });
is $res->code, 202, 'same selection as JSON: 202';
is $again->{id}, $job->{id}, 'reused: the same job';
is $again->{state}, 'done', 'reused: already done';
{
    my $other = LWP::UserAgent->new;    # another browser, no cookie
    my $r = $other->post(base_url() . "$base&op=queue",
        'Content-Type' => 'application/json', Content => '{"paths":["press kit"]}');
    is decode_json_body($r)->{id}, $job->{id}, 'another browser gets the same job';
}

# -- the whole share, names with odd characters ----------------------------------
($res, my $all) = queue('');
is $res->code, 202, 'empty selection: the whole share';
$done = wait_done($all->{id});
is $done->{state}, 'done', 'whole share packaged';
my $list = '';
for my $p (@{ $done->{parts} }) {
    my $z = "$tmp/all$p->{n}.zip";
    fetch_zip($p->{url}, $z);
    $list .= `unzip -Z1 '$z'`;
}
like $list, qr{^cat\.jpg$}m, 'the file item at the root';
like $list, qr{^caf\x{c3}\x{a9} menu\.txt$}m, 'UTF-8 name kept';
like $list, qr{^press kit/logo\.png$}m, 'folder structure kept';

# -- bad selections -----------------------------------------------------------------
for my $c (['path=..%2Fetc', 400, 'traversal'], ['path=readme.txt', 400, 'not in the share'],
           ['path=%00', 400, 'NUL'], ['path=press%20kit%2F..%2F..', 400, 'dot-dot inside']) {
    ($res, $j) = queue($c->[0]);
    is $res->code, $c->[1], "$c->[2]: $c->[1]";
    ok $j && $j->{error}, "$c->[2]: says why";
}
$res = req(POST => "$base&op=queue", content => 'x', headers => ['Content-Type' => 'text/plain']);
is $res->code, 415, 'text/plain body: 415';
$res = req(GET => "$base&op=queue");
is $res->code, 405, 'GET op=queue: 405';
$res = req(POST => "$base&op=inbox", content => '');
is $res->code, 405, 'POST op=inbox: 405';
$res = req(GET => "$base&op=part&job=$job->{id}&n=99");
is $res->code, 404, 'a part that does not exist: 404';
$res = req(GET => "$base&op=part&job=0123456789abcdef&n=1");
is $res->code, 404, 'an unknown job: 404';

# -- over the content limit (LinkShareMaxContentSize 100M): refused before work -------
my $big = asset_root() . '/big.bin';
system('truncate', '-s', '3073M', $big);
($res, $j) = create_share('alice', 'alicepw', { paths => ['big.bin'] });
my $tbig = token_from_url($j->{url});
my $m = log_mark();
$res = req(POST => "/linkshare.html?sh=$tbig&op=queue", content => '',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
is $res->code, 413, 'over the content limit: 413';
like decode_json_body($res)->{error}, qr/larger than 3072 MB/, '... says the limit';
like log_since($m, 'error_log', qr/LS00321/), qr/LS00321/, '... logged LS00321';
is sql_value("SELECT COUNT(*) FROM ls_job WHERE share_id = " . sql_quote($j->{id})), 0,
  '... and nothing queued';
unlink $big;

# -- over the file limit (LinkShareMaxFiles 6) -------------------------------------------
($res, $j) = create_share('alice', 'alicepw', { paths => ['press kit', 'photos'] });
$res = req(POST => url_path($j->{url}) . '&op=queue', content => '',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
is $res->code, 413, 'eight files with LinkShareMaxFiles 6: 413';
like decode_json_body($res)->{error}, qr/more than 6 files/, '... says the limit';
$res = req(POST => url_path($j->{url}) . '&op=queue', content => '',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded', Accept => 'text/html']);
is $res->code, 413, 'the same from the page without script: 413';
like $res->header('Content-Type'), qr{^text/html}, '... as a page';
like $res->decoded_content, qr{<p>[^<]*more than 6 files[^<]*</p><p class="back"><a class="btn primary" href="[^"]*/linkshare\.html\?sh=[^"]+">Back to the shared files</a>},
  '... that says why and leads back';

# -- a form post from the page without script: back to the page ---------------------------
$res = req(POST => "$base&op=queue", content => 'path=' . 'cat.jpg',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded',
                Accept => 'text/html,application/xhtml+xml']);
is $res->code, 303, 'a form post answers 303';
like $res->header('Location') // '', qr{/linkshare\.html\?sh=\Q$tok\E#ls-inbox$}, '... back to the page';
# The job runs in the background: the page shows it queued or running,
# then done with its part.
for (1 .. 100) {
    $res = req(GET => $base);
    last if $res->decoded_content =~ /Download cat-[0-9a-f]{8}-part1-of-1\.zip/;
    select undef, undef, undef, 0.2;
}
like $res->decoded_content, qr{<section id="ls-inbox".*Download cat-[0-9a-f]{8}-part1-of-1\.zip}s,
  'the page shows the inbox with the part';
like $res->decoded_content, qr{<input type="checkbox" name="path" value="press kit"}, 'items can be selected';
like $res->header('Content-Security-Policy'), qr/script-src (?:'sha256-[^']+' ?)+; connect-src 'self'/,
  'the page script is allowed by hash only';

# -- too many jobs for one share: 429 ----------------------------------------------------
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $t5 = token_from_url($j->{url});
my $now = time;
for my $i (1 .. 5) {
    sql("INSERT INTO ls_job (id, share_id, selection_key, title, state, entries, files_total, "
        . "bytes_total, created, updated, claim, heartbeat) VALUES ('000000000000000$i', "
        . sql_quote($j->{id}) . ", 'k$i', 't', 'running', '[]', 1, 1, $now, $now, 'elsewhere', "
        . ($now + 3600) . ")");
}
# This browser asked for them (a cancel only takes back one's own request).
my ($lsb) = LSTest::ua()->cookie_jar->as_string =~ /\blsb=([0-9a-f]{16})/;
sql("INSERT INTO ls_job_browser (job_id, browser) VALUES ('000000000000000$_', '$lsb')")
  for 1 .. 5;
$res = req(POST => "/linkshare.html?sh=$t5&op=queue", content => '',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
is $res->code, 429, 'a sixth job for one share: 429';
ok $res->header('Retry-After'), '... with Retry-After';

# -- cancel ------------------------------------------------------------------------------
$res = req(POST => "/linkshare.html?sh=$t5&op=cancel&job=0000000000000001", content => '');
is $res->code, 200, 'cancel a running job: 200';
is decode_json_body($res)->{state}, 'cancelled', '... cancelled';
$res = req(POST => "/linkshare.html?sh=$t5&op=cancel&job=0000000000000001", content => '');
is $res->code, 409, 'cancel it again: 409';
$res = req(POST => "/linkshare.html?sh=$t5&op=cancel&job=$job->{id}", content => '');
is $res->code, 404, "another share's job: 404";
$res = req(POST => "/linkshare.html?sh=$t5&op=cancel&job=0000000000000002", content => '',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded',
                Accept => 'text/html']);
is $res->code, 303, 'the inbox Cancel button (a form) answers 303 back to the page';
is sql_value("SELECT state FROM ls_job WHERE id = '0000000000000002'"), 'cancelled',
  '... and cancels';
sql("DELETE FROM ls_job WHERE share_id = " . sql_quote($j->{id}));

# -- originals not allowed: renditions only --------------------------------------------
($res, $j) = create_share('alice', 'alicepw',
    { paths => ['photos/2026/cat.jpg', 'readme.txt'], allow_original => JSON::PP::false });
my $t6 = token_from_url($j->{url});
$res = req(POST => "/linkshare.html?sh=$t6&op=queue", content => '',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
is $res->code, 202, 'renditions-only share: queued';
{
    local $base = "/linkshare.html?sh=$t6";
    $done = wait_done(decode_json_body($res)->{id});
}
is $done->{state}, 'done', 'renditions-only: done';
is $done->{files_total}, 1, 'renditions-only: the file without a rendition is left out';
my $zip = "$tmp/r.zip";
fetch_zip($done->{parts}[0]{url}, $zip);
my $orig = do { local $/; open my $f, '<:raw', asset_root() . '/photos/2026/cat.jpg'; <$f> };
my $bytes = do { local $/; open my $f, '<:raw', $zip; <$f> };
ok index($bytes, $orig) < 0, 'no byte of the original in the archive';
like `unzip -Z1 '$zip'`, qr/^cat\.jpg$/m, 'the rendition under the asset name';

# -- a revoked share takes its archives with it ----------------------------------
my @files = map { $_->[0] } sql("SELECT p.path FROM ls_part p JOIN ls_job j ON j.id = p.job_id "
    . "WHERE j.id = " . sql_quote($job->{id}));
ok @files >= 2 && !grep({ !-f $_ } @files), 'the parts are in the spool';
my $sid = $share_id;
$m = log_mark();
is req(DELETE => "/linkshare/api/shares/$sid", user => 'alice', pass => 'alicepw')->code, 204,
  'the share is revoked';
my $gone;
for (1 .. 100) {
    $gone = !grep { -e $_ } @files;
    last if $gone;
    select undef, undef, undef, 0.1;
}
ok $gone, 'its archives are deleted at once';
is sql_value("SELECT COUNT(*) FROM ls_job WHERE id = " . sql_quote($job->{id})), 0,
  '... and its jobs';
like log_since($m, 'error_log', qr/LS00304/), qr/LS00304: job $job->{id} and its \d+ part/,
  '... logged LS00304';

# -- archives past LinkShareArchiveTTL, and of expired shares, are swept -----------
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $told = url_path($j->{url});
my $old_share = $j->{id};
$res = req(POST => "$told&op=queue", content => '',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
my $old_job = decode_json_body($res)->{id};
{
    local $base = $told;
    is wait_done($old_job)->{state}, 'done', 'an archive to age';
}
my @old_files = map { $_->[0] } sql("SELECT path FROM ls_part WHERE job_id = " . sql_quote($old_job));
ok @old_files && -f $old_files[0], '... in the spool';
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $texp = url_path($j->{url});
$res = req(POST => "$texp&op=queue", content => 'path=readme.txt',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
my $exp_job = decode_json_body($res)->{id};
{
    local $base = $texp;
    is wait_done($exp_job)->{state}, 'done', 'an archive of a share about to expire';
}
my @exp_files = map { $_->[0] } sql("SELECT path FROM ls_part WHERE job_id = " . sql_quote($exp_job));
sql("UPDATE ls_job SET updated = 1000 WHERE id = " . sql_quote($old_job));
sql("UPDATE ls_share SET expires = 1000 WHERE id = " . sql_quote($j->{id}));
# Any revocation makes a worker sweep now instead of within a minute.
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
req(DELETE => "/linkshare/api/shares/$j->{id}", user => 'alice', pass => 'alicepw');
my $swept;
for (1 .. 100) {
    $swept = !grep { -e $_ } @old_files, @exp_files;
    last if $swept;
    select undef, undef, undef, 0.1;
}
ok $swept, 'archives older than LinkShareArchiveTTL and of expired shares are deleted';
is sql_value("SELECT COUNT(*) FROM ls_job WHERE id IN (" . sql_quote($old_job) . ", "
    . sql_quote($exp_job) . ")"), 0, '... with their jobs';
done_testing();

# mod_status shows a "mod_linkshare" section: the workers from shared
# memory, the store's job and mail counts, the spool and rendition cache
# measured by the workers, the throttle's blocked clients; ?auto gives
# "LinkShare...: value" lines. Nothing in it names a token, a path or a
# user.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use HTTP::Cookies;

plan skip_all => 'mod_status is not loaded' unless need_module('status');

LSTest::ua()->cookie_jar(HTTP::Cookies->new);    # one browser
my ($res, $j) = create_share('alice', 'alicepw', { paths => ['press kit'] });
is $res->code, 201, 'shared';
my $tok  = token_from_url($j->{url});
my $base = url_path($j->{url});
$res = req(POST => "$base&op=queue", json => { paths => ['press kit/notes.txt'] });
is $res->code, 202, 'a job queued';
my $job = decode_json_body($res)->{id};
for (1 .. 80) {
    my ($x) = grep { $_->{id} eq $job }
      @{ decode_json_body(req(GET => "$base&op=inbox"))->{jobs} };
    last if $x && $x->{state} eq 'done';
    select undef, undef, undef, 0.25;
}
# (The spool's bytes are measured every minute: this job's part may not
# be in them yet.)

# ?auto: our lines, one value each.
my %v;
for (1 .. 40) {
    $res = req(GET => '/server-status?auto');
    %v = map { /^(LinkShare\w+): (.*)$/ ? ($1 => $2) : () } split /\n/, $res->content;
    # Worker 0 measures the disk with its first housekeeping.
    last if ($v{LinkShareSpoolBytes} // '') =~ /^\d+$/;
    select undef, undef, undef, 0.25;
}
is $res->code, 200, '?auto: 200';
is $v{LinkShareWorkers}, 2, 'two workers';
like $v{"LinkShareWorker$_"} // '',
  qr/^pid=[1-9]\d* state=(idle|packaging|rendering|mailing) job=(-|[0-9a-f]{16}) files=\d+\/\d+ bytes=\d+\/\d+ started=\d+$/,
  "worker $_: pid, state, job, progress, started" for 0, 1;
like $v{LinkShareWorkersBusy}, qr/^\d+$/, 'busy workers';
is $v{LinkShareStore}, 'ok', 'the store answers';
like $v{$_} // '', qr/^\d+$/, "$_ is a count"
  for qw(LinkShareJobsQueued LinkShareJobsRunning LinkShareJobsDoneLastHour
  LinkShareJobsFailedLastHour LinkShareMailQueued LinkShareMailFailedLastHour
  LinkShareSpoolBytes LinkShareSpoolFreeBytes LinkShareBlockedClients);
cmp_ok $v{LinkShareJobsDoneLastHour}, '>=', 1, 'our job is among those done';
like $v{LinkShareRenditionCacheBytes}, qr/^(\d+|unknown)$/, 'rendition cache bytes';
like $v{LinkShareDiskMeasured}, qr/^\d{4}-\d\d-\d\dT/, 'when the disk was measured';
is $v{LinkShareBlockedClients}, 0, 'nobody blocked';

# The HTML page: the section, and nothing private in it.
$res = req(GET => '/server-status');
is $res->code, 200, 'the HTML page';
my ($section) = $res->content =~ /(<h2><a name="linkshare">mod_linkshare<\/a><\/h2>.*?<\/dl>)/s;
ok $section, 'a mod_linkshare section';
like $section // '', qr/<th>PID<\/th>/, 'the workers table';
like $section // '', qr/LinkShareJobsQueued: \d+/, 'the counts';
my $auto = join "\n", map { "$_: $v{$_}" } sort keys %v;
for my $text ($section // '', $auto) {
    unlike $text, qr/\Q$tok\E/, 'no token';
    unlike $text, qr/alice/i, 'no user name';
    unlike $text, qr/press|notes|\.txt/i, 'no path';
}
done_testing();

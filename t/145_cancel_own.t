# Two recipients who queue the same selection share one job. A browser's
# Cancel takes back only its own request: the job goes on for the other
# browser still waiting for it, and stops when the last one cancels. A
# browser that is not waiting for a job cannot cancel it.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use HTTP::Cookies;
use LWP::UserAgent;

my ($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt', 'photos'] });
is $res->code, 201, 'a share';
my $page = base_url() . url_path($j->{url});

# Three browsers, each with its own cookie jar (its own lsb id).
my %ua = map {
    my $ua = LWP::UserAgent->new(cookie_jar => HTTP::Cookies->new,
        requests_redirectable => []);
    ($_ => $ua)
} qw(a b c);
my %id;
for my $who (sort keys %ua) {
    is $ua{$who}->get("$page&op=inbox")->code, 200, "browser $who opens its inbox";
    ($id{$who}) = $ua{$who}->cookie_jar->as_string =~ /\blsb=([0-9a-f]{16})/;
    ok $id{$who}, "... and has its browser id";
}

# Asking for the same selection twice gives one job, shown to both.
my $qa = decode_json_body($ua{a}->post("$page&op=queue", 'Content-Type' => 'application/json',
    Content => '{"paths":["readme.txt"]}'));
my $qb = decode_json_body($ua{b}->post("$page&op=queue", 'Content-Type' => 'application/json',
    Content => '{"paths":["readme.txt"]}'));
ok $qa->{id} && $qa->{id} eq $qb->{id}, 'the same selection from two browsers: one job';

# A job that stays running (claimed by a worker elsewhere, heartbeating),
# waited for by browsers a and b.
my $now = time;
my $job = 'fedcba9876543210';
sql("INSERT INTO ls_job (id, share_id, selection_key, title, state, entries, files_total, "
    . "bytes_total, created, updated, claim, heartbeat) VALUES ('$job', "
    . sql_quote($j->{id}) . ", 'k-cancel-own', 't', 'running', '[]', 1, 1, $now, $now, "
    . "'elsewhere', " . ($now + 3600) . ")");
sql("INSERT INTO ls_job_browser (job_id, browser) VALUES ('$job', '$id{$_}')") for qw(a b);
my $state = sub { sql_value("SELECT state FROM ls_job WHERE id = '$job'") };
my $waiting = sub {
    join ',', sort map { $_->[0] eq $id{a} ? 'a' : $_->[0] eq $id{b} ? 'b' : 'c' }
      sql("SELECT browser FROM ls_job_browser WHERE job_id = '$job'");
};
my $inbox = sub {
    my $d = decode_json_body($ua{ $_[0] }->get("$page&op=inbox"));
    my ($mine) = grep { $_->{id} eq $job } @{ $d->{jobs} || [] };
    return $mine ? $mine->{state} : 'absent';
};
is $inbox->('a'), 'running', "a's inbox shows the job";
is $inbox->('b'), 'running', "b's inbox shows the job";

my $m = log_mark();
$res = $ua{c}->post("$page&op=cancel&job=$job", Content => '');
is $res->code, 404, 'browser c, not waiting for it, cannot cancel it: 404';
like decode_json_body($res)->{error}, qr/no such download/, '... in words';
is $state->(), 'running', '... the job runs on';
is $waiting->(), 'a,b', '... for both browsers';
like log_since($m, 'error_log', qr/LS00371/), qr/LS00371: share \w+: cancel of job $job refused/,
  '... logged as LS00371';

$res = $ua{a}->post("$page&op=cancel&job=$job", Content => '');
is $res->code, 200, 'browser a cancels: 200';
is decode_json_body($res)->{state}, 'cancelled', '... cancelled, as far as a is concerned';
is $state->(), 'running', '... but the job runs on for b';
is $waiting->(), 'b', '... only b still waits for it';
is $inbox->('a'), 'absent', "... it left a's inbox";
is $inbox->('b'), 'running', "... b's inbox still shows it running";
like log_since($m, 'error_log', qr/LS00370/), qr/LS00370: share \w+: a browser left job $job/,
  '... logged as LS00370';
is $ua{a}->post("$page&op=cancel&job=$job", Content => '')->code, 404,
  'a cannot cancel it twice: 404';

$res = $ua{b}->post("$page&op=cancel&job=$job", Content => '',
    'Content-Type' => 'application/x-www-form-urlencoded', Accept => 'text/html');
is $res->code, 303, 'b, the last one waiting, cancels with the inbox button: 303';
is $state->(), 'cancelled', '... and the job stops';
is $inbox->('b'), 'cancelled', "... b's inbox shows it cancelled";
is $ua{b}->post("$page&op=cancel&job=$job", Content => '')->code, 409,
  'cancelling a cancelled job: 409';
sql("DELETE FROM ls_job_browser WHERE job_id = '$job'");
sql("DELETE FROM ls_job WHERE id = '$job'");
done_testing();

# op=remove: an ended job leaves this browser's inbox (the panel's Remove
# button) and stays for the others who wait for it; a queued or running
# one is refused (409, cancel it first); a job this browser does not have,
# another share's or an unknown one is 404; GET is 405; a form post from
# the page answers 303 back to it.
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
my %ua = map { ($_ => LWP::UserAgent->new(cookie_jar => HTTP::Cookies->new,
    requests_redirectable => [])) } qw(a b);
my $queue = sub {
    my ($who, $paths) = @_;
    decode_json_body($ua{$who}->post("$page&op=queue", 'Content-Type' => 'application/json',
        Content => JSON::PP::encode_json({ paths => $paths })));
};
my $inbox = sub {
    my ($who) = @_;
    map { $_->{id} => $_ } @{ decode_json_body($ua{$who}->get("$page&op=inbox"))->{jobs} || [] };
};
my $wait_done = sub {
    my ($who, $id) = @_;
    for (1 .. 150) {
        my %jobs = $inbox->($who);
        return $jobs{$id}{state} if $jobs{$id} && $jobs{$id}{state} !~ /^(queued|running)$/;
        select undef, undef, undef, 0.1;
    }
    return 'timeout';
};

# Both browsers wait for one job.
my $qa = $queue->('a', ['readme.txt']);
my $qb = $queue->('b', ['readme.txt']);
is $qa->{id}, $qb->{id}, 'two browsers, one job';
is $wait_done->('a', $qa->{id}), 'done', 'it is done';
is $qa->{label}, 'readme.txt', 'one file: its name is the label';

is $ua{a}->get("$page&op=remove&job=$qa->{id}")->code, 405, 'GET op=remove: 405';
my $m = log_mark();
$res = $ua{a}->post("$page&op=remove&job=$qa->{id}");
is $res->code, 200, 'a removes it: 200';
is decode_json_body($res)->{id}, $qa->{id}, '... with the job';
like log_since($m, 'error_log', qr/LS00544/), qr/LS00544: share \w+: a browser removed job $qa->{id}/,
  'logged (LS00544)';
my %a = $inbox->('a');
ok !$a{ $qa->{id} }, "gone from a's inbox";
my %b = $inbox->('b');
is $b{ $qa->{id} }{state}, 'done', "still in b's inbox, done";
is $ua{b}->get($b{ $qa->{id} }{parts}[0]{url})->code, 200, '... and b still downloads it';
is $ua{a}->post("$page&op=remove&job=$qa->{id}")->code, 404, 'removed again: 404';

# A running job (another host's worker heartbeats it): 409.
my $now = time;
my $job = 'abcdef0123456789';
my ($lsb) = $ua{a}->cookie_jar->as_string =~ /\blsb=([0-9a-f]{16})/;
sql("INSERT INTO ls_job (id, share_id, selection_key, title, state, entries, files_total, "
    . "bytes_total, created, updated, claim, heartbeat) VALUES ('$job', "
    . sql_quote($j->{id}) . ", 'k-remove', 't', 'running', '[]', 1, 1, $now, $now, "
    . "'elsewhere', " . ($now + 3600) . ")");
sql("INSERT INTO ls_job_browser (job_id, browser) VALUES ('$job', '$lsb')");
$res = $ua{a}->post("$page&op=remove&job=$job");
is $res->code, 409, 'a running job: 409';
like decode_json_body($res)->{error}, qr/cancel it first/, '... saying to cancel it first';
is $ua{a}->post("$page&op=cancel&job=$job")->code, 200, 'cancelled';
my %c = $inbox->('a');
is $c{$job}{state}, 'cancelled', 'shown as cancelled';
# From the page without script: a form post, 303 back to the inbox.
$res = $ua{a}->post("$page&op=remove&job=$job", 'Content-Type' => 'application/x-www-form-urlencoded',
    Accept => 'text/html', Content => '');
is $res->code, 303, 'the Remove form: 303';
like $res->header('Location'), qr/#ls-inbox$/, '... back to the inbox';
%c = $inbox->('a');
ok !$c{$job}, 'and the cancelled job is gone from the inbox';

# Not this browser's, another share's, unknown.
my $qc = $queue->('b', ['photos']);
is $wait_done->('b', $qc->{id}), 'done', "b's own job is done";
is $ua{a}->post("$page&op=remove&job=$qc->{id}")->code, 404, "another browser's job: 404";
(undef, my $j2) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $page2 = base_url() . url_path($j2->{url});
is $ua{b}->post("$page2&op=remove&job=$qc->{id}")->code, 404, "another share's job: 404";
is $ua{b}->post("$page&op=remove&job=0000000000000fff")->code, 404, 'an unknown job: 404';

done_testing;

# op=events: the Download Inbox's progress pushed as server-sent events.
# The stream's type and headers, an event when a job changes, its end at
# LinkShareEventStream's duration (4 s in the test config), the cap on
# streams per process (3 here, two processes: the seventh is refused with
# 503 and Retry-After), a link revoked or expired while the page is open
# (an event that says so, then the end), a bad token (404) and POST (405).
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use Time::HiRes qw(time sleep);

my ($host, $port);

# Opens a stream (HTTP/1.0: no chunks, the server closes at the end).
sub open_stream {
    my ($path, %o) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port,
        Proto => 'tcp', Timeout => 5) or die "connect: $!";
    my $method = $o{method} || 'GET';
    print $s "$method $path HTTP/1.0\r\nHost: $host\r\n"
      . ($o{cookie} ? "Cookie: $o{cookie}\r\n" : '') . "\r\n";
    return $s;
}

# Reads from $s until $re matches what came (or EOF or $timeout s):
# (everything read, whether it ended, seconds taken).
sub read_until {
    my ($s, $buf_ref, $re, $timeout) = @_;
    my $t0 = time;
    my $sel = IO::Select->new($s);
    while (time - $t0 < $timeout) {
        last if defined $re && $$buf_ref =~ $re;
        next unless $sel->can_read(0.05);
        my $n = sysread $s, my $chunk, 65536;
        return (1, time - $t0) unless $n;    # closed
        $$buf_ref .= $chunk;
    }
    return (0, time - $t0);
}

sub events_of {
    my ($buf) = @_;
    my (undef, $body) = split /\r\n\r\n/, $buf, 2;
    my @ev;
    for my $block (split /\n\n/, $body // '') {
        my ($name) = $block =~ /^event: (\S+)$/m;
        my ($data) = $block =~ /^data: (.*)$/m;
        push @ev, { event => $name, data => defined $data ? decode_json($data) : undef }
          if defined $name;
    }
    return @ev;
}

my ($res, $j) = create_share('alice', 'alicepw', { paths => ['photos', 'readme.txt'] });
is $res->code, 201, 'a share';
($host, $port) = split /:/, Apache::TestRequest::hostport();
my $page = url_path($j->{url});

# A browser id (the cookie the page's first answer sets).
$res = req(GET => "$page&op=inbox");
my ($lsb) = ($res->header('Set-Cookie') // '') =~ /(lsb=[0-9a-f]{16})/;
ok $lsb, 'a browser id';

# ---- type, headers, the first event ----
my $s = open_stream("$page&op=events", cookie => $lsb);
my $buf = '';
read_until($s, \$buf, qr/event: jobs\ndata: .*\n\n/, 3);
like $buf, qr{^HTTP/1\.\d 200}, 'the stream answers 200';
like $buf, qr{^Content-Type: text/event-stream; charset=utf-8\r$}mi, 'text/event-stream';
like $buf, qr{^Cache-Control: no-store\r$}mi, 'Cache-Control: no-store';
like $buf, qr{^X-Accel-Buffering: no\r$}mi, 'X-Accel-Buffering: no (proxies pass each event on)';
like $buf, qr{\r\n\r\nretry: \d+\n\n}, 'tells the browser when to reconnect';
my @ev = events_of($buf);
is $ev[0]{event}, 'jobs', 'the inbox at once';
is_deeply $ev[0]{data}{jobs}, [], '... empty so far';

# ---- a job's change is pushed ----
my $t_queue = time;
my $q = req(POST => "$page&op=queue", headers => [Cookie => $lsb],
    json => { paths => ['photos'] });
is $q->code, 202, 'queued while the stream is open' or diag $q->content;
my $id = decode_json_body($q)->{id};
my ($ended) = read_until($s, \$buf, qr/"state":"done"/, 3.5);
my $waited = time - $t_queue;
@ev = grep { $_->{event} eq 'jobs' } events_of($buf);
my ($done) = grep { $_->{id} eq ($id // '') && $_->{state} eq 'done' }
  map { @{ $_->{data}{jobs} } } @ev;
ok $done, 'an event says the job is done';
cmp_ok $waited, '<', 2, sprintf('... pushed %.0f ms after the queue (no reload, no poll)',
    $waited * 1000);
is $done->{label}, '4 files from photos', 'the job says what it holds';
ok $done->{created} && abs($done->{created} - time) < 60, 'and when it was asked for';
ok @{ $done->{parts} || [] } >= 1 && $done->{parts}[0]{sha256} =~ /^[0-9a-f]{64}$/,
  'with its parts and their SHA-256';

# ---- the end at the maximum duration (4 s) ----
($ended, my $took) = read_until($s, \$buf, undef, 8);
ok $ended, 'the server ends the stream';
my $age = time - $t_queue;
cmp_ok $age, '<', 6.5, sprintf('... after about 4 s (%.1f s)', $age);
@ev = events_of($buf);
is $ev[-1]{event}, 'bye', '... with a last event "bye" (the browser reconnects)';
close $s;

# ---- the cap: 3 per process, 2 processes ----
my @socks = map { open_stream("$page&op=events", cookie => $lsb) } 1 .. 7;
my (@codes, %retry);
for my $k (@socks) {
    my $b = '';
    read_until($k, \$b, qr/\r\n\r\n/, 3);
    my ($code) = $b =~ m{^HTTP/1\.\d (\d+)};
    push @codes, $code // 0;
    if (($code // 0) == 503) {
        my ($ra) = $b =~ /^Retry-After: (\d+)\r$/mi;
        $retry{ $ra // 'none' }++;
    }
}
close $_ for @socks;
my $refused = grep { $_ == 503 } @codes;
my $served = grep { $_ == 200 } @codes;
cmp_ok $refused, '>=', 1, "seven streams at once: some refused (@codes)";
is $refused + $served, 7, '... the rest served';
ok !$retry{none}, '... each refusal with Retry-After';
sleep 0.5;    # the closed streams notice at their next write

# ---- revoked while the page is open ----
$s = open_stream("$page&op=events", cookie => $lsb);
$buf = '';
read_until($s, \$buf, qr/event: jobs\n/, 3);
my $m = log_mark();
is DELETE_as('alice', 'alicepw', "/linkshare/api/shares/$j->{id}")->code, 204, 'the share is revoked';
($ended) = read_until($s, \$buf, undef, 5);
ok $ended, 'the stream ends';
@ev = events_of($buf);
is $ev[-1]{event}, 'gone', '... with an event "gone"';
like $ev[-1]{data}{error} // '', qr/withdrawn/, '... that says the link was withdrawn';
like log_since($m, 'error_log', qr/LS00542/), qr/LS00542/, 'logged (LS00542)';
close $s;
my $r410 = req(GET => "$page&op=events", headers => [Cookie => $lsb]);
is $r410->code, 410, 'a new stream on the revoked link: 410';

# ---- expired while the page is open ----
(undef, my $j2) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $page2 = url_path($j2->{url});
$s = open_stream("$page2&op=events");
$buf = '';
read_until($s, \$buf, qr/event: jobs\n/, 3);
sql("UPDATE ls_share SET expires = " . (time - 1) . " WHERE id = " . sql_quote($j2->{id}));
($ended) = read_until($s, \$buf, undef, 5);
@ev = events_of($buf);
ok $ended && $ev[-1]{event} eq 'gone', 'an expired link: the stream ends with "gone"';
like $ev[-1]{data}{error} // '', qr/expired/, '... that says it expired';
close $s;

# ---- a first visit: the stream gives the browser its id ----
(undef, my $j4) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $s0 = open_stream(url_path($j4->{url}) . '&op=events');
my $b0 = '';
read_until($s0, \$b0, qr/\r\n\r\n/, 3);
like $b0, qr/^Set-Cookie: lsb=[0-9a-f]{16};[^\r]*HttpOnly/mi,
  'a stream without a browser id sets one (the jobs this page queues next are its)';
close $s0;

# ---- bad token, wrong method ----
is req(GET => '/linkshare.html?sh=' . ('A' x 43) . '&op=events')->code, 404, 'an unknown token: 404';
is req(GET => '/linkshare.html?sh=short&op=events')->code, 404, 'a malformed token: 404';
(undef, my $j3) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
is req(POST => url_path($j3->{url}) . '&op=events', json => {})->code, 405, 'POST: 405';

done_testing;

# Share by email: a sharer sends a link to several people; the workers send
# one mail each through a real SMTP server (our sink on loopback), record
# what the server said, retry when it is away, give up on a permanent
# refusal, and tell the sharer when a download completed. Runs a private
# httpd configured for mail beside the test server (same store): the links
# in the mail open on the test server, as on a second node.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use LSMail;
use File::Temp qw(tempdir);
use HTTP::Cookies;
use Time::HiRes qw(time);

plan skip_all => 'needs /usr/bin/python3 for the SMTP sink'
  unless -x '/usr/bin/python3';

my $tmp  = tempdir(CLEANUP => 1);
chmod 0755, $tmp;
my $sink = sink_start(auth => 'linkshare:s3cret pw');
open my $pw, '>', "$tmp/smtp.pw" or die;
print $pw "s3cret pw\n";
close $pw;
chmod 0600, "$tmp/smtp.pw";    # read by httpd at startup, as root

my $mail_conf = <<"CONF";
LinkShareSMTPServer   127.0.0.1:$sink->{port}
LinkShareSMTPStartTLS optional
LinkShareSMTPAuth     linkshare "$tmp/smtp.pw"
LinkShareMailFrom     linkshare\@example.com
LinkShareOrgDomain    example.com corp.example
LinkShareSMTPTimeout  3s
LinkShareMailRetry    1s 5s
CONF

# -- startup checks ------------------------------------------------------------
my ($bad, $out) = mail_httpd_start($mail_conf =~ s/\Q$tmp\E\/smtp.pw/$tmp\/missing.pw/r);
ok !$bad, 'an unreadable password file stops httpd at startup';
like $out, qr/LinkShareSMTPAuth: cannot read the password file '[^']*missing.pw'/,
  '... naming the directive and the file';
($bad, $out) = mail_httpd_start("LinkShareSMTPServer mail.example.com:99999\n");
like $out, qr/LinkShareSMTPServer: 'mail.example.com:99999' is not host\[:port\]/,
  'a bad SMTP server is named';
($bad, $out) = mail_httpd_start("LinkShareSMTPStartTLS sometimes\n");
like $out, qr/LinkShareSMTPStartTLS: 'sometimes' is not one of required, optional, off/,
  'a bad STARTTLS mode is named';
($bad, $out) = mail_httpd_start("LinkShareSMTPServer 127.0.0.1:25\n");
like $out, qr/LS00021: LinkShareMailFrom is required with LinkShareSMTPServer/,
  'a mail server without a sender address: LS00021';

my $h = mail_httpd_start($mail_conf);
ok $h, 'httpd with mail configured starts' or BAIL_OUT('no mail httpd');
my $api = "$h->{url}/linkshare/api/shares";

# The Link Sharing dialog learns from the API that mail is on here.
{
    my $r = req(GET => "$h->{url}/linkshare/api/settings", user => 'alice', pass => 'alicepw');
    my $set = decode_json_body($r);
    ok $set->{mail}, 'settings: mail is configured on this server';
    is_deeply $set->{org_domains}, ['example.com', 'corp.example'], 'settings: the org domains for "External User"';
    $r = req(GET => base_url() . '/linkshare/api/settings', user => 'alice', pass => 'alicepw');
    ok !decode_json_body($r)->{mail}, 'settings on the server without mail: mail false';
}

sub create {
    my ($body) = @_;
    my $r = req(POST => $api, user => 'alice', pass => 'alicepw', json => $body);
    return ($r, decode_json_body($r));
}
sub share {
    my ($id) = @_;
    return decode_json_body(req(GET => "$api/$id", user => 'alice', pass => 'alicepw'));
}
sub rcpt_state {
    my ($id, $email) = @_;
    my ($r) = grep { $_->{email} eq $email } @{ (share($id) || {})->{recipients} || [] };
    return $r || {};
}
sub to { my ($addr) = @_; grep { ($_->{rcpt} // '') eq $addr } sink_messages($sink) }
sub log_text { open my $fh, '<', $h->{log} or return ''; local $/; <$fh> }

# -- a share sent to several people ---------------------------------------------
my $subject = "Fotos f\x{fc}r Zo\x{eb} \x{2713} \x{65e5}\x{672c}";
my $message = "Hi <b>Bob</b> & co,\nhere they are.\n.\nBcc: eve\@evil.example\n";
my $t0 = time;
my ($res, $j) = create({ paths => ['photos/2026/cat.jpg', 'readme.txt'],
    recipients => ['bob@example.com', 'carol@partner.example', 'BOB@example.com'],
    subject => $subject, message => $message });
my $elapsed = time - $t0;
is $res->code, 201, 'share with recipients: 201';
cmp_ok $elapsed, '<', 1.5, sprintf('... at once (%.2f s): the request sends nothing', $elapsed);
my $id = $j->{id};
is scalar @{ $j->{recipients} }, 2, '... the same address twice is one recipient';
is_deeply [map { $_->{mail_state} } @{ $j->{recipients} }], ['queued', 'queued'],
  '... both queued';
is_deeply [map { $_->{external} ? 1 : 0 } @{ $j->{recipients} }], [0, 1],
  '... carol is outside LinkShareOrgDomain: external';
my $tok = token_from_url($j->{url});
my $sealed = sql_value("SELECT sealed_token FROM ls_share_mail WHERE share_id = "
    . sql_quote($id));
ok $sealed && index($sealed, $tok) < 0, 'the store holds the link only sealed';

ok wait_until(15, sub { to('bob@example.com') && to('carol@partner.example') }),
  'both mails delivered';
my ($m) = to('bob@example.com');
is $m->{subject}, $subject, 'subject: non-ASCII decoded from RFC 2047 words';
like $m->{h}{subject}, qr/^=\?UTF-8\?B\?/, '... sent encoded';
is $m->{h}{to}, 'bob@example.com', 'To: the one recipient';
is $m->{from}, '"alice via LinkShare" <linkshare@example.com>',
  'From: the sharer via LinkShare, our sender address';
is $m->{h}{'reply-to'}, 'alice@example.com',
  'Reply-To: the sharer (user name @ the first LinkShareOrgDomain)';
like $m->{h}{date}, qr/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/, 'Date header';
like $m->{h}{'message-id'}, qr/^<[^<>\s]+\@example\.com>$/, 'Message-ID header';
like $m->{h}{'content-type'}, qr{^multipart/alternative; boundary=}, 'multipart/alternative';
is $m->{auth}, 'linkshare', 'sent after AUTH with the password from the file';
like $m->{text}, qr/\Q$message\E/, 'text: the message as written';
like $m->{text}, qr/alice shared this with you/, 'text: who shared';
like $m->{text}, qr/cat\.jpg/, 'text: what is shared';
like $m->{text}, qr/works until \w+day \d+ \w+ \d{4}, \d\d:\d\d UTC/,
  'text: expiry as date, time and zone';
like $m->{html}, qr/Hi &lt;b&gt;Bob&lt;\/b&gt; &amp; co/, 'html: the message escaped';
unlike $m->{html}, qr/<b>Bob/, '... never as markup';
my ($link) = $m->{text} =~ m{(http://\S+linkshare\.html\?sh=\S+)};
ok $link, 'the link is in the text';
is token_from_url($link), $tok, '... the share\'s own link';
is req(GET => url_path($link))->code, 200, '... and it opens on the test server';
my $raw = $m->{raw};
ok !grep({ length > 998 } split /\r\n/, $raw), 'no line over 998 octets';
unlike $raw, qr/(?<!\r)\n/, 'CRLF line ends only';
unlike $raw, qr/\r\n\.\r\n/, 'no line that would end the data early';
ok !(grep { ($_->{rcpt} // '') =~ /evil/ } sink_messages($sink)),
  'the "Bcc:" line in the message reached nobody';
like sink_log($sink), qr/AUTH ok linkshare/, 'the sink saw AUTH succeed';

ok wait_until(5, sub { (rcpt_state($id, 'bob@example.com')->{mail_state} // '') eq 'sent' }),
  'share JSON follows the delivery';
my $bob = rcpt_state($id, 'bob@example.com');
is $bob->{mail_state}, 'sent', 'share JSON: sent';
like $bob->{mail_reply} // '', qr/^250 2\.0\.0 Ok/, '... with the server\'s reply';
is $bob->{mail_attempts}, 1, '... one attempt';
my $log = log_text();
like $log, qr/LS00403: link mail \w+ of share $id to bob\@example.com sent/, 'sent: LS00403';
unlike $log, qr/\Q$tok\E/, 'the token never reaches the error log';
unlike access_log() . log_text(), qr/sh=\Q$tok\E/, '... nor any access log';

# -- header injection: refused, nothing stored ---------------------------------
my $before = sql_value('SELECT COUNT(*) FROM ls_share');
for my $case (
    [{ subject => "Hi\r\nBcc: eve\@evil.example" }, qr/"subject" may not contain line breaks/, 'CRLF in subject'],
    [{ subject => "Hi\nBcc: eve\@evil.example" }, qr/"subject"/, 'LF in subject'],
    [{ message => "Hi\rBcc: eve\@evil.example" }, qr/"message"/, 'lone CR in message'],
    [{ message => "Hi\x{7}" }, qr/"message"/, 'control character in message'],
    [{ recipients => ["bob\@example.com\r\nBcc: eve\@evil.example"] }, qr/"recipients", entry 1/, 'CRLF in address'],
    [{ recipients => ['bob@example.com>, eve@evil.example'] }, qr/"recipients", entry 1/, 'two addresses in one'],
    [{ recipients => [map {"r$_\@example.com"} 1 .. 51] }, qr/more than 50/, 'too many recipients'],
    [{ subject => 'x' x 201 }, qr/"subject" is longer than 200/, 'subject too long'],
    [{ message => 'x' x 4001 }, qr/"message" is longer than 4000/, 'message too long'],
  ) {
    my ($body, $want, $name) = @$case;
    my ($r, $e) = create({ paths => ['readme.txt'], recipients => ['bob@example.com'], %$body });
    is $r->code, 400, "$name: 400";
    like $e->{error} // '', $want, "... naming the field";
}
is sql_value('SELECT COUNT(*) FROM ls_share'), $before, '... and nothing was stored';

# -- a permanent refusal is recorded with the server's words --------------------
($res, $j) = create({ paths => ['readme.txt'], recipients => ['reject-me@example.org', 'dan@example.com'] });
is $res->code, 201, 'share to an address the server refuses';
my $rid = $j->{id};
my $st = wait_until(10, sub {
    my $s = rcpt_state($rid, 'reject-me@example.org');
    $s->{mail_state} && $s->{mail_state} eq 'failed' ? $s : undef });
is $st->{mail_state}, 'failed', '5xx: failed at once, no retry';
like $st->{mail_reply} // '', qr/^550 5\.1\.1 <reject-me\@example\.org>: no such user here/,
  '... with the reply';
is $st->{mail_attempts}, 1, '... after one attempt';
like log_text(), qr/LS00405: link mail \w+ of share $rid to reject-me\@example.org failed: 550/,
  '... logged LS00405';
ok wait_until(10, sub { to('dan@example.com') }), 'the other recipient still got hers';

# -- resend ------------------------------------------------------------------------
$res = req(POST => "$api/$rid/resend", user => 'alice', pass => 'alicepw',
    json => { email => 'nobody@example.com' });
is $res->code, 404, 'resend to an address the share was not sent to: 404';
$res = req(POST => "$api/$rid/resend", user => 'bob', pass => 'bobpw',
    json => { email => 'dan@example.com' });
is $res->code, 404, 'resend of another user\'s share: 404';
$res = req(POST => "$api/$rid/resend", user => 'alice', pass => 'alicepw',
    json => { email => "dan\@example.com\r\nBcc: eve\@evil.example" });
is $res->code, 400, 'resend to an injected address: 400';
$res = req(POST => "$api/$rid/resend", user => 'alice', pass => 'alicepw',
    json => { email => 'dan@example.com' });
is $res->code, 202, 'resend: 202';
my ($dan) = grep { $_->{email} eq 'dan@example.com' } @{ decode_json_body($res)->{recipients} };
is $dan->{mail_state}, 'queued', '... share JSON shows it queued again';
ok wait_until(10, sub { to('dan@example.com') == 2 }), '... and a second mail arrives';

# -- the SMTP server is down when the share is made, then comes back ------------
sink_stop($sink);
my $m0 = scalar sink_messages($sink);
($res, $j) = create({ paths => ['readme.txt'], recipients => ['erin@example.com'] });
is $res->code, 201, 'share while the SMTP server is down: 201 all the same';
my $did = $j->{id};
$st = wait_until(10, sub {
    my $s = rcpt_state($did, 'erin@example.com');
    # Claimed ("sending") shows as queued without a reply: wait for one.
    ($s->{mail_attempts} // 0) >= 1 && $s->{mail_reply} ? $s : undef });
is $st->{mail_state}, 'queued', '... the failed attempt leaves it queued';
like $st->{mail_reply} // '', qr/no SMTP session with 127\.0\.0\.1:$sink->{port}/,
  '... saying why';
like log_text(), qr/LS00404: link mail \w+ of share $did to erin\@example.com not sent \(attempt 1\), retrying in 1s/,
  '... logged LS00404 with the retry delay';
sink_start_again($sink);
ok wait_until(10, sub { to('erin@example.com') }), 'delivered by a retry once it is back';
# The sink keeps the message before it answers 250: the state follows.
ok wait_until(5, sub { (rcpt_state($did, 'erin@example.com')->{mail_state} // '') eq 'sent' }),
  '... and recorded sent';

# -- a temporary refusal that does not end: given up after LinkShareMailRetry -------
($res, $j) = create({ paths => ['readme.txt'], recipients => ['temp-busy@example.com'] });
my $gid = $j->{id};
$st = wait_until(12, sub {
    my $s = rcpt_state($gid, 'temp-busy@example.com');
    $s->{mail_state} && $s->{mail_state} eq 'failed' ? $s : undef });
is $st->{mail_state}, 'failed', '4xx until the give-up age: failed';
like $st->{mail_reply} // '', qr/^given up after \d+ attempts: 451 4\.3\.0/,
  '... saying so, with the last reply';
cmp_ok $st->{mail_attempts}, '>=', 2, "... after $st->{mail_attempts} attempts";

# -- a server that stops answering: LinkShareSMTPTimeout bounds the attempt -------
($res, $j) = create({ paths => ['readme.txt'], recipients => ['slow-sam@example.com'] });
my $sid = $j->{id};
$t0 = time;
$st = wait_until(10, sub {
    my $s = rcpt_state($sid, 'slow-sam@example.com');
    $s->{mail_reply} ? $s : undef });
$elapsed = time - $t0;
ok $st->{mail_reply}, sprintf('a server silent for 8 s: the attempt ends after %.1f s', $elapsed);
cmp_ok $elapsed, '<', 6, '... bounded by LinkShareSMTPTimeout (3s), not the server';
is $st->{mail_state}, 'queued', '... a temporary failure: retried';

# -- delivery receipt ---------------------------------------------------------------
LSTest::ua()->cookie_jar(HTTP::Cookies->new);
($res, $j) = create({ paths => ['readme.txt'], recipients => ['frank@example.com'], receipt => JSON::PP::true() });
is $res->code, 201, 'share asking for a delivery receipt';
my $base = url_path($j->{url});
$res = req(POST => "$base&op=queue", json => { paths => [] });
is $res->code, 202, 'a recipient queues the download (test server)';
my $job = decode_json_body($res);
$job = wait_until(20, sub {
    my $r = decode_json_body(req(GET => "$base&op=inbox")) || {};
    my ($x) = grep { $_->{id} eq $job->{id} && $_->{state} eq 'done' } @{ $r->{jobs} || [] };
    $x });
ok $job, '... packaged';
my $part = $job->{parts}[0];
$res = req(GET => url_path($part->{url}), headers => [Range => 'bytes=0-9']);
is $res->code, 206, 'a range of the part';
select undef, undef, undef, 1;
ok !(grep { $_->{rcpt} eq 'alice@example.com' } sink_messages($sink)),
  '... is not a complete download: no receipt';
$res = req(GET => url_path($part->{url}));
is $res->code, 200, 'the whole part downloaded';
is length($res->content), $part->{size}, '... every byte';
ok wait_until(10, sub { grep { $_->{rcpt} eq 'alice@example.com' } sink_messages($sink) }),
  'the sharer gets a receipt';
my ($rc) = grep { $_->{rcpt} eq 'alice@example.com' } sink_messages($sink);
like $rc->{subject}, qr/^Downloaded: /, '... saying what was downloaded';
like $rc->{text}, qr/downloaded .* completely on \w+day/, '... and when';
is req(GET => url_path($part->{url}))->code, 200, 'the part downloaded again';
select undef, undef, undef, 2;
is scalar(grep { $_->{rcpt} eq 'alice@example.com' } sink_messages($sink)), 1,
  '... no second receipt for the same part';
mail_httpd_stop($h);
sink_stop($sink);

# -- STARTTLS required, a server without it: a clear failure, nothing in clear ----
my $plain = sink_start();
$h = mail_httpd_start(<<"CONF");
LinkShareSMTPServer   127.0.0.1:$plain->{port}
LinkShareSMTPStartTLS required
LinkShareMailFrom     linkshare\@example.com
LinkShareMailRetry    1s 5s
CONF
ok $h, 'httpd with STARTTLS required starts';
$api = "$h->{url}/linkshare/api/shares";
($res, $j) = create({ paths => ['readme.txt'], recipients => ['gina@example.com'], message => 'secret words' });
is $res->code, 201, 'share while the server offers no STARTTLS';
my $tid = $j->{id};
$st = wait_until(10, sub {
    my $s = rcpt_state($tid, 'gina@example.com');
    $s->{mail_state} && $s->{mail_state} eq 'failed' ? $s : undef });
is $st->{mail_state}, 'failed', 'STARTTLS required and not offered: failed';
like $st->{mail_reply} // '', qr/does not offer STARTTLS and LinkShareSMTPStartTLS is required; nothing was sent/,
  '... saying so';
my $slog = sink_log($plain);
like $slog, qr/^EHLO$/m, 'the client greeted the server';
unlike $slog, qr/^(MAIL|RCPT|DATA)/m, '... and sent no envelope and no message in clear';
is scalar(sink_messages($plain)), 0, 'the server received nothing';
mail_httpd_stop($h);
sink_stop($plain);

# -- a server that never accepts the connection (its accept queue is full) -------------
{
    require IO::Socket::INET;
    my $full = IO::Socket::INET->new(Listen => 0, LocalAddr => '127.0.0.1', LocalPort => 0,
        Proto => 'tcp') or die "listen: $!";
    my $fport = $full->sockport;
    my @filler;    # connections nobody accepts: further SYNs are dropped
    for (1 .. 4) {
        my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $fport,
            Blocking => 0);
        push @filler, $c if $c;
    }
    $h = mail_httpd_start(<<"CONF");
LinkShareSMTPServer   127.0.0.1:$fport
LinkShareSMTPStartTLS off
LinkShareMailFrom     linkshare\@example.com
LinkShareSMTPTimeout  3s
LinkShareMailRetry    1m 5m
CONF
    ok $h, 'httpd with an SMTP server that never accepts starts';
    $api = "$h->{url}/linkshare/api/shares";
    my $t1 = time;
    ($res, $j) = create({ paths => ['readme.txt'], recipients => ['kim@example.com'] });
    is $res->code, 201, '... a share with a recipient: 201 at once';
    $st = wait_until(30, sub {
        my $s = rcpt_state($j->{id}, 'kim@example.com');
        $s->{mail_reply} ? $s : undef });
    my $took = time - $t1;
    ok $st->{mail_reply}, sprintf('a connection that never completes: the attempt ends after %.1f s', $took)
      or diag explain $st;
    cmp_ok $took, '<', 12, '... bounded by LinkShareSMTPTimeout (3s), not the kernel\'s SYN retries';
    is $st->{mail_state}, 'queued', '... a temporary failure: retried later';
    mail_httpd_stop($h);
    close $_ for @filler;
    close $full;
}

# -- AUTH with a wrong password: refused by the server, recorded, nothing sent ------------
{
    my $guarded = sink_start(auth => 'linkshare:right pw');
    open my $wf, '>', "$tmp/wrong.pw" or die;
    print $wf "wrong pw\n";
    close $wf;
    chmod 0600, "$tmp/wrong.pw";
    $h = mail_httpd_start(<<"CONF");
LinkShareSMTPServer   127.0.0.1:$guarded->{port}
LinkShareSMTPStartTLS off
LinkShareSMTPAuth     linkshare "$tmp/wrong.pw"
LinkShareMailFrom     linkshare\@example.com
LinkShareMailRetry    1m 5m
CONF
    ok $h, 'httpd with a wrong SMTP password starts (the server decides)';
    $api = "$h->{url}/linkshare/api/shares";
    ($res, $j) = create({ paths => ['readme.txt'], recipients => ['jo@example.com'] });
    is $res->code, 201, 'share with a wrong SMTP password: 201';
    $st = wait_until(10, sub {
        my $s = rcpt_state($j->{id}, 'jo@example.com');
        $s->{mail_reply} ? $s : undef });
    isnt $st->{mail_state} // '', 'sent', 'AUTH refused: not recorded as sent';
    like $st->{mail_reply} // '', qr/\b5\d\d\b/, '... with the server\'s refusal'
      or diag explain $st;
    like sink_log($guarded), qr/^AUTH bad linkshare$/m, '... the server refused the password';
    is scalar(sink_messages($guarded)), 0, '... and received no message';
    mail_httpd_stop($h);
    sink_stop($guarded);
}

# -- STARTTLS: the server's certificate decides --------------------------------------
SKIP: {
    skip 'needs the openssl command', 7 unless `openssl version 2>/dev/null`;
    system('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=DNS:127.0.0.1,IP:127.0.0.1',
        '-keyout', "$tmp/key.pem", '-out', "$tmp/cert.pem", '-loglevel', 'error') == 0
      or system('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=DNS:127.0.0.1,IP:127.0.0.1',
        '-keyout', "$tmp/key.pem", '-out', "$tmp/cert.pem") == 0
      or die "openssl req failed\n";
    chmod 0644, "$tmp/key.pem", "$tmp/cert.pem";
    my $tls = sink_start(starttls => ["$tmp/cert.pem", "$tmp/key.pem"]);
    my $conf = <<"CONF";
LinkShareSMTPServer   127.0.0.1:$tls->{port}
LinkShareSMTPStartTLS required
LinkShareMailFrom     linkshare\@example.com
LinkShareMailRetry    1m 5m
CONF
    # A certificate nobody vouches for: refused, nothing sent.
    $h = mail_httpd_start($conf);
    $api = "$h->{url}/linkshare/api/shares";
    ($res, $j) = create({ paths => ['readme.txt'], recipients => ['hal@example.com'] });
    $st = wait_until(10, sub {
        my $s = rcpt_state($j->{id}, 'hal@example.com');
        $s->{mail_reply} ? $s : undef });
    is $st->{mail_state}, 'queued', 'an untrusted certificate: not sent (retried later)'
      or diag log_text();
    like $st->{mail_reply}, qr/TLS with 127\.0\.0\.1:\d+ refused: the server's certificate did not verify; nothing was sent/,
      '... saying why';
    like sink_log($tls), qr/^STARTTLS$/m, '... STARTTLS was tried';
    unlike sink_log($tls), qr/^(MAIL|RCPT|DATA)/m, '... but no envelope or message went out';
    is scalar(sink_messages($tls)), 0, '... the server received nothing';
    mail_httpd_stop($h);

    # Trusted (the system's CAs, here through SSL_CERT_FILE): sent encrypted.
    {
        local $ENV{SSL_CERT_FILE} = "$tmp/cert.pem";
        $h = mail_httpd_start($conf);
    }
    $api = "$h->{url}/linkshare/api/shares";
    ($res, $j) = create({ paths => ['readme.txt'], recipients => ['ida@example.com'] });
    ok wait_until(10, sub { grep { $_->{rcpt} eq 'ida@example.com' } sink_messages($tls) }),
      'a trusted certificate: delivered'
      or diag explain rcpt_state($j->{id}, 'ida@example.com'), sink_log($tls), log_text();
    my ($enc) = grep { $_->{rcpt} eq 'ida@example.com' } sink_messages($tls);
    is $enc->{tls}, 1, '... over the encrypted session';
    mail_httpd_stop($h);
    sink_stop($tls);
}
done_testing();

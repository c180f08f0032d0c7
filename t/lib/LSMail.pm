package LSMail;
# Helpers for the mail tests: the SMTP sink (t/lib/smtp_sink.py), a private
# httpd configured for mail beside the test server, and parsing what the sink
# received.
#
#   my $sink = sink_start(auth => 'user:pw',    # ->{port}, ->{dir}
#                         starttls => [CERT, KEY]);
#   sink_stop($sink); sink_start_again($sink);  # same port, same directory
#   my @m = sink_messages($sink);               # parsed, oldest first
#   my $h = mail_httpd_start($extra_conf);      # ->{url}, ->{log}; undef +
#                                               #   the output when it fails
#   mail_httpd_stop($h);
#
# The private httpd includes the test server's own extra.conf: the same
# store, assets and LinkSharePublicURL (so links in mail open on the test
# server, as on a second node), with the mail directives added after it.
use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use Encode ();
use File::Temp qw(tempdir);
use FindBin;
use IO::Socket::INET;
use MIME::QuotedPrint ();
use LSTest;

our @EXPORT = qw(sink_start sink_stop sink_start_again sink_messages
  sink_log mail_httpd_start mail_httpd_stop wait_until);

my $PY   = '/usr/bin/python3';
my $SINK = "$FindBin::Bin/lib/smtp_sink.py";

# wait_until(SECONDS, CODE): calls CODE every 0.1 s until it returns true.
sub wait_until {
    my ($secs, $code) = @_;
    my $until = time + $secs;
    while (1) {
        my $v = $code->();
        return $v if $v || time > $until;
        select undef, undef, undef, 0.1;
    }
}

sub sink_start {
    my (%o) = @_;
    my $s = { port => $o{port} || free_port(), dir => $o{dir}
          || tempdir(CLEANUP => 1), auth => $o{auth}, tls => $o{starttls} };
    return sink_start_again($s);
}

sub sink_start_again {
    my ($s) = @_;
    my @cmd = ($PY, $SINK, '--dir', $s->{dir}, '--port', $s->{port});
    push @cmd, '--auth', $s->{auth} if $s->{auth};
    push @cmd, '--starttls', @{ $s->{tls} } if $s->{tls};
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        open STDOUT, '>', '/dev/null';
        exec @cmd or exit 127;
    }
    $s->{pid} = $pid;
    wait_until(10, sub {
        IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $s->{port})
    }) or die "the SMTP sink did not start on port $s->{port}\n";
    return $s;
}

sub sink_stop {
    my ($s) = @_;
    return unless $s->{pid};
    kill 'TERM', $s->{pid};
    waitpid $s->{pid}, 0;
    delete $s->{pid};
}

sub sink_log {
    my ($s) = @_;
    open my $fh, '<', "$s->{dir}/session.log" or return '';
    local $/;
    return <$fh>;
}

sub decode_words { Encode::decode('MIME-Header', $_[0]) }

# One received message: { raw, rcpt, auth, tls, h => {lc name => value},
# text, html } with the bodies decoded to Perl strings.
sub parse_message {
    my ($raw) = @_;
    my %m = (raw => $raw);
    my ($head, $body) = split /\r\n\r\n/, $raw, 2;
    (my $unfolded = $head) =~ s/\r\n[ \t]+/ /g;
    for (split /\r\n/, $unfolded) {
        my ($k, $v) = /^([^:]+):\s*(.*)$/ or next;
        $m{h}{ lc $k } //= $v;
    }
    $m{rcpt} = $m{h}{'x-sink-rcpt-to'};
    $m{auth} = $m{h}{'x-sink-auth'};
    $m{tls}  = $m{h}{'x-sink-tls'};
    $m{subject} = decode_words($m{h}{subject} // '');
    $m{from}    = decode_words($m{h}{from} // '');
    my ($boundary) = ($m{h}{'content-type'} // '') =~ /boundary="([^"]+)"/;
    return \%m unless $boundary;
    for my $part (split /\r\n--\Q$boundary\E(?:--)?\r\n/, "\r\n$body") {
        my ($ph, $pb) = split /\r\n\r\n/, $part, 2;
        next unless defined $pb && $ph =~ m{Content-Type: text/(plain|html)}i;
        my $kind = $1 eq 'plain' ? 'text' : 'html';
        my $dec = $ph =~ /quoted-printable/i
          ? MIME::QuotedPrint::decode_qp($pb) : $pb;
        $dec =~ s/\r\n/\n/g;
        $m{$kind} = Encode::decode('UTF-8', $dec);
    }
    return \%m;
}

sub sink_messages {
    my ($s) = @_;
    opendir my $dh, $s->{dir} or return ();
    my @files = sort grep { /^\d+\.eml$/ } readdir $dh;
    return map {
        open my $fh, '<:raw', "$s->{dir}/$_" or die;
        local $/;
        parse_message(scalar <$fh>);
    } @files;
}

# Starts a private httpd: the test server's modules and extra.conf, then
# EXTRA. Returns { url, dir, conf, log } or (undef, output) if it failed.
sub mail_httpd_start {
    my ($extra) = @_;
    my $dir  = tempdir(CLEANUP => 1);
    chmod 0755, $dir;
    my $port = free_port();
    my $t    = var('t_conf');
    # The test server's document root and extra.conf (store, assets, public
    # URL; its LogLevel put back to info), then the mail directives.
    private_httpd_conf($dir, $port, 'DocumentRoot "' . var('documentroot')
        . qq{"\nInclude "$t/extra.conf"\nLogLevel info\n$extra});
    my $httpd = var('httpd');
    my $out = `timeout 20 '$httpd' -d '$dir' -f '$dir/httpd.conf' -k start 2>&1`;
    my $h = { url => "http://127.0.0.1:$port", dir => $dir,
        log => "$dir/error_log", httpd => $httpd };
    my $up = $? == 0 && wait_until(10, sub {
        IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port)
    });
    if (!$up) {
        my $log = '';
        if (open my $l, '<', "$dir/error_log") { local $/; $log = <$l> // '' }
        mail_httpd_stop($h) if -f "$dir/httpd.pid";
        return (undef, $out . $log);
    }
    return $h;
}

sub mail_httpd_stop {
    my ($h) = @_;
    return unless $h && -f "$h->{dir}/httpd.pid";
    system("'$h->{httpd}' -d '$h->{dir}' -f '$h->{dir}/httpd.conf' -k stop "
          . ">/dev/null 2>&1");
    wait_until(10, sub { !-f "$h->{dir}/httpd.pid" });
}

1;

# LinkShareActivityAddress full and none, and LinkShareActivityRetention
# off, each on a second httpd configured like the test server (its own
# SQLite store).
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use LWP::UserAgent;
use HTTP::Request;
use JSON::PP ();

my $ua = LWP::UserAgent->new(timeout => 10);

sub as_alice {
    my ($method, $url, $body) = @_;
    my $req = HTTP::Request->new($method => $url);
    $req->authorization_basic('alice', 'alicepw');
    if (defined $body) {
        $req->content_type('application/json');
        $req->content($body);
    }
    my $r = $ua->request($req);
    return ($r, eval { JSON::PP->new->utf8->decode($r->content) });
}

# A server with EXTRA directives: a share, two page views and a download
# on it, then its activity as the owner sees it (after waiting for it).
sub visit {
    my ($extra, $want) = @_;
    my $dir = tempdir(CLEANUP => 1);
    chmod 0755, $dir;
    my ($base, $stop) = second_server($dir, sub { $_[0] . "\n$extra\n" });
    my ($r, $j) = as_alice(POST => "$base/linkshare/api/shares",
        '{"paths":["readme.txt"]}');
    is $r->code, 201, "$extra: shared";
    $ua->get($j->{url}) for 1 .. 2;
    $ua->get("$j->{url}&op=file&path=readme.txt");
    my $ev = [];
    for (1 .. ($want ? 80 : 30)) {
        select undef, undef, undef, 0.1;
        (undef, my $d) = as_alice(GET => "$base/linkshare/api/shares/$j->{id}/activity");
        $ev = $d->{events} if $d;
        last if $want && @$ev >= $want;
    }
    $stop->();
    return $ev;
}

my $ev = visit('LinkShareActivityAddress full', 3);
is scalar(@$ev), 3, 'full: three events';
ok !(grep { ($_->{address} // '') ne '127.0.0.1' } @$ev), 'full: the whole address';

$ev = visit('LinkShareActivityAddress none', 3);
is scalar(@$ev), 3, 'none: three events';
ok !(grep { defined $_->{address} } @$ev), 'none: no address';

$ev = visit('LinkShareActivityRetention off', 0);
is scalar(@$ev), 0, 'retention off: nothing recorded';

# Bad values stop httpd at startup with the directive named.
my $httpd = var('httpd');
for my $bad ('LinkShareActivityAddress some', 'LinkShareActivityRetention forever') {
    my $dir = tempdir(CLEANUP => 1);
    open my $f, '>', "$dir/t.conf" or die $!;
    print $f "Include \"" . var('t_conf') . "/modules.conf\"\nServerName x\n$bad\n";
    close $f;
    my $out = `'$httpd' -t -f '$dir/t.conf' 2>&1`;
    (my $name = $bad) =~ s/ .*//;
    like $out, qr/\Q$name\E: '[a-z]+' is not/, "$bad: refused, naming the directive";
}
done_testing();

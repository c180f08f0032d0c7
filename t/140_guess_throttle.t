# Guessing links is throttled per client (LinkShareGuessLimit), across all
# httpd processes, and a valid link is never locked: someone who hammers
# unknown tokens gets 429s with Retry-After, while the link keeps opening,
# for them and for everyone else. Runs its own httpd (short windows,
# mod_remoteip in front, so "the client" is the X-Forwarded-For address).
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use Time::HiRes qw(time sleep);
use IO::Socket::INET;

my $httpd  = var('httpd');
my $assets = asset_root();
my $dir    = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my ($port, $base);
my $modules = '/usr/lib/apache2/modules';

plan skip_all => 'mod_remoteip.so is not installed'
  unless -e "$modules/mod_remoteip.so";

sub conf {
    my ($guess) = @_;
    my $pw = var('ls_htpasswd');
    return <<"CONF";
LoadModule remoteip_module $modules/mod_remoteip.so
RemoteIPHeader X-Forwarded-For
RemoteIPInternalProxy 127.0.0.1
DocumentRoot "@{[var('documentroot')]}"
LinkShareAssetRoot "$assets"
LinkShareAssetURL /assets
LinkSharePublicURL $base
LinkShareStateDir "$dir/state"
LinkShareWorkers 1
$guess
<Location /linkshare/api>
    SetHandler linkshare-api
    AuthType Basic
    AuthName assets
    AuthBasicProvider file
    AuthUserFile "$pw"
    Require valid-user
</Location>
<Location /linkshare.html>
    SetHandler linkshare-page
</Location>
CONF
}

# Each start on a fresh port: the last one may still be closing.
sub start {
    my ($guess) = @_;
    $port = free_port();
    $base = "http://127.0.0.1:$port";
    private_httpd_conf($dir, $port, conf($guess));
    my $out = `'$httpd' -d '$dir' -f '$dir/httpd.conf' -k start 2>&1`;
    die "httpd did not start: $out\n" if $?;
    for (1 .. 100) {
        last if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port");
        sleep 0.05;
    }
}

sub stop {
    system("'$httpd' -d '$dir' -f '$dir/httpd.conf' -k stop >/dev/null 2>&1");
    for (1 .. 200) {
        last unless -e "$dir/httpd.pid"
          or IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port");
        sleep 0.05;
    }
}

sub private_log {
    open my $fh, '<', "$dir/error_log" or return '';
    local $/;
    return <$fh> // '';
}

my @b64 = ('A' .. 'Z', 'a' .. 'z', '0' .. '9', '-', '_');
sub random_token { join '', map { $b64[rand @b64] } 1 .. 43 }

# A GET as the client at address $ip (mod_remoteip reads X-Forwarded-For).
sub get_from {
    my ($ip, $path, @h) = @_;
    return req(GET => "$base$path", headers => ['X-Forwarded-For' => $ip, @h]);
}

# ---- the default: 20 per minute --------------------------------------------

start('');
my ($res, $json) = do {
    my $r = req(POST => "$base/linkshare/api/shares", user => 'alice',
        pass => 'alicepw', json => { paths => ['readme.txt'] });
    ($r, decode_json_body($r));
};
is $res->code, 201, 'a share on the private server';
my $link = url_path($json->{url});

my $guesser = '203.0.113.7';
my (%codes, @retry, $valid_ok);
my $t0 = time;
for my $i (1 .. 300) {
    # Unknown well-formed tokens, and every tenth one malformed.
    my $tok = $i % 10 ? random_token() : 'short' . $i;
    my $r = get_from($guesser, "/linkshare.html?sh=$tok");
    $codes{ $r->code }++;
    push @retry, $r->header('Retry-After') if $r->code == 429;
    if ($i % 50 == 0) {
        $valid_ok++ if get_from($guesser, $link)->code == 200;
    }
}
diag sprintf '300 unknown tokens in %.2f s', time - $t0;
is $codes{404}, 20, 'the first 20 unknown tokens answer 404';
is $codes{429}, 280, 'the other 280 answer 429';
is scalar(grep { defined && /^\d+$/ && $_ >= 1 && $_ <= 60 } @retry), 280,
  'every 429 has Retry-After: the seconds left in the minute';
is $valid_ok, 6, 'meanwhile the valid link opened every time (200) for the same client';

$res = get_from($guesser, "/linkshare.html?sh=" . random_token());
is $res->code, 429, 'still refused';
like $res->header('Content-Type'), qr{^text/html}, '... a page';
like $res->decoded_content, qr{Too many attempts}, '... that says why';
is $res->header('Referrer-Policy'), 'no-referrer', '... with the public headers';
$res = get_from($guesser, "/linkshare.html?sh=" . random_token() . "&op=inbox");
is $res->code, 429, "the page script's inbox request: 429";
like $res->header('Content-Type'), qr{^application/json}, '... in JSON';
like decode_json_body($res)->{error}, qr/Too many links that do not work/, '... with a sentence';
is get_from($guesser, $link)->code, 200, 'the link still opens';
is get_from('203.0.113.8', "/linkshare.html?sh=" . random_token())->code, 404,
  'another client is not affected: its unknown token is a plain 404';
is req(GET => "$base$link")->code, 200, 'nor is the proxy itself';

my $log = private_log();
my @tags = $log =~ /LS00160: client 203\.0\.113\.7 tried 20 links/g;
is scalar(@tags), 1, 'LS00160 logged once for the window, not per refusal';
unlike $log, qr/LS00160: client 203\.0\.113\.8/, 'the other client is not logged';
my $tok = token_from_url($json->{url});
unlike $log, qr/\Q$tok\E/, 'the error log never holds the token';
stop();

# ---- a short window: it works again afterwards -------------------------------

start('LinkShareGuessLimit 5 3s');
my @c = map { get_from($guesser, "/linkshare.html?sh=" . random_token())->code } 1 .. 8;
is "@c", '404 404 404 404 404 429 429 429', 'LinkShareGuessLimit 5 3s: five 404s, then 429';
$res = get_from($guesser, "/linkshare.html?sh=" . random_token());
my $wait = $res->header('Retry-After');
ok defined $wait && $wait >= 1 && $wait <= 3, "Retry-After within the window ($wait)";
is get_from($guesser, $link)->code, 200, 'the valid link opens meanwhile';
sleep $wait + 0.2;
is get_from($guesser, "/linkshare.html?sh=" . random_token())->code, 404,
  'after Retry-After: an unknown token is a 404 again';
stop();

# ---- bad values stop httpd at startup -----------------------------------------

$port = free_port();
for my $bad ('0 1m', '20 forever', 'x 1m', '20 2d') {
    private_httpd_conf($dir, $port, conf("LinkShareGuessLimit $bad"));
    my $out = `'$httpd' -d '$dir' -f '$dir/httpd.conf' -k start 2>&1`;
    isnt $?, 0, "LinkShareGuessLimit $bad: httpd refuses to start";
    like $out, qr/LinkShareGuessLimit: '\Q$bad\E' is not a number of attempts \(1 to 1000000\) and a duration \(1s to 1d\)/,
      '... naming the directive, the value and what it takes';
    stop() if -e "$dir/httpd.pid";
}
private_httpd_conf($dir, $port,
    conf('') . "<VirtualHost 127.0.0.1:1>\nLinkShareGuessLimit 5 1m\n</VirtualHost>\n");
my $out = `'$httpd' -d '$dir' -f '$dir/httpd.conf' -k start 2>&1`;
like $out, qr/LinkShareGuessLimit cannot occur within <VirtualHost> section/,
  'one limit per httpd: not in a VirtualHost';
stop() if -e "$dir/httpd.pid";

done_testing();

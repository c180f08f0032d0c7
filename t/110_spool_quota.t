# Spool quotas: a link holder cannot fill the spool. Past
# LinkShareSpoolPerShare (archives one share keeps, queued and running
# jobs counted by their size) or LinkShareSpoolMax (the whole spool) a
# download answers 507 with a sentence before any work, logged with a
# stable tag; a reused job costs nothing. Bad values stop httpd at startup
# naming the directive. A second httpd, configured like the test server,
# runs with small quotas.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use LWP::UserAgent;
use HTTP::Cookies;
use JSON::PP;

my $dir = tempdir(CLEANUP => !$ENV{KEEP});
chmod 0755, $dir;
diag "kept: $dir" if $ENV{KEEP};
my $httpd = var('httpd');
my $conf  = var('t_conf');
my $root  = asset_root();
my $port  = free_port();

sub slurp_file { local $/; open my $f, '<', shift or die $!; <$f> }
sub spew { open my $f, '>', $_[0] or die "$_[0]: $!"; print $f $_[1]; close $f }

mkdir "$root/quota";
# Random bytes: the archives are as large as the files (nothing to deflate).
spew("$root/quota/$_.bin", join "", map { chr int rand 256 } 1 .. 6000) for qw(a b);
chmod 0644, glob("$root/quota/*.bin");
END { system('rm', '-rf', "$root/quota") }

my $stop = sub {
    system("'$httpd' -d '" . var('serverroot') . "' -f '$dir/httpd.conf' -k stop >/dev/null 2>&1")
      if -f "$dir/httpd.pid";
    for (1 .. 50) { last unless -f "$dir/httpd.pid"; select undef, undef, undef, 0.1 }
};
END { $stop->() if $stop }

# The test server's own configuration on another port, log and state,
# with EXTRA in place of its quota line.
sub configure {
    my ($extra_lines) = @_;
    my $main = slurp_file("$conf/httpd.conf");
    $main =~ s/^Listen\s.*$/Listen 127.0.0.1:$port/m;
    $main =~ s/^PidFile\s.*$/PidFile "$dir\/httpd.pid"/m;
    $main =~ s/^DefaultRuntimeDir\s.*$/DefaultRuntimeDir "$dir"/m;
    $main =~ s/^ErrorLog\s.*$/ErrorLog "$dir\/error_log"/m;
    $main =~ s/^Include\s+"?\Q$conf\E\/extra\.conf"?\s*$/Include "$dir\/extra.conf"/m;
    my $extra = slurp_file("$conf/extra.conf");
    $extra =~ s/^CustomLog\s.*$/CustomLog "$dir\/access_log" linkshare_full/m;
    $extra =~ s/^LinkShareDatabase\s.*$/LinkShareDatabase sqlite3 "$dir\/state\/ls.db"/m;
    $extra =~ s/^LinkShareStateDir\s.*$/LinkShareStateDir "$dir\/state"/m;
    $extra =~ s/^LinkSharePublicURL\s.*$/LinkSharePublicURL http:\/\/127.0.0.1:$port/m;
    $extra =~ s/^LinkShareSpoolPerShare\s.*$/$extra_lines/m or die 'no quota line';
    spew("$dir/httpd.conf", $main);
    spew("$dir/extra.conf", $extra);
    unlink "$dir/error_log";
}

sub start {
    my $out = `'$httpd' -d '@{[var('serverroot')]}' -f '$dir/httpd.conf' -k start 2>&1`;
    my $rc = $? >> 8;
    my $log = -e "$dir/error_log" ? slurp_file("$dir/error_log") : '';
    return ($rc, $out . $log);
}

# -- startup checks --------------------------------------------------------------
configure("LinkShareSpoolPerShare 2G\nLinkShareSpoolMax 1G");
my ($rc, $out) = start();
isnt $rc, 0, 'per share larger than the whole spool: httpd refuses to start';
like $out, qr/LS00040: LinkShareSpoolPerShare \(2147483648 bytes\) is larger than LinkShareSpoolMax \(1073741824 bytes\)/,
  '... naming both directives (LS00040)';
$stop->();
configure("LinkShareSpoolMax lots");
($rc, $out) = start();
like $out, qr/LinkShareSpoolMax: 'lots' is not a size or none/, 'a bad LinkShareSpoolMax is named';
$stop->();
configure("LinkShareSpoolPerShare 0");
($rc, $out) = start();
like $out, qr/LinkShareSpoolPerShare: '0' is not a size/, 'a bad LinkShareSpoolPerShare is named';
$stop->();
configure("<VirtualHost 127.0.0.1:1>\nLinkShareSpoolMax 1G\n</VirtualHost>");
($rc, $out) = start();
like $out, qr/LinkShareSpoolMax cannot occur within <VirtualHost> section/, 'main server only';
$stop->();

# -- a server with small quotas ----------------------------------------------------
configure("LinkShareSpoolPerShare 10000\nLinkShareSpoolMax 15000");
($rc, $out) = start();
is $rc, 0, 'a second server starts with small spool quotas';
my $base = "http://127.0.0.1:$port";
my $ua = LWP::UserAgent->new(timeout => 30, cookie_jar => HTTP::Cookies->new);
for (1 .. 50) {
    last if $ua->get("$base/linkexpired.html")->code == 200;
    select undef, undef, undef, 0.1;
}
my $J = JSON::PP->new;

sub share {
    my $req = HTTP::Request->new(POST => "$base/linkshare/api/shares");
    $req->authorization_basic('alice', 'alicepw');
    $req->content_type('application/json');
    $req->content('{"paths":["quota"]}');
    my $r = $ua->request($req);
    return $r->code == 201 ? $J->decode($r->content)->{url} : undef;
}

sub queue {
    my ($link, @paths) = @_;
    my $r = $ua->post("$link&op=queue", 'Content-Type' => 'application/json',
        Content => $J->encode({ paths => \@paths }));
    return ($r, eval { $J->decode($r->content) } || {});
}

sub wait_done {
    my ($link, $id) = @_;
    for (1 .. 100) {
        my $r = $ua->get("$link&op=inbox");
        my ($j) = grep { $_->{id} eq $id } @{ (eval { $J->decode($r->content) } || {})->{jobs} || [] };
        return $j->{state} if $j && $j->{state} =~ /^(done|failed)$/;
        select undef, undef, undef, 0.1;
    }
    return '';
}

sub jobs { my $n = `sqlite3 '$dir/state/ls.db' 'SELECT COUNT(*) FROM ls_job'`; chomp $n; $n }

my $l1 = share();
ok $l1, 'shared';
my ($r, $j) = queue($l1, 'quota/a.bin');
is $r->code, 202, '6,000 bytes with 10,000 per share: queued';
is wait_done($l1, $j->{id}), 'done', '... and packaged (kept in the spool)';

my $n = jobs();
($r, $j) = queue($l1, 'quota/b.bin');
is $r->code, 507, 'another 6,000 bytes on the same link: 507';
like $j->{error} // '', qr/This link's downloads may take up to 9\.8 KB on the server/,
  '... says why in a sentence';
like slurp_file("$dir/error_log"),
  qr/LS00342: share [0-9a-f]{16}: \d+ bytes kept or queued, a download of 6000 bytes would pass LinkShareSpoolPerShare \(10000\); refused/,
  '... logged LS00342';
is jobs(), $n, '... and nothing queued';

($r, $j) = queue($l1, 'quota/a.bin');
is $r->code, 202, 'the same selection again: reused, costs nothing';

my $l2 = share();
($r, $j) = queue($l2, 'quota/a.bin');
is $r->code, 202, 'another link has its own quota: queued';
is wait_done($l2, $j->{id}), 'done', '... and packaged';

my $l3 = share();
$n = jobs();
($r, $j) = queue($l3, 'quota/b.bin');
is $r->code, 507, 'a third link past LinkShareSpoolMax 15000: 507';
like $j->{error} // '', qr/The server has no room to prepare this download now/, '... says so';
like slurp_file("$dir/error_log"),
  qr/LS00343: share [0-9a-f]{16}: the spool holds or has queued \d+ bytes, a download of 6000 bytes would pass LinkShareSpoolMax \(15000\); refused/,
  '... logged LS00343';
is jobs(), $n, '... and nothing queued';
is $ua->get("$l3&op=file&path=quota/b.bin")->code, 200, 'single files still download';
done_testing();

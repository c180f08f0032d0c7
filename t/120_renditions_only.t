# No original leaves a share without originals. With renditions, the ZIP
# of such a share holds renditions only and leaves out what has none; on
# a server without LinkShareRenditionRoot and without a renderer (LinkShareRenderer off) nothing has a rendition, so a
# download answers 400 with a sentence and nothing is queued. Checked by
# SHA-256: no file in any ZIP equals any original.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use Digest::SHA qw(sha256_hex);
use File::Find qw(find);
use File::Temp qw(tempdir);
use HTTP::Cookies;
use JSON::PP;
use LWP::UserAgent;

my $tmp = tempdir(CLEANUP => 1);
chmod 0755, $tmp;
my $root = asset_root();
sub slurp_file { local $/; open my $f, '<:raw', shift or die $!; <$f> }
sub spew { open my $f, '>:raw', $_[0] or die "$_[0]: $!"; print $f $_[1]; close $f }

# Every original's SHA-256.
my %original;
find({ no_chdir => 1, wanted => sub { $original{ sha256_hex(slurp_file($_)) } = $_ if -f $_ && !-l $_ } },
    $root);
ok scalar(keys %original) > 5, 'hashed the originals (' . scalar(keys %original) . ')';

# Hashes of every file in the ZIPs of a done job; the names listed.
sub zip_files {
    my ($get, $job) = @_;
    my (%sha, @names);
    for my $p (@{ $job->{parts} || [] }) {
        my $z = "$tmp/$job->{id}-$p->{n}.zip";
        spew($z, $get->($p->{url})->content);
        my $x = "$tmp/x-$job->{id}-$p->{n}";
        mkdir $x;
        system("cd '$x' && unzip -qo '$z'") == 0 or die "unzip $z";
        find({ no_chdir => 1, wanted => sub { $sha{ sha256_hex(slurp_file($_)) } = $_ if -f $_ } }, $x);
        push @names, split /\n/, `unzip -Z1 '$z'`;
    }
    return (\%sha, \@names);
}

# -- on the test server, with renditions -------------------------------------------------
LSTest::ua()->cookie_jar(HTTP::Cookies->new);
my ($res, $j) = create_share('alice', 'alicepw',
    { paths => ['photos/2026', 'press kit'], allow_original => JSON::PP::false });
is $res->code, 201, 'shared without originals';
my $base = url_path($j->{url});
$res = req(POST => "$base&op=queue", json => { paths => [] });
is $res->code, 202, 'the whole share queued';
my $job = decode_json_body($res);
for (1 .. 200) {
    my ($x) = grep { $_->{id} eq $job->{id} } @{ decode_json_body(req(GET => "$base&op=inbox"))->{jobs} };
    $job = $x;
    last if $job->{state} =~ /^(done|failed)$/;
    select undef, undef, undef, 0.1;
}
is $job->{state}, 'done', '... and packaged';
my ($sha, $names) = zip_files(sub { req(GET => url_path($_[0])) }, $job);
ok scalar(keys %$sha) >= 1, 'the ZIP holds renditions (' . join(', ', grep { !m{/$} } @$names) . ')';
is_deeply [grep { $original{$_} } keys %$sha], [], 'no file in it equals an original';
ok !(grep { m{notes\.txt$} } @$names), 'a file without a rendition is left out';

# -- a server without LinkShareRenditionRoot ------------------------------------------------
my $httpd = var('httpd');
my $conf  = var('t_conf');
my $port  = free_port();
my $dir   = "$tmp/srv";
mkdir $dir;
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
$extra =~ s/^LinkShareRenditionRoot\s.*$//m or die 'no LinkShareRenditionRoot line';
# ... and makes none either (t/190 has the generated ones).
$extra .= "\nLinkShareRenderer off\n";
spew("$dir/httpd.conf", $main);
spew("$dir/extra.conf", $extra);
my $stop = sub {
    system("'$httpd' -d '" . var('serverroot') . "' -f '$dir/httpd.conf' -k stop >/dev/null 2>&1")
      if -f "$dir/httpd.pid";
    for (1 .. 50) { last unless -f "$dir/httpd.pid"; select undef, undef, undef, 0.1 }
};
END { $stop->() if $stop }
is system("'$httpd' -d '" . var('serverroot') . "' -f '$dir/httpd.conf' -k start"), 0,
  'a second server starts without LinkShareRenditionRoot and without a renderer';
my $ua = LWP::UserAgent->new(timeout => 30, cookie_jar => HTTP::Cookies->new);
my $site = "http://127.0.0.1:$port";
for (1 .. 50) {
    last if $ua->get("$site/linkexpired.html")->code == 200;
    select undef, undef, undef, 0.1;
}
my $J = JSON::PP->new;
my $req = HTTP::Request->new(POST => "$site/linkshare/api/shares");
$req->authorization_basic('alice', 'alicepw');
$req->content_type('application/json');
$req->content('{"paths":["photos/2026","press kit"],"allow_original":false}');
$res = $ua->request($req);
is $res->code, 201, 'shared without originals there';
my $link = $J->decode($res->content)->{url};

$res = $ua->post("$link&op=queue", 'Content-Type' => 'application/json', Content => '{"paths":[]}');
is $res->code, 400, 'the whole share: 400';
like eval { $J->decode($res->content)->{error} } // '',
  qr/allowed renditions only, and there are none on this server/, '... says why';
like slurp_file("$dir/error_log"), qr/LS00344: None of the selected files may be downloaded/,
  '... logged LS00344';
is `sqlite3 '$dir/state/ls.db' 'SELECT COUNT(*) FROM ls_job'` + 0, 0, '... and nothing queued';
my @parts = glob("$dir/state/spool/*.zip");
is scalar @parts, 0, '... nor packaged';
$res = $ua->post("$link&op=queue", 'Content-Type' => 'application/json',
    Content => '{"paths":["press kit/notes.txt"]}');
is $res->code, 400, 'one file: 400 too';
is $ua->get("$link&op=file&path=press%20kit/notes.txt")->code, 404, 'op=file of an original: 404';
done_testing();

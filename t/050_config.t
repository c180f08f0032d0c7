# Configuration mistakes stop httpd at startup with a message that names
# the directive and what it accepts.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);

my $httpd   = var('httpd');
my $assets  = asset_root();
my $dir     = tempdir(CLEANUP => 1);
chmod 0755, $dir;

# Runs httpd in the foreground with a minimal config plus EXTRA; returns
# (exit code, everything it printed). A config that starts is stopped.
sub try_config {
    my ($extra) = @_;
    private_httpd_conf($dir, free_port(), $extra);
    unlink "$dir/error_log";
    my $out = `timeout 20 '$httpd' -d '$dir' -f '$dir/httpd.conf' -k start 2>&1`;
    my $rc = $? >> 8;
    # A config that starts: the detached parent writes its pid file once
    # the real configuration pass is done (a refused one exits in the
    # foreground, leaving none); stopped, it removes it when it is gone.
    wait_file($rc == 0 ? 5 : 0, sub { -f "$dir/httpd.pid" });
    if (-f "$dir/httpd.pid") {
        system("'$httpd' -d '$dir' -f '$dir/httpd.conf' -k stop >/dev/null 2>&1");
        wait_file(10, sub { !-f "$dir/httpd.pid" });
    }
    my $log = '';
    if (open my $l, '<', "$dir/error_log") { local $/; $log = <$l> // '' }
    return ($rc, $out . $log);
}

# Polls COND every 20 ms for up to SECS seconds.
sub wait_file {
    my ($secs, $cond) = @_;
    for (my $t = 0; $t < $secs && !$cond->(); $t += 0.02) { select undef, undef, undef, 0.02 }
}

my $base = "LinkShareAssetRoot \"$assets\"\nLinkShareAssetURL /assets\n"
  . "LinkSharePublicURL http://127.0.0.1\nLinkShareStateDir \"$dir/state\"\n";

my ($rc, $out) = try_config("LinkShareDefaultExpiry forever\n$base");
isnt $rc, 0, 'bad duration: httpd refuses to start';
like $out, qr/LinkShareDefaultExpiry: 'forever' is not a duration/, '... naming the directive and value';

# What one httpd does once for all its virtual hosts (the store, the
# caches, the worker pool, the throttle, the mail) follows the main server:
# every directive conf/linkshare.conf marks "main server only" (make
# check-directives holds that to the code) stops httpd in a <VirtualHost>,
# naming itself. A new one needs a sample value here.
my %sample = (
    LinkShareDatabase      => 'sqlite3 /x',
    LinkShareStateDir      => '/tmp',
    LinkShareCacheTTL      => '10',
    LinkShareGuessLimit    => '5 1m',
    LinkShareEventStream   => '30s 4',
    LinkShareWorkers       => '3',
    LinkShareSpool         => '/tmp',
    LinkShareZipPartSize   => '1G',
    LinkShareCompression   => 'store',
    LinkShareArchiveTTL    => '2h',
    LinkShareWorkerTimeout => '20s',
    LinkShareSpoolPerShare => '1G',
    LinkShareSpoolMax      => '1G',
    LinkShareSMTPServer    => '127.0.0.1:25',
    LinkShareSMTPStartTLS  => 'off',
    LinkShareSMTPAuth      => 'user /nonexistent',
    LinkShareMailFrom      => 'linkshare@example.com',
    LinkShareOrgDomain     => 'example.com',
    LinkShareSMTPTimeout   => '10s',
    LinkShareMailRetry     => '1m 1h',
    LinkShareRenditionCache     => '/tmp',
    LinkShareRenditionCacheSize => '1G',
    LinkShareRenditionMaxPixels => '50000000',
    LinkShareRenditionTimeout   => '30s',
    LinkShareRenderer           => 'off',
    LinkShareActivityRetention  => '30d',
);
my $reference = do {
    local $/;
    open my $c, '<', "$FindBin::Bin/../conf/linkshare.conf" or die $!;
    <$c>;
};
my %main_only;
while ($reference =~ /^# (LinkShare\w+) (.*?)(?=^\s*$|^# LinkShare\w+ |\z)/msg) {
    my ($name, $entry) = ($1, $2);
    $main_only{$name} = 1 if $entry =~ /main server only/i;
}
is_deeply [sort keys %main_only], [sort keys %sample],
  'the main-server-only directives of conf/linkshare.conf are the ones tried here';
for my $name (sort keys %main_only) {
    my $vport = free_port();
    ($rc, $out) = try_config("$base\nListen 127.0.0.1:$vport\n"
        . "<VirtualHost 127.0.0.1:$vport>\n    $name $sample{$name}\n</VirtualHost>\n");
    isnt $rc, 0, "$name in a <VirtualHost>: httpd refuses to start";
    like $out, qr/\Q$name\E cannot occur within <VirtualHost> section/, '... naming it';
}

($rc, $out) = try_config("LinkShareRenditionMaxPixels 12\n$base");
like $out, qr/LinkShareRenditionMaxPixels: '12' is not a number of pixels from 1000000/,
  'bad pixel limit named';

# Link protection (#10): bad values are named; originals forced off with
# nothing to send instead is a conflict.
for my $bad (['LinkShareUnlockTTL 30s', qr/LinkShareUnlockTTL: '30s' is not a duration from 1m to 366d/],
             ['LinkShareOriginalsChoice maybe', qr/LinkShareOriginalsChoice: 'maybe' is not editable, readonly or hidden/],
             ['LinkShareAllowOriginals perhaps', qr/LinkShareAllowOriginals must be On or Off/],
             ['LinkShareRequirePassword 1', qr/LinkShareRequirePassword must be On or Off/]) {
    ($rc, $out) = try_config("$bad->[0]\n$base");
    isnt $rc, 0, "$bad->[0]: httpd refuses to start";
    like $out, $bad->[1], '... naming the directive and what it accepts';
}
($rc, $out) = try_config("LinkShareAllowOriginals off\nLinkShareOriginalsChoice hidden\n"
    . "LinkShareRenderer off\n$base");
isnt $rc, 0, 'originals forced off without renditions: httpd refuses to start';
like $out, qr/LS00066: LinkShareAllowOriginals off with LinkShareOriginalsChoice readonly or hidden needs renditions/,
  '... saying why (LS00066)';
($rc, $out) = try_config("LinkShareAllowOriginals off\nLinkShareOriginalsChoice hidden\n"
    . "LinkShareRenderer off\nLinkShareRenditionRoot \"" . rendition_root() . "\"\n"
    . "LinkShareRequirePassword on\nLinkShareUnlockTTL 12h\n$base");
is $rc, 0, '... with LinkShareRenditionRoot it starts';

# A renderer the admin names must be there; the default missing only
# means type icons (LS00061).
($rc, $out) = try_config("LinkShareRenderer /nonexistent/render\n$base");
isnt $rc, 0, 'a LinkShareRenderer that is not there stops startup';
like $out, qr/LS00060: LinkShareRenderer: \/nonexistent\/render is not an executable program/,
  '... naming it';

# A state directory that cannot be made stops startup, naming it.
for my $name (qw(LinkShareSpool LinkShareRenditionCache)) {
    ($rc, $out) = try_config("$name /proc/linkshare-test/x\n$base");
    isnt $rc, 0, "$name that cannot be created: httpd does not start";
    like $out, qr/LS00018: \Q$name\E: cannot create the directory \/proc\/linkshare-test\/x/,
      '... naming it';
}

# LinkShareBrand: a logo that is not a readable PNG/SVG/JPEG/WebP, or a
# colour that is not one, stops startup naming the directive.
{
    open my $f, '>', "$dir/notes.txt" or die $!; print $f "just text\n"; close $f;
    open $f, '>', "$dir/logo.svg" or die $!;
    print $f qq{<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n}; close $f;
}
for my $bad (['"Ex" logo.png', qr/LinkShareBrand: the logo 'logo\.png' is not an absolute path/, 'a relative logo'],
             ['Ex /nonexistent/logo.png', qr/LinkShareBrand: the logo '\/nonexistent\/logo\.png' is not a file httpd can read/, 'a missing logo'],
             ["Ex \"$dir/notes.txt\"", qr/LinkShareBrand: the logo '\Q$dir\E\/notes\.txt' is not a PNG, SVG, JPEG or WebP image/, 'a logo that is not an image'],
             ['Ex #12345', qr/LinkShareBrand: '#12345' is not a colour; give # and 3 or 6 hex digits/, 'a bad colour'],
             ["Ex \"$dir/logo.svg\" red", qr/LinkShareBrand: 'red' is not a colour/, 'a colour by name'],
             ['""', qr/LinkShareBrand takes one, two or three arguments/, 'an empty name']) {
    ($rc, $out) = try_config("LinkShareBrand $bad->[0]\n$base");
    isnt $rc, 0, "LinkShareBrand with $bad->[2]: httpd refuses to start";
    like $out, $bad->[1], '... naming the directive and what is wrong';
}
($rc, $out) = try_config("LinkShareBrand \"Example Corp\" \"$dir/logo.svg\" #0a58ca\n$base");
is $rc, 0, 'LinkShareBrand with an SVG logo and a colour starts';
($rc, $out) = try_config("LinkShareBrand Example #abc\n$base");
is $rc, 0, '... and with a name and a colour only';

($rc, $out) = try_config("LinkShareCacheTTL -1\n$base");
like $out, qr/LinkShareCacheTTL: '-1' is not a number of seconds from 0/, 'bad TTL named';

($rc, $out) = try_config("LinkSharePublicURL ftp://x\n$base");
like $out, qr/LinkSharePublicURL: 'ftp:\/\/x' is not an absolute http or https URL/, 'bad public URL named';

($rc, $out) = try_config("LinkShareAssetURL assets\n$base");
like $out, qr/LinkShareAssetURL: 'assets' is not a URL path/, 'bad asset URL named';

($rc, $out) = try_config("LinkShareDisplayNameVar 'CN;rm'\n$base");
isnt $rc, 0, 'a LinkShareDisplayNameVar that is no variable name: refuses to start';
like $out, qr/LinkShareDisplayNameVar: 'CN;rm' is not a variable name/, '... naming it';
($rc, $out) = try_config("LinkShareDisplayNameVar AUTHENTICATE_CN\n$base");
is $rc, 0, 'LinkShareDisplayNameVar AUTHENTICATE_CN: starts';

# Without mail, a sealing key that cannot be made is no reason to stop:
# links are then shown once only (LS00520). With mail it is (LS00400, t/090).
# (The activity log keeps its batches in the state directory: off here.)
mkdir "$dir/elsewhere";
my $unwritable_state = "LinkShareAssetRoot \"$assets\"\nLinkShareAssetURL /assets\n"
    . "LinkSharePublicURL http://127.0.0.1\nLinkShareStateDir /proc/linkshare-test/state\n"
    . "LinkShareDatabase sqlite3 \"$dir/elsewhere/ls.db\"\nLinkShareSpool \"$dir/elsewhere/spool\"\n"
    . "LinkShareRenditionCache \"$dir/elsewhere/r\"\nLinkShareRenderer off\n";
($rc, $out) = try_config($unwritable_state . "LinkShareActivityRetention off\n");
is $rc, 0, 'no sealing key and no mail: httpd starts';
like $out, qr/LS00520: cannot create or read the sealing key \/proc\/linkshare-test\/state\/mail\.key: new links are shown once/,
  '... and says what that costs (LS00520)';
# With the activity log on (the default), its batches' directory must be
# made there: a clear startup error naming it, not a log that records
# nothing.
($rc, $out) = try_config($unwritable_state);
isnt $rc, 0, 'the activity log on and no state directory: refuses to start';
like $out, qr{LS00018: LinkShareActivityRetention: cannot create the directory /proc/linkshare-test/state/activity},
  '... naming the directory (LS00018)';

($rc, $out) = try_config("LinkShareAssetRoot /nonexistent/assets\nLinkShareAssetURL /a\n"
    . "LinkSharePublicURL http://127.0.0.1\nLinkShareStateDir \"$dir/state\"\n");
isnt $rc, 0, 'missing asset root: refuses to start';
like $out, qr/LS00002: LinkShareAssetRoot '\/nonexistent\/assets' is not an existing directory/, '... LS00002';

($rc, $out) = try_config("LinkShareAssetRoot \"$assets\"\nLinkShareAssetURL /a\n"
    . "LinkShareStateDir \"$dir/state\"\n");
like $out, qr/LS00003: LinkSharePublicURL is required/, 'missing public URL: LS00003';

($rc, $out) = try_config("LinkShareDefaultExpiry 40d\nLinkShareMaxExpiry 30d\n$base");
like $out, qr/LS00001: LinkShareDefaultExpiry .* is longer than LinkShareMaxExpiry/, 'default beyond max: LS00001';

($rc, $out) = try_config("LinkShareDatabase nosuchdb x\n$base");
like $out, qr/LS00014: LinkShareDatabase nosuchdb: the store cannot be opened: apr_dbd driver "nosuchdb" is not available/,
  'unknown driver: LS00014 naming it';

($rc, $out) = try_config("LinkShareDatabase pgsql \"host=127.0.0.1 port=1 dbname=x connect_timeout=2\"\n$base");
like $out, qr/LS00014: LinkShareDatabase pgsql: the store cannot be opened/, 'unreachable PostgreSQL: LS00014';

($rc, $out) = try_config($base);
is $rc, 0, 'a good config starts';
like $out, qr/LS00010: mod_linkshare\/\S+ store sqlite3, schema v\d+/, 'startup logs version and store';
ok -f "$dir/state/linkshare.db", 'default SQLite store created in LinkShareStateDir';
is sprintf('%04o', (stat "$dir/state")[2] & 07777), '0750',
  'the state directory is rwxr-x---';
if ($> == 0) {
    my $uid = (stat "$dir/state")[4];
    is $uid, scalar getpwnam(var('user')),
      '... handed to the user httpd children run as';
}

($rc, $out) = try_config("");
is $rc, 0, 'loaded but unconfigured: starts and stays inactive';
unlike $out, qr/LS00010/, '... opening no store';
done_testing();

# The sharer pages and the API calls they make: alice browses the asset
# tree she may read, reads the dialog's settings and her earlier
# recipients, and opens the Link Sharing dialog and the Shared Links list.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/AH01631: user (alice|bob): authorization failure for "\/assets\/private\//,
    qr/AH01617: user alice: authentication failure for "\/linkshare\/(share|links)\.html"/,
    qr/LS00214: the sharer page \/unprotected\/links\.html is reachable without authentication/,
    qr/AH00037: Symbolic link not allowed or link target not accessible: \S*\/assets\/escape/);

my @alice = (user => 'alice', pass => 'alicepw');

sub names { [map { $_->{name} } @{ $_[0]{entries} }] }

# -- GET .../assets ------------------------------------------------------------
my $res = req(GET => '/linkshare/api/assets', @alice);
is $res->code, 200, 'assets: the root lists';
is $res->header('Cache-Control'), 'no-store', '... not cacheable';
my $j = decode_json_body($res);
is $j->{path}, '', '... path is the root';
my @kinds = map { $_->{kind} } @{ $j->{entries} };
my $first_file = (grep { $kinds[$_] eq 'file' } 0 .. $#kinds)[0];
ok !(grep { $_ eq 'folder' } @kinds[$first_file .. $#kinds]),
  '... folders first';
ok((grep { $_ eq 'press kit' } @{ names($j) }), '... a folder with a space');
ok((grep { $_ eq "caf\x{e9} menu.txt" } @{ names($j) }), '... a non-ASCII name');
ok((grep { $_ eq 'Q3 "final" report.pdf' } @{ names($j) }), '... quotes kept');
ok !(grep { /^\./ } @{ names($j) }), '... no hidden files';
ok !(grep { $_ eq 'escape' } @{ names($j) }),
  '... the symlink leaving the root is not listed';
is $j->{truncated}, JSON::PP::false, '... not truncated';
is $j->{total}, scalar @{ $j->{entries} }, '... total counts every entry';
ok $j->{limit} >= 100, "... says its limit ($j->{limit})";
my ($readme) = grep { $_->{name} eq 'readme.txt' } @{ $j->{entries} };
is_deeply $readme, { name => 'readme.txt', path => 'readme.txt', kind => 'file',
    size => -s asset_root() . '/readme.txt', modified => '2026-01-01T00:00:00Z' },
  '... a file with its size and modification time';

$res = req(GET => '/linkshare/api/assets?path=press%20kit', @alice);
is $res->code, 200, 'assets: a folder';
$j = decode_json_body($res);
is_deeply names($j), ['brochure.pdf', 'logo.png', 'notes.txt', 'product video.mp4'],
  '... its files, by name';
is $j->{entries}[0]{path}, 'press kit/brochure.pdf', '... paths from the root';
$res = req(GET => '/linkshare/api/assets?path=photos/2026/', @alice);
is_deeply names(decode_json_body($res)), ['summer trip', 'cat.jpg', 'dog.png'],
  'assets: a trailing slash is fine; folders first';
is_deeply decode_json_body(req(GET => '/linkshare/api/assets?path=empty%20folder',
    @alice))->{entries}, [], 'assets: an empty folder';

# A folder too big for one answer: the first entries, and the JSON says so.
# Made here and removed at the end: other tests list the root.
my $many = asset_root() . '/many files';
END { File::Path::remove_tree($many) if $many && -d $many }
require File::Path;
File::Path::make_path($many);
for my $n (1 .. 1005) {
    open my $fh, '>', sprintf('%s/f%04d.txt', $many, $n) or die "$many: $!";
    close $fh;
}
$res = req(GET => '/linkshare/api/assets?path=many%20files', @alice);
$j = decode_json_body($res);
is $res->code, 200, 'assets: a folder of 1005 files';
is scalar @{ $j->{entries} }, $j->{limit}, '... answers the first "limit" entries';
is $j->{limit}, 1000, '... 1000 of them';
is $j->{total}, 1005, '... counts them all';
is $j->{truncated}, JSON::PP::true, '... and says it is truncated';
is $j->{entries}[0]{name}, 'f0001.txt', '... in name order';
File::Path::remove_tree($many);

# Traversal and other bad paths never list anything outside the root.
for my $t (['..', 400], ['../..', 400], ['photos/../..', 400],
    ['%2e%2e/etc', 400], ['/etc', 400], ['photos//2026', 400],
    ["a%00b", 400], ['a%5cb', 400],
    ['no such folder', 404], ['readme.txt', 404]) {
    my ($p, $code) = @$t;
    $res = req(GET => "/linkshare/api/assets?path=$p", @alice);
    is $res->code, $code, "assets: path=$p is $code";
    ok !exists((decode_json_body($res) || {})->{entries}), '... and lists nothing';
    like((decode_json_body($res) || {})->{error} // '', qr/\w/, '... says why');
}
# httpd refuses the symlink to /etc itself (no FollowSymLinks: 403); with
# FollowSymLinks our confinement answers 404. Never a listing.
$res = req(GET => '/linkshare/api/assets?path=escape', @alice);
like $res->code, qr/^40[34]$/, 'assets: the symlink to /etc is refused';
unlike $res->content, qr/passwd/, '... and nothing of /etc shows';

# Permission: the same subrequest as sharing.
my $m = log_mark();
$res = req(GET => '/linkshare/api/assets?path=private', @alice);
is $res->code, 403, 'assets: a folder alice may not read is 403';
is decode_json_body($res)->{error}, 'You do not have access to this folder.',
  '... in words';
like log_since($m, 'error_log', qr/LS00212/), qr/LS00212: user alice may not list folder "private"/,
  '... logged LS00212';
$res = req(GET => '/linkshare/api/assets?path=private', user => 'admin', pass => 'adminpw');
is_deeply names(decode_json_body($res)), ['secret.txt'], '... the admin may';
is req(GET => '/linkshare/api/assets')->code, 401, 'assets: not signed in is 401';
$res = req(POST => '/linkshare/api/assets', @alice, json => {});
is $res->code, 405, 'assets: POST is 405';
like $res->header('Allow') // '', qr/^GET$/, '... Allow: GET';

# -- GET .../settings ----------------------------------------------------------
$j = decode_json_body(req(GET => '/linkshare/api/settings', @alice));
is_deeply $j, { user => 'alice', admin => JSON::PP::false, mail => JSON::PP::false,
    org_domains => [], default_expiry => 86400, max_expiry => 30 * 86400,
    allow_original => JSON::PP::true, originals_choice => 'editable',
    require_password => JSON::PP::false, password_min => 8, password_max => 256,
    max_downloads_max => 1000000 },
  'settings: user, not admin, no mail, expiry limits and the default link protection policy from the config';
is decode_json_body(req(GET => '/linkshare/api/settings', user => 'admin',
    pass => 'adminpw'))->{admin}, JSON::PP::true, 'settings: LinkShareAdmin is admin';
is req(DELETE => '/linkshare/api/settings', @alice)->code, 405, 'settings: DELETE is 405';

# -- GET .../recipients --------------------------------------------------------
# The test server has no mail configured (t/090 has its own), so earlier
# recipients are put in the store directly, on shares of alice and bob.
my (undef, $sa) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my (undef, $sb) = create_share('bob', 'bobpw', { paths => ['readme.txt'] });
my $pos = 0;
for (['Ann@Example.com', $sa], ['anton@example.org', $sa], ['zoe@example.com', $sa],
    ['a_z@example.com', $sa], ['anna.bob@example.com', $sb]) {
    my ($mail, $sh) = @$_;
    sql("INSERT INTO ls_share_recipient (share_id, pos, email, external, mail_state) "
          . "VALUES (" . sql_quote($sh->{id}) . ", " . $pos++ . ", "
          . sql_quote($mail) . ", 0, 'sent')");
}
$res = req(GET => '/linkshare/api/recipients?q=an', @alice);
is $res->code, 200, 'recipients: 200';
is_deeply decode_json_body($res)->{recipients}, ['Ann@Example.com', 'anton@example.org'],
  "recipients: alice's own, by prefix, case-insensitive, sorted; never bob's";
is_deeply decode_json_body(req(GET => '/linkshare/api/recipients?q=a_', @alice))->{recipients},
  ['a_z@example.com'], "recipients: '_' is not a wildcard";
{
    # Other tests (t/090, mail) may have left alice more recipients.
    my %all = map { $_ => 1 }
      @{ decode_json_body(req(GET => '/linkshare/api/recipients', @alice))->{recipients} };
    is_deeply [grep { $all{$_} } 'Ann@Example.com', 'anton@example.org', 'zoe@example.com', 'a_z@example.com'],
      ['Ann@Example.com', 'anton@example.org', 'zoe@example.com', 'a_z@example.com'],
      'recipients: no prefix, all of them';
    ok !$all{'anna.bob@example.com'}, "... and none of bob's";
}
is_deeply decode_json_body(req(GET => '/linkshare/api/recipients?q=an', user => 'bob',
    pass => 'bobpw'))->{recipients}, ['anna.bob@example.com'], "recipients: bob sees his";
is req(GET => '/linkshare/api/recipients?q=' . ('a' x 300), @alice)->code, 400,
  'recipients: an over-long prefix is 400';
is req(POST => '/linkshare/api/recipients', @alice, json => {})->code, 405,
  'recipients: POST is 405';
is req(GET => '/linkshare/api/recipients?q=a%00', @alice)->code, 400,
  'recipients: an encoded NUL is 400';

# -- the pages -----------------------------------------------------------------
for my $p (['/linkshare/share.html', 'Link Sharing', qr/id="share-link"/],
    ['/linkshare/links.html', 'Shared Links', qr/<table id="links"[ >]/]) {
    my ($url, $title, $marker) = @$p;
    $res = req(GET => $url, @alice);
    is $res->code, 200, "$title: 200 for a signed-in user";
    like $res->header('Content-Type'), qr{^text/html; charset=utf-8}, '... HTML';
    my $csp = $res->header('Content-Security-Policy') // '';
    like $csp, qr/default-src 'none'/, '... CSP: nothing by default';
    like $csp, qr/script-src 'sha256-[A-Za-z0-9+\/=]+' 'sha256-[A-Za-z0-9+\/=]+';/,
      '... CSP: two hashed scripts (the shared helpers, the page)';
    like $csp, qr/style-src 'sha256-[A-Za-z0-9+\/=]+';/, '... CSP: one hashed style';
    unlike $csp, qr/unsafe/, '... CSP: nothing unsafe';
    like $csp, qr/connect-src 'self'/, "... CSP: connects only to this site";
    like $csp, qr/frame-ancestors 'none'/, '... CSP: never framed';
    is $res->header('Cache-Control'), 'no-store', '... no-store';
    is $res->header('X-Content-Type-Options'), 'nosniff', '... nosniff';
    is $res->header('Referrer-Policy'), 'no-referrer', '... no referrer';
    my $body = $res->content;
    like $body, qr{<title>\Q$title\E</title>}, '... its title';
    like $body, qr{Signed in as <strong>alice</strong>}, '... names the user';
    like $body, qr{data-api="/linkshare/api"}, '... finds the API beside it';
    like $body, $marker, '... its own content';
    # The inline scripts are exactly the ones the CSP allows.
    my @scripts = $body =~ m{<script>(.*?)</script>}gs;
    is scalar @scripts, 2, '... two inline scripts';
    require Digest::SHA;
    for my $i (0 .. $#scripts) {
        my $hash = Digest::SHA::sha256_base64($scripts[$i]);
        $hash .= '=' while length($hash) % 4;
        like $csp, qr/'\Qsha256-$hash\E'/, "... the CSP hash matches script $i";
    }
    is req(GET => $url)->code, 401, "$title: 401 without credentials";
    is req(GET => $url, user => 'alice', pass => 'wrong')->code, 401,
      "$title: 401 with a wrong password";
    $res = req(POST => $url, @alice, content => 'x=1');
    is $res->code, 405, "$title: POST is 405";
    like $res->header('Allow') // '', qr/\bGET\b/, '... Allow names GET';
    unlike $res->header('Allow') // '', qr/POST/, '... and not POST';
}
# Labelled controls: every input, select and textarea of the dialog has a
# label, by for= or by being inside one (the expiry presets), or an
# aria-label set by the script, for the per-row checkboxes.
$res = req(GET => '/linkshare/share.html', @alice);
my %labelled = map { $_ => 1 } $res->content =~ /<label[^>]* for="([^"]+)"/g;
$labelled{$_} = 1 for $res->content =~ /<label><input[^>]* id="([^"]+)"/g;
for my $id ($res->content =~ /<(?:input|select|textarea)[^>]* id="([^"]+)"/g) {
    ok $labelled{$id}, "dialog: #$id has a label";
}
like $res->content, qr/Email is not set up on this server/,
  'dialog: says plainly when mail is not configured';

# A sharer page mapped without authentication refuses, and says why in the
# error log.
$m = log_mark();
$res = req(GET => '/unprotected/links.html');
is $res->code, 403, 'a sharer page without authentication: 403';
like $res->header('Content-Security-Policy') // '', qr/default-src 'none'/,
  '... with the strict headers';
like log_since($m, 'error_log', qr/LS00214/),
  qr/LS00214: the sharer page \/unprotected\/links.html is reachable without authentication/,
  '... logged LS00214 for the admin';

done_testing();

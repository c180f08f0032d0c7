# A shared folder exposes only what its owner may read under httpd's own
# rules, asked when the recipient asks: a user rule, a group rule, a
# <Files> rule on one file, an .htaccess written after sharing, and a
# symlink that leads around a rule. Listings, previews, downloads,
# thumbnails, the ZIP (file by file) and the sharer's asset browser.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/AH01631: user (alice|bob): authorization failure for "\/assets\/authz\//);
use File::Path qw(make_path remove_tree);
use File::Temp qw(tempdir);
use HTTP::Cookies;

my $tmp = tempdir(CLEANUP => 1);
LSTest::ua()->cookie_jar(HTTP::Cookies->new);

# -- the tree (the rules are in t/conf/extra.conf.in) ---------------------------
my $A = asset_root() . '/authz';
remove_tree($A);
END { remove_tree($A) }    # the later tests list the asset root
umask 022;
make_path(map { "$A/$_" } qw(secret/inner team files ht));
sub put { my ($f, $s) = @_; open my $fh, '>', "$A/$f" or die "$f: $!"; print $fh $s; close $fh }
put('public.txt',          "for everyone\n");
put('secret/salary.txt',   "admin only\n");
put('secret/inner/deep.txt', "admin only, deeper\n");
put('team/plan.txt',       "the team only\n");
put('files/salary.txt',    "admin only, by a Files rule\n");
put('files/ok.txt',        "anyone in files\n");
put('ht/note.txt',         "until an .htaccess says otherwise\n");
symlink 'secret/salary.txt', "$A/link.txt" or die "symlink: $!";

# httpd itself, as bob: the asset is refused, sharing it too.
is GET_as('bob', 'bobpw', '/assets/authz/secret/salary.txt')->code, 401,
  'httpd: bob may not read secret/salary.txt';
is GET_as('bob', 'bobpw', '/assets/authz/public.txt')->code, 200,
  'httpd: bob may read public.txt';
my ($res, $j) = create_share('bob', 'bobpw', { paths => ['authz/secret'] });
is $res->code, 403, 'bob may not share authz/secret';

# -- bob shares the folder above it ----------------------------------------------
($res, $j) = create_share('bob', 'bobpw', { paths => ['authz'] });
is $res->code, 201, 'bob shares authz';
my $tok  = token_from_url($j->{url});
my $base = "/linkshare.html?sh=$tok";

sub names {
    my ($path) = @_;
    my $r = req(GET => "$base&view=list&path=$path");
    return (undef) unless $r->code == 200;
    my @n = $r->decoded_content =~ /<td class="name"><a [^>]*>([^<]+)</g;
    return join ' ', sort @n;
}

is names('authz'), 'files ht public.txt',
  'listing: no secret/, no team/ (bob is not in the team), no link to a secret';
unlike req(GET => "$base&path=authz")->decoded_content, qr/secret|team|link\.txt/,
  'card view: no name of what bob may not read';
is names('authz/files'), 'ok.txt', 'a <Files> rule hides one file of a folder';

for my $p ('authz/secret', 'authz/secret/salary.txt', 'authz/secret/inner/deep.txt',
           'authz/team/plan.txt', 'authz/files/salary.txt', 'authz/link.txt') {
    (my $q = $p) =~ s/ /%20/g;
    is req(GET => "$base&op=file&path=$q")->code, 404, "op=file $p: 404 like a missing file";
    is req(GET => "$base&path=$q")->code, 404, "page/preview $p: 404";
    is req(GET => "/linksharepreview.html?sh=$tok&path=$q")->code, 404, "preview page $p: 404";
    is req(GET => "$base&op=thumb&path=$q")->code, 404, "op=thumb $p: 404";
    is req(GET => "$base&op=view&path=$q")->code, 404, "op=view $p: 404";
}
$res = req(GET => "$base&op=file&path=authz/secret/salary.txt");
is $res->decoded_content =~ /admin only/ ? 1 : 0, 0, 'not a byte of it';
is req(GET => "$base&op=file&path=authz/public.txt")->content, "for everyone\n",
  'op=file of a readable file: its bytes';
is req(GET => "$base&op=file&path=authz/files/ok.txt")->code, 200,
  'the file beside the <Files> rule: 200';

# -- the ZIP, file by file --------------------------------------------------------
sub queue_and_list {
    my ($b, $body) = @_;
    my $r = req(POST => "$b&op=queue", json => $body);
    return ($r->code) unless $r->code == 202;
    my $id = (decode_json_body($r) || {})->{id};
    my $job;
    for (1 .. 120) {
        my $in = decode_json_body(req(GET => "$b&op=inbox")) || {};
        ($job) = grep { $_->{id} eq $id } @{ $in->{jobs} || [] };
        last if $job && $job->{state} =~ /^(done|failed|cancelled)$/;
        select undef, undef, undef, 0.25;
    }
    return (0, 'job did not finish') unless $job && $job->{state} eq 'done';
    my @names;
    our @last_parts = map { url_path($_->{url}) } @{ $job->{parts} };
    for my $p (@{ $job->{parts} }) {
        my $z = "$tmp/part-$p->{n}.zip";
        open my $fh, '>:raw', $z or die;
        print $fh req(GET => url_path($p->{url}))->content;
        close $fh;
        push @names, map { chomp; $_ } `unzip -Z1 '$z'`;
    }
    return (202, join ' ', sort @names);
}
my ($code, $list) = queue_and_list($base, { paths => [] });
is $code, 202, 'the whole share queued';
my @old_parts = our @last_parts;
is $list, 'authz/ authz/files/ authz/files/ok.txt authz/ht/ authz/ht/note.txt authz/public.txt',
  'the ZIP holds exactly what bob may read';
($code) = queue_and_list($base, { paths => ['authz/secret/salary.txt'] });
is $code, 400, 'queueing a file bob may not read: 400, as for a missing file';

# -- group rule: alice is in the team --------------------------------------------
($res, $j) = create_share('alice', 'alicepw', { paths => ['authz'] });
my $abase = '/linkshare.html?sh=' . token_from_url($j->{url});
like req(GET => "$abase&view=list&path=authz")->decoded_content, qr/>team</,
  "alice's link lists team/ (Require group team)";
is req(GET => "$abase&op=file&path=authz/team/plan.txt")->code, 200,
  "alice's link serves team/plan.txt";
is req(GET => "$abase&op=file&path=authz/secret/salary.txt")->code, 404,
  "alice's link: still no secret/";

# -- the sharer's asset browser ----------------------------------------------------
my $a = decode_json_body(GET_as('bob', 'bobpw', '/linkshare/api/assets?path=authz'));
is join(' ', sort map { $_->{name} } @{ $a->{entries} || [] }), 'files ht public.txt',
  'asset browser: bob sees only what he may read';
$a = decode_json_body(GET_as('bob', 'bobpw', '/linkshare/api/assets?path=authz/files'));
is join(' ', map { $_->{name} } @{ $a->{entries} || [] }), 'ok.txt',
  'asset browser: the <Files> rule too';
$a = decode_json_body(GET_as('admin', 'adminpw', '/linkshare/api/assets?path=authz'));
like join(' ', map { $_->{name} } @{ $a->{entries} || [] }), qr/secret/,
  'asset browser: admin sees secret/';

# -- a rule added after sharing: .htaccess, within LinkShareCacheTTL ---------------
is req(GET => "$base&op=file&path=authz/ht/note.txt")->code, 200, 'ht/note.txt before';
put('ht/.htaccess', "Require user admin\n");
my $written = time;
is GET_as('bob', 'bobpw', '/assets/authz/ht/note.txt')->code, 401,
  'httpd: the .htaccess refuses bob now';
my $ttl = 5;    # LinkShareCacheTTL in extra.conf.in
my ($after, $waited) = (200, 0);
for (1 .. ($ttl + 3) * 4) {
    $after = req(GET => "$base&op=file&path=authz/ht/note.txt")->code;
    last if $after == 404;
    select undef, undef, undef, 0.25;
    $waited += 0.25;
}
is $after, 404, 'the new rule applies to the link';
cmp_ok $waited, '<=', $ttl + 1, "within LinkShareCacheTTL ($ttl s)";
# Each httpd process keeps its own answers: past the TTL every one of
# them has asked httpd again.
select undef, undef, undef, 0.25 while time < $written + $ttl + 2;
is req(GET => "$base&op=file&path=authz/ht/note.txt")->code, 404,
  'past the TTL, in every process';
is names('authz'), 'files public.txt', 'and ht/ is gone from the listing';
my $m = log_mark();
is_deeply [map { req(GET => $_)->code } @old_parts], [map { 404 } @old_parts],
  'the parts of a ZIP made before the rule holding ht/note.txt: 404';
like log_since($m, 'error_log', qr/LS00132/), qr/LS00132/, '... logged (LS00132)';
($code, $list) = queue_and_list($base, { paths => [] });
is $list, 'authz/ authz/files/ authz/files/ok.txt authz/public.txt',
  'and from a new ZIP';
unlink "$A/ht/.htaccess";

like error_log(), qr/LS00130: user bob may not read asset "authz\/secret"/,
  'the refusal is logged with its tag (debug)';
unlike access_log(), qr/\Q$tok\E/, 'no token in the access log';

done_testing;

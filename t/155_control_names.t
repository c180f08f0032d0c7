# A file whose name holds control characters (or a backslash) cannot be
# asked for by any path, so it is not offered anywhere: not in the
# listing, the preview's walk, the sharer's asset browser or the ZIP.
# Everything that is listed downloads.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Path qw(make_path remove_tree);
use File::Temp qw(tempdir);
use HTTP::Cookies;

LSTest::ua()->cookie_jar(HTTP::Cookies->new);
my $dir = asset_root() . '/ctl-names';
remove_tree($dir);
make_path($dir, { mode => 0755 });
my @bad = ("bell\a.txt", "tab\tname.txt", "new\nline.txt", "esc\e[31m.txt", "back\\slash.txt");
for my $name ('normal.txt', @bad) {
    open my $fh, '>', "$dir/$name" or die "$name: $!";
    print $fh "content of a file\n";
    close $fh;
    chmod 0644, "$dir/$name";
}

my ($res, $j) = create_share('alice', 'alicepw', { paths => ['ctl-names'] });
is $res->code, 201, 'a share of the folder';
my $base = url_path($j->{url});

# The listing: only the normal file, and every Download link works.
$res = req(GET => "$base&path=ctl-names&view=list");
is $res->code, 200, 'the folder lists';
my $html = $res->decoded_content;
like $html, qr/normal\.txt/, 'the normal file is listed';
my ($rows) = $html =~ m{<tbody>(.*)</tbody>}s;
my @names = $rows =~ /aria-label="Select ([^"]*)"/g;
is "@names", 'normal.txt', 'no name with control characters or a backslash';
my @links = $html =~ /href="([^"]*op=file[^"]*)"/g;
ok @links >= 1, 'the listing has Download links (' . scalar(@links) . ')';
for my $l (@links) {
    $l =~ s/&amp;/&/g;
    is req(GET => url_path($l))->code, 200, "listed, so it downloads: $l";
}

# The preview walks the same list: one file of one.
$res = req(GET => "$base&path=ctl-names/normal.txt");
like $res->decoded_content, qr/File 1 of 1/, 'the preview counts only the normal file';

# A name that is not offered cannot be asked for either.
for my $name (@bad[0, 4]) {
    (my $q = $name) =~ s/([^A-Za-z0-9._~-])/sprintf '%%%02X', ord $1/ge;
    is req(GET => "$base&op=file&path=ctl-names/$q")->code, 400,
      'asking for such a name by hand: 400, nothing served';
}

# The sharer's asset browser shows the same.
$res = GET_as('alice', 'alicepw', '/linkshare/api/assets?path=ctl-names');
is $res->code, 200, 'the asset browser lists the folder';
my $a = decode_json_body($res);
is join(',', map { $_->{name} } @{ $a->{entries} }), 'normal.txt', '... the normal file only';
is $a->{total}, 1, '... total 1';

# The ZIP holds the same.
$res = req(POST => "$base&op=queue", json => { paths => ['ctl-names'] });
is $res->code, 202, 'the folder queued';
my $id = decode_json_body($res)->{id};
my $job;
for (1 .. 120) {
    ($job) = grep { $_->{id} eq $id }
      @{ (decode_json_body(req(GET => "$base&op=inbox")) || {})->{jobs} || [] };
    last if $job && $job->{state} =~ /^(done|failed|cancelled)$/;
    select undef, undef, undef, 0.25;
}
is $job->{state}, 'done', 'packaged';
my $tmp = tempdir(CLEANUP => 1);
my $list = '';
for my $p (@{ $job->{parts} }) {
    my $r = req(GET => url_path($p->{url}));
    open my $fh, '>:raw', "$tmp/$p->{n}.zip" or die;
    print $fh $r->content;
    close $fh;
    $list .= `unzip -Z1 '$tmp/$p->{n}.zip'`;
}
is join(',', sort grep { !m{/$} } split /\n/, $list), 'ctl-names/normal.txt',
  'the ZIP holds the normal file only';

remove_tree($dir);
done_testing();

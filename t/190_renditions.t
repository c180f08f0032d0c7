# Generated renditions, end to end: a folder of files nobody made
# renditions for is shared; the workers make a thumbnail and a web
# rendition of each image and video with linkshare-render (never in
# httpd), keep them in LinkShareRenditionCache keyed by the file's
# identity, and the pages use them. A corrupt file and a decompression
# bomb get the type icon and httpd stays healthy; a changed file gets a
# new thumbnail; a share without originals sends the web rendition, never
# the original's bytes. Fixtures are made here (vips, exiftool, ffmpeg).
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use Cwd ();
use Digest::SHA qw(sha256_hex);
use File::Find qw(find);
use File::Temp qw(tempdir);
use HTTP::Cookies;
use JSON::PP;

for my $tool (qw(vips vipsheader exiftool ffmpeg)) {
    plan skip_all => "$tool is not installed (make deps)"
      unless grep { -x "$_/$tool" } split /:/, $ENV{PATH};
}
my $cache = var('ls_state_dir') . '/renditions';
plan skip_all => 'renditions are not generated here (no linkshare-render next to the module)'
  unless error_log() !~ /LS00061/ || -d $cache;

my $tmp = tempdir(CLEANUP => 1);
my $dir = "gen$$";
my $src = asset_root() . "/$dir";
mkdir $src or die "$src: $!";
chmod 0755, $src;
sub run { system(@_) == 0 or die "@_ failed" }
sub spew { open my $f, '>:raw', $_[0] or die "$_[0]: $!"; print $f $_[1]; close $f }
sub slurp_file { local $/; open my $f, '<:raw', shift or die $!; <$f> }

# A 3000x2000 landscape photo, turned by its EXIF (Orientation 6) and
# carrying a GPS position: its renditions are portrait and have no GPS.
run("vips xyz $tmp/xy.v 3000 2000 && vips extract_band $tmp/xy.v $tmp/x.v 0 "
      . "&& vips linear $tmp/x.v $tmp/g.v 0.08 10 && vips cast $tmp/g.v $tmp/gu.v uchar "
      . "&& vips bandjoin '$tmp/gu.v $tmp/gu.v $tmp/gu.v' $src/land.jpg");
run('exiftool', '-q', '-overwrite_original', '-Orientation#=6', '-GPSLatitude=48.8566',
    '-GPSLatitudeRef=N', '-GPSLongitude=2.3522', '-GPSLongitudeRef=E', "$src/land.jpg");
# A video: a second of black, then the test pattern.
run('ffmpeg', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=black:duration=1:size=320x240:rate=25',
    '-f', 'lavfi', '-i', 'testsrc=duration=2:size=320x240:rate=25', '-filter_complex',
    '[0:v][1:v]concat=n=2:v=1[v]', '-map', '[v]', '-pix_fmt', 'yuv420p', "$src/clip.mp4");
# A corrupt JPEG and a PNG whose header claims 100000x100000 pixels.
spew("$src/corrupt.jpg", substr(slurp_file("$src/land.jpg"), 0, 300) . ("\0garbage" x 20));
run("vips black $tmp/s.v 64 48 --bands 3 && vips copy $tmp/s.v $tmp/small.png");
{
    my $d = slurp_file("$tmp/small.png");
    substr($d, 16, 8) = pack('NN', 100000, 100000);
    spew("$src/bomb.png", $d);
}
spew("$src/notes.txt", "not a picture\n");
# A one-page PDF, written by hand.
spew("$src/doc.pdf", join("\n", '%PDF-1.4', '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R >> endobj',
    '4 0 obj << /Length 35 >> stream', '0.2 0.4 0.8 rg 20 20 260 160 re f', 'endstream endobj',
    'trailer << /Root 1 0 R >>', '%%EOF', ''));
chmod 0644, glob("$src/*");
my %orig = map { $_ => sha256_hex(slurp_file("$src/$_")) } qw(land.jpg clip.mp4);

my ($res, $j) = create_share('alice', 'alicepw', { paths => [$dir] });
is $res->code, 201, 'a folder without any rendition shared';
my $base = url_path($j->{url});

# The listing asks for a thumbnail of every file we render.
$res = req(GET => "$base&path=$dir&view=card");
is $res->code, 200, 'the folder listed';
my $thumbs = () = $res->content =~ /<img src="[^"]*op=thumb[^"]*"/g;
is $thumbs, 5, 'a thumbnail asked for each image, PDF and video (not the text file)';

# op=thumb: the type icon (SVG, not cached) until the thumbnail exists,
# then the JPEG; the workers were asked when the share was created.
sub thumb_of {
    my ($name, $want) = @_;
    my $r;
    for (1 .. 60) {
        $r = req(GET => "$base&op=thumb&path=$dir/$name");
        return $r if $r->code == 200 && $r->content_type eq $want;
        select undef, undef, undef, 0.25;
    }
    return $r;
}
sub dims {
    my ($bytes) = @_;
    spew("$tmp/d.jpg", $bytes);
    my $w = `vipsheader -f width $tmp/d.jpg`;
    my $h = `vipsheader -f height $tmp/d.jpg`;
    chomp($w, $h);
    return ($w, $h);
}
$res = thumb_of('land.jpg', 'image/jpeg');
is $res->content_type, 'image/jpeg', 'the photo gets a JPEG thumbnail';
my ($w, $h) = dims($res->content);
ok $w <= 400 && $h == 400 && $w < $h, "it fits 400x400 and stands upright ($w x $h)";
ok $res->header('ETag') && $res->header('Accept-Ranges'), 'served like a file (ETag, ranges)';
spew("$tmp/t.jpg", $res->content);
is `exiftool -s3 -GPSLatitude $tmp/t.jpg`, '', 'no GPS position in the thumbnail';
my $land_thumb = sha256_hex($res->content);

$res = thumb_of('clip.mp4', 'image/jpeg');
is $res->content_type, 'image/jpeg', 'the video gets a thumbnail';
spew("$tmp/v.jpg", $res->content);
my $avg = `vips avg $tmp/v.jpg`;
ok $avg > 20, "a frame after the black one (mean $avg)";

# The corrupt file and the bomb: the icon, remembered as "no rendition".
for my $name (qw(corrupt.jpg bomb.png)) {
    my $fails = 0;
    for (1 .. 60) {
        find(sub { $fails++ if /\.thumb\.fail$/ }, $cache);
        last if $fails >= 2 && $name eq 'bomb.png';
        last if $fails >= 1 && $name eq 'corrupt.jpg';
        $fails = 0;
        select undef, undef, undef, 0.25;
    }
    $res = req(GET => "$base&op=thumb&path=$dir/$name");
    is $res->code, 200, "$name: answered";
    is $res->content_type, 'image/svg+xml', "$name: with the type icon";
    like $res->header('Cache-Control') // '', qr/no-store/, "$name: not cached";
}
my @fail;
find(sub { push @fail, $File::Find::name if /\.fail$/ }, $cache);
ok @fail >= 2, 'the failures are remembered (' . scalar(@fail) . ' markers)';
like error_log(), qr/LS00355: no thumb rendition of \S*bomb\.png/, 'the bomb logged as having none';
is req(GET => "$base&path=$dir")->code, 200, 'httpd is healthy';

# One cache entry per file, whichever worker made it; once the queue is
# empty, no temporaries.
for (1 .. 120) {
    last if sql_value('SELECT COUNT(*) FROM ls_render') == 0;
    select undef, undef, undef, 0.25;
}
is sql_value('SELECT COUNT(*) FROM ls_render'), 0, 'the queue drained';
my (@thumbs, @tmps);
find(sub { push @thumbs, $_ if /\.thumb\.jpg$/; push @tmps, $_ if /\.tmp$/ }, $cache);
my %seen;
is scalar(grep { $seen{$_}++ } @thumbs), 0, 'no thumbnail twice';
is scalar(@tmps), 0, 'no temporary left';

# Decoders never run in httpd: no httpd process maps libvips or FFmpeg.
my (@maps, $seen);
my $httpd = readlink('/proc/self/exe') && (Cwd::realpath(var('httpd')) // var('httpd'));
opendir my $proc, '/proc' or die $!;
for my $pid (grep { /^\d+$/ } readdir $proc) {
    my $exe = readlink("/proc/$pid/exe") // next;
    next unless $exe eq $httpd;
    $seen++;
    my $m = eval { slurp_file("/proc/$pid/maps") } // next;
    push @maps, $pid if $m =~ /libvips|libavcodec/;
}
ok $seen, "httpd processes looked at ($seen)";
is "@maps", '', 'no httpd process has a decoder loaded';

# The preview shows the web rendition (fits 2048x2048), not the original.
$res = req(GET => "$base&op=view&path=$dir/land.jpg");
is $res->code, 200, 'the preview image answered';
isnt sha256_hex($res->content), $orig{'land.jpg'}, '... not the original';
($w, $h) = dims($res->content);
ok $h == 2048 && $w < 2048, "... the web rendition ($w x $h)";

# A changed file gets a new thumbnail (its identity is the key).
run("vips black $tmp/sq.v 900 900 --bands 3 && vips copy $tmp/sq.v $src/land.jpg");
chmod 0644, "$src/land.jpg";
for (1 .. 60) {
    $res = thumb_of('land.jpg', 'image/jpeg');
    last if sha256_hex($res->content) ne $land_thumb;
    select undef, undef, undef, 0.25;
}
($w, $h) = dims($res->content);
is "$w x $h", '400 x 400', 'the changed photo has a new thumbnail';

# Without originals, a single download is the web rendition, named .jpg.
($res, $j) = create_share('alice', 'alicepw',
    { paths => ["$dir/clip.mp4"], allow_original => JSON::PP::false });
is $res->code, 201, 'a video shared without originals';
my $b2 = url_path($j->{url});
$res = req(GET => "$b2&op=file&path=clip.mp4");
is $res->code, 200, 'its download answered';
is $res->content_type, 'image/jpeg', '... with a JPEG rendition';
isnt sha256_hex($res->content), $orig{'clip.mp4'}, '... never the original bytes';
like $res->header('Content-Disposition') // '', qr/filename="clip\.jpg"/, '... named clip.jpg';

# Without originals, the listing says what cannot be sent instead of
# offering a link that would fail: the text file and the two files that
# have no rendition; the video and the photo keep their Download link.
for (1 .. 120) {
    last if sql_value('SELECT COUNT(*) FROM ls_render') == 0;
    select undef, undef, undef, 0.25;
}
($res, $j) = create_share('alice', 'alicepw', { paths => [$dir], allow_original => JSON::PP::false });
is $res->code, 201, 'the folder shared without originals';
my $b3 = url_path($j->{url});
my $page = req(GET => "$b3&path=$dir&view=list")->content;
for my $name (qw(notes.txt corrupt.jpg bomb.png)) {
    like $page, qr/\Q$name\E<\/a>.*?Not available without originals/s, "$name: not available without originals";
    unlike $page, qr/op=file&amp;path=\Q$dir\E%2F\Q$name\E/, "$name: no download link";
}
for my $name (qw(clip.mp4 land.jpg doc.pdf)) {
    like $page, qr/op=file&amp;path=\Q$dir\E%2F\Q$name\E" download /, "$name: a download link";
}

# The PDF of a share without originals is previewed as its first page.
$page = req(GET => "$b3&path=$dir/doc.pdf")->content;
like $page, qr/<div class="box preview image"><img src="[^"]*op=view[^"]*doc\.pdf"/,
  'the PDF previewed as an image';
$res = req(GET => "$b3&op=view&path=$dir/doc.pdf");
is $res->content_type, 'image/jpeg', '... its first page, a JPEG';

# ... and its ZIP holds the web renditions the workers made: never an
# original byte, the files without one left out.
LSTest::ua()->cookie_jar(HTTP::Cookies->new);
$res = req(POST => "$b3&op=queue", json => { paths => [$dir] });
is $res->code, 202, 'the folder queued without originals';
my $job = decode_json_body($res);
for (1 .. 300) {
    my ($x) = grep { $_->{id} eq $job->{id} } @{ decode_json_body(req(GET => "$b3&op=inbox"))->{jobs} };
    $job = $x;
    last if $job->{state} =~ /^(done|failed)$/;
    select undef, undef, undef, 0.1;
}
is $job->{state}, 'done', 'packaged';
my (@names, %zsha);
for my $p (@{ $job->{parts} }) {
    $res = req(GET => $p->{url});
    is $res->code, 200, "part $p->{n} downloaded";
    spew("$tmp/p.zip", $res->content);
    push @names, split /\n/, `unzip -Z1 $tmp/p.zip`;
    my $x = "$tmp/x$p->{n}";
    mkdir $x;
    system("cd '$x' && unzip -qo '$tmp/p.zip'") == 0 or die 'unzip';
    find({ no_chdir => 1, wanted => sub { $zsha{ sha256_hex(slurp_file($_)) } = $_ if -f $_ } }, $x);
}
my @files = sort grep { !m{/$} } @names;
is "@files", "$dir/clip.jpg $dir/doc.jpg $dir/land.jpg", 'the ZIP holds the three renditions, named .jpg';
ok !exists $zsha{ $orig{'clip.mp4'} } && !exists $zsha{ sha256_hex(slurp_file("$src/land.jpg")) },
  'no original in it';

done_testing();

#!/usr/bin/env bash
# Creates the sample asset tree used by the test suite and by `make demo`.
#   scripts/make-assets.sh DIR RENDITIONDIR
# Idempotent and deterministic: every run rewrites the same bytes, the same
# modes and the same mtimes, so tests can compare sizes, hashes and dates.
# Image bytes are built here (no image tools needed) and are valid files.
# The body is Perl: names with quotes, spaces and UTF-8 are painful in shell.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DIR RENDITIONDIR" >&2; exit 2; }
exec perl -x "$0" "$@"

#!perl
use strict;
use warnings;
use Compress::Zlib qw(compress crc32);
use File::Path qw(make_path);

my ($root, $rend) = @ARGV;
my $MTIME = 1767225600;    # 2026-01-01T00:00:00Z: fixed so dates are stable

umask 022;

# ---- tiny valid image/document encoders ---------------------------------

# RGB PNG of WxH filled with one colour.
sub png {
    my ($w, $h, $r, $g, $b) = @_;
    my $chunk = sub {
        my ($type, $data) = @_;
        pack('N', length $data) . $type . $data . pack('N', crc32($type . $data));
    };
    my $raw = ("\0" . pack('C3', $r, $g, $b) x $w) x $h;    # filter 0 per row
    return "\x89PNG\r\n\x1a\n"
      . $chunk->('IHDR', pack('NNCCCCC', $w, $h, 8, 2, 0, 0, 0))
      . $chunk->('IDAT', compress($raw, 9))
      . $chunk->('IEND', '');
}

# 8x8 grayscale baseline JPEG of one grey level. With a quantiser of 8 the
# only non-zero coefficient, DC, is exactly (grey - 128); both Huffman tables
# hold a single one-bit code, so the scan is: DC code, DC bits, EOB code.
sub jpeg {
    my ($grey) = @_;
    my $seg = sub { my ($m, $d) = @_; "\xff" . chr($m) . pack('n', 2 + length $d) . $d };
    my $dc  = $grey - 128;
    my $cat = 0;
    $cat++ while (abs($dc) >> $cat) > 0;
    my $val = $dc >= 0 ? $dc : $dc + (1 << $cat) - 1;
    my $bits = '0' . ($cat ? sprintf('%0*b', $cat, $val) : '') . '0';
    $bits .= '1' x ((8 - length($bits) % 8) % 8);    # pad with 1s
    my $scan = join '', map { my $c = chr oct "0b$_"; $c eq "\xff" ? "\xff\0" : $c }
      ($bits =~ /(.{8})/g);
    return "\xff\xd8"
      . $seg->(0xe0, "JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
      . $seg->(0xdb, "\0" . ("\x08" x 64))
      . $seg->(0xc0, "\x08\0\x08\0\x08\x01\x01\x11\0")
      . $seg->(0xc4, "\x00" . "\x01" . ("\0" x 15) . chr($cat))    # DC: one symbol
      . $seg->(0xc4, "\x10" . "\x01" . ("\0" x 15) . "\0")         # AC: EOB only
      . $seg->(0xda, "\x01\x01\x00\x00\x3f\x00")
      . $scan . "\xff\xd9";
}

# 1x1 GIF whose single pixel is the first palette colour.
sub gif {
    my ($r, $g, $b) = @_;
    return "GIF89a" . pack('vv', 1, 1) . "\x80\0\0"
      . pack('C3', $r, $g, $b) . "\0\0\0"
      . ",\0\0\0\0" . pack('vv', 1, 1) . "\0"
      . "\x02\x02\x44\x01\0" . ";";    # LZW: clear, index 0, end
}

# One-page PDF showing a line of text, with a correct xref table.
sub pdf {
    my ($text) = @_;
    $text =~ s/([\\()])/\\$1/g;
    my $stream = "BT /F1 18 Tf 72 720 Td ($text) Tj ET\n";
    my @obj = (
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
          . "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " . length($stream) . " >>\nstream\n${stream}endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    );
    my $out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    my @off;
    for my $i (0 .. $#obj) {
        push @off, length $out;
        $out .= ($i + 1) . " 0 obj\n$obj[$i]\nendobj\n";
    }
    my $xref = length $out;
    $out .= "xref\n0 " . (@obj + 1) . "\n0000000000 65535 f \n";
    $out .= sprintf("%010d 00000 n \n", $_) for @off;
    $out .= "trailer\n<< /Size " . (@obj + 1) . " /Root 1 0 R >>\nstartxref\n$xref\n%%EOF\n";
    return $out;
}

# Not a playable video: an ftyp box and filler, enough for type sniffing.
sub mp4 {
    my ($seed) = @_;
    my $ftyp = "ftypisom\0\0\x02\0isomiso2mp41";
    my $body = join '', map { chr(($_ * 31 + $seed) % 256) } 0 .. 4095;
    return pack('N', 4 + length $ftyp) . $ftyp . pack('N', 8 + length $body) . "mdat" . $body;
}

# ---- writing --------------------------------------------------------------

sub put {
    my ($base, $rel, $bytes) = @_;
    my $path = "$base/$rel";
    (my $dir = $path) =~ s{/[^/]*$}{};
    make_path($dir, { mode => 0755 });
    unlink $path if -l $path;
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $bytes;
    close $fh or die "$path: $!";
    chmod 0644, $path;
    utime $MTIME, $MTIME, $path;
}

my %assets = (
    'readme.txt'            => "Sample assets for mod_linkshare tests.\n",
    "caf\x{e9} menu.txt"    => "Croissant 2.50\nCaf\x{e9} cr\x{e8}me 3.00\n",
    "it's here.txt"         => "A file name with a single quote.\n",
    "\x{65e5}\x{672c}\x{8a9e}.txt" => "\x{3053}\x{3093}\x{306b}\x{3061}\x{306f}\n",
    'Q3 "final" report.pdf' => pdf('Q3 "final" report'),
    'page.html' => "<!DOCTYPE html>\n<html><head><title>Sample page</title></head>\n"
      . "<body><h1>Sample page</h1><script>document.title='ran';</script></body></html>\n",
    'image.svg' => qq{<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">}
      . qq{<rect width="16" height="16" fill="#c33"/>}
      . qq{<script>alert(1)</script></svg>\n},
    'photos/2026/cat.jpg'                => jpeg(200),
    'photos/2026/dog.png'                => png(4, 4, 30, 120, 200),
    'photos/2026/summer trip/sunset.jpg' => jpeg(90),
    'photos/2025/beach.gif'              => gif(240, 200, 80),
    'press kit/logo.png'                 => png(2, 2, 200, 40, 40),
    'press kit/brochure.pdf'             => pdf('Brochure'),
    'press kit/product video.mp4'        => mp4(7),
    'press kit/notes.txt'                => "Embargoed until launch.\n",
    'private/secret.txt'                 => "admin eyes only\n",
);

# Renditions live beside, not inside, the asset root: RENDITIONDIR/<asset>/<name>.
# Their bytes differ from the originals so tests can tell which was served.
my %renditions = (
    'photos/2026/cat.jpg/thumbnail.png'                => png(2, 2, 255, 255, 0),
    'photos/2026/cat.jpg/web.jpg'                      => jpeg(60),
    'photos/2026/dog.png/thumbnail.png'                => png(2, 2, 0, 255, 0),
    'photos/2026/summer trip/sunset.jpg/thumbnail.png' => png(2, 2, 255, 128, 0),
    'press kit/logo.png/thumbnail.png'                 => png(1, 1, 0, 0, 255),
    'Q3 "final" report.pdf/thumbnail.png'              => png(2, 2, 128, 128, 128),
    'press kit/product video.mp4/poster.jpg'           => jpeg(30),
    'press kit/product video.mp4/web.mp4'              => mp4(9),
);

for my $rel (sort keys %assets) {
    my $bytes = $assets{$rel};
    utf8::encode($bytes) if $rel =~ /\.(txt|html|svg)$/;    # text is UTF-8
    my $name = $rel;
    utf8::encode($name);                              # UTF-8 file names
    put($root, $name, $bytes);
}
for my $rel (sort keys %renditions) {
    put($rend, $rel, $renditions{$rel});
}

make_path("$root/empty folder", { mode => 0755 });

# A link out of the asset root: the module must never follow it.
unless ((readlink("$root/escape") // '') eq '/etc') {
    unlink "$root/escape";
    symlink '/etc', "$root/escape" or die "symlink: $!";
}

# Directories too get fixed modes and times (after their contents are written).
for my $base ($root, $rend) {
    my @dirs;
    my $walk;
    $walk = sub {
        my $d = shift;
        push @dirs, $d;
        opendir my $dh, $d or die "$d: $!";
        for (grep { !/^\.\.?$/ } readdir $dh) {
            $walk->("$d/$_") if -d "$d/$_" && !-l "$d/$_";
        }
    };
    $walk->($base);
    for (@dirs) { chmod 0755, $_; utime $MTIME, $MTIME, $_ }
}
print "assets: $root\nrenditions: $rend\n";

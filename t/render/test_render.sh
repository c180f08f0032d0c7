#!/usr/bin/env bash
# linkshare-render against fixtures made here, in a temporary directory
# (no binary files in the repository): the exit statuses of its contract,
# output sizes, orientation, colour, stripped metadata, the video frame
# choice and the refusal of decompression bombs. Prints TAP.
#   bash t/render/test_render.sh build/linkshare-render
set -uo pipefail

bin=$(readlink -f "${1:-build/linkshare-render}")
[ -x "$bin" ] || { echo "render-test: $bin is not built" >&2; exit 1; }
for tool in vips vipsheader ffmpeg exiftool perl /usr/bin/time; do
  command -v "$tool" >/dev/null || {
    echo "render-test: $tool missing (make deps)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/ls-render.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
mkdir fx out

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { # check NAME COMMAND...: passes when the command succeeds
  local name=$1; shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}
diag() { sed 's/^/# /' "$@"; }

# render KIND IN [--max-pixels N]: runs the program with OUT in a fresh
# directory; sets rc, dims (its stdout), err (its stderr) and outdir.
render() {
  local kind=$1 in=$2; shift 2
  outdir=$(mktemp -d out/r.XXXXXX)
  "$bin" "$@" "$kind" "$in" "$outdir/r.jpg" >"$outdir.stdout" 2>"$outdir.stderr"
  rc=$?
  dims=$(cat "$outdir.stdout")
  err=$(cat "$outdir.stderr")
}
# expect_rc NAME WANT...: rc is one of WANT; on failure shows stderr.
expect_rc() {
  local name=$1 w; shift
  for w in "$@"; do
    [ "$rc" = "$w" ] && { ok "$name (exit $rc)"; return 0; }
  done
  not_ok "$name (exit $rc, want $*)"; diag "$outdir.stderr"; return 1
}
# A success writes OUT and nothing else, and prints OUT's size.
expect_output() { # expect_output NAME WxH
  local name=$1 want=$2 got
  got=$(vipsheader -f width "$outdir/r.jpg" 2>/dev/null)x$(vipsheader -f height "$outdir/r.jpg" 2>/dev/null)
  check "$name: $want (stdout $dims, file $got)" \
    test "$dims" = "$want" -a "$got" = "$want"
  check "$name: only OUT written, 8-bit sRGB JPEG" \
    test "$(ls -A "$outdir")" = r.jpg \
    -a "$(vipsheader "$outdir/r.jpg")" = "$outdir/r.jpg: $want uchar, 3 bands, srgb, jpegload"
}
# A refusal says why on one line of stderr and writes nothing.
expect_refusal() { # expect_refusal NAME
  check "$1: one line on stderr, no OUT" \
    test "$(wc -l <"$outdir.stderr")" = 1 -a -z "$(ls -A "$outdir")"
}
avg() { vips avg "$1"; }
# lt A B: A < B for decimals.
lt() { perl -e 'exit !($ARGV[0] < $ARGV[1])' "$1" "$2"; }

# ---------------------------------------------------------------------
# Fixtures. A 600x400 landscape grey gradient, dark on the left (x=0: 10)
# to light on the right (250): after a clockwise turn (Orientation 6) the
# dark side is the top.
vips xyz fx/xy.v 600 400 && vips extract_band fx/xy.v fx/x.v 0 \
  && vips linear fx/x.v fx/g.v 0.4 10 && vips cast fx/g.v fx/gu.v uchar \
  && vips bandjoin "fx/gu.v fx/gu.v fx/gu.v" fx/plain.jpg \
  && cp fx/plain.jpg fx/exif.jpg \
  && exiftool -q -overwrite_original -Orientation#=6 -GPSLatitude=48.8566 \
    -GPSLatitudeRef=N -GPSLongitude=2.3522 -GPSLongitudeRef=E \
    -Artist=someone fx/exif.jpg \
  || { echo "render-test: cannot make the JPEG fixture" >&2; exit 1; }
# A colour image: orange-red, for the colour-managed formats.
vips black fx/b.v 600 400 --bands 3 && vips linear fx/b.v fx/c.v 1 "200 80 40" \
  && vips cast fx/c.v fx/cu.v uchar && vips copy fx/cu.v fx/colour.jpg
# 16-bit PNG without a profile.
vips cast fx/cu.v fx/c16.v ushort && vips linear fx/c16.v fx/c16b.v 257 0 \
  && vips cast fx/c16b.v fx/c16c.v ushort \
  && vips copy fx/c16c.v fx/c16d.v --interpretation rgb16 \
  && vips copy fx/c16d.v fx/deep.png
# CMYK JPEGs, with the profile embedded and without one.
vips icc_export fx/colour.jpg fx/cmyk.jpg --output-profile cmyk \
  && vips copy fx/cmyk.jpg 'fx/cmyk-bare.jpg[strip]'
vips copy fx/colour.jpg fx/colour.webp
vips copy fx/colour.jpg fx/colour.tif
ffmpeg -v error -y -i fx/plain.jpg fx/plain.bmp
# Animated GIF, 5 frames of 320x240.
ffmpeg -v error -y -f lavfi -i testsrc=duration=1:size=320x240:rate=5 fx/anim.gif
# A one-page PDF (300x200 pt) with a blue rectangle, written by hand.
perl -e '
  my $s = "0.2 0.4 0.8 rg 20 20 260 160 re f\n";
  my @obj = ("<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R >>",
    "<< /Length " . length($s) . " >>\nstream\n${s}endstream");
  my $pdf = "%PDF-1.4\n"; my @off;
  for my $i (0 .. $#obj) {
    push @off, length $pdf; $pdf .= ($i + 1) . " 0 obj\n$obj[$i]\nendobj\n";
  }
  my $x = length $pdf;
  $pdf .= "xref\n0 " . (@obj + 1) . "\n0000000000 65535 f \n";
  $pdf .= sprintf("%010d 00000 n \n", $_) for @off;
  $pdf .= "trailer\n<< /Size " . (@obj + 1) . " /Root 1 0 R >>\n";
  print $pdf, "startxref\n$x\n%%EOF\n";' >fx/doc.pdf
# Videos: 1 s of black, then 3 s of the test pattern. 10 % in is 0.4 s,
# still black: the frame must come from after the black.
ffmpeg -v error -y -f lavfi -i color=black:duration=1:size=640x360:rate=25 \
  -f lavfi -i testsrc=duration=3:size=640x360:rate=25 \
  -filter_complex '[0:v][1:v]concat=n=2:v=1[v]' -map '[v]' \
  -pix_fmt yuv420p fx/video.mp4
ffmpeg -v error -y -i fx/video.mp4 -c:v libvpx -b:v 300k -deadline realtime \
  -cpu-used 8 fx/video.webm
ffmpeg -v error -y -i fx/video.mp4 -c copy fx/video.mkv
ffmpeg -v error -y -i fx/video.mp4 -c copy fx/video.mov
ffmpeg -v error -y -i fx/video.mp4 -c:v mpeg4 -q:v 5 fx/video.avi
# A codec outside the decoders we allow (FFV1, lossless archival video).
ffmpeg -v error -y -i fx/video.mp4 -t 1 -c:v ffv1 fx/ffv1.mkv
ffmpeg -v error -y -f lavfi -i color=black:duration=2:size=320x240:rate=25 \
  -pix_fmt yuv420p fx/black.mp4
# Portrait phone video: coded 320x240, a display matrix turning it 90
# degrees; ffmpeg's own upright frame at 0.12 s (the first at or after
# 10 % in) to compare with.
ffmpeg -v error -y -f lavfi -i testsrc=duration=1:size=320x240:rate=25 \
  -pix_fmt yuv420p fx/rotated.mp4 \
  && exiftool -q -overwrite_original -Rotation=90 fx/rotated.mp4 \
  && ffmpeg -v error -y -ss 0.12 -i fx/rotated.mp4 -frames:v 1 fx/rotated.png
# Broken and hostile inputs.
head -c 20000 fx/video.mp4 >fx/truncated.mp4
head -c 400 fx/plain.jpg >fx/corrupt.jpg
printf 'garbage\0garbage\0garbage' | dd of=fx/corrupt.jpg bs=1 seek=200 \
  conv=notrunc status=none
head -c $(($(stat -c %s fx/colour.jpg) / 2)) fx/colour.jpg >fx/cut.jpg
vips black fx/s.v 64 48 --bands 3 && vips copy fx/s.v fx/small.png
# A PNG whose IHDR claims 100000x100000, with the CRC fixed (bomb.png) and
# left wrong (bomb-crc.png).
perl -MCompress::Zlib -e '
  local $/; open my $f, "<", $ARGV[0] or die; binmode $f; my $d = <$f>;
  substr($d, 16, 8) = pack("NN", 100000, 100000);
  open my $o, ">", $ARGV[2] or die; binmode $o; print $o $d;
  substr($d, 29, 4) = pack("N", crc32(substr($d, 12, 17)));
  open $o, ">", $ARGV[1] or die; binmode $o; print $o $d;' \
  fx/small.png fx/bomb.png fx/bomb-crc.png
printf '<!doctype html>\n<html><body><p>not a picture</p></body></html>\n' \
  >fx/page.html
: >fx/empty
printf 'BM is how this text file starts, and that is all.\n' >fx/bm.txt

# ---------------------------------------------------------------------
echo "# fixtures ready"

"$bin" >/dev/null 2>&1; rc=$?
check "no arguments: exit 1" test "$rc" = 1
"$bin" huge fx/plain.jpg out/x.jpg >/dev/null 2>&1; rc=$?
check "unknown KIND: exit 1" test "$rc" = 1
"$bin" --max-pixels lots thumb fx/plain.jpg out/x.jpg >/dev/null 2>&1; rc=$?
check "--max-pixels not a number: exit 1" test "$rc" = 1

# JPEG, EXIF Orientation 6, GPS.
render thumb fx/exif.jpg
expect_rc "JPEG with Orientation 6, thumb" 0 && {
  expect_output "JPEG thumb turned portrait" 267x400
  vips crop "$outdir/r.jpg" top.v 0 0 267 20
  vips crop "$outdir/r.jpg" bottom.v 0 380 267 20
  check "JPEG thumb turned clockwise (dark left edge now on top)" \
    lt "$(avg top.v)" 60
  check "JPEG thumb: bottom light" lt 200 "$(avg bottom.v)"
  check "JPEG thumb: no EXIF, GPS, XMP or ICC left (vipsheader)" \
    test -z "$(vipsheader -a "$outdir/r.jpg" | grep -iE 'exif|gps|xmp|icc|iptc|orientation')"
  check "JPEG thumb: no GPS, Artist or Orientation (exiftool)" \
    test -z "$(exiftool -s -s -s -GPS:all -Artist -Orientation "$outdir/r.jpg")"
}
check "the fixture does carry GPS (else the test above proves nothing)" \
  test -n "$(exiftool -s -s -s -GPSLatitude fx/exif.jpg)"
render web fx/exif.jpg
expect_rc "JPEG web" 0 && expect_output "JPEG web: turned, never enlarged" 400x600

render thumb fx/deep.png
expect_rc "16-bit PNG" 0 && {
  expect_output "16-bit PNG thumb" 400x267
  check "16-bit PNG: colour kept (red channel ~200)" \
    perl -e 'exit !(abs($ARGV[0] - 200) < 8)' "$(vips getpoint "$outdir/r.jpg" 200 130 | cut -d' ' -f1)"
}
for f in cmyk cmyk-bare; do
  render thumb "fx/$f.jpg"
  expect_rc "CMYK JPEG ($f)" 0 && {
    expect_output "CMYK JPEG ($f)" 400x267
    set -- $(vips getpoint "$outdir/r.jpg" 200 130)
    check "CMYK JPEG ($f): converted to sRGB, still orange-red ($*)" \
      perl -e 'exit !($ARGV[0] > 150 && $ARGV[0] > $ARGV[1] + 60 && $ARGV[1] > $ARGV[2])' "$@"
    check "CMYK JPEG ($f): no ICC profile left" \
      test -z "$(vipsheader -a "$outdir/r.jpg" | grep -i icc)"
  }
done
render thumb fx/colour.webp
expect_rc "WebP" 0 && expect_output "WebP" 400x267
render thumb fx/colour.tif
expect_rc "TIFF" 0 && expect_output "TIFF" 400x267
render thumb fx/plain.bmp
expect_rc "BMP (through FFmpeg)" 0 && expect_output "BMP" 400x267
render thumb fx/anim.gif
expect_rc "animated GIF" 0 && expect_output "animated GIF: the first frame only" 320x240
if vips copy fx/colour.jpg fx/colour.heic 2>/dev/null; then
  render thumb fx/colour.heic
  expect_rc "HEIC" 0 && expect_output "HEIC" 400x267
else
  ok "HEIC # SKIP libheif here cannot encode a fixture"
fi
render thumb fx/doc.pdf
expect_rc "PDF" 0 && {
  expect_output "PDF: first page at its size, never enlarged" 300x200
  set -- $(vips getpoint "$outdir/r.jpg" 150 100)
  check "PDF: the blue rectangle is drawn ($*)" \
    perl -e 'exit !($ARGV[2] > 150 && $ARGV[2] > $ARGV[0] + 80)' "$@"
}

# Videos: the frame after the black lead-in.
for f in video.mp4 video.webm video.mkv video.mov video.avi; do
  render thumb "fx/$f"
  expect_rc "$f" 0 && {
    expect_output "$f thumb" 400x225
    check "$f: the frame is not black (mean $(avg "$outdir/r.jpg"))" \
      lt 40 "$(avg "$outdir/r.jpg")"
  }
done
render thumb fx/ffv1.mkv
expect_rc "a codec we do not decode (FFV1 in MKV): unsupported" 2 \
  && check "... and says which ($err)" grep -q "codec we decode (ffv1)" "$outdir.stderr"
render web fx/video.mp4
expect_rc "MP4 web" 0 && expect_output "MP4 web: never enlarged" 640x360
render thumb fx/black.mp4
expect_rc "an all-black video still gives its brightest frame" 0 \
  && check "... which is black (so the check above can fail)" \
    lt "$(avg "$outdir/r.jpg")" 20
render thumb fx/rotated.mp4
expect_rc "rotated video" 0 && {
  expect_output "rotated video: upright" 240x320
  vips subtract "$outdir/r.jpg" fx/rotated.png d.v && vips abs d.v dabs.v
  check "rotated video: turned the way ffmpeg turns it (mean difference $(avg dabs.v))" \
    lt "$(avg dabs.v)" 12
}

# Refusals.
render thumb fx/page.html
expect_rc "HTML: not ours" 2 && expect_refusal "HTML"
render thumb fx/empty
expect_rc "empty file: not ours" 2 && expect_refusal "empty file"
render thumb fx/bm.txt
expect_rc "text starting with BM: not ours" 2 && expect_refusal "BM text"
render thumb fx/corrupt.jpg
expect_rc "corrupt JPEG" 3 && expect_refusal "corrupt JPEG"
render thumb fx/cut.jpg
expect_rc "truncated JPEG: corrupt, not a grey half" 3
render thumb fx/truncated.mp4
expect_rc "truncated MP4" 3 && expect_refusal "truncated MP4"

/usr/bin/time -f '%e %M' -o bomb.time "$bin" thumb fx/bomb.png out/b.jpg \
  >/dev/null 2>bomb.err
rc=$?
read -r secs kb < <(tail -n 1 bomb.time)
check "PNG claiming 100000x100000: exit 4 (exit $rc)" test "$rc" = 4
check "... refused in under a second ($secs s), under 100 MB ($kb KB)" \
  perl -e 'exit !($ARGV[0] < 1 && $ARGV[1] < 102400)' "$secs" "$kb"
check "... and OUT not written" test ! -e out/b.jpg
render thumb fx/bomb-crc.png
expect_rc "the same with a wrong CRC" 3 4
render thumb fx/plain.jpg --max-pixels 200000
expect_rc "--max-pixels below a JPEG's 240000" 4 && expect_refusal "--max-pixels"
render thumb fx/plain.jpg --max-pixels 240000
expect_rc "--max-pixels exactly the JPEG's" 0
render thumb fx/video.mp4 --max-pixels 200000
expect_rc "--max-pixels below a video's frames" 4

"$bin" thumb fx/plain.jpg out/missing/dir/r.jpg >/dev/null 2>&1; rc=$?
check "OUT cannot be created: exit 1" test "$rc" = 1
"$bin" thumb fx/nonexistent.jpg out/r.jpg >/dev/null 2>&1; rc=$?
check "IN missing: exit 1, no OUT" test "$rc" = 1 -a ! -e out/r.jpg

# ---------------------------------------------------------------------
# --serve: many files in one process, one answer line each.
serve_in() { # serve_in KIND IN OUT ...: the requests, NUL-separated
  while [ $# -ge 3 ]; do printf '%s\0%s\0%s\0' "$1" "$2" "$3"; shift 3; done
}
serve_in thumb fx/exif.jpg out/s1.jpg web fx/colour.jpg out/s2.jpg \
  thumb fx/bomb.png out/s3.jpg thumb fx/nonexistent.jpg out/s4.jpg \
  big fx/plain.jpg out/s5.jpg thumb fx/video.mp4 out/s6.jpg \
  | "$bin" --serve 30 >serve.out 2>serve.err
rc=$?
check "--serve: exit 0 at the end of stdin (exit $rc)" test "$rc" = 0
check "--serve: one answer per request, in order" test "$(cut -c1-2 serve.out | tr -d '\n')" = "0 0 4 1 1 0 "
check "--serve: sizes and reasons on the answer lines" \
  grep -q "^0 267x400$" serve.out
check "... a refusal's reason" grep -q "^4 image claims 10000000000 pixels" serve.out
check "... files written, nothing for refusals" \
  test -s out/s1.jpg -a -s out/s2.jpg -a -s out/s6.jpg -a ! -e out/s3.jpg -a ! -e out/s5.jpg
check "... nothing on stderr" test ! -s serve.err
check "... upright and stripped as in one-shot mode" \
  test "$(vipsheader -f width out/s1.jpg)x$(vipsheader -f height out/s1.jpg)" = 267x400 \
  -a -z "$(exiftool -q -q -GPSLatitude out/s1.jpg)"
printf 'thumb\0fx/plain.jpg' | "$bin" --serve 30 >/dev/null 2>serve.err
rc=$?
check "--serve: a request cut short: exit 1 (exit $rc), said on stderr" \
  test "$rc" = 1 -a -s serve.err
"$bin" --serve 0 </dev/null >/dev/null 2>&1; rc=$?
check "--serve 0: usage error (exit $rc)" test "$rc" = 1

# Before each file it lowers its own CPU soft limit to what it used plus
# FILE-CPU; the hard limit stays the caller's.
mkfifo serve.fifo
( ulimit -t 200; exec "$bin" --serve 7 <serve.fifo >serve.out ) &
spid=$!
exec 7>serve.fifo
serve_in thumb fx/plain.jpg out/s7.jpg >&7
for _ in $(seq 50); do [ -s serve.out ] && break; sleep 0.1; done
cpu=$(awk '/^Max cpu time/ {print $4 "/" $5}' "/proc/$spid/limits")
check "--serve 7: CPU limit used + 7 s for the file, hard 200 ($cpu)" \
  perl -e 'my ($s, $h) = split m{/}, $ARGV[0]; exit !($s >= 8 && $s <= 10 && $h == 200)' "$cpu"
exec 7>&-
wait "$spid"; rc=$?
check "--serve: exits 0 when its stdin closes (exit $rc)" test "$rc" = 0

# It does not outlive its parent, even with its stdin still open.
perl -e '
  pipe(my $r, my $w) or die;
  my $holder = fork // die;
  if (!$holder) { close $r; sleep 20; exit 0 }
  my $kid = fork // die;
  if (!$kid) { close $w; open STDIN, "<&", $r or die; exec @ARGV or die }
  open my $f, ">", "serve.pid" or die; print $f "$kid $holder\n"; close $f;
  sleep 1; exit 0' "$bin" --serve 30 &
wait $!
read -r kid holder <serve.pid
for _ in $(seq 30); do kill -0 "$kid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$kid" 2>/dev/null; then
  not_ok "--serve: gone when its parent dies"; kill -9 "$kid"
else ok "--serve: gone when its parent dies"; fi
kill "$holder" 2>/dev/null

# Memory stays flat with the number of files: 40 thumbnails in one
# process peak within 30 % of one.
one=$( { /usr/bin/time -f '%M' sh -c "printf 'thumb\0fx/colour.jpg\0out/m.jpg\0' | '$bin' --serve 30 >/dev/null"; } 2>&1 | tail -n 1)
many=$( { /usr/bin/time -f '%M' sh -c "for i in \$(seq 40); do printf 'thumb\0fx/colour.jpg\0out/m.jpg\0thumb\0fx/video.mp4\0out/v.jpg\0'; done | '$bin' --serve 30 >/dev/null"; } 2>&1 | tail -n 1)
check "--serve: peak RSS flat over 80 files (1: $one KB, 80: $many KB)" \
  perl -e 'exit !($ARGV[1] < $ARGV[0] * 1.3 + 20000)' "$one" "$many"

# Mutated inputs (a fixed seed, so the same files every run): every
# answer is a status of the contract, and the one process serving them
# all neither crashes nor hangs.
perl -e '
  srand(20261201);
  for my $f (@ARGV) {
    open my $in, "<:raw", "fx/$f" or die "$f: $!"; local $/; my $d = <$in>;
    for my $k (1 .. 6) {
      my $m = $d;
      my $flips = 1 + int(rand(16));
      for (1 .. $flips) {
        # Mostly the first 2 KB, where headers and tables live.
        my $at = rand() < 0.7 ? int(rand(2048 < length $m ? 2048 : length $m))
                              : int(rand(length $m));
        substr($m, $at, 1) = chr(int(rand(256)));
      }
      $m = substr($m, 0, int(length($m) * (0.3 + rand(0.7)))) if $k == 6;
      (my $ext = $f) =~ s/.*\.//;
      open my $out, ">:raw", "fx/mut-$k-$f" or die; print $out $m;
    }
  }' plain.jpg deep.png anim.gif colour.webp colour.tif cmyk.jpg doc.pdf \
  video.mp4 video.webm video.avi
mutants=(fx/mut-*)
for f in "${mutants[@]}"; do serve_in thumb "$f" "out/${f##*/}.jpg"; done \
  | ( ulimit -v 1048576 -t 120; exec /usr/bin/time -f '%e' -o mut.time \
      "$bin" --serve 30 ) >mut.out 2>mut.err
rc=$?
answers=$(grep -cE '^[0-4] ' mut.out)
check "${#mutants[@]} mutated files: one process answered each with a status of the contract ($answers answers, exit $rc, $(cat mut.time 2>/dev/null | tail -n 1) s)" \
  test "$rc" = 0 -a "$answers" = "${#mutants[@]}"
check "... and no other line" test "$(wc -l <mut.out)" = "${#mutants[@]}"
diag <(cut -c1 mut.out | sort | uniq -c)

echo "1..$n"
[ "$failed" = 0 ] || { echo "# render-test: $failed of $n failed"; exit 1; }
echo "# render-test: all $n passed"

#!/usr/bin/env bash
# Packaging benchmark (`make bench-zip`): ls_zip (through build/ls-zip, as
# a worker calls it) against Info-ZIP zip, on the same generated files in
# the same run:
#
#   media  300 MiB of random bytes in .jpg and .mp4 files (incompressible)
#   text   100 MiB of prose, CSV, logs and JSON (bench/gen-text.pl, ~3.5x)
#
#   ls-zip -m store   against   zip -0 -r -q     (target: at least as fast)
#   ls-zip -m auto    against   zip -r -q        (target: 2.5x faster,
#                                                 text within 2 % of size)
#
# and the peak RSS of ls-zip on those and on a 2 GiB selection (sparse
# videos plus the text: nothing big lands on disk; target: flat, under
# 64 MB). Wall times are the best of 2 interleaved rounds, warm page cache;
# CPU (user + sys, the best too) is the steadier figure on a shared machine.
# LINKSHARE_BENCH_{MEDIA_MB,TEXT_MB,BIG_GB,ROUNDS} change those numbers.
# Writes bench/RESULTS-zip.md (bench/run.sh owns bench/RESULTS.md); works
# in a temporary folder under ${TMPDIR:-/tmp}, removed at the end. About
# 90 s here, most of it Info-ZIP deflating.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
LSZIP=$REPO/build/ls-zip
RESULTS=$REPO/bench/RESULTS-zip.md
MEDIA_MB=${LINKSHARE_BENCH_MEDIA_MB:-300}
TEXT_MB=${LINKSHARE_BENCH_TEXT_MB:-100}
BIG_GB=${LINKSHARE_BENCH_BIG_GB:-2}
ROUNDS=${LINKSHARE_BENCH_ROUNDS:-2}

die() { echo "bench-zip: $*" >&2; exit 1; }
for t in zip unzip perl /usr/bin/time; do
  command -v "$t" >/dev/null || die "$t is not installed (make deps)"
done
[ -x "$LSZIP" ] || die "build/ls-zip is missing (make build/ls-zip)"

# Sources, the archives of both tools, some slack; the big set is sparse.
need_mb=$(( (MEDIA_MB + TEXT_MB) * 3 + 512 ))
free_mb=$(df -Pm "${TMPDIR:-/tmp}" | awk 'NR == 2 {print $4}')
[ "$free_mb" -ge "$need_mb" ] \
  || die "needs ${need_mb} MB free in ${TMPDIR:-/tmp}, has ${free_mb} MB"

W=$(mktemp -d "${TMPDIR:-/tmp}/ls-bench-zip.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$W/media/photos" "$W/media/video" "$W/out"
cd "$W"

echo "bench-zip: generating ${MEDIA_MB} MiB of media and ${TEXT_MB} MiB of text in $W"
per=$(( MEDIA_MB * 1024 * 1024 / 2 ))           # half photos, half video
for i in $(seq 1 40); do
  head -c $(( per / 40 )) /dev/urandom >"media/photos/IMG_$(printf %04d "$i").jpg"
done
for i in 1 2 3; do
  head -c $(( per / 3 )) /dev/urandom >"media/video/clip-$i.mp4"
done
perl "$REPO/bench/gen-text.pl" text "$TEXT_MB" >/dev/null

# The multi-GB selection: sparse videos (stored) plus the text (deflated).
mkdir -p big/video
for i in $(seq 1 $(( BIG_GB * 2 ))); do
  truncate -s 512M "big/video/take-$i.mp4"
done
cp -al text big/text  # hard links: no second copy on disk

# run NAME CMD...: appends "NAME seconds maxrss_kb bytes cpu_seconds" to
# times.
run() {
  local name=$1 out=$2; shift 2
  rm -f "$out"
  /usr/bin/time -f '%e %M %U %S' -o tm "$@" >/dev/null
  read -r e m u s <tm
  echo "$name $e $m $(stat -c %s "$out") $(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')" >>times
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
: >times
for set in media text; do
  for r in $(seq 1 "$ROUNDS"); do
    echo "bench-zip: $set, round $r of $ROUNDS"
    run "$set-zip0" out/z0.zip zip -0 -r -q out/z0.zip "$set"
    run "$set-store" out/s.zip "$LSZIP" -m store "$set" out/s
    run "$set-zip" out/z.zip zip -r -q out/z.zip "$set"
    run "$set-auto" out/a.zip "$LSZIP" -m auto "$set" out/a
    # Every archive must be sound, not only fast.
    for z in out/z0.zip out/s.zip out/z.zip out/a.zip; do
      unzip -tqq "$z" || die "$z does not test clean"
    done
  done
done
echo "bench-zip: peak RSS on the ${BIG_GB} GB selection"
run "big-store" out/s.zip "$LSZIP" -m store big out/s
run "big-auto" out/a.zip "$LSZIP" -m auto big out/a
unzip -tqq out/a.zip 'big/text/*' || die "big auto archive does not test clean"
big_bytes=$(du -sb --apparent-size big | awk '{print $1}')

# best NAME FIELD: the minimum of a field over the rounds (2 time, 3 rss,
# 4 size, 5 cpu).
best() { awk -v n="$1" -v f="$2" '$1 == n && (m == "" || $f < m) {m = $f} END {print m}' times; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.1f %%", (a / b - 1) * 100}'; }
mb() { awk -v a="$1" 'BEGIN {printf "%.1f", a / 1048576}'; }

row() { # set label ours theirs
  local t1 t2 s1 s2 c1 c2
  t1=$(best "$1-$3" 2); t2=$(best "$1-$4" 2)
  s1=$(best "$1-$3" 4); s2=$(best "$1-$4" 4)
  c1=$(best "$1-$3" 5); c2=$(best "$1-$4" 5)
  printf '| %s | %s | %s s | %s s | %sx | %s s | %s s | %s MiB | %s MiB | %s |\n' \
    "$1" "$2" "$t1" "$t2" "$(ratio "$t2" "$t1")" "$c1" "$c2" "$(mb "$s1")" \
    "$(mb "$s2")" "$(pct "$s1" "$s2")"
}

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
  echo "# Packaging benchmark"
  echo
  echo "Written by \`make bench-zip\` (bench/zip.sh) on $(date -u +%Y-%m-%d): $(nproc) CPU(s),"
  echo "${cpu:-unknown CPU}; libzip $(pkg-config --modversion libzip 2>/dev/null || echo '?'),"
  echo "Info-ZIP zip $(zip -v | awk 'NR == 2 {print $4}'). Best of $ROUNDS rounds, warm page cache,"
  echo "archives on the same filesystem as the files; CPU is user + sys. ls-zip uses the"
  echo "default deflate settings (LS_ZIP_DEFAULT_LEVEL with LS_ZIP_TUNE_*, include/ls_zip.h)"
  echo "and helper threads (one per CPU, up to 4). Load average at the start: $load;"
  echo "niceness $(nice)."
  echo
  echo "## Packaging"
  echo
  echo "| set | ls-zip mode vs Info-ZIP | ls-zip | zip | speed-up | ls-zip CPU | zip CPU | ls-zip size | zip size | size |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  row media "store vs \`zip -0 -r\`" store zip0
  row media "auto vs \`zip -r\`" auto zip
  row text "store vs \`zip -0 -r\`" store zip0
  row text "auto vs \`zip -r\`" auto zip
  echo
  echo "Media: ${MEDIA_MB} MiB of random bytes in 40 .jpg and 3 .mp4 files. Text: ${TEXT_MB} MiB in"
  echo "$(find text -type f | wc -l) .txt/.md/.csv/.log/.json files (bench/gen-text.pl). Targets: store at"
  echo "least as fast as \`zip -0\`; auto at least 2.5x faster than \`zip -r\` with a text"
  echo "archive within 2 % of its size. ls-zip also computes each part's SHA-256 and fsyncs the part before it gets its name; zip does neither (the fsync costs about 0.1 s per 300 MiB here)."
  echo
  echo "## Peak RSS"
  echo
  echo "| selection | mode | wall | peak RSS |"
  echo "|---|---|---|---|"
  echo "| media, ${MEDIA_MB} MiB | store | $(best media-store 2) s | $(( $(best media-store 3) / 1024 )) MiB |"
  echo "| media, ${MEDIA_MB} MiB | auto | $(best media-auto 2) s | $(( $(best media-auto 3) / 1024 )) MiB |"
  echo "| text, ${TEXT_MB} MiB | auto | $(best text-auto 2) s | $(( $(best text-auto 3) / 1024 )) MiB |"
  echo "| $(mb "$big_bytes") MiB (sparse videos + the text) | store | $(best big-store 2) s | $(( $(best big-store 3) / 1024 )) MiB |"
  echo "| $(mb "$big_bytes") MiB (sparse videos + the text) | auto | $(best big-auto 2) s | $(( $(best big-auto 3) / 1024 )) MiB |"
  echo
  echo "RSS does not grow with the bytes of a selection: files are streamed through"
  echo "fixed buffers. It does grow with the number of entries (libzip keeps each"
  echo "entry's directory record until the archive is closed, about 0.5 KB each)."
} >"$RESULTS"
cat "$RESULTS"

#!/usr/bin/env bash
# Benchmark (`make bench`): what serving a file through a share link costs,
# against plain httpd serving the same file, on the same server in one run.
#
#   (a) GET /linkshare.html?sh=TOKEN&op=file&path=NAME   file through the link
#   (b) GET /static/NAME                                  same file, static
#   (c) GET /linkshare.html?sh=TOKEN                      the Link Share page
#   (d) (a) on a second server that differs only by
#       LinkShareActivityRetention off                    the activity log's cost
#   (e) (b) on that second server
#
# Two private httpd (same config as the demo, scripts/httpd-private.sh) on
# 127.0.0.1:${LINKSHARE_BENCH_PORT:-8091} and the next port (the second idles while the
# first is measured), wrk -t2 -c16 for ${LINKSHARE_BENCH_DURATION:-3s} per case and round
# (${LINKSHARE_BENCH_ROUNDS:-7} interleaved rounds: on this shared machine one 5-second figure
# moves by 15% from round to round, so more and shorter rounds, and medians). Prints a table and rewrites
# bench/RESULTS.md. Everything else stays in bench/out/.
set -euo pipefail

# shellcheck disable=SC2034 # read by httpd-private.sh in its messages
HP_NAME=bench
# shellcheck source=scripts/httpd-private.sh
. "$(dirname "$0")/../scripts/httpd-private.sh"

ROOT=$HP_REPO/bench/out/run
ROOT_OFF=$HP_REPO/bench/out/run-log-off
PORT=${LINKSHARE_BENCH_PORT:-8091}
DURATION=${LINKSHARE_BENCH_DURATION:-3s}
ROUNDS=${LINKSHARE_BENCH_ROUNDS:-7}
WARMUP=2s
WRK_OPTS=(-t2 -c16)
NAME=photo-10k.jpg
SIZE=10240
RESULTS=$HP_REPO/bench/RESULTS.md

command -v wrk >/dev/null || hp_die "wrk is not installed (make deps)"
[[ "$PORT" =~ ^[0-9]+$ ]] || hp_die "LINKSHARE_BENCH_PORT='$PORT' is not a port number"
PORT_OFF=$((PORT + 1))

cleanup() {
  hp_stop "$ROOT" >/dev/null 2>&1 || true
  hp_stop "$ROOT_OFF" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'hp_note "failed at line $LINENO"' ERR

# ---- two fresh private servers -------------------------------------------
# setup ROOT PORT EXTRA_CONF: a server with the shared file and a public
# copy; sets TOKEN to a link sharing the file.
setup() {
  local root=$1 port=$2 extra=$3 pw url
  hp_stop "$root" >/dev/null 2>&1 || true
  rm -rf "$root"
  hp_prepare "$root"
  mkdir -p "$root/htdocs/assets" "$root/htdocs/static" "$root/renditions"
  cp "$HP_REPO/bench/out/$NAME" "$root/htdocs/assets/$NAME"
  # The baseline: a public copy, no authentication (htdocs is Require all
  # granted; only htdocs/assets asks for a password).
  cp "$root/htdocs/assets/$NAME" "$root/htdocs/static/$NAME"
  chmod 0644 "$root/htdocs/assets/$NAME" "$root/htdocs/static/$NAME"
  echo '<!DOCTYPE html><title>bench</title>' >"$root/htdocs/index.html"
  pw=$(hp_random_password)
  hp_htpasswd "$root/conf/htpasswd" bench "$pw"
  hp_write_config "$root" "$port" "warn"
  # LINKSHARE_BENCH_CONF: extra directives for both servers, for a
  # comparison of your own.
  printf '%s\n' "${LINKSHARE_BENCH_CONF:-}" "$extra" >"$root/conf/extra/bench.conf"
  hp_start "$root" "$port"
  url=$(hp_create_share "$root" "$port" bench "$pw" \
    "{\"paths\":[\"$NAME\"],\"allow_original\":true}") \
    || hp_die "could not create the share on port $port"
  TOKEN=${url##*sh=}
}
mkdir -p "$HP_REPO/bench/out"
head -c "$SIZE" /dev/urandom >"$HP_REPO/bench/out/$NAME"
setup "$ROOT_OFF" "$PORT_OFF" "LinkShareActivityRetention off"
URL_LINK_OFF="http://127.0.0.1:$PORT_OFF/linkshare.html?sh=$TOKEN&op=file&path=$NAME"
URL_STATIC_OFF="http://127.0.0.1:$PORT_OFF/static/$NAME"
setup "$ROOT" "$PORT" ""
BASE=http://127.0.0.1:$PORT
URL_LINK="$BASE/linkshare.html?sh=$TOKEN&op=file&path=$NAME"
URL_STATIC="$BASE/static/$NAME"
URL_PAGE="$BASE/linkshare.html?sh=$TOKEN"

# ---- check that every case answers what we think it does -----------------
check() {
  local what=$1 url=$2 out
  out=$(curl -s -o "$ROOT/run/check.body" -w '%{http_code}' "$url") || true
  [ "$out" = 200 ] || { hp_error_tail "$ROOT"; hp_die "$what answered HTTP $out, not 200"; }
}
check "the file through the link" "$URL_LINK"
cmp -s "$ROOT/run/check.body" "$ROOT/htdocs/static/$NAME" \
  || hp_die "the file through the link differs from the original"
check "the static file" "$URL_STATIC"
cmp -s "$ROOT/run/check.body" "$ROOT/htdocs/static/$NAME" \
  || hp_die "the static file differs from the original"
check "the file through the link, log off" "$URL_LINK_OFF"
cmp -s "$ROOT/run/check.body" "$ROOT/htdocs/static/$NAME" \
  || hp_die "the file through the link (log off) differs from the original"
check "the static file, log off" "$URL_STATIC_OFF"
check "the Link Share page" "$URL_PAGE"
grep -q "$NAME" "$ROOT/run/check.body" || hp_die "the Link Share page does not list $NAME"
PAGE_BYTES=$(wc -c <"$ROOT/run/check.body")

# ---- measure ------------------------------------------------------------------
: >"$ROOT/logs/access_log"
declare -A RPS LAT BAD
declare -A ALL
# One wrk run of URL; appends "req/s latency errors" to ALL[key].
measure_once() {
  local key=$1 url=$2 round=$3 out rps lat bad
  out=$(wrk "${WRK_OPTS[@]}" -d"$DURATION" "$url")
  echo "$out" >"$HP_REPO/bench/out/wrk-$key-$round.txt"
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  lat=$(awk '$1 == "Latency" {print $2; exit}' <<<"$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ {n += $NF}
             /Socket errors:/ {gsub(",", ""); n += $4 + $6 + $8 + $10}
             END {print n + 0}' <<<"$out")
  [ -n "$rps" ] || hp_die "no Requests/sec in the wrk output for $key: $out"
  ALL[$key]+="$rps $lat $bad"$'\n'
}
# The median round of a case (by req/s) gives its figures.
median() {
  local key=$1 line
  line=$(sort -n <<<"${ALL[$key]%$'\n'}" | awk '{a[NR] = $0} END {print a[int((NR + 1) / 2)]}')
  read -r RPS[$key] LAT[$key] BAD[$key] <<<"$line"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
hp_note "measuring ($ROUNDS rounds of link, static, page, and link and static with the log off; $DURATION each, after a $WARMUP warm-up) ..."
for url in "$URL_LINK" "$URL_STATIC" "$URL_LINK_OFF" "$URL_STATIC_OFF"; do
  wrk "${WRK_OPTS[@]}" -d"$WARMUP" "$url" >/dev/null
done
# Rounds interleave the cases, so a change in the machine's load (other
# tenants share these CPUs) hits them all alike instead of one.
for round in $(seq 1 "$ROUNDS"); do
  measure_once link "$URL_LINK" "$round"
  measure_once static "$URL_STATIC" "$round"
  measure_once page "$URL_PAGE" "$round"
  measure_once link_off "$URL_LINK_OFF" "$round"
  measure_once static_off "$URL_STATIC_OFF" "$round"
done
for key in link static page link_off static_off; do median "$key"; done

ratio=$(awk -v a="${RPS[link]}" -v b="${RPS[static]}" 'BEGIN {printf "%.2f", a / b}')
# Target (#11): the link at 0.95x of static or better (it was 0.8x).
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.95) ? "meets the 0.95x target" : "BELOW the 0.95x target"}')
# Extra time per link request over a static hit, machine-wide at saturation
# (both cores busy with httpd and wrk): 1/link - 1/static.
extra_us=$(awk -v a="${RPS[link]}" -v b="${RPS[static]}" \
  'BEGIN {printf "%.0f", (1 / a - 1 / b) * 1e6}')

# The activity log's cost: the link's req/s with the log on against the
# same on the second server with it off (median rounds), so the link/static
# ratio with the log on against the ratio with it off over the same
# static figure: the two servers' static cases are alike (the log records
# no static request), so both count toward it. Budget (#10): within 5%.
static_both=$(printf '%s' "${ALL[static]}${ALL[static_off]}" | cut -d' ' -f1 | sort -n \
  | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
read -r ratio_on ratio_off log_cost < <(awk -v on="${RPS[link]}" -v off="${RPS[link_off]}" \
  -v st="$static_both" 'BEGIN {printf "%.3f %.3f %.1f\n", on / st, off / st, (1 - on / off) * 100}')
log_verdict=$(awk -v c="$log_cost" 'BEGIN {print (c <= 5) ? "within the 5% budget" : "OVER the 5% budget"}')
log_rounds=$(paste -d' ' <(cut -d' ' -f1 <<<"${ALL[link]%$'\n'}") <(cut -d' ' -f1 <<<"${ALL[link_off]%$'\n'}") \
  | awk '{printf "%s%s/%s", (NR > 1 ? ", " : ""), $1, $2}')

cmd_line="wrk ${WRK_OPTS[*]} -d$DURATION URL, $ROUNDS interleaved rounds per case, median round reported (after a $WARMUP warm-up)"
date_utc=$(date -u '+%Y-%m-%d %H:%M UTC')
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
httpd_v=$("$HP_HTTPD" -v | awk -F': ' '/^Server version/ {print $2}')
mpm=event
wrk_v=$({ wrk -v 2>&1 || true; } | awk 'NR == 1 {print $1, $2}')

table=$(printf '%-34s %10s %12s %8s\n' "case" "req/s" "avg latency" "errors"
  printf '%-34s %10s %12s %8s\n' "(a) file via share link" "${RPS[link]}" "${LAT[link]}" "${BAD[link]}"
  printf '%-34s %10s %12s %8s\n' "(b) same file, static httpd" "${RPS[static]}" "${LAT[static]}" "${BAD[static]}"
  printf '%-34s %10s %12s %8s\n' "(c) Link Share page (1 item)" "${RPS[page]}" "${LAT[page]}" "${BAD[page]}"
  printf '%-34s %10s %12s %8s\n' "(d) (a), activity log off" "${RPS[link_off]}" "${LAT[link_off]}" "${BAD[link_off]}"
  printf '%-34s %10s %12s %8s\n' "(e) (b), activity log off" "${RPS[static_off]}" "${LAT[static_off]}" "${BAD[static_off]}")

echo
echo "$table"
echo
echo "ratio link/static: ${ratio}x ($verdict); about ${extra_us} us more per request"
echo "activity log: link ${RPS[link]} req/s on, ${RPS[link_off]} off (link/static ${ratio_on}x against ${ratio_off}x): costs ${log_cost}% ($log_verdict)"

cat >"$RESULTS" <<EOF
# Benchmark results

Written by \`make bench\` (bench/run.sh); rerun it to refresh. Figures from
one run on one machine: compare them with each other, not across machines.
On a small shared machine they move by 20% or more from run to run; judge
the ratio over a few runs.

- Date: $date_utc
- Machine: $(nproc) CPUs${cpu:+ ($cpu)}, $(uname -sr); wrk and httpd share these CPUs
- Load average just before the run: $load_before (anything else running on the machine skews the figures)
- httpd: $httpd_v, $mpm MPM, default MPM settings, access log on; mod_linkshare with the SQLite store and the default \`LinkShareCacheTTL 5\`
- Load: $wrk_v, \`$cmd_line\`, from \`make bench\` (\`bash bench/run.sh\`)
- File: one $SIZE-byte file ($NAME) shared on its own, originals allowed; page: $PAGE_BYTES bytes of HTML

| case | URL | req/s | avg latency | errors / non-2xx |
|---|---|---:|---:|---:|
| (a) file via share link | \`/linkshare.html?sh=TOKEN&op=file&path=$NAME\` | ${RPS[link]} | ${LAT[link]} | ${BAD[link]} |
| (b) same file, static httpd | \`/static/$NAME\` | ${RPS[static]} | ${LAT[static]} | ${BAD[static]} |
| (c) Link Share page | \`/linkshare.html?sh=TOKEN\` | ${RPS[page]} | ${LAT[page]} | ${BAD[page]} |
| (d) = (a), second server, activity log off | same as (a) | ${RPS[link_off]} | ${LAT[link_off]} | ${BAD[link_off]} |
| (e) = (b), second server, activity log off | same as (b) | ${RPS[static_off]} | ${LAT[static_off]} | ${BAD[static_off]} |

**Ratio link/static: ${ratio}x** (target >= 0.95x, #11: $verdict).

**The activity log costs ${log_cost}%** of the link's throughput ($log_verdict of #10):
${RPS[link]} req/s through the link with the log on (the default, every download recorded)
against ${RPS[link_off]} on a second server that differs only by
\`LinkShareActivityRetention off\` (median rounds), so link/static ${ratio_on}x against
${ratio_off}x over the same static figure ($static_both req/s, the median of both servers'
static rounds: they are configured alike and the log records no static request). Each round
measures every case within a minute, so both servers see the same machine. Every round,
link req/s on/off: $log_rounds.

What the link costs: about ${extra_us} us more per request than httpd's static
path (1/a - 1/b at saturation, whole machine; negative: the link was the
faster). That is the module's own work before httpd's file delivery takes
over: parsing the query, hashing the token and finding the share (in the
per-process cache for LinkShareCacheTTL seconds, a store query otherwise),
confining the path and opening the file in one openat2 (RESOLVE_BENEATH |
RESOLVE_NO_SYMLINKS, from a descriptor of the asset root the thread keeps
for a second; realpath only as a fallback) and an fstat, the security
headers, counting the download and recording it in the activity log; the
bytes go out the same way as a static file's (a file bucket: sendfile or
mmap, Range by httpd's byterange filter). httpd's static path stats the
file and each directory above it (no FollowSymLinks) before opening it.

History, same machine: two realpath() calls per request (a readlink() per
path component) and an implicit OpenSSL 3 digest fetch per token hash gave
0.69-0.81x; one realpath 0.73-0.85x; openat2 + a digest fetched once per
process 0.87-0.93x. With LinkShareCacheTTL 0 (a SQLite query per request)
the link falls to about 6,000 req/s (0.25-0.35x): the share cache is what
makes the target reachable.

Since #6 the link also asks whether the share's owner may read the file
(ls_authz: a per-process cache of one answer per folder, so a mutex and a
hash lookup; a subrequest once per LinkShareCacheTTL) and opens it through
no symlink at all (openat2 RESOLVE_NO_SYMLINKS). Paired runs on
2026-12-01, before and after one after the other: 0.93x before, 0.88x
after (11,092 vs 10,534 req/s through the link, static 11,949 vs 11,930).

Since #10 every download through a link is recorded in the activity log
(cases (d) and (e) measure the same with it off). Its cost, same machine,
2026-12-01: first version (each child inserting its own batches, random
ids) 0.66x against 0.89x with the log off, about 25%; time-ordered ids
and the address worked out once per connection, 9-12% (runs under load);
one writer per node (children hand batch files to worker 0) and schema
v9 (WITHOUT ROWID, no index on the time), three runs at 23:52-23:58 UTC:
2.3%, 8.3% and 4.7%; with the resolve's fstat of the walked descriptor,
three runs at 00:11-00:19 UTC: 0.4%, 3.5% and 2.2%. Six runs, median
2.8%, within the 5% budget (one 3-second figure moves by up to 15%
between rounds here, so judge it over several runs). The same day httpd's
directory walk stopped running for the public pages (they are not files,
map_to_storage ends that phase for them): link/static with the log off
rose from 0.84-0.89x to 0.90-0.98x (over the same static figure) in those
six runs; with the log on (the default) 0.87-0.91x.

Since #11 (2026-12-02) a download makes 7 system calls (strace of one
request: openat2, fstat, mmap, writev, munmap, the access log's write,
close) where it made 14 and httpd's static path makes 12 (a stat of the
file, a stat per directory above it, open, mmap, writev, munmap, write,
close). The profile it came from (perf, cpu-clock samples of the httpd
processes per 1,000 requests under the same wrk load, link against
static): the kernel took 12% more for the link, all of it in the asset
root opened twice per request by its path, the file opened twice (O_PATH
to stat it, then to read it) and three more closes; in user space the
token's characters were looked up with strchr() (43 calls per token), the
token hash allocated a digest context per call, the redaction of sh= ran a
strncmp() per character of the request line, three times, and the
Content-Disposition header went through apr_psprintf. Now the file is
opened for reading by the openat2() that resolves it and that descriptor
is sent; the walks start from the thread's descriptor of the asset root;
the rest is arithmetic, a context per thread and one pass. After it the
kernel's share per request is the same for both (575 against 580 samples
per 1,000 requests). What is left over static is user space: the security
headers (a 635-byte response header against 233), the query parsed for
sh, op and path, the share cache's copy, the owner's read check and the
activity log (worker 0 inserting about 5% of httpd's CPU at this rate).
Five runs of this script, 02:17-02:33 UTC: link/static (log on, the
default) 0.88x, 1.00x, 1.05x, 0.99x and 1.05x (median 1.00x; in the lowest
every one of the seven link rounds was slower than the same round with
the log off, which no other run showed); the activity log cost 13.2%,
0.9%, 2.6%, 0.3% and 1.0% (median 1.0%).
EOF

hp_note "wrote ${RESULTS#"$HP_REPO"/} (raw wrk output in bench/out/)"
if [ "${BAD[link]}" != 0 ] || [ "${BAD[static]}" != 0 ] || [ "${BAD[page]}" != 0 ] \
  || [ "${BAD[link_off]}" != 0 ] || [ "${BAD[static_off]}" != 0 ]; then
  hp_error_tail "$ROOT"
  hp_die "some requests failed (see the errors column): the figures are not valid"
fi

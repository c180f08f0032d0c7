#!/usr/bin/env bash
# Benchmark (`make bench-queue`): how long a recipient waits between
# "Queue Download" and a finished archive for a 5 MB selection, measured
# end to end over HTTP on a private httpd (POST op=queue, then op=inbox
# every 10 ms until done). Each round is a new share, so no archive is
# reused. Writes bench/RESULTS-queue.md. Baseline in the same run: Info-ZIP
# `zip -q` of the same files from the command line (no HTTP, no queue).
set -euo pipefail

# shellcheck disable=SC2034 # read by httpd-private.sh in its messages
HP_NAME=bench-queue
# shellcheck source=scripts/httpd-private.sh
. "$(dirname "$0")/../scripts/httpd-private.sh"

ROOT=$HP_REPO/bench/out/queue
PORT=${LINKSHARE_BENCH_PORT:-8092}
ROUNDS=${LINKSHARE_BENCH_ROUNDS:-15}
RESULTS=$HP_REPO/bench/RESULTS-queue.md
BASE=http://127.0.0.1:$PORT

cleanup() { hp_stop "$ROOT" >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

hp_stop "$ROOT" >/dev/null 2>&1 || true
rm -rf "$ROOT"
hp_prepare "$ROOT"
mkdir -p "$ROOT/htdocs/assets/sel" "$ROOT/renditions"
# 5 MB: four photos (stored) and a text file (deflated), as a mixed pick.
for i in 1 2 3 4; do
  head -c 1153434 /dev/urandom >"$ROOT/htdocs/assets/sel/photo$i.jpg"
done
head -c 465000 /dev/urandom | base64 -w 76 >"$ROOT/htdocs/assets/sel/notes.txt"
chmod -R a+rX "$ROOT/htdocs/assets"
pw=$(hp_random_password)
hp_htpasswd "$ROOT/conf/htpasswd" bench "$pw"
hp_write_config "$ROOT" "$PORT" "warn"
hp_start "$ROOT" "$PORT"

now_ms() { date +%s%3N; }
times=()
for round in $(seq 1 "$ROUNDS"); do
  url=$(hp_create_share "$ROOT" "$PORT" bench "$pw" '{"paths":["sel"]}') \
    || hp_die "could not create a share"
  jar=$ROOT/run/jar.$round
  t0=$(now_ms)
  id=$(curl -s -c "$jar" -b "$jar" -X POST -d '' "$url&op=queue" |
    sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p')
  [ -n "$id" ] || hp_die "queue answered no job"
  while :; do
    state=$(curl -s -c "$jar" -b "$jar" "$url&op=inbox" |
      sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
    case $state in
    done) break ;;
    failed | cancelled) hp_die "job $id ended $state" ;;
    esac
    [ $(($(now_ms) - t0)) -lt 30000 ] || hp_die "job $id not done after 30 s"
    sleep 0.01
  done
  times+=($(($(now_ms) - t0)))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}' <<<"$sorted")
p90=$(awk '{a[NR] = $1} END {i = int(NR * 0.9 + 0.5); if (i < 1) i = 1; print a[i]}' <<<"$sorted")
max=$(tail -1 <<<"$sorted")
t0=$(now_ms)
(cd "$ROOT/htdocs/assets" && zip -q -r "$ROOT/run/baseline.zip" sel)
zip_ms=$(($(now_ms) - t0))

cat >"$RESULTS" <<EOT
# Queue-to-done latency

Written by \`make bench-queue\` (bench/queue.sh); rerun it to refresh.

- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs; $("$HP_HTTPD" -v | awk -F': ' '/^Server version/ {print $2}'), event MPM, SQLite store, 2 workers
- Selection: one folder of 5 files, 5 MB (four random JPEGs, stored; one text file, deflated)
- Method: $ROUNDS rounds, each a new share; time from POST op=queue to the
  first op=inbox answer that says done, polling every 10 ms with curl

| | milliseconds |
|---|---:|
| median | $median |
| 90th percentile | $p90 |
| max | $max |
| baseline: Info-ZIP \`zip -q -r\` of the same files (no HTTP, no queue) | $zip_ms |

The target is "well under a second". The time includes the HTTP round
trips of queueing and polling (curl processes), the store insert, waking
a worker through its pipe, the claim, packaging and recording the part.
EOT
printf 'queue-to-done for 5 MB: median %s ms, p90 %s ms, max %s ms (zip -r: %s ms)\n' \
  "$median" "$p90" "$max" "$zip_ms"
hp_note "wrote ${RESULTS#"$HP_REPO"/}"

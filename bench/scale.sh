#!/usr/bin/env bash
# Benchmark (`make bench-scale`): link lookups at scale. A throw-away
# PostgreSQL holding ${LINKSHARE_SCALE_SHARES:-1000000} shares (loaded
# directly with COPY), a private httpd on it with LinkShareCacheTTL 0, so
# every request looks its link up in the store; then
# ${LINKSHARE_SCALE_REQUESTS:-2000} requests for a small file through
# random links of those shares, interleaved one for one with requests for
# the same file served statically by the same server, each on one
# keep-alive connection, one at a time. Reports p50/p90/p99 of both, the
# link's added cost and the lookup's own time in the module (the access
# log's %{linkshare-lookup-us}n: ls_store_share_by_hash, connection
# included); rewrites bench/RESULTS-scale.md. Ports: LINKSHARE_BENCH_PORT
# (httpd, 8093), LINKSHARE_SCALE_PGPORT (PostgreSQL, a free one).
set -euo pipefail

# shellcheck disable=SC2034 # read by httpd-private.sh in its messages
HP_NAME=bench-scale
# shellcheck source=scripts/httpd-private.sh
. "$(dirname "$0")/../scripts/httpd-private.sh"

ROOT=$HP_REPO/bench/out/scale
PORT=${LINKSHARE_BENCH_PORT:-8093}
SHARES=${LINKSHARE_SCALE_SHARES:-1000000}
REQUESTS=${LINKSHARE_SCALE_REQUESTS:-2000}
RESULTS=$HP_REPO/bench/RESULTS-scale.md
NAME=tiny.txt

[[ "$SHARES" =~ ^[0-9]+$ && "$REQUESTS" =~ ^[0-9]+$ ]] || hp_die "bad share or request count"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || hp_die "PostgreSQL is not installed (make deps)"
# PostgreSQL's tools run as user postgres: a directory it may enter.
PGDIR=$(mktemp -d /tmp/ls-scale-pg.XXXXXX)
chmod 755 "$PGDIR"
cleanup() {
  hp_stop "$ROOT" >/dev/null 2>&1 || true
  (cd "$PGDIR" && bash "$HP_REPO/scripts/pg.sh" stop "$PGDIR/pg") >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pgport=${LINKSHARE_SCALE_PGPORT:-$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1,
  LocalAddr => "127.0.0.1", LocalPort => 0)->sockport')}
[[ "$pgport" =~ ^[0-9]+$ ]] || hp_die "bad LINKSHARE_SCALE_PGPORT"
conn=$(cd "$PGDIR" && bash "$HP_REPO/scripts/pg.sh" start "$PGDIR/pg" "$pgport") \
  || hp_die "PostgreSQL did not start"
# pg_stat_statements: the lookup's time inside PostgreSQL (a restart loads it).
psql -X -q -d "$conn" -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
# Buffers for the store's working set, as a server holding a million
# shares would be given (the tests' default is 128 MB, less than the
# shares, their items and their indexes take: the size is in the results).
psql -X -q -d "$conn" -c "ALTER SYSTEM SET shared_buffers = '1GB'"
(cd "$PGDIR" && bash "$HP_REPO/scripts/pg.sh" stop "$PGDIR/pg" &&
  bash "$HP_REPO/scripts/pg.sh" start "$PGDIR/pg" "$pgport" >/dev/null) || hp_die "PostgreSQL did not restart"
psql -X -q -d "$conn" -c "CREATE EXTENSION pg_stat_statements"

# ---- a private server on that store, nothing cached -------------------------
hp_stop "$ROOT" >/dev/null 2>&1 || true
rm -rf "$ROOT"
hp_prepare "$ROOT"
mkdir -p "$ROOT/htdocs/assets" "$ROOT/htdocs/static" "$ROOT/renditions"
echo "a small file, served many times" >"$ROOT/htdocs/assets/$NAME"
cp "$ROOT/htdocs/assets/$NAME" "$ROOT/htdocs/static/$NAME"
chmod 0644 "$ROOT/htdocs/assets/$NAME" "$ROOT/htdocs/static/$NAME"
pw=$(hp_random_password)
hp_htpasswd "$ROOT/conf/htpasswd" bench "$pw"
hp_write_config "$ROOT" "$PORT" "warn"
cat >"$ROOT/conf/extra/scale.conf" <<EOF
LinkShareDatabase pgsql "$conn"
LinkShareCacheTTL 0
# The store's time for each link's lookup, in microseconds.
LogFormat "%{linkshare-lookup-us}n %>s %U" lookup
CustomLog "$ROOT/logs/lookup_log" lookup
EOF
hp_start "$ROOT" "$PORT"
hp_create_share "$ROOT" "$PORT" bench "$pw" "{\"paths\":[\"$NAME\"]}" >/dev/null \
  || hp_die "could not create a share (the schema is there now)"

# ---- SHARES shares, straight into the store ---------------------------------
echo "bench-scale: loading $SHARES shares"
t0=$(date +%s.%N)
python3 - "$SHARES" "$REQUESTS" "$NAME" "$ROOT/run" <<'PY'
import base64, hashlib, os, random, sys, time
n, k, name, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
now = int(time.time())
# k links to measure, and 200 others to warm up with.
pick = random.sample(range(n), min(k + 200, n))
warm, pick = set(pick[:200]), set(pick[200:])
with open(f"{out}/shares.tsv", "w") as s, open(f"{out}/items.tsv", "w") as it, \
     open(f"{out}/tokens.txt", "w") as t, open(f"{out}/warm.txt", "w") as w:
    for i in range(n):
        token = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
        sid = os.urandom(8).hex()
        h = hashlib.sha256(token.encode()).hexdigest()
        s.write(f"{sid}\t{h}\tbench\t{now}\t{now + 86400}\t0\t1\t0\n")
        it.write(f"{sid}\t0\t{name}\tfile\n")
        if i in pick:
            t.write(token + "\n")
        elif i in warm:
            w.write(token + "\n")
PY
psql -X -q -v ON_ERROR_STOP=1 -d "$conn" <<EOF
\copy ls_share (id, token_hash, owner, created, expires, revoked, allow_original, downloads) from '$ROOT/run/shares.tsv'
\copy ls_share_item (share_id, pos, path, kind) from '$ROOT/run/items.tsv'
VACUUM (ANALYZE) ls_share;
VACUUM (ANALYZE) ls_share_item;
CHECKPOINT;
EOF
# A server in use has its working set in its buffers; one just loaded by
# COPY has not (bulk writes go through a small ring of buffers). The
# tables a lookup reads and their indexes are read in once (pg_prewarm),
# so the lookups below meet the store as it is after a while in service.
psql -X -q -v ON_ERROR_STOP=1 -d "$conn" >/dev/null <<EOF
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm(r) FROM (SELECT c.oid AS r FROM pg_class c
  WHERE c.relname IN ('ls_share', 'ls_share_item', 'ls_share_recipient')
  UNION ALL SELECT i.indexrelid FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
  WHERE c.relname IN ('ls_share', 'ls_share_item', 'ls_share_recipient')) x;
EOF
size=$(psql -X -A -t -d "$conn" -c "SELECT pg_size_pretty(SUM(pg_total_relation_size(c.oid)))
  FROM pg_class c WHERE c.relname IN ('ls_share', 'ls_share_item', 'ls_share_recipient')")
load=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { printf "%.0f", a - b }')
total=$(psql -X -A -t -d "$conn" -c "SELECT COUNT(*) FROM ls_share")
echo "bench-scale: $total shares in the store ($load s)"

# A bulk load leaves work behind that is no part of a lookup: the loaded
# tables are vacuumed and analyzed and a checkpoint written above, and
# autovacuum is let finish whatever it started (up to a minute).
for _ in $(seq 1 60); do
  [ "$(psql -X -A -t -d "$conn" -c "SELECT COUNT(*) FROM pg_stat_activity
    WHERE backend_type = 'autovacuum worker'")" = 0 ] && break
  sleep 1
done
# The steady state: each httpd child's pooled connection prepares the
# lookup's statement on its first link, so 200 other links, each on a new
# connection (spread over the children), come first; their lookups are
# not counted.
python3 - "$PORT" "$NAME" "$ROOT/run/warm.txt" <<'PY'
import http.client, sys
port, name, tokens = int(sys.argv[1]), sys.argv[2], open(sys.argv[3]).read().split()
for tok in tokens:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", f"/linkshare.html?sh={tok}&op=file&path={name}", headers={"Connection": "close"})
    r = c.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"warm-up: a link answered {r.status}")
    c.close()
PY
: >"$ROOT/logs/lookup_log"

# ---- REQUESTS random links, interleaved with the static file ----------------
psql -X -q -A -t -d "$conn" -c "SELECT pg_stat_statements_reset()" >/dev/null
python3 - "$PORT" "$NAME" "$ROOT/run/tokens.txt" >"$ROOT/run/latency.txt" <<'PY'
import http.client, sys, time
port, name, tokens = int(sys.argv[1]), sys.argv[2], open(sys.argv[3]).read().split()
link, static = [], []
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
def get(path):
    t = time.perf_counter()
    c.request("GET", path)
    r = c.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"GET {path[:40]}... answered {r.status}")
    return (time.perf_counter() - t) * 1000
for _ in range(50):  # warm the connection, the children, the caches
    get(f"/static/{name}")
for tok in tokens:
    link.append(get(f"/linkshare.html?sh={tok}&op=file&path={name}"))
    static.append(get(f"/static/{name}"))
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p / 100))]
for label, v in (("link", link), ("static", static)):
    print(label, len(v), *(f"{pct(v, p):.3f}" for p in (50, 90, 99)), f"{max(v):.3f}",
          f"{100 * sum(x < 1.0 for x in v) / len(v):.1f}")
PY
# The lookups of the requests above (the share created through the API
# made none), microseconds to milliseconds.
awk '$1 ~ /^[0-9]+$/ && $3 ~ /linkshare/ { print $1 / 1000 }' "$ROOT/logs/lookup_log" \
  | sort -n >"$ROOT/run/lookup.txt"
read -r k k50 k90 k99 kmax < <(awk '{ v[NR] = $1 } END {
  if (NR == 0) { print 0, "-", "-", "-", "-"; exit }
  printf "%d %.3f %.3f %.3f %.3f\n", NR, v[int(NR * 0.50) + 1], v[int(NR * 0.90) + 1],
    v[int(NR * 0.99) + 1], v[NR] }' "$ROOT/run/lookup.txt")
kunder=$(awk '$1 < 1.0 { u++ } END { printf "%.1f", NR ? 100 * u / NR : 0 }' "$ROOT/run/lookup.txt")
read -r _ n l50 l90 l99 lmax lunder < <(grep '^link' "$ROOT/run/latency.txt")
read -r _ _ s50 s90 s99 smax sunder < <(grep '^static' "$ROOT/run/latency.txt")
[ "$k" = "$n" ] || hp_note "warning: $k lookups logged for $n link requests"
add50=$(awk -v a="$l50" -v b="$s50" 'BEGIN { printf "%.3f", a - b }')
add99=$(awk -v a="$l99" -v b="$s99" 'BEGIN { printf "%.3f", a - b }')
# The lookup's statement (prepared as ls_N on each connection), as
# PostgreSQL timed it: calls, mean and max in ms.
read -r pcalls pmean pmax < <(psql -X -A -t -F ' ' -d "$conn" -c "SELECT SUM(calls),
  ROUND((SUM(total_exec_time) / GREATEST(SUM(calls), 1))::numeric, 3), ROUND(MAX(max_exec_time)::numeric, 3)
  FROM pg_stat_statements WHERE query LIKE '%FROM ls_share WHERE token_hash = \$1%'")
# The baseline, in the same run: the same kind of lookup (by token hash,
# among all the shares) from a bare client, pgbench with a prepared
# statement on one connection, one at a time and paced (--rate 500: about
# the pace of the lookups above, with the server idle in between, so each
# one wakes it as a link's lookup does; its latency is counted from the
# actual start, without the schedule's lag): a loopback round trip to
# PostgreSQL and its index scans, no httpd. What the machine gives any
# client.
python3 - "$ROOT/run/tokens.txt" >"$ROOT/run/hashes.tsv" <<'PY'
import hashlib, sys
for i, tok in enumerate(open(sys.argv[1]).read().split(), 1):
    print(f"{i}\t{hashlib.sha256(tok.encode()).hexdigest()}")
PY
psql -X -q -v ON_ERROR_STOP=1 -d "$conn" <<EOF
CREATE TABLE bench_hash (n INTEGER PRIMARY KEY, h CHAR(64) NOT NULL);
\copy bench_hash from '$ROOT/run/hashes.tsv'
ANALYZE bench_hash;
EOF
cat >"$ROOT/run/lookup.pgbench" <<EOF
\set n random(1, $n)
SELECT s.id, s.owner, s.expires, s.revoked FROM ls_share s JOIN bench_hash b ON s.token_hash = b.h WHERE b.n = :n;
EOF
(cd "$ROOT/run" && pgbench -n -M prepared -c 1 -j 1 -t "$n" -R 500 -f lookup.pgbench -l \
  --log-prefix=pgb "$conn" >pgbench.out 2>&1) || { cat "$ROOT/run/pgbench.out" >&2; hp_die "pgbench failed"; }
# pgbench's log: client, transaction, latency in us (from the scheduled
# start), script, epoch, us, schedule lag in us.
cat "$ROOT"/run/pgb.* | awk '{ print ($3 - $7) / 1000 }' | sort -n >"$ROOT/run/bare.txt"
read -r b b50 b90 b99 bmax < <(awk '{ v[NR] = $1 } END {
  printf "%d %.3f %.3f %.3f %.3f\n", NR, v[int(NR * 0.50) + 1], v[int(NR * 0.90) + 1],
    v[int(NR * 0.99) + 1], v[NR] }' "$ROOT/run/bare.txt")
bunder=$(awk '$1 < 1.0 { u++ } END { printf "%.1f", NR ? 100 * u / NR : 0 }' "$ROOT/run/bare.txt")
hash=$(psql -X -A -t -d "$conn" -c "SELECT token_hash FROM ls_share OFFSET $((total / 2)) LIMIT 1")
# The module's whole statement, as PostgreSQL runs it for one hash.
stmt=$(psql -X -A -t -d "$conn" -c "SELECT query FROM pg_stat_statements
  WHERE query LIKE '%FROM ls_share WHERE token_hash = \$1%' LIMIT 1" | sed 's/^PREPARE [a-z_0-9]* ([^)]*) AS //')
psql -X -A -t -d "$conn" >"$ROOT/run/plan.txt" 2>&1 <<EOF || true
PREPARE lookup(varchar) AS $stmt;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE lookup('$hash');
EOF
hp_note "the lookup's plan: $ROOT/run/plan.txt ($(grep -h 'Execution Time' "$ROOT/run/plan.txt"))"
plan=$(psql -X -A -t -d "$conn" -c "EXPLAIN ANALYZE SELECT id FROM ls_share WHERE token_hash = '$hash'" \
  | grep -E '^Index|Execution' | sed 's/  (cost=[^)]*)//' | tr '\n' ' ')

printf '\n%-8s %6s %9s %9s %9s %9s\n' case n p50_ms p90_ms p99_ms max_ms
printf '%-8s %6s %9s %9s %9s %9s\n' link "$n" "$l50" "$l90" "$l99" "$lmax" static "$n" "$s50" "$s90" "$s99" "$smax" \
  lookup "$k" "$k50" "$k90" "$k99" "$kmax" bare "$b" "$b50" "$b90" "$b99" "$bmax"
echo "the link adds: p50 $add50 ms, p99 $add99 ms"
# The target (#14): the uncached lookup's p99 under 1 ms. Said of both
# figures: the lookup's own, and the whole request's.
under() { awk -v v="$1" 'BEGIN { exit !(v + 0 < 1.0) }'; }
verdict() { if under "$1"; then echo "under 1 ms: meets the target"; else echo "not under 1 ms"; fi; }
kv=$(verdict "$k99")
lv=$(verdict "$l99")
sv=$(verdict "$s99")
bv=$(verdict "$b99")
echo "lookup p99: $kv; whole link request p99: $lv; a bare client's (pgbench) p99: $bv"
echo "in PostgreSQL: ${pcalls:-0} lookups, mean ${pmean:--} ms, max ${pmax:--} ms"

cat >"$RESULTS" <<EOF
# Link lookups at scale (\`make bench-scale\`)

$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg);
PostgreSQL $(psql -X -A -t -d "$conn" -c 'SHOW server_version') on 127.0.0.1 (fsync off, as in the tests).
$total shares loaded directly (COPY, $load s), then vacuumed and analyzed, a checkpoint written
and autovacuum let finish (what a bulk load leaves behind is no part of a lookup); the shares,
items, recipients and their indexes ($size) read into PostgreSQL's buffers (shared_buffers
1 GB; pg_prewarm), as on a server that has been in use; httpd with
\`LinkShareCacheTTL 0\`, so every request below looks its link up in the store, after 200
other links on new connections (every child's pooled connection has prepared the lookup's
statement: the steady state). $n requests for a $(stat -c %s "$ROOT/htdocs/static/$NAME")-byte file
through random links of those shares, each followed by the same file served statically by the
same server, one at a time on one keep-alive connection (client: Python's http.client).

| case | requests | p50 ms | p90 ms | p99 ms | max ms | under 1 ms |
|---|---|---|---|---|---|---|
| through a link (uncached lookup), whole request | $n | $l50 | $l90 | $l99 | $lmax | $lunder% |
| static file, same server, whole request | $n | $s50 | $s90 | $s99 | $smax | $sunder% |
| the lookup alone, in the module | $k | $k50 | $k90 | $k99 | $kmax | $kunder% |
| baseline: the same lookup from a bare client (pgbench, prepared, one connection, 500/s) | $b | $b50 | $b90 | $b99 | $bmax | $bunder% |

The whole-request rows are timed by the client; the link adds $add50 ms at the median and
$add99 ms at p99 over the static file (access-phase lookup by token hash, confinement,
delivery). The lookup row is timed inside httpd around \`ls_store_share_by_hash\` (taking a
pooled connection, the one prepared statement that returns the share with its items and
recipients, reading the rows), logged per request as \`%{linkshare-lookup-us}n\`. Inside
PostgreSQL (pg_stat_statements) that statement ran ${pcalls:-0} times, mean ${pmean:--} ms, max
${pmax:--} ms; the share's index scan alone (EXPLAIN ANALYZE of one token hash): \`$plan\`

Target (#14): an uncached lookup under 1 ms at p99 with 1,000,000 shares.
- **The lookup (p99 $k99 ms): $kv.**
- The whole link request (p99 $l99 ms): $lv. The static file alone, the floor of any request
  on this server and machine, has p99 $s99 ms ($sv); a whole request can only meet the target
  where the static file is well under it.
- The baseline, a bare client making the same kind of lookup at about the same pace (pgbench,
  last row of the table): p50 $b50 ms, p99 $b99 ms ($bv). The module's lookup adds
  $(awk -v a="$k50" -v b="$b50" 'BEGIN { printf "%.3f", a - b }') ms at the median: its statement
  returns the share with its items and recipients (PostgreSQL's mean above, against one row
  here), the pooled connection is taken and given back, the rows are read into the share.
- Where the slowest percent goes: one loopback round trip is two processes woken in turn on
  $(nproc) virtual CPUs; the bare client's own p99, and the static file's, show what the
  machine gives at that moment (on this machine the bare client's p99 moved between 0.37 and
  2.7 ms from one run to the next, minutes apart, with nothing else running).

History. 2026-12-02 03:13-03:18 UTC, as above (the working set in PostgreSQL's buffers), five
runs, the lookup's p99 against the bare client's: 0.485 against 0.368 ms, 0.665 against 0.531,
1.697 against 1.309, 2.214 against 1.068, 3.077 against 1.666; PostgreSQL's mean for the
statement 0.065-0.109 ms. So the lookup's p99 was under 1 ms in each run where the machine let
a bare client's be (two of five), and over it in each where it did not; then it was 1.3-2 times
the bare client's, the price of a second process (httpd) woken on the way. Before that,
02:28-03:03 UTC, with 128 MB of buffers and no prewarm (most of a lookup's pages read through
the kernel) and, in the first six, without the warm-up and the vacuum (each connection's first
PREPARE counted, autovacuum working on the loaded tables): 0.925, 4.262, 1.442, 1.238, 2.805,
1.632 ms, then against the bare client 1.315/0.528 (that client not yet paced), 3.681/1.732,
2.182/2.664, 1.456/0.745; PostgreSQL's mean 0.09-0.15 ms.

Before the lookup was one statement prepared on the server (#14):
each lookup made four round trips to PostgreSQL (a \`SELECT 1\` probe of the pooled connection,
then the share, its items and its recipients, each parsed and planned again by
\`PQexecParams\`). 2026-12-01 20:58 UTC, load average about 1-2: link p50 1.444 / p99 4.366 ms,
static 0.381 / 1.825 ms (the lookup alone not yet measured). 2026-12-01 23:04 UTC, that code
with the lookup timed, load average 3.9-5.6 (other work on the machine): link p50 2.088 /
p99 28.655 ms, static 0.491 / 23.243 ms, the lookup alone p50 1.262 / p90 5.048 / p99 20.961 ms.
EOF
echo "bench-scale: wrote $RESULTS"

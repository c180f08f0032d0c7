#!/usr/bin/env bash
# Runs the Apache::Test suite (t/*.t) once per store: SQLite, then a
# throw-away PostgreSQL on a free loopback port. Builds nothing (`make
# integration` builds first). Always stops httpd and PostgreSQL; exits
# non-zero if anything failed.
#   scripts/integration-tests.sh [t/some.t ...]
#   LS_STORES="sqlite3"   run only these stores (default: sqlite3 pgsql)
#   LS_MODULE=path/mod_linkshare.so   test another build of the module
#   LS_HTTPD=path/wrapper   start httpd through it (t/TEST gives it to
#                           Apache::Test as -httpd; asan-integration.sh)
#   LS_TEST_TIMEOUT=600   seconds allowed for one store's tests
#   LS_TEST_HTTPD_PORT=N, LS_TEST_PG_PORT=N   fixed ports for httpd (its
#                           virtual hosts take the next ones) and
#                           PostgreSQL, rather than free ones
# PostgreSQL missing is a failure under CI=true, a skip otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD

so=${LS_MODULE:-.libs/mod_linkshare.so}
[ -e "$so" ] || { echo "integration: $so not found; run make all" >&2; exit 1; }
stores=${LS_STORES:-sqlite3 pgsql}
tests=("$@")

ulimit -c unlimited 2>/dev/null || true    # a crashing child leaves a core

work=$(mktemp -d /tmp/ls-integration.XXXXXX)
chmod 755 "$work"    # pg.sh hands $work/pg to user postgres
pgdir=$work/pg

# pg.sh runs PostgreSQL's tools as user postgres when we are root: from a
# directory postgres may enter (a clone under /root is not one).
pg() { (cd "$work" && bash "$top/scripts/pg.sh" "$@"); }

cleanup() {
  [ -f t/logs/httpd.pid ] && t/TEST -stop-httpd >/dev/null 2>&1
  [ -d "$pgdir" ] && pg stop "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1,
    LocalAddr => "127.0.0.1", LocalPort => 0)->sockport'
}

pg_available() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null &&
    ls /usr/lib/*/apr-util-1/apr_dbd_pgsql*.so >/dev/null 2>&1
}

recap=()     # per-store harness summaries, repeated at the end
failed=0

# run_store NAME: one full start / run / stop cycle with the LS_DB_* in force.
run_store() {
  local name=$1 out=$work/$1.out rc
  echo "=== integration: $name ==="
  t/TEST -clean >/dev/null 2>&1    # fresh logs and state for each store
  rm -f t/logs/expected-errors     # the tests declare them again
  if ! t/TEST -start-httpd -port "${LS_TEST_HTTPD_PORT:-select}" >"$work/$name.start" 2>&1; then
    cat "$work/$name.start"
    rc=1
  else
    # A hung request must not eat CI's time budget.
    timeout -k 10 "${LS_TEST_TIMEOUT:-600}" t/TEST -run-tests "${tests[@]}" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    t/TEST -stop-httpd >/dev/null 2>&1
  fi
  # Keep the logs: t/logs is wiped by the next store's -clean.
  rm -rf "build/integration/$name"; mkdir -p "build/integration/$name"
  cp t/logs/error_log t/logs/access_log t/logs/expected-errors \
    "build/integration/$name/" 2>/dev/null
  # Every error the suite caused must be one a test expected.
  local gate=""
  if [ -f "build/integration/$name/error_log" ]; then
    gate=$(perl scripts/error-log-gate.pl "build/integration/$name/error_log" \
      "build/integration/$name/expected-errors") || rc=1
    echo "$gate"
  fi
  # Apache::Test exits 0 even when the server never came up; trust the summary.
  grep -q '^Result: PASS' "$out" 2>/dev/null || rc=1
  if [ "$rc" != 0 ]; then
    failed=1
    echo "--- $name: last lines of t/logs/error_log (all in build/integration/$name) ---"
    tail -n 25 "build/integration/$name/error_log" 2>/dev/null
  fi
  recap+=("--- $name ---" "$(sed -n '/^\(Test Summary Report\|All tests successful\)/,$p' "$out" 2>/dev/null |
    grep -v '^\[' || echo "Result: FAIL (no test summary)")" "$gate")
}

for store in $stores; do
  case $store in
  sqlite3)
    LS_DB_DRIVER=sqlite3 LS_DB_PARAMS='' run_store sqlite3
    ;;
  pgsql)
    if ! pg_available; then
      msg="PostgreSQL (postgresql, libaprutil1-dbd-pgsql) not installed"
      if [ "${CI:-}" = true ]; then failed=1; recap+=("--- pgsql ---" "Result: FAIL ($msg)")
      else recap+=("--- pgsql ---" "skipped: $msg"); fi
      continue
    fi
    port=${LS_TEST_PG_PORT:-$(free_port)}
    if ! conn=$(pg start "$pgdir" "$port"); then
      cat "$pgdir/log" "$pgdir/initdb.log" 2>/dev/null | tail -n 20
      failed=1; recap+=("--- pgsql ---" "Result: FAIL (PostgreSQL did not start)")
      continue
    fi
    # LS_TEST_PG: the same server for anything else run from here (the C
    # store test reads it).
    # LS_PG_DIR/LS_PG_PORT let t/060_store_down.t stop and restart it.
    LS_PG_DIR=$pgdir LS_PG_PORT=$port \
      LS_TEST_PG=$conn LS_DB_DRIVER=pgsql LS_DB_PARAMS=$conn run_store pgsql
    ;;
  *) echo "integration: unknown store $store" >&2; failed=1 ;;
  esac
done

echo "=== integration summary ==="
printf '%s\n' "${recap[@]}"
if [ "$failed" = 0 ]; then echo "Result: PASS"; else echo "Result: FAIL"; fi
exit "$failed"

#!/usr/bin/env bash
# Runs the Apache::Test suite (t/*.t) once per store: SQLite and a
# throw-away PostgreSQL on a free loopback port, both at once, each in a
# copy of t/ of its own (Apache::Test keeps its configuration, logs and
# state under t/; the copy's other top-level entries are links to this
# tree's). Each store's output is shown when it is done, SQLite's first.
# Builds nothing (`make integration` builds first). Always stops httpd and
# PostgreSQL; exits non-zero if anything failed.
#   scripts/integration-tests.sh [t/some.t ...]
#   LS_STORES="sqlite3"   run only these stores (default: sqlite3 pgsql)
#   LS_SERIAL=1           one store after the other, in this tree's t/
#                         (one store alone always runs that way)
#   LS_MODULE=path/mod_linkshare.so   test another build of the module
#   LS_HTTPD=path/wrapper   start httpd through it (t/TEST gives it to
#                           Apache::Test as -httpd; asan-integration.sh)
#   LS_TEST_TIMEOUT=600   seconds allowed for one store's tests
#   LS_TEST_HTTPD_PORT=N, LS_TEST_PG_PORT=N   fixed ports for httpd (its
#                           virtual hosts take the next ones) and
#                           PostgreSQL, rather than free ones (with both
#                           stores, give LS_SERIAL=1 too: concurrent
#                           passes would share the httpd port)
# PostgreSQL missing is a failure under CI=true, a skip otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD

so=${LS_MODULE:-.libs/mod_linkshare.so}
[ -e "$so" ] || { echo "integration: $so not found; run make all" >&2; exit 1; }
# t/TEST reads it from the copy's top directory: make it absolute.
[ -z "${LS_MODULE:-}" ] || export LS_MODULE="$(cd "$(dirname "$LS_MODULE")" && pwd)/$(basename "$LS_MODULE")"
[ -z "${LS_HTTPD:-}" ] || export LS_HTTPD="$(cd "$(dirname "$LS_HTTPD")" && pwd)/$(basename "$LS_HTTPD")"
stores=${LS_STORES:-sqlite3 pgsql}
tests=("$@")

ulimit -c unlimited 2>/dev/null || true    # a crashing child leaves a core

work=$(mktemp -d /tmp/ls-integration.XXXXXX)
chmod 755 "$work"    # pg.sh hands $work/pg to user postgres
pgdir=$work/pg

# pg.sh runs PostgreSQL's tools as user postgres when we are root: from a
# directory postgres may enter (a clone under /root is not one).
pg() { (cd "$work" && bash "$top/scripts/pg.sh" "$@"); }

pids=()      # the stores running at once
cleanup() {
  local d
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  for d in "$top" "$work"/tree-*; do
    [ -f "$d/t/logs/httpd.pid" ] && (cd "$d" && t/TEST -stop-httpd >/dev/null 2>&1)
  done
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

failed=0

# run_store NAME: one full start / run / stop cycle with the LS_DB_* in
# force, in the current directory (a top with t/). Its summary for the
# recap goes to $work/NAME.recap, 1 to $work/NAME.failed if it failed.
run_store() {
  local name=$1 out=$work/$1.out rc
  echo "=== integration: $name ==="
  t/TEST -clean >/dev/null 2>&1    # fresh logs and state for each store
  rm -f t/logs/expected-errors     # the tests declare them again
  # One store starts at a time: Apache::Test picks its ports (8529 and up)
  # by looking for free ones, so two configuring at once could pick the
  # same. The lock's descriptor is closed for t/TEST: httpd would inherit
  # it and hold the lock until it stops.
  if ! (flock 9 && t/TEST -start-httpd -port "${LS_TEST_HTTPD_PORT:-select}" 9>&-) 9>"$work/start.lock" >"$work/$name.start" 2>&1; then
    cat "$work/$name.start"
    rc=1
  else
    # A hung request must not eat CI's time budget.
    timeout -k 10 "${LS_TEST_TIMEOUT:-600}" t/TEST -run-tests "${tests[@]}" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    t/TEST -stop-httpd >/dev/null 2>&1
  fi
  # Keep the logs: t/logs is wiped by the next store's -clean.
  local logs=$top/build/integration/$name
  rm -rf "$logs"; mkdir -p "$logs"
  cp t/logs/error_log t/logs/access_log t/logs/expected-errors "$logs/" 2>/dev/null
  # Every error the suite caused must be one a test expected.
  local gate=""
  if [ -f "$logs/error_log" ]; then
    gate=$(perl "$top/scripts/error-log-gate.pl" "$logs/error_log" "$logs/expected-errors") || rc=1
    echo "$gate"
  fi
  # Apache::Test exits 0 even when the server never came up; trust the summary.
  grep -q '^Result: PASS' "$out" 2>/dev/null || rc=1
  if [ "$rc" != 0 ]; then
    echo 1 >"$work/$name.failed"
    echo "--- $name: last lines of t/logs/error_log (all in build/integration/$name) ---"
    tail -n 25 "$logs/error_log" 2>/dev/null
  fi
  printf '%s\n' "--- $name ---" "$(sed -n '/^\(Test Summary Report\|All tests successful\)/,$p' "$out" 2>/dev/null |
    grep -v '^\[' || echo "Result: FAIL (no test summary)")" "$gate" >"$work/$name.recap"
}

# fail NAME MESSAGE: a store that could not run.
fail() { printf '%s\n' "--- $1 ---" "$2" >"$work/$1.recap"; echo 1 >"$work/$1.failed"; }

# one_store NAME: that store's run, its database started first.
one_store() {
  case $1 in
  sqlite3)
    LS_DB_DRIVER=sqlite3 LS_DB_PARAMS='' run_store sqlite3
    ;;
  pgsql)
    if ! pg_available; then
      msg="PostgreSQL (postgresql, libaprutil1-dbd-pgsql) not installed"
      if [ "${CI:-}" = true ]; then fail pgsql "Result: FAIL ($msg)"
      else printf '%s\n' "--- pgsql ---" "skipped: $msg" >"$work/pgsql.recap"; fi
      return
    fi
    local port conn
    port=${LS_TEST_PG_PORT:-$(free_port)}
    if ! conn=$(pg start "$pgdir" "$port"); then
      cat "$pgdir/log" "$pgdir/initdb.log" 2>/dev/null | tail -n 20
      fail pgsql "Result: FAIL (PostgreSQL did not start)"
      return
    fi
    # LS_TEST_PG: the same server for anything else run from here (the C
    # store test reads it).
    # LS_PG_DIR/LS_PG_PORT let t/060_store_down.t stop and restart it.
    LS_PG_DIR=$pgdir LS_PG_PORT=$port \
      LS_TEST_PG=$conn LS_DB_DRIVER=pgsql LS_DB_PARAMS=$conn run_store pgsql
    ;;
  *) echo "integration: unknown store $1" >&2; fail "$1" "Result: FAIL (unknown store)" ;;
  esac
}

# tree_for NAME: a top directory for one store's run, $work/tree-NAME: t/
# copied (the files git knows of, new ones included; or all of t/ less
# what Apache::Test generates), every other entry a link to this tree's.
tree_for() {
  local d=$work/tree-$1 e f
  mkdir -p "$d"
  for e in "$top"/* "$top"/.libs; do
    [ -e "$e" ] && [ "$(basename "$e")" != t ] && ln -s "$e" "$d/"
  done
  if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$top" ls-files -z --cached --others --exclude-standard t |
      while IFS= read -r -d '' f; do
        [ -e "$top/$f" ] && mkdir -p "$d/$(dirname "$f")" && cp -p "$top/$f" "$d/$f"
      done
  else
    cp -a "$top/t" "$d/t" && (cd "$d" && t/TEST -clean >/dev/null 2>&1)
  fi
}

nstores=$(wc -w <<<"$stores")
if [ -n "${LS_SERIAL:-}" ] || [ "$nstores" -le 1 ]; then
  for store in $stores; do one_store "$store"; done
else
  # At once, each in a tree of its own, output kept until it is done.
  for store in $stores; do
    tree_for "$store"
    (cd "$work/tree-$store" && one_store "$store") >"$work/$store.log" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  pids=()
  for store in $stores; do cat "$work/$store.log"; done
fi
for store in $stores; do
  [ -f "$work/$store.failed" ] && failed=1
done

echo "=== integration summary ==="
for store in $stores; do cat "$work/$store.recap" 2>/dev/null; done
if [ "$failed" = 0 ]; then echo "Result: PASS"; else echo "Result: FAIL"; fi
exit "$failed"

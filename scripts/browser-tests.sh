#!/usr/bin/env bash
# Runs the browser tests (t/browser/*.test.mjs: node --test, playwright-core
# driving Debian's headless /usr/bin/chromium) against the Apache::Test
# server with the SQLite store. Builds nothing (`make browser` builds first).
#   scripts/browser-tests.sh [t/browser/some.test.mjs ...]
# A server already started with `t/TEST -start-httpd` is used as it is and
# left running (the quick loop); otherwise one is started and stopped here.
# Screenshots of each main screen, and of any failure, go to build/browser/
# with the server's logs. Exits non-zero if anything failed.
#   LS_BROWSER_TIMEOUT=300   seconds allowed for the whole run (141 s on an
#                            idle machine with the sharer tests of #12)
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
out=$top/build/browser

bash scripts/npm-deps.sh || exit 1
chromium=${LS_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "browser: $chromium not found; run make deps" >&2; exit 1; }
so=${LS_MODULE:-.libs/mod_linkshare.so}
[ -e "$so" ] || { echo "browser: $so not found; run make all" >&2; exit 1; }

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(t/browser/*.test.mjs)

rm -rf "$out"; mkdir -p "$out"

started=
cleanup() {
  cp t/logs/error_log t/logs/access_log "$out/" 2>/dev/null
  [ -n "$started" ] && t/TEST -stop-httpd >/dev/null 2>&1
  true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

running() { [ -f t/logs/httpd.pid ] && kill -0 "$(cat t/logs/httpd.pid)" 2>/dev/null; }

if running; then
  echo "browser: using the running test server"
else
  t/TEST -clean >/dev/null 2>&1
  if ! LS_DB_DRIVER=sqlite3 LS_DB_PARAMS='' t/TEST -start-httpd -port select \
    >"$out/start.log" 2>&1; then
    cat "$out/start.log"; tail -n 25 t/logs/error_log 2>/dev/null
    echo "browser: 0 passed, 1 failed (the test server did not start)"
    exit 1
  fi
  started=1
fi

# Where the running server is: the configuration Apache::Test saved.
eval "$(perl -It/lib -MApache::TestConfig -e '
  my $v = Apache::TestConfig->thaw->{vars};
  print "LS_BASE_URL=http://$v->{servername}:$v->{port}\n",
        "LS_ASSET_ROOT=\x27$v->{ls_asset_root}\x27\n"')"
[ -n "${LS_BASE_URL:-}" ] || { echo "browser: cannot read t/conf/apache_test_config.pm" >&2; exit 1; }
echo "browser: $LS_BASE_URL (assets in $LS_ASSET_ROOT)"

start=$(date +%s)
LS_BASE_URL=$LS_BASE_URL LS_ASSET_ROOT=$LS_ASSET_ROOT LS_USER=alice LS_PASS=alicepw \
  LS_SHOT_DIR=$out LS_CHROMIUM=$chromium \
  timeout -k 10 "${LS_BROWSER_TIMEOUT:-300}" \
  node --test --test-concurrency=1 --test-reporter=tap "${tests[@]}" 2>&1 | tee "$out/tap.txt"
rc=${PIPESTATUS[0]}

pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out/tap.txt" | tail -n 1)
fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out/tap.txt" | tail -n 1)
[ -n "$pass" ] || rc=1    # no summary: node or the runner died
[ "${fail:-1}" = 0 ] || rc=1
[ "$rc" = 0 ] || [ "${fail:-0}" != 0 ] || fail=1    # killed, timed out
echo "browser: screenshots and logs in ${out#"$top"/}/ ($(($(date +%s) - start)) s)"
echo "browser: ${pass:-0} passed, ${fail:-0} failed"
exit "$rc"

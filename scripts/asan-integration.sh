#!/usr/bin/env bash
# The Apache::Test suite (scripts/integration-tests.sh, every store) against
# an ASan+UBSan build of the module, with httpd started under the ASan
# runtime. Fails if the suite fails or if any sanitizer report was written.
# `make asan-integration` builds the module and runs this.
#   scripts/asan-integration.sh build/asan/mod_linkshare.so [t/some.t ...]
# Reports: build/asan/logs/{asan,ubsan}.<pid>. The wrapper it writes,
# build/asan/httpd, stays for the quick loop:
#   LS_MODULE=build/asan/mod_linkshare.so LS_HTTPD=build/asan/httpd \
#     t/TEST -start-httpd
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD

so=${1:?usage: $0 path/mod_linkshare.so [t/some.t ...]}; shift
so=$(realpath "$so")
cc=${SAN_CC:-gcc}
apxs=${APXS:-apxs}

# The runtime of the compiler that built the module: ASan must be the first
# library in the process, and httpd itself is not instrumented.
asan_rt=$("$cc" -print-file-name=libasan.so)
[ -f "$asan_rt" ] || { echo "asan-integration: $cc has no libasan.so" >&2; exit 1; }
httpd=$("$apxs" -q SBINDIR)/$("$apxs" -q TARGET)
[ -x "$httpd" ] || { echo "asan-integration: no httpd at $httpd" >&2; exit 1; }

# The children (User nobody when we are root) write reports too: the
# directory must be theirs to write, which a tree under /root is not.
logs=$top/build/asan/logs
if [ "$(id -u)" = 0 ] &&
  ! runuser -u "${APACHE_TEST_USER:-nobody}" -- test -x "$top/build"; then
  logs=/tmp/mod_linkshare-asan-$(printf %s "$top" | md5sum | cut -c1-12)
fi
rm -rf "$logs" && mkdir -p "$logs" && chmod 1777 "$logs" || exit 1

# Paths are written in, so anything that runs the wrapper later (t/TEST
# -stop-httpd, t/050_config.t via var('httpd')) needs no environment.
wrapper=$top/build/asan/httpd
cat >"$wrapper" <<EOF
#!/bin/sh
# Written by scripts/asan-integration.sh: $httpd under the ASan runtime.
# Reports go to $logs/{asan,ubsan}.<pid>.
LD_PRELOAD=$asan_rt\${LD_PRELOAD:+:\$LD_PRELOAD}
ASAN_OPTIONS=detect_leaks=0:log_path=$logs/asan
UBSAN_OPTIONS=print_stacktrace=1:log_path=$logs/ubsan
export LD_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
exec "$httpd" "\$@"
EOF
chmod 755 "$wrapper"

start=$SECONDS
LS_MODULE=$so LS_HTTPD=$wrapper bash scripts/integration-tests.sh "$@"
rc=$?

# Without a writable log_path a report goes to stderr, i.e. the error_log.
reports=$(find "$logs" -type f | sort)
stray=$(grep -l 'Sanitizer\|runtime error:' build/integration/*/error_log 2>/dev/null)
for f in $reports; do echo "=== $f ==="; cat "$f"; done
for f in $stray; do
  echo "=== $f (reports only) ==="
  grep -A 60 'Sanitizer\|runtime error:' "$f"
done
echo "=== asan-integration: $(echo $reports $stray | wc -w) sanitizer report(s)," \
  "$((SECONDS - start)) s ==="
[ -z "$reports$stray" ] || rc=1
if [ "$rc" = 0 ]; then echo "Result: PASS"; else echo "Result: FAIL"; fi
exit "$rc"

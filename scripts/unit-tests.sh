#!/usr/bin/env bash
# Runs the C unit tests through prove. The store test runs against SQLite
# and against a throw-away PostgreSQL started here (LS_TEST_PG); without
# PostgreSQL that part is skipped, except under CI=true where it fails.
set -uo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/ls-unit.XXXXXX)
chmod 755 "$work"
cleanup() { bash scripts/pg.sh stop "$work/pg" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  # LS_TEST_PG_PORT: a fixed port rather than a free one.
  port=${LS_TEST_PG_PORT:-$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1,
    LocalAddr => "127.0.0.1", LocalPort => 0)->sockport')}
  if conn=$(bash scripts/pg.sh start "$work/pg" "$port"); then
    export LS_TEST_PG="$conn"
  else
    echo "unit: PostgreSQL did not start" >&2
    [ "${CI:-}" = true ] && exit 1
  fi
elif [ "${CI:-}" = true ]; then
  echo "unit: PostgreSQL is not installed" >&2
  exit 1
fi
prove -e '' "$@"

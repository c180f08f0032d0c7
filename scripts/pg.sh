#!/usr/bin/env bash
# A throw-away PostgreSQL on 127.0.0.1 for the tests.
#   scripts/pg.sh start DIR PORT   create (if needed) and start; prints the
#                                  apr_dbd connection string
#   scripts/pg.sh stop DIR         stop it
# initdb and postgres refuse root, so as root they run as user postgres.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
cmd=${1:?start|stop}; dir=${2:?dir}; port=${3:-55432}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$PGBIN/initdb" -D "$dir/data" -U linkshare --auth=trust -E UTF8 \
      --no-locale --no-sync >"$dir/initdb.log" 2>&1
  fi
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U linkshare linkshare 2>/dev/null || true
  echo "host=127.0.0.1 port=$port user=linkshare dbname=linkshare"
  ;;
stop)
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac

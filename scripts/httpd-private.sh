# shellcheck shell=bash
# Shared helpers for a private httpd (sourced by scripts/demo.sh and
# bench/run.sh; not run on its own).
#
# A private instance lives entirely under one directory ROOT:
#   ROOT/conf/httpd.conf   rendered from demo/httpd.conf.in
#   ROOT/logs/             error_log, access_log
#   ROOT/run/              PidFile, DefaultRuntimeDir, Mutex files
#   ROOT/htdocs/           DocumentRoot (assets under htdocs/assets)
#   ROOT/state/            LinkShareStateDir (the SQLite store)
# It is started with the apache2 binary directly (not apache2ctl, which
# reads /etc/apache2/envvars) and listens on 127.0.0.1 only.

HP_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HP_HTTPD=${APACHE2:-$(command -v apache2 || echo /usr/sbin/apache2)}
HP_MODDIR=${APACHE_MODULES:-/usr/lib/apache2/modules}
HP_MODULE=$HP_REPO/.libs/mod_linkshare.so
HP_TEMPLATE=$HP_REPO/demo/httpd.conf.in

hp_die() {
  echo "$HP_NAME: $*" >&2
  exit 1
}

hp_note() {
  echo "$HP_NAME: $*" >&2
}

# The user httpd's children run as when started by root (none otherwise:
# they then keep the caller's identity).
hp_pick_user() {
  local u
  [ "$(id -u)" = 0 ] || return 0
  for u in www-data daemon nobody; do
    if id "$u" >/dev/null 2>&1; then
      echo "$u"
      return 0
    fi
  done
}

# hp_render OUT NAME=VALUE...: writes demo/httpd.conf.in with every @NAME@
# replaced (perl: values are paths that may hold any character).
hp_render() {
  local out=$1
  shift
  # shellcheck disable=SC2016 # perl code, not shell
  env "$@" perl -pe 's/\@([A-Z_]+)\@/exists $ENV{"HP_$1"} ? $ENV{"HP_$1"} : die "unset \@$1\@\n"/ge' \
    "$HP_TEMPLATE" >"$out.tmp" || { rm -f "$out.tmp"; hp_die "cannot render $out"; }
  mv "$out.tmp" "$out"
}

# hp_prepare ROOT: the private directory skeleton and a mime.types.
hp_prepare() {
  local root=$1
  mkdir -p "$root/conf" "$root/logs" "$root/run" "$root/htdocs"
  if [ -r /etc/mime.types ]; then
    cp /etc/mime.types "$root/conf/mime.types"
  else
    printf '%s\n' 'text/html html htm' 'text/plain txt' 'image/jpeg jpg jpeg' \
      'image/png png' 'application/pdf pdf' >"$root/conf/mime.types"
  fi
}

# hp_write_config ROOT PORT LOGLEVEL: renders ROOT/conf/httpd.conf. The
# caller has created ROOT/htdocs/assets, ROOT/renditions and
# ROOT/conf/htpasswd; extra blocks go to ROOT/conf/extra/*.conf.
hp_write_config() {
  local root=$1 port=$2 loglevel=$3 user usergroup=""
  user=$(hp_pick_user)
  if [ -n "$user" ]; then
    usergroup="User $user
Group $(id -gn "$user")"
  fi
  mkdir -p "$root/conf/extra"
  hp_render "$root/conf/httpd.conf" \
    HP_ROOT="$root" HP_PORT="$port" HP_MODDIR="$HP_MODDIR" \
    HP_MODULE="$HP_MODULE" HP_USERGROUP="$usergroup" \
    HP_LOGLEVEL="$loglevel" HP_PUBLIC_URL="http://127.0.0.1:$port"
}

# hp_htpasswd FILE USER PASSWORD: adds or updates USER (bcrypt, password
# on stdin so it never shows in ps). Readable by the children's group.
hp_htpasswd() {
  local file=$1 user=$2 pw=$3 create=() u
  [ -e "$file" ] || create=(-c)
  printf '%s\n' "$pw" | htpasswd -i -B "${create[@]}" "$file" "$user" 2>/dev/null \
    || hp_die "htpasswd failed for $user (is apache2-utils installed?)"
  u=$(hp_pick_user)
  if [ -n "$u" ]; then
    chown "root:$(id -gn "$u")" "$file"
    chmod 0640 "$file"
  else
    chmod 0600 "$file"
  fi
}

# hp_random_password: 16 characters from the URL-safe alphabet.
hp_random_password() {
  local pw
  pw=$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16)
  [ ${#pw} -eq 16 ] || hp_die "cannot generate a password"
  echo "$pw"
}

# hp_port_busy PORT: true when something listens on 127.0.0.1:PORT.
hp_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# hp_pid ROOT: the pid of a running instance of ROOT, or nothing.
hp_pid() {
  local pidfile=$1/run/httpd.pid pid
  [ -s "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
  fi
}

hp_error_tail() {
  local log=$1/logs/error_log
  if [ -s "$log" ]; then
    echo "--- last lines of $log:" >&2
    tail -n "${2:-20}" "$log" >&2
  fi
}

# hp_start ROOT PORT: starts httpd and waits until it answers.
hp_start() {
  local root=$1 port=$2 out i pid
  [ -f "$HP_MODULE" ] || hp_die "$HP_MODULE is missing; run 'make all' first"
  [ -x "$HP_HTTPD" ] || hp_die "no apache2 binary (install apache2-bin)"
  if hp_port_busy "$port"; then
    hp_note "port 127.0.0.1:$port is already in use:"
    ss -ltnp "sport = :$port" 2>/dev/null | tail -n +2 >&2 || true
    hp_die "choose another port or stop what listens there"
  fi
  rm -f "$root/run/httpd.pid"
  : >"$root/logs/error_log"
  if ! out=$("$HP_HTTPD" -d "$root" -f "$root/conf/httpd.conf" -k start 2>&1); then
    echo "$out" >&2
    hp_error_tail "$root"
    hp_die "httpd failed to start"
  fi
  for i in $(seq 1 100); do
    pid=$(hp_pid "$root")
    if [ -n "$pid" ] && curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
      return 0
    fi
    if [ -z "$pid" ] && [ "$i" -gt 20 ]; then
      break
    fi
    sleep 0.1
  done
  [ -n "$out" ] && echo "$out" >&2
  hp_error_tail "$root"
  hp_stop "$root" >/dev/null 2>&1 || true
  hp_die "httpd did not come up on 127.0.0.1:$port"
}

# hp_stop ROOT: stops the instance (if any) and waits until it is gone.
hp_stop() {
  local root=$1 pid i
  pid=$(hp_pid "$root")
  if [ -z "$pid" ]; then
    rm -f "$root/run/httpd.pid"
    return 1
  fi
  kill -TERM "$pid"
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    hp_error_tail "$root"
    hp_die "httpd (pid $pid) did not stop within 10 s"
  fi
  rm -f "$root/run/httpd.pid"
  return 0
}

# hp_create_share ROOT PORT USER PASSWORD JSON: POSTs JSON to the sharer
# API and prints the new share's "url". The credentials go through a curl
# config file, not the command line.
hp_create_share() {
  local root=$1 port=$2 user=$3 pw=$4 json=$5 auth resp code body url
  auth=$root/run/curl-auth
  (umask 077 && printf 'user = "%s:%s"\n' "$user" "$pw" >"$auth")
  resp=$(printf '%s' "$json" | curl -sS --max-time 10 -K "$auth" \
    -H 'Content-Type: application/json' --data-binary @- -w '\n%{http_code}' \
    "http://127.0.0.1:$port/linkshare/api/shares" 2>&1) || true
  rm -f "$auth"
  code=${resp##*$'\n'}
  body=${resp%$'\n'*}
  if [ "$code" != 201 ]; then
    hp_note "creating a share answered HTTP $code: $body"
    hp_error_tail "$root"
    return 1
  fi
  url=$(printf '%s' "$body" | perl -MJSON::PP -e \
    'my $j = eval { decode_json(join "", <STDIN>) }; print $j->{url} // "" if ref $j eq "HASH"')
  if [ -z "$url" ]; then
    hp_note "the share response has no \"url\": $body"
    return 1
  fi
  echo "$url"
}

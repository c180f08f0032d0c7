#!/usr/bin/env bash
# The demo: a private httpd with mod_linkshare, sample assets and the
# SQLite store on 127.0.0.1:${LINKSHARE_DEMO_PORT:-8080}.
#   scripts/demo.sh start   (re)start it, create a share, print the link
#   scripts/demo.sh stop    stop it (safe when it is not running)
# `make demo` builds the module first and then runs `start`.
# Everything lives in demo/run/ (git-ignored): config, logs, the store, the
# assets, and the generated passwords (demo/run/*-password).
# LINKSHARE_DEMO_SMTP=host:port: share mail goes through that SMTP server
# (plain, no AUTH) with LinkShareOrgDomain example.com; unset, mail is not
# configured and a share with recipients is refused.
set -euo pipefail

# shellcheck disable=SC2034 # read by httpd-private.sh in its messages
HP_NAME=demo
# shellcheck source=scripts/httpd-private.sh
. "$(dirname "$0")/httpd-private.sh"

RUN=$HP_REPO/demo/run
PORT=${LINKSHARE_DEMO_PORT:-8080}
SHARE_JSON='{"paths":["gallery","photos","press kit","café menu.txt"]}'

[[ "$PORT" =~ ^[0-9]+$ ]] || hp_die "LINKSHARE_DEMO_PORT='$PORT' is not a port number"

# A password generated once and kept, so a restart keeps the credentials.
password_for() {
  local f=$RUN/$1-password
  if [ ! -s "$f" ]; then
    (umask 077 && hp_random_password >"$f")
  fi
  cat "$f"
}

start() {
  local demo_pw admin_pw url

  # Running start twice restarts: one instance, the current build.
  if hp_stop "$RUN"; then
    hp_note "stopped the previous demo httpd"
  fi
  local smtp=${LINKSHARE_DEMO_SMTP:-}
  if [ -n "$smtp" ] && ! [[ "$smtp" =~ ^[A-Za-z0-9.-]+:[0-9]+$ ]]; then
    hp_die "LINKSHARE_DEMO_SMTP='$smtp' is not host:port"
  fi

  hp_prepare "$RUN"
  mkdir -p "$RUN/htdocs/assets" "$RUN/renditions"
  bash "$HP_REPO/scripts/make-assets.sh" "$RUN/htdocs/assets" "$RUN/renditions" >/dev/null \
    || hp_die "scripts/make-assets.sh failed"
  demo_gallery "$RUN/htdocs/assets/gallery"
  sed "s/127\.0\.0\.1:8080/127.0.0.1:$PORT/g" "$HP_REPO/demo/index.html" >"$RUN/htdocs/index.html"

  demo_pw=$(password_for demo)
  admin_pw=$(password_for admin)
  rm -f "$RUN/conf/htpasswd"
  hp_htpasswd "$RUN/conf/htpasswd" demo "$demo_pw"
  hp_htpasswd "$RUN/conf/htpasswd" admin "$admin_pw"

  hp_write_config "$RUN" "$PORT" "warn linkshare:info"
  # Mail only when asked for: plain SMTP, no AUTH, a demo sender.
  if [ -n "$smtp" ]; then
    printf '%s\n' "LinkShareSMTPServer   $smtp" "LinkShareSMTPStartTLS off" \
      "LinkShareMailFrom     linkshare@example.com" \
      "LinkShareOrgDomain    example.com" >"$RUN/conf/extra/mail.conf"
  else
    rm -f "$RUN/conf/extra/mail.conf"
  fi
  hp_start "$RUN" "$PORT"

  if ! url=$(hp_create_share "$RUN" "$PORT" demo "$demo_pw" "$SHARE_JSON"); then
    hp_stop "$RUN" || true
    hp_die "the demo httpd started but could not create a share; stopped it"
  fi

  echo "Site: http://127.0.0.1:$PORT/"
  echo "Sharer: demo $demo_pw        (HTTP Basic, for /linkshare/api and the sharer pages)"
  echo "Share link: $url"
  if [ -n "$smtp" ]; then
    echo "Mail: through $smtp (plain SMTP; LinkShareOrgDomain example.com)"
  fi
}

# A folder nobody made renditions for: camera-sized photos, a PDF and a
# short video, made here (vips, ffmpeg from make deps); the workers make
# their thumbnails and web renditions when the demo share is created.
demo_gallery() {
  local dir=$1 i c
  rm -rf "$dir"
  mkdir -p "$dir"
  command -v vips >/dev/null && command -v ffmpeg >/dev/null || return 0
  for i in 1 2 3 4 5 6; do
    c="$((i * 40)) $((200 - i * 25)) $((90 + i * 20))"
    vips xyz "$dir/.xy.v" 3000 2000 && vips extract_band "$dir/.xy.v" "$dir/.x.v" 0 \
      && vips linear "$dir/.x.v" "$dir/.g.v" 0.05 20 \
      && vips bandjoin "$dir/.g.v $dir/.g.v $dir/.g.v" "$dir/.g3.v" \
      && vips linear "$dir/.g3.v" "$dir/.c.v" "1 0.8 0.6" "$c" \
      && vips cast "$dir/.c.v" "$dir/.cu.v" uchar \
      && vips copy "$dir/.cu.v" "$dir/photo-$i.jpg" >/dev/null 2>&1 || true
  done
  ffmpeg -v error -y -f lavfi -i testsrc=duration=3:size=640x360:rate=25 \
    -pix_fmt yuv420p "$dir/clip.mp4" || true
  printf '%s\n' '%PDF-1.4' '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj' \
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj' \
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj' \
    '4 0 obj << /Length 35 >> stream' '0.2 0.4 0.8 rg 60 400 475 300 re f' \
    'endstream endobj' 'trailer << /Root 1 0 R >>' '%%EOF' >"$dir/brochure.pdf"
  rm -f "$dir"/.??*
  chmod -R a+rX "$dir"
}

stop() {
  if hp_stop "$RUN"; then
    hp_note "stopped"
  else
    hp_note "not running"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac

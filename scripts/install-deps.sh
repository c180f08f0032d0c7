#!/usr/bin/env bash
# Installs every Debian package the build, the demo and the tests need, then
# the browser tests' npm packages (scripts/npm-deps.sh).
# Idempotent and fast when everything is present; never leaves system
# services started (a temporary policy-rc.d refuses service starts).
set -euo pipefail

PKGS=(
  build-essential pkg-config
  apache2-dev apache2-bin apache2-utils
  libapr1-dev libaprutil1-dev libaprutil1-dbd-sqlite3 libaprutil1-dbd-pgsql
  libzip-dev libssl-dev libesmtp-dev libjansson-dev libpq-dev
  sqlite3 postgresql curl zip unzip
  python3 openssl
  libapache2-mod-perl2 libwww-perl libjson-pp-perl
  wrk clang-format clang libclang-rt-14-dev
  time
  chromium fonts-wqy-microhei
  libvips-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
  libvips-tools ffmpeg libimage-exiftool-perl
  imagemagick
)
# linkshare-render (src/render/) links libvips and FFmpeg's libraries;
# its test (t/render/) makes fixtures with the vips CLIs, ffmpeg and exiftool.
# ImageMagick: a baseline of make bench-renditions (convert -thumbnail).
# Browser tests: Debian's chromium (never a downloaded browser) driven by
# playwright-core from npm; a CJK font so screenshots show Japanese names too.
# Node.js 20 and npm come with this project's machines; Debian's own
# (Node 18) only where there is none.
command -v node >/dev/null && command -v npm >/dev/null || PKGS+=(nodejs npm)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exec bash "$(dirname "$0")/npm-deps.sh"
fi

if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run this script as root (or: sudo $0)" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
guard=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  guard=1
fi
cleanup() { [ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d; true; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}"

cleanup
trap - EXIT
exec bash "$(dirname "$0")/npm-deps.sh"

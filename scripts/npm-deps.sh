#!/usr/bin/env bash
# Installs the browser tests' npm packages (t/browser/package-lock.json:
# playwright-core only, which downloads no browser; the tests drive Debian's
# /usr/bin/chromium) into t/browser/node_modules, with `npm ci`, when it is
# missing or older than the lock file. Fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/../t/browser"

for c in node npm; do
  command -v "$c" >/dev/null || {
    echo "npm-deps: $c not found (scripts/install-deps.sh installs it)" >&2
    exit 1
  }
done

# A stamp of the lock file npm ci installed from: a changed lock reinstalls.
want=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.ls-lock-sha256
if [ -d node_modules/playwright-core ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
echo "npm-deps: npm ci in t/browser"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"

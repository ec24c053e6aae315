#!/usr/bin/env bash
# Runs before `npm start` and `npm test` (npm's pre-scripts): on a fresh machine it
# installs what they need — Debian's chromium and firefox-esr, and the npm dependencies — once.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "ensure-setup: installing Debian chromium (about 2 minutes)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "ensure-setup: no Chromium at $chromium. Install Debian's chromium (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
    exit 1
  fi
fi

# Debian's firefox-esr for the Firefox journey (npm run test:firefox); only that needs it,
# so without root it is a notice, not a failure.
firefox="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
if [ ! -x "$firefox" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "ensure-setup: installing Debian firefox-esr (about 1 minute)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq firefox-esr >/dev/null
  else
    echo "ensure-setup: no Firefox at $firefox; npm run test:firefox needs it (sudo apt-get install firefox-esr, or set FIREFOX_PATH)." >&2
  fi
fi

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-setup: installing npm dependencies (npm ci)…"
  npm ci --no-audit --no-fund
fi

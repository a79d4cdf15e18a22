#!/usr/bin/env bash
# Install what the quanze-server browser tests need: Debian's Chromium and ChromeDriver
# (/usr/bin/chromium, /usr/bin/chromedriver). Idempotent: does nothing when both exist.
# Run as root (CI and the dev machines are root). Pass --with-wrk to also install wrk for
# scripts/load.sh.
set -euo pipefail

want=()
[ -x /usr/bin/chromium ] || want+=(chromium)
[ -x /usr/bin/chromedriver ] || want+=(chromium-driver)
# Chinese glyphs for the screenshots (without them every character is a box).
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then want+=(fonts-noto-cjk); fi
if [ "${1:-}" = "--with-wrk" ] && ! command -v wrk >/dev/null 2>&1; then
  want+=(wrk)
fi

if [ ${#want[@]} -eq 0 ]; then
  echo "browser-deps: chromium, chromedriver and CJK fonts already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
echo "browser-deps: installed ${want[*]}"
/usr/bin/chromium --version || true
/usr/bin/chromedriver --version || true

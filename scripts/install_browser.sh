#!/usr/bin/env bash
# Install Debian's Chromium for the headless UI tests (tests/ui/test_ui_browser.py).
# Idempotent: does nothing when /usr/bin/chromium exists; runs `apt-get update` only when the
# package index does not know chromium yet. Runs as root here and in CI (sudo otherwise).
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "install_browser: $CHROMIUM already present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if apt-cache show chromium >/dev/null 2>&1; then
  echo "install_browser: package index already lists chromium, skipping apt-get update"
else
  echo "install_browser: running apt-get update (chromium not in the package index yet)"
  $SUDO apt-get update -qq
fi
PACKAGES=(chromium fonts-dejavu-core)
echo "install_browser: installing ${PACKAGES[*]}"
if ! $SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
  # A stale package index names versions the mirror no longer has: refresh once and retry.
  echo "install_browser: install failed, refreshing the package index and retrying"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "install_browser: apt-get finished but $CHROMIUM is missing; install chromium by hand" >&2
  exit 1
fi
echo "install_browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"

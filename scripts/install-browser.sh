#!/usr/bin/env bash
# Make a Chromium available to Playwright: Debian's package where we can install
# it, otherwise Playwright's own download. Never fails the build: without a
# browser, the browser tests skip and say why.
set -u
if [ -n "${BULLETINS_CHROMIUM:-}" ] && [ -x "$BULLETINS_CHROMIUM" ]; then
  exit 0
fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  [ -x "$candidate" ] && exit 0
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests ..."
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/tmp/bulletins-chromium-install.log 2>&1; then
    exit 0
  fi
  echo "apt-get could not install chromium (see /tmp/bulletins-chromium-install.log)"
fi
VENV_BIN="$(dirname "$0")/../.venv/bin"
if [ -x "$VENV_BIN/playwright" ] && "$VENV_BIN/playwright" install chromium >/dev/null 2>&1; then
  exit 0
fi
echo "no Chromium available: the browser tests will skip"
exit 0

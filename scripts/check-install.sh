#!/usr/bin/env bash
# Is plain `pip install .` (no extras) complete? Build the wheel, install it without
# extras into a fresh virtualenv in a temporary directory outside the checkout, and
# from there crawl a replica site whose articles have no `article.body`, run
# `bulletins extract`, `bulletins serve` and `bulletins doctor` (scripts/check_install.py).
# Fails if any published release was not stored.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bulletins-check-install.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "check-install: building the wheel"
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$ROOT" >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log"; exit 1; }
"$PYTHON" -m venv "$WORK/venv"
echo "check-install: installing $(basename "$WORK"/dist/*.whl) without extras"
"$WORK/venv/bin/python" -m pip install --quiet "$WORK"/dist/*.whl >"$WORK/install.log" 2>&1 \
  || { cat "$WORK/install.log"; exit 1; }

# Run from inside the temporary directory, so nothing imports from the checkout.
cd "$WORK"
env -u PYTHONPATH "$WORK/venv/bin/python" "$ROOT/scripts/check_install.py" "$WORK"

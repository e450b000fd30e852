#!/usr/bin/env bash
# The browser tests: builds the release binary and the example site, then
# drives headless Chromium over it (tests/browser/e2e.test.mjs).
#
# Needs Node.js 18+, Java 11+ (for the Nu HTML checker), Python 3 (for the
# FollowTheMoney validation of the open data) and Chromium at
# /usr/bin/chromium (`apt-get install chromium`), or CHROMIUM=/path/to/it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"

missing=()
[ -x "$chromium" ] || missing+=("Chromium at $chromium (apt-get install chromium, or set CHROMIUM=/path)")
command -v node >/dev/null || missing+=("Node.js 18+")
command -v java >/dev/null || missing+=("Java 11+ (apt-get install default-jre-headless)")
command -v python3 >/dev/null || missing+=("Python 3 with venv (apt-get install python3-venv)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'the browser tests need:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

# Install the pinned packages when the lock file is newer than the install.
# Install scripts are not needed (vnu-jar ships its jar) and stay off.
if [ ! -f "$here/node_modules/.package-lock.json" ] ||
   [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund)
fi

# The FollowTheMoney package, to validate the open data against its schema.
venv="$here/.venv-ftm"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import followthemoney" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check followthemoney==4.11.2
fi

(cd "$here/../.." && cargo build --release --locked --quiet)
cd "$here" && CHROMIUM="$chromium" FTM_PYTHON="$venv/bin/python" npm test

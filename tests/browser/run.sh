#!/usr/bin/env bash
# The browser tests: builds the release binary and the example site, then
# drives headless Chromium over it (tests/browser/e2e.test.mjs).
#
# Needs Node.js 18+, Java 11+ (for the Nu HTML checker), Python 3 with venv
# (for the FollowTheMoney validation of the open data) and Chromium at
# /usr/bin/chromium, or CHROMIUM=/path/to/it. Run as root on Debian or
# Ubuntu, it installs what is missing; otherwise it prints the command.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"

# What is missing, as Debian packages. As root with apt-get (a fresh CI
# machine, a container), they are installed; otherwise the one command to
# run is printed.
packages=()
if [ ! -x "$chromium" ]; then
  if [ -n "${CHROMIUM:-}" ]; then
    echo "CHROMIUM=$CHROMIUM is not an executable file" >&2
    exit 1
  fi
  packages+=(chromium)
fi
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
command -v java >/dev/null || packages+=(default-jre-headless)
command -v python3 >/dev/null || packages+=(python3)
python3 -c 'import ensurepip' 2>/dev/null || packages+=(python3-venv)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${packages[*]} for the browser tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
  else
    printf 'the browser tests need %s; install them with:\n\n' "${packages[*]}" >&2
    printf '  sudo apt-get install -y %s\n\n' "${packages[*]}" >&2
    printf '(or set CHROMIUM=/path/to/chromium for a browser elsewhere), then run %s again\n' "$0" >&2
    exit 1
  fi
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

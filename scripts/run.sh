#!/usr/bin/env bash
# Sets up everything bulletin-extract needs on a fresh machine, then runs one job.
#
#   bash scripts/run.sh demo   ingest the sample bulletins into data/bulletins.db and start the server
#   bash scripts/run.sh test   run the test suite (what CI runs, through .ci/run)
#
# Needs only Python >= 3.11 with pip and venv; the virtual environment goes to .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

job="${1:-demo}"
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
# The demo reads scanned samples too (the ocr extra); the tests also need the test and ray extras.
case "$job" in
    test) extras="test,ocr,ray" ;;
    *) extras="ocr" ;;
esac
# pip's own chatter goes to a log, shown only when the install fails.
log=.venv/install.log
if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
       .venv/bin/python -m pip install --disable-pip-version-check -e ".[$extras]"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "installing the Python packages failed (log above, also in $log)" >&2
    exit 1
fi

# The browser test (tests/test_web_browser.py) drives Debian's Chromium and needs a CJK font; the
# store tests start a throw-away PostgreSQL server (service/pg_cluster.py) from Debian's postgresql.
# Install them when missing and running as root (elsewhere the tests say what to install).
if [ "$job" = test ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null &&
   { [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 ||
     ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }; then
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
          chromium fonts-noto-cjk postgresql; } >.venv/apt.log 2>&1 ||
        { cat .venv/apt.log >&2; echo "installing chromium, fonts-noto-cjk and postgresql failed (log above)" >&2; exit 1; }
fi

case "$job" in
    demo) .venv/bin/bulletin ingest samples || echo "(some samples failed, see above; serving the rest)" >&2
          exec .venv/bin/bulletin serve ;;
    test) shift; exec .venv/bin/python -m pytest "$@" ;;
    *) echo "usage: bash scripts/run.sh demo|test" >&2; exit 2 ;;
esac

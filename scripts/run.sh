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
# pip's own chatter goes to a log, shown only when the install fails.
log=.venv/install.log
if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
       .venv/bin/python -m pip install --disable-pip-version-check -e ".[test]"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "installing the Python packages failed (log above, also in $log)" >&2
    exit 1
fi

case "$job" in
    demo) .venv/bin/bulletin ingest samples || echo "(some samples failed, see above; serving the rest)" >&2
          exec .venv/bin/bulletin serve ;;
    test) shift; exec .venv/bin/python -m pytest "$@" ;;
    *) echo "usage: bash scripts/run.sh demo|test" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# README command 2: installs everything the tests need, then runs the whole suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh tests/server -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

# PostgreSQL: the suite runs every storage test on it too. Start it if installed but stopped.
if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "==> starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi

export QT_QPA_PLATFORM=offscreen QT_API=pyside6
# pytest exits non-zero when a test fails and with 5 when it collected no tests: both fail the run.
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"

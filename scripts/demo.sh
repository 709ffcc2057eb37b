#!/usr/bin/env bash
# README command 1: install everything, start a local server on SQLite with demo data,
# and print what to open next. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

export KUAICHU_DATA_DIR="${KUAICHU_DATA_DIR:-var/demo}"
export KUAICHU_DEMO=true
export KUAICHU_PORT="${KUAICHU_PORT:-8000}"
URL="http://127.0.0.1:${KUAICHU_PORT}"

cleanup() { kill $(jobs -p) 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/kuaichu-server seed-demo
.venv/bin/kuaichu-server serve &
for _ in $(seq 1 60); do curl -fsS "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

cat <<MSG

Kuaichu demo is running on $URL
  seat logins: operator1 / officer1 / supervisor1 / admin, password kuaichu-demo
  API docs:    $URL/docs
Press Ctrl-C to stop.
MSG
wait

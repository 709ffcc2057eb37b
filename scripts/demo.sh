#!/usr/bin/env bash
# README command 1: install everything, start a local server on SQLite with demo data,
# and print what to open next. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

export KUAICHU_DATA_DIR="${KUAICHU_DATA_DIR:-var/demo}"
export KUAICHU_DEMO=true
export KUAICHU_SMS_BACKEND="${KUAICHU_SMS_BACKEND:-file}"  # texts land in $KUAICHU_DATA_DIR/sms-handsets/<phone>.jsonl
export KUAICHU_API_DOCS="${KUAICHU_API_DOCS:-true}"  # the demo prints the /docs address below
# Chengdu's rules, but all day, so the demo case can be submitted at any hour.
export KUAICHU_CITY_RULES_FILE="${KUAICHU_CITY_RULES_FILE:-server/resources/demo_city_rules.toml}"
export KUAICHU_PORT="${KUAICHU_PORT:-8000}"
URL="http://127.0.0.1:${KUAICHU_PORT}"

cleanup() { kill $(jobs -p) 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/kuaichu-server seed-demo
.venv/bin/kuaichu-server serve &
for _ in $(seq 1 60); do curl -fsS "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

# A driver calls in and waits in the queue with a simulated phone, then the seat app opens on this server.
.venv/bin/python scripts/demo_caller.py --server "$URL" >"$KUAICHU_DATA_DIR/phone-sim.log" 2>&1 &
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then
  KUAICHU_SEAT_CONFIG="$KUAICHU_DATA_DIR/seat.json" KUAICHU_SEAT_DATA="$KUAICHU_DATA_DIR/seat" \
    .venv/bin/kuaichu-seat --server "$URL" --user operator1 &
  SEAT="the seat app is open: log in as operator1, answer the waiting call, press Space to capture"
else
  SEAT="no display: run .venv/bin/kuaichu-seat --server $URL on a desktop to take the waiting call"
fi

cat <<MSG

Kuaichu demo is running on $URL
  seat logins: operator1 / officer1 / supervisor1 / admin, password kuaichu-demo
  $SEAT
  simulated phone log: $KUAICHU_DATA_DIR/phone-sim.log
  API docs:    $URL/docs
Press Ctrl-C to stop.
MSG
wait

#!/usr/bin/env bash
# While scripts/demo.sh runs: one more driver calls in and waits in the queue with a simulated phone.
#   scripts/demo_call.sh [SCENARIO] [PHONE]     e.g. scripts/demo_call.sh uninsured
# SCENARIO is one of demo_registry.json's "scenarios" (standard, three_vehicles, uninsured, ...; `-l` lists
# them); PHONE defaults to a fresh 139 number. The phone stays in the foreground: Ctrl-C hangs it up.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if [ "${1:-}" = -l ] || [ "${1:-}" = --list ]; then
  exec $PY -c 'from phone_sim.demo_data import scenario_names; print("\n".join(scenario_names()))'
fi
SCENARIO="${1:-standard}"
PHONE="${2:-139$(printf '%08d' $((RANDOM * 32768 + RANDOM)) | tail -c 8)}"
export KUAICHU_DATA_DIR="${KUAICHU_DATA_DIR:-var/demo}"
URL="http://127.0.0.1:${KUAICHU_PORT:-8000}"
curl -fsS "$URL/healthz" >/dev/null 2>&1 || { echo "no demo server on $URL: start scripts/demo.sh first" >&2; exit 1; }
echo "driver $PHONE calls in (scenario $SCENARIO); the call appears in the seat's queue"
exec $PY scripts/demo_caller.py --server "$URL" --phone "$PHONE" --scenario "$SCENARIO"

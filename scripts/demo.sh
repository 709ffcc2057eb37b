#!/usr/bin/env bash
# README command 1: install everything, start a local server on SQLite with demo data, a simulated phone
# waiting in the queue, the seat app logged in as operator1, and an HTTPS front with a QR code for a real
# phone on the same network. Ctrl-C stops everything it started.
#   KUAICHU_DEMO_SKIP_INSTALL=1  skip scripts/install.sh (the demo's test; the venv must exist)
#   KUAICHU_DEMO_SEAT=0 / 1      never open the seat app / open it without a display (QT_QPA_PLATFORM=offscreen)
#   KUAICHU_PORT (8000), KUAICHU_DEMO_HTTPS_PORT (8443), KUAICHU_DATA_DIR (var/demo)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${KUAICHU_DEMO_SKIP_INSTALL:-}" = 1 ] || scripts/install.sh

export KUAICHU_DATA_DIR="${KUAICHU_DATA_DIR:-var/demo}"
export KUAICHU_DEMO=true
export KUAICHU_SMS_BACKEND="${KUAICHU_SMS_BACKEND:-file}"  # texts land in $KUAICHU_DATA_DIR/sms-handsets/<phone>.jsonl
export KUAICHU_API_DOCS="${KUAICHU_API_DOCS:-true}"  # the demo prints the /docs address below
# Chengdu's rules, but all day, so the demo case can be submitted at any hour.
export KUAICHU_CITY_RULES_FILE="${KUAICHU_CITY_RULES_FILE:-server/resources/demo_city_rules.toml}"
export KUAICHU_PORT="${KUAICHU_PORT:-8000}"
HTTPS_PORT="${KUAICHU_DEMO_HTTPS_PORT:-8443}"
URL="http://127.0.0.1:${KUAICHU_PORT}"
PY=.venv/bin/python
mkdir -p "$KUAICHU_DATA_DIR"

# A real phone needs HTTPS for its camera: a self-signed certificate for this machine's LAN addresses.
LAN_IP="$($PY scripts/demo_lan.py address)"
LAN_URL=""
if [ -n "$LAN_IP" ]; then
  LAN_URL="https://${LAN_IP}:${HTTPS_PORT}"
  [ -f "$KUAICHU_DATA_DIR/tls/kuaichu-cert.pem" ] && $PY - "$KUAICHU_DATA_DIR/tls/kuaichu-cert.pem" "$LAN_IP" <<'PY' \
    || .venv/bin/kuaichu-server make-cert --force >/dev/null
import ipaddress, sys
from cryptography import x509
cert = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
ips = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.IPAddress)
sys.exit(0 if ipaddress.ip_address(sys.argv[2]) in ips else 1)  # a new address (another network): a new cert
PY
  [ -f "$KUAICHU_DATA_DIR/tls/kuaichu-cert.pem" ] || .venv/bin/kuaichu-server make-cert >/dev/null
  # SMS links (and the driver's page) name the address phones reach; the seat and the simulated phone stay local.
  export KUAICHU_PUBLIC_BASE_URL="${KUAICHU_PUBLIC_BASE_URL:-$LAN_URL}"
fi

# Each stage in its own process group would outlive a Ctrl-C of this one; jobs are ours to stop.
cleanup() { trap - EXIT INT TERM; kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/kuaichu-server seed-demo  # demo users, the registry, two cases awaiting liability, a week of history
.venv/bin/kuaichu-server serve >"$KUAICHU_DATA_DIR/server.log" 2>&1 &
for _ in $(seq 1 120); do curl -fsS "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$URL/healthz" >/dev/null || { echo "the server did not start: see $KUAICHU_DATA_DIR/server.log" >&2; exit 1; }
echo "server on $URL"
if [ -n "$LAN_URL" ]; then
  $PY scripts/demo_lan.py proxy --listen "$HTTPS_PORT" --to "$KUAICHU_PORT" \
    --cert "$KUAICHU_DATA_DIR/tls/kuaichu-cert.pem" --key "$KUAICHU_DATA_DIR/tls/kuaichu-key.pem" \
    >"$KUAICHU_DATA_DIR/https.log" 2>&1 &
fi

# A driver calls in and waits in the queue with a simulated phone (scenario standard: two cars).
$PY scripts/demo_caller.py --server "$URL" >"$KUAICHU_DATA_DIR/phone-sim.log" 2>&1 &
for _ in $(seq 1 120); do grep -q "queue position" "$KUAICHU_DATA_DIR/phone-sim.log" && break; sleep 0.5; done
grep -q "queue position" "$KUAICHU_DATA_DIR/phone-sim.log" \
  || { echo "the simulated phone did not reach the queue: see $KUAICHU_DATA_DIR/phone-sim.log" >&2; exit 1; }
echo "simulated phone in queue (scenario standard: 川A5F7K2 and 川AD35812)"
DRIVER_LINK=$(grep -o "https\?://[^ ]*/p/[A-Za-z0-9_-]*" "$KUAICHU_DATA_DIR/phone-sim.log" | head -n 1)

SEAT_CMD=".venv/bin/kuaichu-seat --server $URL --user operator1"
OPEN_SEAT="${KUAICHU_DEMO_SEAT:-}"
if [ -z "$OPEN_SEAT" ]; then
  OPEN_SEAT=0; { [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; } && OPEN_SEAT=1
fi
if [ "$OPEN_SEAT" = 1 ]; then
  KUAICHU_SEAT_PASSWORD=kuaichu-demo KUAICHU_SEAT_CONFIG="$KUAICHU_DATA_DIR/seat.json" \
    KUAICHU_SEAT_DATA="$KUAICHU_DATA_DIR/seat" $SEAT_CMD >"$KUAICHU_DATA_DIR/seat.log" 2>&1 &
  SEAT="the seat app opens and logs in as operator1 by itself (log: $KUAICHU_DATA_DIR/seat.log):
    Enter answers the waiting call, Space captures, 下一张 tells the phone what to show next"
else
  SEAT="no display here: the server and the phone keep running. On a desktop that reaches this machine run
    $SEAT_CMD   (password kuaichu-demo; over SSH: ssh -L ${KUAICHU_PORT}:127.0.0.1:${KUAICHU_PORT} this-host)"
fi

cat <<MSG

Kuaichu demo is running on $URL  (port $KUAICHU_PORT, SQLite in $KUAICHU_DATA_DIR)
  $SEAT

  seat logins (password kuaichu-demo for all; 退出登录 in the seat, then log in as another):
    operator1    接警处理: the queue and the call (operator2 opened the waiting case, as a call-taker would)
    officer1     责任认定: the two cases awaiting liability
    supervisor1  值班看板: the dashboard over the seeded week of history
    admin        all three workspaces as tabs
  a second simulated call:  scripts/demo_call.sh SCENARIO
    scenarios: $($PY -c 'from phone_sim.demo_data import scenario_names; print(" ".join(scenario_names()))')
  the driver's side: open $URL/ in a browser (phone-sized window): report with any mobile number;
    the SMS code and links land in $KUAICHU_DATA_DIR/sms-handsets/<phone>.jsonl (the waiting caller: 13900001111)
    the waiting caller's link (the simulated phone holds it): ${DRIVER_LINK:-see phone-sim.log}
  logs: $KUAICHU_DATA_DIR/server.log, phone-sim.log, seat.log;  API docs: $URL/docs
MSG
if [ -n "$LAN_URL" ]; then
  cat <<MSG

  A real phone on the same network: open $LAN_URL/ (or scan the code below)
    The certificate is self-signed (kuaichu-server make-cert, $KUAICHU_DATA_DIR/tls/), so the phone warns once:
    iOS Safari: 显示详细信息 / Show Details -> 访问此网站 / visit this website -> 访问网站 / Visit Website
    Android Chrome: 高级 / Advanced -> 继续前往 ${LAN_IP}（不安全） / Proceed to ${LAN_IP} (unsafe)
    Then allow the camera, microphone and location; the phone waits in the seat's queue like the simulated one.
MSG
  $PY scripts/demo_lan.py qr "$LAN_URL/"
else
  echo "  (no network address found: a real phone cannot join; the simulated phone and the seat still work)"
fi
echo "Press Ctrl-C to stop everything the demo started."
wait

"""Demo helper: a driver calls the emergency number, gets the SMS link, and waits in the queue with a simulated phone.

It acts as the real actors would: the call-taker (a demo operator) opens a case
for the caller through the public API, the SMS reaches the caller's stand-in
handset (the server's file SMS backend, ``KUAICHU_SMS_BACKEND=file``), and the
link in it is what ``kuaichu-phone-sim --invite`` opens. The admin page would not
do: it redacts party-link tokens.

    .venv/bin/python scripts/demo_caller.py --server http://127.0.0.1:8000
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import requests

from phone_sim.demo_data import scenario_names
from server.adapters.sms.handset import read_handset

DEMO_PASSWORD = "kuaichu-demo"
LINK = re.compile(r"https?://\S+/p/[A-Za-z0-9_-]+")


def login(server: str, username: str) -> dict[str, str]:
    reply = requests.post(f"{server}/api/auth/login", json={"username": username, "password": DEMO_PASSWORD},
                          timeout=10)
    reply.raise_for_status()
    return {"Authorization": f"Bearer {reply.json()['token']}"}


def open_case(server: str, phone: str) -> int:
    reply = requests.post(f"{server}/api/cases", json={"phone": phone}, headers=login(server, "operator2"),
                          timeout=10)
    reply.raise_for_status()
    return reply.json()["case"]["id"]


def party_link(server: str, sms_dir: Path, phone: str, timeout: float = 20.0) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for message in reversed(read_handset(sms_dir, phone)):
            found = LINK.search(message["text"])
            if found:  # the SMS names the public base URL; the phone here reaches the server directly
                return f"{server}/p/{found.group().rsplit('/', 1)[1]}"
        time.sleep(0.5)  # the outbox job delivers the message in the background
    raise SystemExit(f"no SMS link for {phone} in {sms_dir} after {timeout:.0f} s "
                     "(is the server running with KUAICHU_SMS_BACKEND=file?)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="http://127.0.0.1:8000")
    parser.add_argument("--phone", default="13900001111", help="the caller's mobile number")
    parser.add_argument("--scenario", default="standard", choices=scenario_names(),
                        help="the demo registry's scenario (server/resources/demo_registry.json)")
    parser.add_argument("--sms-dir", type=Path,
                        default=Path(os.environ.get("KUAICHU_SMS_FILE_DIR")
                                     or Path(os.environ.get("KUAICHU_DATA_DIR", "var")) / "sms-handsets"),
                        help="the file SMS backend's handset directory (KUAICHU_SMS_FILE_DIR)")
    args = parser.parse_args()
    server = args.server.rstrip("/")
    case_id = open_case(server, args.phone)
    link = party_link(server, args.sms_dir, args.phone)
    print(f"case {case_id}: the simulated phone opens the driver's link {link}", flush=True)
    phone_sim = str(Path(sys.executable).with_name("kuaichu-phone-sim"))
    # exec, not a child: stopping this process (the demo's Ctrl-C) stops the phone
    os.execv(phone_sim, [phone_sim, "--invite", link, "--scenario", args.scenario])


if __name__ == "__main__":
    sys.exit(main())

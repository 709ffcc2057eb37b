"""Demo helper: a driver calls the emergency number, gets the SMS link, and waits in the queue with a simulated phone.

It uses only the public API, as the real actors would: the call-taker (a demo
operator) opens a case for the caller, the SMS lands in the demo outbox, and the
admin's outbox view yields the link that ``kuaichu-phone-sim --invite`` opens.

    .venv/bin/python scripts/demo_caller.py --server http://127.0.0.1:8000
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

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


def party_link(server: str, case_id: int, timeout: float = 20.0) -> str:
    admin = login(server, "admin")
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        reply = requests.get(f"{server}/api/admin/sms", params={"case_id": case_id}, headers=admin, timeout=10)
        reply.raise_for_status()
        for message in reply.json()["items"]:
            found = LINK.search(message["text"])
            if found:  # the SMS names the public base URL; the phone here reaches the server directly
                return f"{server}/p/{found.group().rsplit('/', 1)[1]}"
        time.sleep(0.5)  # the outbox job stores the message in the background
    raise SystemExit(f"no SMS link for case {case_id} after {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="http://127.0.0.1:8000")
    parser.add_argument("--phone", default="13900001111", help="the caller's mobile number")
    parser.add_argument("--scenario", default="standard")
    args = parser.parse_args()
    server = args.server.rstrip("/")
    case_id = open_case(server, args.phone)
    link = party_link(server, case_id)
    print(f"case {case_id}: the simulated phone opens {link.rsplit('/', 1)[0]}/…", flush=True)
    phone_sim = Path(sys.executable).with_name("kuaichu-phone-sim")
    return subprocess.call([str(phone_sim), "--invite", link, "--scenario", args.scenario])


if __name__ == "__main__":
    sys.exit(main())

"""The Locust side of the load bench: simulated phones and seats over the server's real WebSockets.

Run by bench/load/run.py in its own process, because importing Locust monkey-patches the
standard library with gevent, and the server under test must not be patched:

    .venv/bin/python bench/load/driver.py PLAN.json RESULT.json

Locust runs as a library (``locust.env.Environment`` + ``LocalRunner``), one greenlet per user.
WebSockets are ``websockets.sync.client`` (the project's own WebSocket library, already a
dependency): its blocking sockets, threads and locks become gevent-cooperative under Locust's
monkey-patching, so 550 sockets cost 550 greenlets, not 550 threads.

A phone does what server/web/static/call.js does: the caller's case is opened by a call-taker
(``POST /api/cases``), the SMS link arrives in the file SMS backend's handset file, the phone opens
``/ws/phone/{token}``, sends ``join``, a GPS fix every 3 s and its safety ticks, and waits. Some
abandon (``leave``), some drop the socket and rejoin. When answered it offers, trickles a candidate,
and hangs on until the case is escalated. A seat logs in, opens ``/ws/seat`` (``auth`` first),
keeps the queue from ``queue`` snapshots or ``queue_changes`` deltas (whichever the server sends),
answers the longest-waiting online case (``POST /api/cases/{id}/answer``), relays answer and
candidate, starts collection, writes a note, hangs up and escalates, then wraps up before the next.

Everything the analysis needs is recorded with one clock (``time.monotonic``, one process):
client actions, every queue change each seat applied, every signal id sent and received.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
from gevent.event import Event  # noqa: E402
from gevent.lock import Semaphore  # noqa: E402
from locust import User, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.exception import StopUser  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

PLAN: dict = {}
REC: dict = {"events": [], "seat_changes": {}, "seat_spans": {}, "sent": {}, "received": {},
             "claims": [], "claim_conflicts": 0, "answered_at_phone": [], "answered_frames": {},
             "frame_dups": [], "frame_gaps": [], "errors": [], "frames": {}, "bytes": {},
             "final_views": {}, "phones_done": 0, "resyncs": 0, "refused": {}}
T0 = time.monotonic()
ASSIGN = Semaphore()
_next = {"phone": 0, "seat": 0}
ALL_DONE = Event()
FINISHED = Event()  # the seats' final check may start
WS_TIMEOUT_S = 10
SMS_WAIT_S = 90  # under load the SMS outbox falls behind; a driver waits that long for the text


def now() -> float:
    return time.monotonic() - T0


def take_index(kind: str) -> int:
    with ASSIGN:
        i = _next[kind]
        _next[kind] += 1
        return i


def error(where: str, e: object) -> None:
    if len(REC["errors"]) < 200:
        REC["errors"].append(f"{now():.1f}s {where}: {e!r}"[:300])


ENV: list[Environment] = []


def fire(name: str, started: float, exc: Exception | None = None, kind: str = "WS") -> None:
    """Locust's own request statistics (its percentiles are printed beside ours)."""
    if not ENV:
        return
    ENV[0].events.request.fire(request_type=kind, name=name, response_time=(now() - started) * 1000,
                        response_length=0, exception=exc, context={})


def ws_url(path: str) -> str:
    return PLAN["base"].replace("http", "ws", 1) + path


def bench_id() -> str:
    return uuid.uuid4().hex[:16]


class PhoneUser(User):
    """One driver: case opened by the call-taker, link from the SMS handset file, then the phone page's socket."""

    wait_time = constant(1)

    @task
    def life(self) -> None:
        i = take_index("phone")
        if i >= PLAN["phones"]:
            raise StopUser()
        rng = random.Random(PLAN["seed"] * 100_003 + i)
        gevent.sleep(max(0.0, PLAN["phone_start_s"] + i / PLAN["join_rate"] - now()))
        try:
            Phone(i, rng).run()
        except Exception as e:  # noqa: BLE001 - one phone's failure is a figure, not the end of the bench
            error(f"phone {i}", e)
        finally:
            with ASSIGN:
                REC["phones_done"] += 1
                if REC["phones_done"] >= PLAN["phones"]:
                    ALL_DONE.set()
        FINISHED.wait(PLAN["max_run_s"])
        raise StopUser()


class Phone:
    def __init__(self, i: int, rng: random.Random) -> None:
        self.i, self.rng = i, rng
        self.number = f"139{PLAN['phone_prefix']:02d}{i:06d}"
        roll = rng.random()
        self.plan = "abandon" if roll < PLAN["abandon_share"] else \
            "drop" if roll < PLAN["abandon_share"] + PLAN["drop_share"] else "wait"
        self.case_id: int | None = None
        self.http = requests.Session()
        self.answered = 0
        self.in_call = False
        self.finished = False

    def run(self) -> None:
        token = self.open_case()
        deadline = T0 + PLAN["max_run_s"] - 5
        drop_at = now() + self.rng.uniform(2, 5) if self.plan == "drop" else None
        leave_at = now() + self.rng.uniform(3, 10) if self.plan == "abandon" else None
        first = True
        while not self.finished and time.monotonic() < deadline:
            with connect(ws_url(f"/ws/phone/{token}"), open_timeout=WS_TIMEOUT_S, close_timeout=2,
                         max_size=2**22) as ws:
                t = now()
                ws.send(json.dumps({"type": "join", "consent": True}))
                REC["events"].append({"case": self.case_id, "kind": "join" if first else "rejoin", "t": t})
                first = False
                self.send_fix(ws)
                ws.send(json.dumps({"type": "safety", "ticks": {"hazard_lights": True, "triangle": False,
                                                                 "off_carriageway": True}}))
                next_fix, ticked = now() + 3, False
                while not self.finished and time.monotonic() < deadline:
                    if drop_at is not None and now() >= drop_at and not self.in_call:
                        drop_at = None
                        REC["events"].append({"case": self.case_id, "kind": "drop", "t": now()})
                        break  # the socket closes without a leave: a tunnel, a lift
                    if leave_at is not None and now() >= leave_at and not self.in_call and not self.answered:
                        REC["events"].append({"case": self.case_id, "kind": "gone", "t": now(), "by": "leave"})
                        ws.send(json.dumps({"type": "leave", "reason": "left_queue"}))
                        self.finished = True
                        self.drain(ws, 2)
                        break
                    if now() >= next_fix and not self.in_call:
                        self.send_fix(ws)
                        next_fix = now() + 3
                        if not ticked:
                            ws.send(json.dumps({"type": "safety", "ticks": {"triangle": True}}))
                            ticked = True
                    try:
                        raw = ws.recv(timeout=0.5)
                    except TimeoutError:
                        continue
                    except ConnectionClosed:
                        break
                    self.on_message(ws, json.loads(raw))
            if not self.finished:
                gevent.sleep(self.rng.uniform(0.5, 1.5))  # the page retries by itself

    def open_case(self) -> str:
        t = now()
        r = self.http.post(f"{PLAN['base']}/api/cases", json={"phone": self.number},
                           headers={"Authorization": f"Bearer {PLAN['call_taker_token']}"}, timeout=30)
        fire("open case (call-taker)", t, None if r.status_code == 201 else RuntimeError(r.text[:200]), "POST")
        r.raise_for_status()
        self.case_id = r.json()["case"]["id"]
        REC["events"].append({"case": self.case_id, "kind": "open", "t": t})
        handset = Path(PLAN["sms_dir"]) / f"{self.number}.jsonl"
        end = time.monotonic() + SMS_WAIT_S
        while time.monotonic() < end:  # the SMS outbox job delivers in the background
            if handset.is_file():
                for line in handset.read_text(encoding="utf-8").splitlines():
                    text = json.loads(line)["text"]
                    if "/p/" in text:
                        return text.split("/p/", 1)[1].split()[0].rstrip("。，,.")
            gevent.sleep(0.25)
        raise RuntimeError(f"no SMS link for {self.number} within {SMS_WAIT_S} s")

    def send_fix(self, ws) -> None:
        lat = 30.6574 + (self.i % 50) * 0.001 + self.rng.uniform(-2e-5, 2e-5)
        lon = 104.0658 + (self.i // 50) * 0.001 + self.rng.uniform(-2e-5, 2e-5)
        ws.send(json.dumps({"type": "location", "lat": lat, "lon": lon, "accuracy": 12}))

    def drain(self, ws, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.on_message(ws, json.loads(ws.recv(timeout=max(0.01, end - time.monotonic()))))
            except (TimeoutError, ConnectionClosed):
                return

    def on_message(self, ws, m: dict) -> None:
        kind = m.get("type")
        key = str(self.case_id)
        if kind == "answered" and self.finished:  # it left the queue meanwhile: the page is gone, nobody offers
            REC["answered_frames"][key] = REC["answered_frames"].get(key, 0) + 1
        elif kind == "answered":
            self.answered += 1
            self.in_call = True
            REC["answered_frames"][key] = REC["answered_frames"].get(key, 0) + 1
            REC["answered_at_phone"].append({"case": self.case_id, "t": now()})
            sid = bench_id()
            ws.send(json.dumps({"type": "signal", "sdp": {"type": "offer", "sdp": fake_sdp("offer", sid)}}))
            REC["sent"][sid] = {"case": self.case_id, "what": "offer", "t": now()}
        elif kind == "signal":
            sid = signal_id(m)
            if sid:
                received(sid, "phone")
                if m.get("sdp", {}).get("type") == "answer":
                    cid = bench_id()
                    ws.send(json.dumps({"type": "signal", "candidate": fake_candidate(cid)}))
                    REC["sent"][cid] = {"case": self.case_id, "what": "phone candidate", "t": now()}
        elif kind == "state" and m.get("state") in ("escalated", "abandoned", "closed"):
            self.finished = True
        elif kind == "ended":
            if m.get("reason") in ("left", "revoked", "replaced"):
                self.finished = m.get("reason") != "replaced"
        elif kind == "error" and m.get("code") == "not_in_call":  # a signal refused, with a reason: not lost
            refused(self.case_id)
        elif kind == "error":
            error(f"phone {self.i} server error", m)


def fake_sdp(kind: str, sid: str) -> str:
    """Plain-text SDP of realistic size; the bench id rides in an attribute line. Media is skipped."""
    lines = ["v=0", f"o=- {sid} 2 IN IP4 127.0.0.1", "s=-", "t=0 0", f"a=x-kuaichu-bench:{sid}",
             "a=group:BUNDLE 0 1 2", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0",
             "a=rtpmap:111 opus/48000/2", "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=rtpmap:96 VP8/90000",
             "m=application 9 UDP/DTLS/SCTP webrtc-datachannel"]
    lines += [f"a=candidate:{n} 1 udp 2122260223 192.168.1.{n} {50000 + n} typ host" for n in range(8)]
    return "\r\n".join(lines) + "\r\n"


def fake_candidate(sid: str) -> dict:
    return {"candidate": f"candidate:{sid} 1 udp 1686052607 203.0.113.7 61000 typ srflx", "sdpMid": "0",
            "sdpMLineIndex": 0, "usernameFragment": sid}


def signal_id(m: dict) -> str | None:
    if "sdp" in m and isinstance(m["sdp"], dict):
        for line in m["sdp"].get("sdp", "").split("\r\n"):
            if line.startswith("a=x-kuaichu-bench:"):
                return line.split(":", 1)[1]
    if isinstance(m.get("candidate"), dict):
        return m["candidate"].get("usernameFragment")
    return None


def refused(case_id: int | None) -> None:
    key = str(case_id)
    REC["refused"][key] = REC["refused"].get(key, 0) + 1


def received(sid: str, where: str) -> None:
    REC["received"][sid] = REC["received"].get(sid, 0) + 1


class SeatUser(User):
    """One operator at a seat: the queue over /ws/seat, answers by REST, relays signals."""

    wait_time = constant(1)

    @task
    def shift(self) -> None:
        i = take_index("seat")
        if i >= PLAN["seats"]:
            raise StopUser()
        try:
            Seat(i, random.Random(PLAN["seed"] * 7 + i)).run()
        except Exception as e:  # noqa: BLE001
            error(f"seat {i}", e)
        raise StopUser()


class Seat:
    def __init__(self, i: int, rng: random.Random) -> None:
        self.i, self.rng = i, rng
        self.name = PLAN["seat_users"][i]
        self.http = requests.Session()
        self.view: dict[int, dict] = {}
        self.version: int | None = None
        self.changes: list = []
        self.signals: list[dict] = []
        self.resync_pending = False
        self.full_after_resync = Event()
        self.current: int | None = None

    def run(self) -> None:
        t = now()
        r = self.http.post(f"{PLAN['base']}/api/auth/login",
                           json={"username": self.name, "password": PLAN["password"]}, timeout=30)
        fire("seat login", t, None if r.ok else RuntimeError(r.text[:200]), "POST")
        r.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {r.json()['token']}"
        with connect(ws_url("/ws/seat"), open_timeout=WS_TIMEOUT_S, close_timeout=2, max_size=2**24) as ws:
            ws.send(json.dumps({"type": "auth", "token": r.json()["token"]}))
            self.ws = ws
            reader = gevent.spawn(self.read, ws)
            REC["seat_spans"][self.name] = [now(), None]
            REC["seat_changes"][self.name] = self.changes
            try:
                self.work()
            finally:
                self.final_check(ws)
                REC["seat_spans"][self.name][1] = now()
                reader.kill()

    def work(self) -> None:
        end = T0 + PLAN["max_run_s"] - 10
        while not ALL_DONE.is_set() and time.monotonic() < end:
            case_id = self.pick()
            if case_id is None:
                gevent.sleep(0.2)
                continue
            t = now()
            r = self.http.post(f"{PLAN['base']}/api/cases/{case_id}/answer", timeout=30)
            if r.status_code == 409:
                REC["claim_conflicts"] += 1
                gevent.sleep(self.rng.uniform(0.05, 0.3))
                continue
            fire("answer (claim)", t, None if r.ok else RuntimeError(r.text[:200]), "POST")
            if not r.ok:
                error(f"seat {self.name} answer {case_id}", r.text[:200])
                gevent.sleep(0.5)
                continue
            REC["claims"].append({"case": case_id, "t": t, "ms": (now() - t) * 1000, "seat": self.name})
            REC["events"].append({"case": case_id, "kind": "gone", "t": t, "by": "answer"})
            self.call(case_id)
            gevent.sleep(self.rng.uniform(*PLAN["wrap_up_s"]))

    def pick(self) -> int | None:
        """A human operator: notices a waiting call after a moment, then takes one near the top of the queue."""
        if not any(c.get("phone_online") for c in self.view.values()):
            return None
        gevent.sleep(self.rng.uniform(*PLAN["reaction_s"]))
        ready = [c for c in self.view.values() if c.get("phone_online")]
        ready.sort(key=lambda c: (not c.get("preferred_seat"), -c.get("waiting_s", 0)))
        if not ready:
            return None
        return self.rng.choice(ready[:PLAN["pick_from_top"]])["case_id"]

    def call(self, case_id: int) -> None:
        self.current = case_id
        offer = self.wait_signal(case_id, "offer", 10)
        if offer is None:
            error(f"seat {self.name}", f"no offer for case {case_id} within 10 s")
        else:
            sid = bench_id()
            REC["sent"][sid] = {"case": case_id, "what": "answer", "t": now()}
            self.send({"type": "signal", "case_id": case_id, "sdp": {"type": "answer", "sdp": fake_sdp("answer", sid)}})
            cid = bench_id()
            REC["sent"][cid] = {"case": case_id, "what": "seat candidate", "t": now()}
            self.send({"type": "signal", "case_id": case_id, "candidate": fake_candidate(cid)})
            self.wait_signal(case_id, "candidate", 10)
        self.rest("post", f"/api/cases/{case_id}/start-collection", None, "start collection")
        self.rest("patch", f"/api/cases/{case_id}", {"weather": "晴", "notes": "甲车倒车时刮碰乙车。"}, "case notes")
        gevent.sleep(self.rng.uniform(*PLAN["call_s"]))
        self.send({"type": "hangup", "case_id": case_id, "reason": "operator"})
        self.rest("post", f"/api/cases/{case_id}/escalate", {"reason": "压测：转现场处理"}, "escalate")

    def rest(self, method: str, path: str, body: dict | None, name: str) -> None:
        t = now()
        r = self.http.request(method, PLAN["base"] + path, json=body, timeout=30)
        fire(name, t, None if r.ok else RuntimeError(r.text[:200]), method.upper())
        if not r.ok:
            error(f"seat {self.name} {name}", r.text[:200])

    def send(self, message: dict) -> None:
        try:
            self.ws.send(json.dumps(message))
        except ConnectionClosed as e:
            error(f"seat {self.name} send", e)

    def wait_signal(self, case_id: int, what: str, timeout: float) -> dict | None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for m in self.signals:
                if m.get("case_id") == case_id and (what == "candidate" and "candidate" in m or
                                                    m.get("sdp", {}).get("type") == what):
                    self.signals.remove(m)
                    return m
            gevent.sleep(0.02)
        return None

    # --- the queue as this seat sees it -----------------------------------------------
    def read(self, ws) -> None:
        while True:
            try:
                raw = ws.recv()
            except ConnectionClosed:
                return
            t = now()
            REC["bytes"][self.name] = REC["bytes"].get(self.name, 0) + len(raw)
            m = json.loads(raw)
            kind = m.get("type")
            REC["frames"][kind] = REC["frames"].get(kind, 0) + 1
            if kind == "queue":
                self.apply_snapshot(t, m)
            elif kind == "queue_changes":
                self.apply_changes(t, m)
            elif kind == "signal":
                sid = signal_id(m)
                if sid:
                    received(sid, "seat")
                self.signals.append(m)
            elif kind == "error" and m.get("code") in ("not_in_call", "not_your_case"):
                refused(self.current)  # the phone left the call meanwhile: refused with a reason, not lost
            elif kind == "error":
                error(f"seat {self.name} server error", m)

    def apply_snapshot(self, t: float, m: dict) -> None:
        ids = [it["case_id"] for it in m["items"]]
        if len(ids) != len(set(ids)):
            REC["frame_dups"].append({"seat": self.name, "t": t, "what": "a case twice in one queue frame"})
        self.replace(t, {it["case_id"]: it for it in m["items"]})
        self.version = m.get("version")
        if self.resync_pending:
            self.resync_pending = False
            self.full_after_resync.set()

    def apply_changes(self, t: float, m: dict) -> None:
        if self.resync_pending:
            return  # waiting for the full queue the resync asked for
        if self.version is not None and m.get("version") is not None and m["version"] <= self.version:
            REC["frame_dups"].append({"seat": self.name, "t": t, "what": f"version {m['version']} again"})
            return
        if m.get("since") != self.version:
            REC["frame_gaps"].append({"seat": self.name, "t": t, "since": m.get("since"), "had": self.version})
            self.resync_pending = True
            REC["resyncs"] += 1
            self.send({"type": "queue_resync"})
            return
        view = dict(self.view)
        for it in m.get("added", []):
            if it["case_id"] in view:
                REC["frame_dups"].append({"seat": self.name, "t": t, "what": f"case {it['case_id']} added twice"})
            view[it["case_id"]] = it
        for it in m.get("updated", []):
            view[it["case_id"]] = it
        for cid in m.get("removed", []):
            if view.pop(cid, None) is None:
                REC["frame_dups"].append({"seat": self.name, "t": t, "what": f"case {cid} removed twice"})
        self.replace(t, view)
        self.version = m.get("version")

    def replace(self, t: float, view: dict[int, dict]) -> None:
        old = self.view
        for cid, it in view.items():
            before = old.get(cid)
            if before is None or bool(before.get("phone_online")) != bool(it.get("phone_online")):
                self.changes.append((t, cid, True, bool(it.get("phone_online"))))
        for cid in old.keys() - view.keys():
            self.changes.append((t, cid, False, False))
        self.view = view

    def final_check(self, ws) -> None:
        """The seat's view against the truth: a fresh full queue (resync) or, without deltas, the REST list."""
        FINISHED.wait(PLAN["max_run_s"])
        end = time.monotonic() + 8
        truth: set[int] | None = None
        while time.monotonic() < end:
            r = self.http.get(f"{PLAN['base']}/api/cases", params={"state": "queued"}, timeout=30)
            truth = {c["id"]: c["priority"] for c in r.json()["items"]} if r.ok else None
            if truth is not None:  # the list holds the 200 newest: ask for each older case the view shows
                for cid in set(self.view) - set(truth):
                    one = self.http.get(f"{PLAN['base']}/api/cases/{cid}", timeout=30)
                    if one.ok and one.json()["state"] == "queued":
                        truth[cid] = one.json()["priority"]
                # a rejoining case (priority 1) may be held for its previous seat: not missing elsewhere
                if set(self.view) <= set(truth) and all(p > 0 for c, p in truth.items() if c not in self.view):
                    break
            gevent.sleep(0.5)
        mine = set(self.view)
        full = None
        if self.version is not None:  # the server speaks queue_changes: compare with a full queue
            self.full_after_resync.clear()
            self.resync_pending = True
            held = dict(self.view)
            self.send({"type": "queue_resync"})
            if self.full_after_resync.wait(10):
                full = set(self.view)
            mine = set(held)
        truth = truth or {}
        REC["final_views"][self.name] = {"view": sorted(mine), "truth": sorted(truth),
                                         "held_elsewhere": sorted(c for c, p in truth.items() if p > 0 and c not in mine),
                                         "full": None if full is None else sorted(full)}


def main() -> int:
    plan_path, result_path = Path(sys.argv[1]), Path(sys.argv[2])
    PLAN.update(json.loads(plan_path.read_text()))
    env = Environment(user_classes=[SeatUser, PhoneUser])
    ENV.append(env)
    SeatUser.fixed_count = PLAN["seats"]
    PhoneUser.fixed_count = PLAN["phones"]
    runner = env.create_local_runner()
    total = PLAN["seats"] + PLAN["phones"]
    runner.start(total, spawn_rate=total)  # every user at once; each phone then waits for its join slot
    ALL_DONE.wait(PLAN["max_run_s"] - 12)
    FINISHED.set()
    gevent.sleep(0.5)
    deadline = time.monotonic() + 25
    while len(REC["final_views"]) < len(REC["seat_spans"]) and time.monotonic() < deadline:
        gevent.sleep(0.2)
    runner.quit()
    stats = env.stats
    REC["locust"] = {e.name: {"count": e.num_requests, "failures": e.num_failures,
                              "p50_ms": e.get_response_time_percentile(0.5),
                              "p99_ms": e.get_response_time_percentile(0.99)}
                     for e in stats.entries.values()}
    REC["duration_s"] = now()
    result_path.write_text(json.dumps(REC))
    return 0


if __name__ == "__main__":
    sys.exit(main())

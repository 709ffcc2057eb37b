"""From what the Locust driver recorded to the figures: fan-out latency, claim latency, lost and duplicated.

Fan-out latency of a queue change to one seat = the time from the client action that caused it
(the call-taker's ``POST /api/cases`` for a new case, the phone's first ``join`` frame for "phone on
the page", the winning ``POST .../answer`` or the phone's ``leave`` for "gone") to that seat's
receipt of the first queue frame that shows it. All on one clock, in one process. Every seat
connected at the time counts, so one event gives up to 50 samples.

A signal the server refused with an error frame (``not_in_call``: the phone dropped the call meanwhile)
is counted as refused, not lost; an answer whose phone had dropped its socket around that moment
owes it no ``answered``. A change a seat never showed is *coalesced* when the case changed again within SETTLE_S (a case
answered 100 ms after it was opened need never appear); otherwise it is *lost*. Also lost: a signal
(offer, answer, candidate; each carries an id) sent and never received, an answer whose phone never
got ``answered``, a gap in the ``queue_changes`` versions, and a seat whose view differs at the end
from the server's (the REST list of queued cases, and a fresh full queue where the server sends
deltas). Duplicated: a signal or ``answered`` received twice, a queue version applied twice, a case
added twice or removed twice, or listed twice in one frame.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

SETTLE_S = 3.0
EFFECT = {"open": lambda present, online: present, "join": lambda present, online: present and online,
          "gone": lambda present, online: not present}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q * len(s) + 0.5)) - 1))]


def fan_out(rec: dict) -> dict:
    by_case = defaultdict(list)
    for e in rec["events"]:
        by_case[e["case"]].append(e["t"])
    for ts in by_case.values():
        ts.sort()
    samples, per_kind = [], defaultdict(list)
    coalesced = lost = 0
    lost_examples = []
    for seat, changes in rec["seat_changes"].items():
        start, end = rec["seat_spans"][seat]
        end = end if end is not None else rec.get("duration_s", 1e9)
        seen = defaultdict(list)
        for t, case, present, online in changes:
            seen[case].append((t, present, online))
        for e in rec["events"]:
            if e["kind"] not in EFFECT or not (start <= e["t"] <= end):
                continue
            history = seen.get(e["case"], [])
            times = [t for t, _, _ in history]
            if e["kind"] == "gone":
                before = [p for t, p, _ in history if t <= e["t"]]
                after = [p for t, p, _ in history if t > e["t"]]
                if not (before and before[-1]) and not any(after):
                    # not on this seat's screen when it went (never shown, or a rejoining case held for
                    # its previous seat): nothing to take away
                    continue
            hit = next((t for t, p, o in history[bisect_left(times, e["t"]):] if EFFECT[e["kind"]](p, o)), None)
            if hit is not None:
                ms = (hit - e["t"]) * 1000
                samples.append(ms)
                per_kind[e["kind"]].append(ms)
                continue
            later = [t for t in by_case[e["case"]] if t > e["t"]]
            settled_until = later[0] if later else end
            if settled_until - e["t"] < SETTLE_S or end - e["t"] < SETTLE_S:
                coalesced += 1
            else:
                lost += 1
                if len(lost_examples) < 5:
                    lost_examples.append(f"{seat} never showed {e['kind']} of case {e['case']} at {e['t']:.2f}s")
    return {"samples": len(samples), "p50_ms": percentile(samples, 0.5), "p90_ms": percentile(samples, 0.9),
            "p99_ms": percentile(samples, 0.99), "max_ms": max(samples) if samples else None,
            "by_kind": {k: {"n": len(v), "p50_ms": percentile(v, 0.5), "p99_ms": percentile(v, 0.99)}
                        for k, v in per_kind.items()},
            "coalesced": coalesced, "lost": lost, "lost_examples": lost_examples}


def delivery(rec: dict) -> dict:
    sent, got = rec["sent"], rec["received"]
    missing = defaultdict(int)
    for sid, info in sent.items():
        if got.get(sid, 0) == 0:
            missing[str(info["case"])] += 1
    refused = rec.get("refused", {})
    signal_refused = sum(min(n, refused.get(c, 0)) for c, n in missing.items())
    signal_lost = sum(max(0, n - refused.get(c, 0)) for c, n in missing.items())
    signal_dup = sum(n - 1 for n in got.values() if n > 1)
    left = {e["case"] for e in rec["events"] if e.get("by") == "leave"}
    drops = defaultdict(list)
    for e in rec["events"]:
        if e["kind"] == "drop":
            drops[e["case"]].append(e["t"])
    def phone_away(claim: dict) -> bool:  # its socket dropped around this answer, or it had left: nobody to tell
        return claim["case"] in left or any(abs(t - claim["t"]) < 10 for t in drops.get(claim["case"], []))
    claims, owed = defaultdict(int), defaultdict(int)
    for c in rec["claims"]:
        claims[str(c["case"])] += 1
        owed[str(c["case"])] += not phone_away(c)  # each answer on its own: a case may be answered twice
    answered_dup = sum(max(0, rec["answered_frames"].get(c, 0) - n) for c, n in claims.items())
    answered_lost = sum(1 for c, n in owed.items() if rec["answered_frames"].get(c, 0) < n)
    final_bad = []
    for seat, v in rec["final_views"].items():
        if set(v["view"]) | set(v.get("held_elsewhere", [])) != set(v["truth"]) or (
                v["full"] is not None and v["full"] != v["view"]):
            final_bad.append(f"{seat}: shows {sorted(set(v['view']) - set(v['truth']))[:5]} not queued, "
                             f"misses {sorted(set(v['truth']) - set(v['view']))[:5]}")
    return {"signals_sent": len(sent), "signals_lost": signal_lost, "signals_refused": signal_refused,
            "signals_duplicated": signal_dup,
            "answered_lost": answered_lost, "answered_duplicated": answered_dup,
            "queue_version_gaps": len(rec["frame_gaps"]), "queue_duplicates": len(rec["frame_dups"]),
            "seats_checked_at_end": len(rec["final_views"]), "seats_wrong_at_end": len(final_bad),
            "wrong_at_end_examples": final_bad[:3], "dup_examples": [d["what"] for d in rec["frame_dups"][:3]]}


def summary(rec: dict, cpu: dict, client_cpu: dict | None = None) -> dict:
    f, d = fan_out(rec), delivery(rec)
    claims = [c["ms"] for c in rec["claims"]]
    lost = f["lost"] + d["signals_lost"] + d["answered_lost"] + d["queue_version_gaps"] + d["seats_wrong_at_end"]
    dup = d["signals_duplicated"] + d["answered_duplicated"] + d["queue_duplicates"]
    seat_bytes = list(rec["bytes"].values())
    return {"fan_out": f, "delivery": d, "lost": lost, "duplicated": dup,
            "claims": len(claims), "claim_p50_ms": percentile(claims, 0.5), "claim_p99_ms": percentile(claims, 0.99),
            "claim_conflicts": rec["claim_conflicts"], "frames": rec["frames"],
            "seat_mb_mean": sum(seat_bytes) / len(seat_bytes) / 1e6 if seat_bytes else 0,
            "errors": len(rec["errors"]), "error_examples": rec["errors"][:5], "duration_s": rec.get("duration_s"),
            "locust": rec.get("locust", {}), "server": cpu, "client": client_cpu}

"""Load bench: 500 simulated phones and 50 seats against real `kuaichu-server serve` processes, with Locust.

    .venv/bin/python bench/load/run.py                          # sqlite, postgres and two instances, 500/50
    .venv/bin/python bench/load/run.py --config sqlite --phones 50 --seats 5
    .venv/bin/python bench/load/run.py --markdown               # the section of docs/reliability.md
    .venv/bin/python bench/load/run.py --code-ref HEAD~3        # serve an older commit (before-figures)

Configurations: ``sqlite`` (one process), ``postgres`` (one process, a scratch database from
bench/scratch_db.py), ``two`` (two processes on one scratch PostgreSQL database with the Redis
broker, behind nginx). bench/load/driver.py is the Locust side (phones and seats), run in its own
process; bench/load/analysis.py says how each figure is defined. Server CPU and memory are
sampled with psutil on the server processes every 0.5 s. Every run is bounded by --max-run-s.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # bench/load and bench/ (scratch_db)

from analysis import summary  # noqa: E402
from scratch_db import scratch_postgres  # noqa: E402
from servers import PASSWORD, create_users, deployment  # noqa: E402

CONFIGS = ("sqlite", "postgres", "two")
LABELS = {"sqlite": "one process, SQLite", "postgres": "one process, PostgreSQL",
          "two": "two processes behind nginx, PostgreSQL + Redis broker"}


class Sampler(threading.Thread):
    """CPU (% of one core) and resident memory of the server processes, twice a second."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.procs = [psutil.Process(p) for p in pids]
        self.stop_event = threading.Event()
        self.cpu: list[float] = []
        self.rss: list[int] = []
        for p in self.procs:
            p.cpu_percent(None)

    def run(self) -> None:
        while not self.stop_event.wait(0.5):
            try:
                self.cpu.append(sum(p.cpu_percent(None) for p in self.procs))
                self.rss.append(sum(p.memory_info().rss for p in self.procs))
            except psutil.Error:
                return

    def figures(self) -> dict:
        busy = self.cpu[2:] or self.cpu
        return {"cpu_mean_pct": sum(busy) / len(busy) if busy else None, "cpu_peak_pct": max(busy, default=None),
                "rss_peak_mb": max(self.rss, default=0) / 2**20, "processes": len(self.procs)}


def server_log_figures(workdir: Path) -> dict:
    """What the servers' own logs say: instances one gave up on (hub.drop_lost_peers: a live one never should
    be), and tracebacks (none should be)."""
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in workdir.glob("server*.log"))
    marker = "Traceback (most recent call last)"
    examples = [text[max(0, i - 300):i + 1500] for i in _find_all(text, marker)[:2]]
    return {"peers_given_up": text.count("went silent"), "tracebacks": text.count(marker), "traceback_examples": examples}


def _find_all(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


@contextmanager
def database(config: str, workdir: Path):
    if config == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
    else:
        with scratch_postgres() as url:
            yield url


@contextmanager
def code_tree(ref: str | None, workdir: Path):
    """PYTHONPATH for the servers: the working tree (None), or an exported older commit."""
    if ref is None:
        yield None
        return
    out = workdir / "code"
    out.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=HERE.parents[1], check=True, capture_output=True).stdout
    tar = out / "code.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(out, filter="data")
    yield str(out)


def run_one(config: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="kuaichu-load-") as tmp:
        workdir = Path(tmp)
        with code_tree(args.code_ref, workdir) as code:
            old = os.environ.get("PYTHONPATH")
            if code:
                os.environ["PYTHONPATH"] = code
            try:
                with database(config, workdir) as url, \
                        deployment("two" if config == "two" else "one", workdir, url) as (base, pids):
                    token, seats = create_users(url, workdir, base, args.seats)
                    plan = {"base": base, "phones": args.phones, "seats": args.seats, "seat_users": seats,
                            "password": PASSWORD, "call_taker_token": token, "sms_dir": str(workdir / "sms-handsets"),
                            "join_rate": args.join_rate, "phone_start_s": 2.0, "max_run_s": args.max_run_s,
                            "abandon_share": 0.1, "drop_share": 0.1, "call_s": [2.0, 4.0], "wrap_up_s": [0.5, 1.5], "reaction_s": [0.3, 1.5], "pick_from_top": 5,
                            "seed": args.seed, "phone_prefix": args.seed % 100}
                    (workdir / "plan.json").write_text(json.dumps(plan))
                    sampler = Sampler(pids)
                    sampler.start()
                    result_path = workdir / "result.json"
                    driver = subprocess.Popen(
                        [sys.executable, str(HERE / "driver.py"), str(workdir / "plan.json"), str(result_path)],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": ""})
                    client = Sampler([driver.pid])
                    client.start()
                    try:
                        _, stderr = driver.communicate(timeout=args.max_run_s + 60)
                    except subprocess.TimeoutExpired:
                        driver.kill()
                        _, stderr = driver.communicate()
                    sampler.stop_event.set()
                    client.stop_event.set()
                    driver_cpu = client.figures()
                    if driver.returncode != 0 or not result_path.exists():
                        raise RuntimeError(f"driver failed ({driver.returncode}): {stderr[-2000:]}")
                    if args.raw:
                        Path(f"{args.raw}.{config}.json").write_text(result_path.read_text())
                    result = summary(json.loads(result_path.read_text()), sampler.figures(), driver_cpu)
                    result["server_log"] = server_log_figures(workdir)
                    return result
            finally:
                if code:
                    if old is None:
                        os.environ.pop("PYTHONPATH", None)
                    else:
                        os.environ["PYTHONPATH"] = old


def fmt(v, unit: str = "") -> str:
    return "–" if v is None else f"{v:.0f}{unit}" if isinstance(v, float) else f"{v}{unit}"


def text_report(config: str, s: dict) -> str:
    f, d, srv = s["fan_out"], s["delivery"], s["server"]
    kinds = ", ".join(f"{k} p50 {fmt(v['p50_ms'])}/p99 {fmt(v['p99_ms'])} ms (n={v['n']})" for k, v in f["by_kind"].items())
    return "\n".join([
        f"{LABELS[config]}: fan-out p50 {fmt(f['p50_ms'])} ms, p90 {fmt(f['p90_ms'])} ms, p99 {fmt(f['p99_ms'])} ms, "
        f"max {fmt(f['max_ms'])} ms over {f['samples']} (seat, change) pairs; {kinds}",
        f"  answer claim p50 {fmt(s['claim_p50_ms'])} ms, p99 {fmt(s['claim_p99_ms'])} ms, {s['claims']} calls, "
        f"{s['claim_conflicts']} claims lost to another seat (409)",
        f"  lost {s['lost']}, duplicated {s['duplicated']} (signals {d['signals_sent']} sent, {d['signals_lost']} lost; "
        f"fan-out lost {f['lost']}, coalesced {f['coalesced']}; version gaps {d['queue_version_gaps']}; "
        f"seats wrong at the end {d['seats_wrong_at_end']}/{d['seats_checked_at_end']})",
        f"  server CPU mean {fmt(srv['cpu_mean_pct'])} %, peak {fmt(srv['cpu_peak_pct'])} % (of one core, "
        f"{srv['processes']} process(es)), RSS peak {srv['rss_peak_mb']:.0f} MB; frames {s['frames']}; "
        f"{s['seat_mb_mean']:.1f} MB per seat; {s['errors']} client errors {s['error_examples'][:2]}; "
        f"server logs: {s['server_log']['peers_given_up']} instance(s) given up, {s['server_log']['tracebacks']} tracebacks",
    ])


def markdown(results: dict[str, dict], args: argparse.Namespace) -> str:
    rows = ["| configuration | fan-out p50 | p99 | max | samples | claim p50 | claim p99 | calls | lost | duplicated "
            "| server CPU mean / peak | server RSS peak | MB per seat |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for config, s in results.items():
        f, srv = s["fan_out"], s["server"]
        rows.append(f"| {LABELS[config]} | {fmt(f['p50_ms'], ' ms')} | **{fmt(f['p99_ms'], ' ms')}** | "
                    f"{fmt(f['max_ms'], ' ms')} | {f['samples']} | {fmt(s['claim_p50_ms'], ' ms')} | "
                    f"{fmt(s['claim_p99_ms'], ' ms')} | {s['claims']} | **{s['lost']}** | **{s['duplicated']}** | "
                    f"{fmt(srv['cpu_mean_pct'], ' %')} / {fmt(srv['cpu_peak_pct'], ' %')} | "
                    f"{srv['rss_peak_mb']:.0f} MB | {s['seat_mb_mean']:.1f} |")
    detail = []
    for config, s in results.items():
        d, f = s["delivery"], s["fan_out"]
        detail.append(f"- {LABELS[config]}: {d['signals_sent']} signals sent, {d['signals_lost']} lost, "
                      f"{d['signals_refused']} refused with an error frame (the phone had left the call), "
                      f"{d['signals_duplicated']} twice; fan-out {f['lost']} lost, {f['coalesced']} coalesced; "
                      f"{d['queue_version_gaps']} version gaps, {d['queue_duplicates']} duplicate queue changes; "
                      f"{d['seats_wrong_at_end']} of {d['seats_checked_at_end']} seats wrong at the end; "
                      f"{s['claim_conflicts']} claims lost to another seat (409); frames to seats "
                      + ", ".join(f"{k} {v}" for k, v in sorted(s["frames"].items()))
                      + f"; {s['errors']} client errors; server logs: {s['server_log']['peers_given_up']} live "
                      f"instance(s) given up by the other, {s['server_log']['tracebacks']} tracebacks.")
        kinds = "; ".join(f"{k} p50 {fmt(v['p50_ms'], ' ms')}, p99 {fmt(v['p99_ms'], ' ms')} (n={v['n']})"
                          for k, v in f["by_kind"].items())
        client = s.get("client") or {}
        detail.append(f"  Fan-out by change: {kinds}. The Locust process itself used {fmt(client.get('cpu_mean_pct'), ' %')} "
                      f"of a core on average, {fmt(client.get('cpu_peak_pct'), ' %')} at peak.")
    code = f" (server code: `{args.code_ref}`)" if args.code_ref else ""
    return "\n".join([
        f"### Load: {args.phones} phones, {args.seats} seats{code}", "",
        f"Locust {locust_version()} as a library, phones joining at {args.join_rate:g}/s; 10 % abandon, 10 % drop "
        "their socket and rejoin; seats answer, relay offer/answer/candidates, start collection, write a note, "
        "hang up and escalate. Target: fan-out p99 ≤ 100 ms, nothing lost. Definitions: bench/load/analysis.py.", "",
        *rows, "", *detail, ""])


def locust_version() -> str:
    try:
        from importlib.metadata import version
        return version("locust")
    except Exception:  # noqa: BLE001
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", action="append", choices=CONFIGS, help="repeatable; default: all three")
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--join-rate", type=float, default=10.0, help="phones joining per second")
    parser.add_argument("--max-run-s", type=float, default=150.0, help="bound of one run's driver")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--code-ref", help="serve this git commit instead of the working tree")
    parser.add_argument("--markdown", action="store_true", help="print a markdown section")
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--raw", metavar="PREFIX", help="keep what the driver recorded, as PREFIX.CONFIG.json")
    args = parser.parse_args()
    if args.phones < 1 or args.seats < 1 or args.join_rate <= 0:
        parser.error("--phones, --seats and --join-rate must be positive")
    results = {}
    for config in args.config or CONFIGS:
        started = time.monotonic()
        results[config] = run_one(config, args)
        if not args.markdown:
            print(text_report(config, results[config]), f"\n  ({time.monotonic() - started:.0f} s)", flush=True)
    if args.markdown:
        print(markdown(results, args))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

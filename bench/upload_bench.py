"""Evidence under load: 20 seats upload 2 MB photos and 10 MB recording segments at once.

A real `kuaichu-server serve` process on SQLite in a scratch directory, evidence on local disk (the
default store). Each seat is the
seat app's own REST client (``seat_app.services.api_client.ApiClient``: the same multipart calls the seat
makes when it captures a frame or sends a finished recording segment), logged in as its own operator and
holding its own case. Every upload is new bytes: a JPEG of random noise (about 2 MB), and a real short
H.264 MP4 padded with a top-level ``free`` box of random bytes to 10 MB (players skip it; the server's
checks still demux and decode the video), so nothing is deduplicated away.

Prints the throughput (MB/s of evidence stored, wall clock), p50/p99 seconds per upload, the server
process's RSS (psutil, sampled every 20 ms) once started, with the seats logged in (the baseline:
each login's scrypt check takes memory of its own) and at its peak during the uploads, and the
sha256 check: each reply's
sha256 against the bytes sent, and every file read back through ``GET /api/evidence/{id}/content`` and
from the store on disk. ``--markdown`` prints the same as a section for docs/reliability.md.

    .venv/bin/python bench/upload_bench.py [--seats 20] [--photos 3] [--segments 2] [--markdown]
"""
from __future__ import annotations

import argparse
import hashlib
import io
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import psutil
import requests
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seat_app.services.api_client import ApiClient  # noqa: E402
from server.adapters.storage import LocalBlobStore  # noqa: E402

MB = 1024 * 1024
PHOTO_SIDE = 1480  # random noise at JPEG quality 90: about 2 MB
SEGMENT_BYTES = 10 * MB
PASSWORD = "bench-password-1234"
START_TIMEOUT_S = 60.0
RUN_TIMEOUT_S = 300.0  # the whole upload phase; a stuck upload fails the run instead of hanging it
SAMPLE_EVERY_S = 0.02


@dataclass
class Upload:
    seat: int
    kind: str
    size: int
    sha256: str
    seconds: float
    evidence_id: int
    replied_sha256: str


def noise_photo(rng: np.random.Generator) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (PHOTO_SIDE, PHOTO_SIDE, 3), dtype=np.uint8)).save(out, "JPEG", quality=90)
    return out.getvalue()


def short_mp4() -> bytes:
    """Twelve frames of H.264 in MP4, as the seat's recorder writes (small: the padding makes the size)."""
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(12):
            img = np.full((240, 320, 3), (i * 20) % 256, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")))
        container.mux(stream.encode(None))
    return out.getvalue()


def padded_segment(base: bytes, rng: np.random.Generator, size: int = SEGMENT_BYTES) -> bytes:
    """``base`` plus one top-level ``free`` box of random bytes, to exactly ``size`` bytes."""
    pad = size - len(base)
    return base + pad.to_bytes(4, "big") + b"free" + rng.bytes(pad - 8)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`kuaichu-server serve` as a child process, and a thread sampling its RSS."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_url = f"sqlite:///{workdir / 'kuaichu.db'}"
        self.data_dir = workdir / "data"
        self.log = workdir / "server.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("KUAICHU_")} | {
            "KUAICHU_DATABASE_URL": self.db_url, "KUAICHU_DATA_DIR": str(self.data_dir),
            "KUAICHU_HOST": "127.0.0.1", "KUAICHU_PORT": str(self.port),
            "KUAICHU_PUBLIC_BASE_URL": self.url, "KUAICHU_LOG_LEVEL": "warning"}
        self.proc: subprocess.Popen | None = None
        self.peak_rss = 0
        self._sampling = threading.Event()

    def start(self) -> None:
        exe = Path(sys.executable).with_name("kuaichu-server")
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([str(exe), "serve"], env=self.env, stdout=out, stderr=subprocess.STDOUT)
        end = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not answer /healthz in time")

    def rss(self) -> int:
        return psutil.Process(self.proc.pid).memory_info().rss

    def sample(self) -> threading.Thread:
        self.peak_rss = self.rss()
        self._sampling.set()

        def run() -> None:
            while self._sampling.is_set():
                try:
                    self.peak_rss = max(self.peak_rss, self.rss())
                except psutil.Error:
                    return
                time.sleep(SAMPLE_EVERY_S)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def stop_sampling(self, thread: threading.Thread) -> None:
        self._sampling.clear()
        thread.join(timeout=5)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def prepare(server: Server, seats: int) -> list[int]:
    """Migrates the database, adds one operator per seat and one queued case per seat (in-process)."""
    from server.adapters.db import unit_of_work
    from server.adapters.schema import upgrade
    from server.app import build_context
    from server.services.auth import create_user
    from server.settings import Settings

    server.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(server.db_url)
    ctx = build_context(Settings(database_url=server.db_url, data_dir=server.data_dir,
                                 public_base_url=server.url))
    try:
        with unit_of_work(ctx.session_factory) as s:
            for i in range(seats):
                create_user(s, f"bench-op{i}", PASSWORD, "operator", f"坐席{i}")
        return [ctx.cases.open_case("public").id for _ in range(seats)]
    finally:
        ctx.engine.dispose()


def seat_uploads(server: Server, seat: int, case_id: int, photos: list[bytes], segments: list[bytes],
                 start: threading.Barrier) -> list[Upload]:
    login = ApiClient(server.url, timeout=60.0)
    login.login(f"bench-op{seat}", PASSWORD)
    login.answer(case_id)
    start.wait(timeout=60)
    # A fresh client (its own connection) after the wait: uvicorn closes a connection idle for 5 s, and a POST
    # sent on it just as it closes fails ("Remote end closed connection") instead of being retried.
    api = ApiClient(server.url, timeout=60.0)
    api.token = login.token
    done = []
    for n in range(max(len(photos), len(segments))):  # photos and segments interleaved, as during a call
        for kind, items in (("frame", photos), ("recording", segments)):
            if n >= len(items):
                continue
            data = items[n]
            began = time.perf_counter()
            if kind == "frame":
                reply = api.upload_evidence(case_id, data, kind="frame", label="现场全景", party_id=None)
            else:
                reply = api.upload_recording(case_id, data, filename=f"segment-{n:03d}.mp4")
            done.append(Upload(seat, kind, len(data), hashlib.sha256(data).hexdigest(),
                               time.perf_counter() - began, reply["id"], reply["sha256"]))
    return done


def verify(server: Server, uploads: list[Upload]) -> tuple[int, int]:
    """(matching, checked): the reply, the API's bytes and the stored file each hash to what was sent."""
    store = LocalBlobStore(server.data_dir / "evidence")
    api = ApiClient(server.url, timeout=60.0)
    api.login("bench-op0", PASSWORD)
    good = 0
    for u in uploads:
        served = hashlib.sha256(api.evidence_content(u.evidence_id)).hexdigest()
        with store.open(u.sha256) as f:
            stored = hashlib.file_digest(f, "sha256").hexdigest()
        good += u.replied_sha256 == served == stored == u.sha256
    return good, len(uploads)


def run(seats: int, photos_per_seat: int, segments_per_seat: int) -> dict:
    rng = np.random.default_rng(15)
    base = short_mp4()
    work = {seat: ([noise_photo(rng) for _ in range(photos_per_seat)],
                   [padded_segment(base, rng) for _ in range(segments_per_seat)]) for seat in range(seats)}
    with tempfile.TemporaryDirectory(prefix="kuaichu-upload-bench-") as tmp:
        server = Server(Path(tmp))
        case_ids = prepare(server, seats)
        try:
            server.start()
            started_rss = server.rss()
            barrier = threading.Barrier(seats + 1)
            with ThreadPoolExecutor(seats) as pool:
                futures = [pool.submit(seat_uploads, server, i, case_ids[i], *work[i], barrier) for i in range(seats)]
                barrier.wait(timeout=120)  # every seat logged in and holds its case
                baseline = server.rss()  # after the logins: each scrypt check takes its own memory
                sampler = server.sample()
                began = time.perf_counter()
                uploads = [u for f in futures for u in f.result(timeout=RUN_TIMEOUT_S)]
                wall = time.perf_counter() - began
                server.stop_sampling(sampler)
            good, checked = verify(server, uploads)
        finally:
            server.stop()
    total = sum(u.size for u in uploads)
    by_kind = {k: sorted(u.seconds for u in uploads if u.kind == k) for k in ("frame", "recording")}
    return {"seats": seats, "uploads": len(uploads), "total_mb": total / MB, "wall_s": wall,
            "mb_s": total / MB / wall, "started_mb": started_rss / MB, "baseline_mb": baseline / MB,
            "peak_mb": server.peak_rss / MB,
            "sha_good": good, "sha_checked": checked,
            "kinds": {k: {"n": len(v), "mb": (2.0 if k == "frame" else SEGMENT_BYTES / MB),
                          "p50": statistics.median(v), "p99": _p99(v)} for k, v in by_kind.items() if v},
            "photo_mb": statistics.mean(u.size for u in uploads if u.kind == "frame") / MB if photos_per_seat else 0}


def _p99(sorted_values: list[float]) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(round(0.99 * (len(sorted_values) - 1))))]


def plain(r: dict) -> str:
    lines = [f"{r['seats']} seats, {r['uploads']} uploads, {r['total_mb']:.0f} MB in {r['wall_s']:.1f} s: "
             f"{r['mb_s']:.1f} MB/s",
             f"server RSS: {r['started_mb']:.0f} MB started, {r['baseline_mb']:.0f} MB with the seats logged in, "
             f"{r['peak_mb']:.0f} MB at the uploads' peak (+{r['peak_mb'] - r['baseline_mb']:.0f} MB)",
             f"sha256: {r['sha_good']} of {r['sha_checked']} match (reply, API download, stored file)"]
    for kind, k in r["kinds"].items():
        size = f"{r['photo_mb']:.1f} MB photo" if kind == "frame" else f"{k['mb']:.0f} MB segment"
        lines.append(f"  {size}: {k['n']} uploads, p50 {k['p50']:.2f} s, p99 {k['p99']:.2f} s")
    return "\n".join(lines)


def markdown(r: dict) -> str:
    names = {"frame": f"{r['photo_mb']:.1f} MB photo (seat frame)", "recording": "10 MB recording segment"}
    rows = [f"| {names[kind]} | {k['n']} | {k['p50']:.2f} | {k['p99']:.2f} |" for kind, k in r["kinds"].items()]
    return "\n".join([
        "### Evidence under load",
        "",
        f"`bench/upload_bench.py`: {r['seats']} seats at once, each the seat app's REST client with its own "
        "operator and case, against one `kuaichu-server serve` process (SQLite, evidence on local disk); "
        "every upload is new random bytes.",
        "",
        "| upload | count | p50 s | p99 s |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        "| figure | value |",
        "|---|---:|",
        f"| evidence stored | {r['total_mb']:.0f} MB in {r['wall_s']:.1f} s |",
        f"| throughput | {r['mb_s']:.1f} MB/s |",
        f"| server RSS: started / seats logged in / uploads' peak | {r['started_mb']:.0f} MB / "
        f"{r['baseline_mb']:.0f} MB / {r['peak_mb']:.0f} MB |",
        f"| sha256 matching (reply, download, stored file) | {r['sha_good']} of {r['sha_checked']} |",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--photos", type=int, default=3, help="2 MB photos per seat")
    parser.add_argument("--segments", type=int, default=2, help="10 MB recording segments per seat")
    parser.add_argument("--markdown", action="store_true", help="print a section for docs/reliability.md")
    args = parser.parse_args(argv)
    result = run(args.seats, args.photos, args.segments)
    print(markdown(result) if args.markdown else plain(result))
    return 0 if result["sha_good"] == result["sha_checked"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Review bench: the time of a party's review request (with and without five files) and of a reviewer's
decision, through the service on SQLite (and PostgreSQL with --pg).

    PYTHONPATH=. .venv/bin/python bench/review_bench.py            # 20 rounds on SQLite
    PYTHONPATH=. .venv/bin/python bench/review_bench.py --pg --quick

A request with files is four 1280x960 phone photos (each decoded and re-encoded, as a party's photo is)
and a three-page PDF (opened by pdfium), then one transaction: the evidence rows and their audit events,
the request, the move to review_requested, the applicant's SMS. A decision is the move to reviewed, its
audit event, and a fresh link and an SMS per party.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
import uuid

import numpy as np
import pypdfium2
from PIL import Image
from scratch_db import scratch_postgres  # bench/, beside this script
from sqlalchemy import select

from server.adapters.db import unit_of_work
from server.adapters.orm import Document, DocumentDelivery, utcnow
from server.adapters.schema import upgrade
from server.app import build_context
from server.services.auth import create_user
from server.services.cases import Actor
from server.services.determination import Decision, PartyChoice
from server.settings import Settings
from tests.server.test_determination import awaiting_case



class _App:  # what awaiting_case reads: app.state.ctx
    def __init__(self, ctx) -> None:
        self.state = type("State", (), {"ctx": ctx})()


def photo(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (960, 1280, 3), dtype=np.uint8)).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def pdf(pages: int = 3) -> bytes:
    doc = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(595, 842)
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    return buf.getvalue()


def officer(ctx, name: str) -> Actor:
    with unit_of_work(ctx.session_factory) as s:
        user = create_user(s, f"{name}-{uuid.uuid4().hex[:6]}", "bench password", "officer", name)
        return Actor("officer", f"user:{user.id}", user_id=user.id)


def issued(ctx, app, issuer: Actor) -> tuple[int, list[int]]:
    case_id, ids = awaiting_case(app)
    ctx.determination.take(case_id, issuer)
    number = ctx.determination.issue(case_id, Decision("甲车追尾乙车。", (PartyChoice(ids[0], "full", ("V001",)),
                                                                     PartyChoice(ids[1], "none")), "晴"),
                                     issuer).document_number
    with unit_of_work(ctx.session_factory) as s:
        document = s.scalar(select(Document).where(Document.number == number))
        s.add(DocumentDelivery(document_id=document.id, party_id=ids[1], delivered_at=utcnow(), via="opened"))
    return case_id, ids


def run(url: str, data_dir: str, n: int) -> None:
    upgrade(url)
    ctx = build_context(Settings(data_dir=data_dir, database_url=url))
    app, issuer, reviewer = _App(ctx), officer(ctx, "民警 赵刚"), officer(ctx, "民警 孙丽")
    files = [(f"{i}.jpg", photo(i)) for i in range(4)] + [("证明.pdf", pdf())]
    with_files, bare, decide = [], [], []
    for round_ in range(n + 1):
        for timings, attached in ((with_files, files), (bare, [])):
            case_id, ids = issued(ctx, app, issuer)
            t0 = time.perf_counter()
            review = ctx.reviews.request(case_id, ids[1], request="重新认定", reasons="乙车倒车", files=attached,
                                         link="bench-token", now=utcnow())
            t1 = time.perf_counter()
            ctx.reviews.decide(review.id, reviewer, "upheld", "", "维持原认定")
            t2 = time.perf_counter()
            if round_:  # the first round warms the pool and the decoders
                timings.append((t1 - t0) * 1000)
                decide.append((t2 - t1) * 1000)
    ctx.engine.dispose()
    size = sum(len(d) for _, d in files) / 1024
    print(f"{url.split(':', 1)[0]:>20}: request with 4 photos + 1 PDF ({size:.0f} KB) median "
          f"{statistics.median(with_files):6.1f} ms; without files {statistics.median(bare):5.1f} ms; "
          f"decision {statistics.median(decide):5.1f} ms; n={n}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    n = 5 if args.quick else 20
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", tmp, n)
        if args.pg:
            with scratch_postgres() as url:
                run(url, tmp, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())

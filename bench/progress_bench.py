"""Progress page bench: the party's page after the document, its first page image, and the cached image.

    PYTHONPATH=. .venv/bin/python bench/progress_bench.py           # 20 cases on SQLite
    PYTHONPATH=. .venv/bin/python bench/progress_bench.py --quick

Each case is issued through the real service, then read as a party does: the page
(``ProgressService.page``: the audit read, the timeline, the review state, the claim options), the
first page image (pdfium rendering at 828 px plus the delivery, 送达, in its own transaction) and
the same image again (the DATA_DIR cache, no delivery). Printed: medians and the PNG's size.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid

from server.adapters.db import unit_of_work
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    n = 3 if parser.parse_args().quick else 20
    with tempfile.TemporaryDirectory() as data_dir:
        url = f"sqlite:///{data_dir}/bench.db"
        upgrade(url)
        ctx = build_context(Settings(data_dir=data_dir, database_url=url))
        with unit_of_work(ctx.session_factory) as s:
            officer = create_user(s, f"bench-{uuid.uuid4().hex[:8]}", "bench password", "officer", "民警 赵刚")
            actor = Actor("officer", f"user:{officer.id}", user_id=officer.id)
        app, page_ms, first_ms, cached_ms, size = _App(ctx), [], [], [], 0
        for _ in range(n):
            case_id, ids = awaiting_case(app)
            ctx.determination.take(case_id, actor)
            number = ctx.determination.issue(case_id, Decision(
                "甲车追尾乙车。", (PartyChoice(ids[0], "full", ("V001",)), PartyChoice(ids[1], "none")), "晴"), actor
            ).document_number
            t0 = time.perf_counter()
            ctx.progress.page(case_id, ids[1])
            t1 = time.perf_counter()
            png, delivery = ctx.progress.page_image(case_id, ids[1], number, 0)
            t2 = time.perf_counter()
            ctx.progress.page_image(case_id, ids[1], number, 0)
            t3 = time.perf_counter()
            assert delivery is not None and delivery.new
            page_ms.append((t1 - t0) * 1000)
            first_ms.append((t2 - t1) * 1000)
            cached_ms.append((t3 - t2) * 1000)
            size = len(png)
        ctx.engine.dispose()
    print(f"{n} cases on SQLite: page {statistics.median(page_ms):.1f} ms median, first page image "
          f"(render + delivery) {statistics.median(first_ms):.0f} ms, cached {statistics.median(cached_ms):.1f} ms, "
          f"PNG {size / 1024:.0f} KB at 828 px")


if __name__ == "__main__":
    main()

"""Issue bench: the time to issue one liability document through the service, and the PDF's size.

    PYTHONPATH=. .venv/bin/python bench/issue_bench.py                 # 30 issues on SQLite
    PYTHONPATH=. .venv/bin/python bench/issue_bench.py --pg            # and on PostgreSQL (KUAICHU_TEST_PG_URL)
    PYTHONPATH=. .venv/bin/python bench/issue_bench.py --quick

One issue is the whole transaction of server/services/determination.py: the 第六十条 check, the
next number under its lock, rendering the PDF, storing it, the document and party rows, the
move to determined, the audit events, and a link and an SMS per party. Rendering alone is
bench/document_bench.py. Also printed: a preview (render only, nothing written).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid

from scratch_db import scratch_postgres  # bench/, beside this script
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


def run(url: str, data_dir: str, n: int) -> None:
    upgrade(url)
    ctx = build_context(Settings(data_dir=data_dir, database_url=url))
    with unit_of_work(ctx.session_factory) as s:
        officer = create_user(s, f"bench-{uuid.uuid4().hex[:8]}", "bench password", "officer", "民警 赵刚")
        officer.badge_number = "510037"
        actor = Actor("officer", f"user:{officer.id}", user_id=officer.id)
    app = _App(ctx)
    issue_ms, preview_ms, sizes = [], [], []
    for _ in range(n + 1):
        case_id, ids = awaiting_case(app)
        ctx.determination.take(case_id, actor)
        decision = Decision("甲车追尾乙车。", (PartyChoice(ids[0], "full", ("V001",)), PartyChoice(ids[1], "none")), "晴")
        t0 = time.perf_counter()
        ctx.determination.preview(case_id, decision, actor)
        t1 = time.perf_counter()
        issued = ctx.determination.issue(case_id, decision, actor)
        t2 = time.perf_counter()
        preview_ms.append((t1 - t0) * 1000)
        issue_ms.append((t2 - t1) * 1000)
        sizes.append(issued.size_bytes)
    ctx.engine.dispose()
    issue_ms.pop(0)  # the first round loads the font (in its preview) and warms the connection pool
    first_preview = preview_ms.pop(0)
    p95 = sorted(issue_ms)[max(0, int(len(issue_ms) * 0.95) - 1)]
    print(f"{url.split(':', 1)[0]:>20}: issue median {statistics.median(issue_ms):6.1f} ms, p95 {p95:6.1f} ms "
          f"; preview median {statistics.median(preview_ms):6.1f} ms (the first, loading the font, {first_preview:.0f} ms); "
          f"PDF {statistics.median(sizes) / 1024:.0f} KB; n={len(issue_ms)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    n = 8 if args.quick else 30
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", tmp, n)
        if args.pg:
            with scratch_postgres() as url:
                run(url, tmp, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())

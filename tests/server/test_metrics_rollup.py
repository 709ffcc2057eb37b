"""The rollup (case_metrics, kept by audit.append) equals the raw read of the audit events, on both databases:
for the seeded day, for a week of demo history, for cases moved through the real services, and after a
rebuild from scratch."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from kuaichu_protocol.messages import CaseState as S
from server.adapters.db import unit_of_work
from server.services.cases import Actor
from server.services.demo_history import seed_week
from server.services.metrics import case_facts
from server.services.metrics_rollup import rebuild
from tests.server.test_metrics import seed_day

ALL_TIME = (datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc))


def _both(app):
    with app.state.ctx.session_factory() as s:
        rolled = sorted(case_facts(s, *ALL_TIME), key=lambda f: f.case_id)
        raw = sorted(case_facts(s, *ALL_TIME, raw=True), key=lambda f: f.case_id)
    return [_rounded(f) for f in rolled], [_rounded(f) for f in raw]


def _rounded(facts):
    """Both reads keep microseconds; a float sum may differ in its last bits."""
    return dataclasses.replace(facts, **{
        f.name: round(getattr(facts, f.name), 6) for f in dataclasses.fields(facts)
        if f.init and isinstance(getattr(facts, f.name), float)})


def test_the_seeded_day(app, make_user):
    seed_day(app, make_user)
    rolled, raw = _both(app)
    assert len(raw) == 8 and rolled == raw
    assert sum(f.overturns for f in raw) == 1 and sum(f.video_frames for f in raw) == 2


def test_a_demo_week(app, make_user):
    for name, role in (("operator1", "operator"), ("operator2", "operator"), ("officer1", "officer")):
        make_user(name, role)
    seed_week(app.state.ctx.session_factory, "Asia/Shanghai", cases=120)
    rolled, raw = _both(app)
    assert len(raw) == 120 and rolled == raw
    assert any(f.interrupts for f in raw) and any(f.first_escalate for f in raw)


def test_cases_moved_by_the_real_services(client, app, auth_headers):
    ctx, operator = app.state.ctx, auth_headers("operator")
    first, second = ctx.cases.open_case("public").id, ctx.cases.open_case("public").id
    assert client.post(f"/api/cases/{first}/answer", headers=operator).status_code == 200
    client.post(f"/api/cases/{first}/start-collection", headers=operator)
    user_id = client.get("/api/auth/me", headers=operator).json()["user_id"]
    actor = Actor("operator", f"user:{user_id}", user_id=user_id)
    ctx.scene.record_instruction(first, actor, "信息已采集完毕，请立即撤离现场，恢复交通。")
    ctx.cases.transition(first, S.INTERRUPTED, Actor.system())
    ctx.cases.transition(first, S.QUEUED, actor)
    assert client.post(f"/api/cases/{first}/answer", headers=operator).status_code == 200
    ctx.cases.transition(second, S.ABANDONED, Actor.system())
    rolled, raw = _both(app)
    assert rolled == raw
    moved = next(f for f in raw if f.case_id == first)
    assert (moved.interrupts, moved.evacuated is not None, moved.last_answer > moved.first_answer) == (1, True, True)


def test_a_rebuild_gives_the_same_rows(app, make_user):
    seed_day(app, make_user)
    before, _ = _both(app)
    with unit_of_work(app.state.ctx.session_factory) as s:
        rebuild(s)
    after, raw = _both(app)
    assert after == before == raw

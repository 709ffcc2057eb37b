"""The outbox engine itself, on a real migrated database (SQLite and PostgreSQL).

Never lost, never twice: many threads in two engines (two connection pools, as two
server instances would have) race for the same due rows, some sends fail first,
and every item is still delivered exactly once. Around that: a sender that dies
mid-send, a stale sender, the capped backoff, the attempt log, giving up, the list
of what is failing and a retry on request.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from server.adapters.db import make_engine, make_session_factory, unit_of_work
from server.adapters.orm import Case, Dispatch, SmsMessage, utcnow
from server.services import outbox
from server.services.dispatch_outbox import DISPATCH
from server.services.outbox import Outbox, RetryPolicy, SendFailed
from server.services.sms import SMS

pytestmark = pytest.mark.fault  # a fault test: docs/reliability.md tabulates its outcome

T0 = datetime(2026, 5, 20, 3, 0, tzinfo=timezone.utc)
POLICY = RetryPolicy(max_attempts=3, base_seconds=10, max_seconds=25, lease_seconds=60)


class RecordingSender:
    """Counts every send per item; fails the first ``fail_first`` sends of the items it is told to."""

    delivered_status = "sent"

    def __init__(self, flaky: frozenset[int] = frozenset(), fail_first: int = 1) -> None:
        self.sent: Counter[int] = Counter()
        self.failed: Counter[int] = Counter()
        self._flaky, self._fail_first = flaky, fail_first
        self._lock = threading.Lock()

    def send(self, item) -> str:
        time.sleep(0)  # let another thread run between the claim and the record
        with self._lock:
            if item.id in self._flaky and self.failed[item.id] < self._fail_first:
                self.failed[item.id] += 1
                raise SendFailed(f"receiver down for {item.id}")
            self.sent[item.id] += 1
        return f"REF-{item.id}"


@pytest.fixture
def factory(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def add_dispatches(factory, n: int, now: datetime = T0) -> list[int]:
    with unit_of_work(factory) as s:
        case = Case(number=f"KC-{n}-{time.monotonic_ns()}", state="escalated", source="public")
        s.add(case)
        s.flush()
        rows = [Dispatch(case_id=case.id, payload={"n": i}, next_attempt_at=now, created_at=now) for i in range(n)]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def item(factory, item_id: int, model=Dispatch):
    with factory() as s:
        return s.get_one(model, item_id)


def attempt_log(factory, item_id: int, kind=DISPATCH) -> list[tuple[int, str, str]]:
    with factory() as s:
        return [(a.attempt, a.outcome, a.error) for a in outbox.attempts(s, kind, item_id)]


def test_threads_in_two_engines_deliver_every_item_exactly_once(db_url, factory):
    ids = add_dispatches(factory, 60, now=utcnow())
    flaky = frozenset(ids[::4])  # a quarter fail once first: their retries race too
    sender = RecordingSender(flaky)
    policy = RetryPolicy(max_attempts=3, base_seconds=0.001, max_seconds=0.001, lease_seconds=60)
    engines = [make_engine(db_url) for _ in range(2)]
    workers = [Outbox(make_session_factory(engines[i % 2]), DISPATCH, sender, policy, batch=25) for i in range(6)]
    barrier, errors = threading.Barrier(len(workers)), []

    def run(worker: Outbox) -> None:
        barrier.wait()
        try:
            for _ in range(50):  # bounded; stops as soon as nothing is left to do
                if not worker.deliver_due(utcnow()) and not worker.due_ids(utcnow() + timedelta(seconds=1)):
                    return
        except Exception as e:  # noqa: BLE001 - asserted below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(w,), daemon=True) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for e in engines:
        e.dispose()
    assert errors == [] and not any(t.is_alive() for t in threads)
    assert sender.sent == Counter({i: 1 for i in ids})  # every item once, none twice
    assert sender.failed == Counter({i: 1 for i in flaky})
    with factory() as s:
        assert set(s.scalars(select(Dispatch.status))) == {"sent"}
    assert attempt_log(factory, ids[0]) == [(1, "error", f"receiver down for {ids[0]}"), (2, "sent", "")]
    assert attempt_log(factory, ids[1]) == [(1, "sent", "")]


def test_a_sender_that_died_mid_send_is_replaced_after_the_lease_and_a_late_report_changes_nothing(factory):
    [item_id] = add_dispatches(factory, 1)
    first, second = RecordingSender(), RecordingSender()
    dead = Outbox(factory, DISPATCH, first, POLICY).claim(item_id, T0)  # claimed, then the process died
    assert dead is not None
    other = Outbox(factory, DISPATCH, second, POLICY)
    assert other.deliver_due(T0 + timedelta(seconds=59)) == []  # the lease still holds
    [outcome] = other.deliver_due(T0 + timedelta(seconds=60))
    assert (outcome.status, outcome.attempts, outcome.reference) == ("sent", 2, f"REF-{item_id}")
    assert attempt_log(factory, item_id)[0][:2] == (1, "abandoned")
    late = Outbox(factory, DISPATCH, first, POLICY).send(dead, T0 + timedelta(seconds=61))  # it was only slow
    assert not late.recorded
    row = item(factory, item_id)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 2, T0 + timedelta(seconds=60))


def test_backoff_doubles_up_to_its_cap_and_every_attempt_is_recorded(factory):
    [item_id] = add_dispatches(factory, 1)
    sender = RecordingSender(frozenset({item_id}), fail_first=3)
    worker = Outbox(factory, DISPATCH, sender, RetryPolicy(max_attempts=5, base_seconds=10, max_seconds=25,
                                                           lease_seconds=60))
    now, delays = T0, []
    for _ in range(3):
        worker.deliver_due(now)
        delay = item(factory, item_id).next_attempt_at - now
        assert worker.deliver_due(now + delay - timedelta(seconds=1)) == []  # not due before its time
        delays.append(delay.total_seconds())
        now += delay
    assert delays == [10, 20, 25]
    [outcome] = worker.deliver_due(now)
    assert outcome.status == "sent"
    with factory() as s:
        log = outbox.attempts(s, DISPATCH, item_id)
    assert [(a.attempt, a.outcome, a.reference) for a in log] == [
        (1, "error", ""), (2, "error", ""), (3, "error", ""), (4, "sent", f"REF-{item_id}")]
    assert [a.started_at for a in log] == [T0, T0 + timedelta(seconds=10), T0 + timedelta(seconds=30), now]
    assert all(a.finished_at >= a.started_at for a in log) and "receiver down" in log[0].error


def test_gives_up_after_n_attempts_is_listed_as_failing_and_starts_over_on_request(factory):
    with unit_of_work(factory) as s:
        message = SmsMessage(phone="13800138000", text="你好", next_attempt_at=T0)
        s.add(message)
        s.flush()
        message_id = message.id

    class DownGateway:
        delivered_status = "sent"
        up = False

        def send(self, m) -> str:
            if not self.up:
                raise SendFailed("gateway down")
            return ""

    gateway = DownGateway()
    worker = Outbox(factory, SMS, gateway, POLICY)
    now = T0
    for _ in range(POLICY.max_attempts + 2):
        worker.deliver_due(now)
        now += timedelta(minutes=5)
    assert (item(factory, message_id, SmsMessage).status, item(factory, message_id, SmsMessage).attempts) == ("failed", 3)
    with factory() as s:
        assert [m.id for m in outbox.failing(s, SMS)] == [message_id]
    with unit_of_work(factory) as s:
        assert outbox.retry(s, SMS, message_id, now)
        assert not outbox.retry(s, SMS, message_id, now)  # pending already: nothing to start over
    gateway.up = True
    [outcome] = worker.deliver_due(now)
    assert (outcome.status, outcome.attempts) == ("sent", 1)
    with factory() as s:
        assert outbox.failing(s, SMS) == []
    assert [o for _, o, _ in attempt_log(factory, message_id, SMS)] == ["error"] * 3 + ["sent"]


def test_a_crashing_sender_is_recorded_as_an_error_not_left_sending(factory):
    [item_id] = add_dispatches(factory, 1)

    class Buggy:
        delivered_status = "sent"

        def send(self, item) -> str:
            raise KeyError("payload field")

    [outcome] = Outbox(factory, DISPATCH, Buggy(), POLICY).deliver_due(T0)
    assert outcome.status == "pending" and "KeyError" in outcome.error
    row = item(factory, item_id)
    assert (row.status, row.claimed_until, row.next_attempt_at) == ("pending", None, T0 + timedelta(seconds=10))


def test_a_last_attempt_that_died_mid_send_gives_up_without_sending_again(factory):
    [item_id] = add_dispatches(factory, 1)
    sender = RecordingSender(frozenset({item_id}), fail_first=2)
    worker = Outbox(factory, DISPATCH, sender, POLICY)
    worker.deliver_due(T0)
    worker.deliver_due(T0 + timedelta(seconds=10))
    assert worker.claim(item_id, T0 + timedelta(seconds=30)) is not None  # attempt 3 of 3, then a crash
    assert worker.deliver_due(T0 + timedelta(seconds=90)) == []
    row = item(factory, item_id)
    assert (row.status, row.attempts, sum(sender.sent.values())) == ("failed", 3, 0)
    assert [o for _, o, _ in attempt_log(factory, item_id)] == ["error", "error", "abandoned"]


# --- migration 0004: rows written before it keep their state and are delivered by the engine ----------


def _old_sms():
    import sqlalchemy as sa

    from server.adapters.orm import UTCDateTime

    return sa.table("sms_outbox", sa.column("id", sa.Integer), sa.column("phone", sa.String),
                    sa.column("text", sa.Text), sa.column("status", sa.String), sa.column("attempts", sa.Integer),
                    sa.column("next_attempt_at", UTCDateTime()), sa.column("claimed_until", UTCDateTime()),
                    sa.column("last_error", sa.Text), sa.column("created_at", UTCDateTime()))


def _old_dispatches():
    import sqlalchemy as sa

    from server.adapters.orm import UTCDateTime

    return sa.table("dispatches", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
                    sa.column("payload", sa.JSON), sa.column("status", sa.String), sa.column("attempts", sa.Integer),
                    sa.column("next_attempt_at", UTCDateTime()), sa.column("last_error", sa.Text),
                    sa.column("created_at", UTCDateTime()), sa.column("sent_at", UTCDateTime()))


def test_rows_from_before_0004_keep_their_state_and_are_delivered(db_url, factory):
    from server.adapters.schema import downgrade, upgrade

    with unit_of_work(factory) as s:
        case = Case(number="KC-OLD", state="escalated", source="public")
        s.add(case)
        s.flush()
        case_id = case.id
    factory.kw["bind"].dispose()
    downgrade(db_url, "0003")
    rows = {  # the dispatch outbox before 0004 marked a claim by pushing next_attempt_at out by the lease
        "due": ("pending", 0, T0, ""), "claimed": ("pending", 1, T0 + timedelta(seconds=120), ""),
        "failed": ("failed", 8, T0, "HTTP 503"), "sent": ("sent", 1, T0, ""),
    }
    with unit_of_work(factory) as s:
        for n, (name, (status, tries, due, error)) in enumerate(rows.items(), start=1):
            s.execute(_old_dispatches().insert().values(
                id=n, case_id=case_id, payload={"name": name}, status=status, attempts=tries, next_attempt_at=due,
                last_error=error, created_at=T0, sent_at=T0 if status == "sent" else None))
        # a raw row: the ORM model is today's schema, with columns 0003 lacks
        sms_id = s.execute(_old_sms().insert().values(
            phone="13800138000", text="旧短信", status="sending", attempts=1, next_attempt_at=T0,
            claimed_until=T0 + timedelta(seconds=60), last_error="", created_at=T0).returning(_old_sms().c.id)
        ).scalar_one()
    factory.kw["bind"].dispose()
    upgrade(db_url)

    with factory() as s:
        assert [(d.payload["name"], d.status, d.attempts, d.last_error) for d in
                s.scalars(select(Dispatch).order_by(Dispatch.id))] == [
            ("due", "pending", 0, ""), ("claimed", "pending", 1, ""), ("failed", "failed", 8, "HTTP 503"),
            ("sent", "sent", 1, "")]
        assert [d.payload["name"] for d in outbox.failing(s, DISPATCH)] == ["failed"]
    sender = RecordingSender()
    worker = Outbox(factory, DISPATCH, sender, POLICY)
    assert [(o.item_id, o.status, o.attempts) for o in worker.deliver_due(T0)] == [(1, "sent", 1)]
    assert [(o.item_id, o.attempts) for o in worker.deliver_due(T0 + timedelta(seconds=120))] == [(2, 2)]
    assert sorted(sender.sent) == [1, 2]

    class Gateway:
        delivered_status = "sent"

        def send(self, m) -> str:
            return ""

    sms = Outbox(factory, SMS, Gateway(), POLICY)
    assert sms.deliver_due(T0) == []  # still claimed by the deliverer that was running before the upgrade
    assert [(o.item_id, o.status, o.attempts) for o in sms.deliver_due(T0 + timedelta(seconds=60))] == [
        (sms_id, "sent", 2)]


def test_downgrading_0004_hands_a_claimed_dispatch_back_as_pending_until_its_lease_ends(db_url, factory):
    from server.adapters.schema import downgrade, upgrade

    [item_id] = add_dispatches(factory, 1)
    assert Outbox(factory, DISPATCH, RecordingSender(), POLICY).claim(item_id, T0) is not None
    factory.kw["bind"].dispose()
    downgrade(db_url, "0003")
    old = _old_dispatches()
    with factory() as s:
        status, tries, due = s.execute(select(old.c.status, old.c.attempts, old.c.next_attempt_at)).one()
    assert (status, tries, due) == ("pending", 1, T0 + timedelta(seconds=60))
    factory.kw["bind"].dispose()
    upgrade(db_url)
    [outcome] = Outbox(factory, DISPATCH, RecordingSender(), POLICY).deliver_due(T0 + timedelta(seconds=60))
    assert (outcome.item_id, outcome.attempts) == (item_id, 2)

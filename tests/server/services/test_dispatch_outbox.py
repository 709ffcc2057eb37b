"""The dispatch outbox on a real, migrated database: nothing is lost, nothing is sent twice at once."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from server.adapters.db import make_engine, make_session_factory, unit_of_work
from server.adapters.dispatch.base import DispatchRequest, OutboxOnlySender
from server.adapters.dispatch.fake import FakeDispatchSender
from server.adapters.orm import Case, Dispatch
from server.services import dispatch_outbox
from server.services.dispatch_outbox import RetryPolicy

pytestmark = pytest.mark.fault  # a fault test: docs/reliability.md tabulates its outcome

T0 = datetime(2026, 5, 20, 3, 0, tzinfo=timezone.utc)
POLICY = RetryPolicy(max_attempts=3, base_seconds=10, max_seconds=60, lease_seconds=120)


@pytest.fixture
def factory(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def dispatch_id(factory) -> int:
    with unit_of_work(factory) as s:
        case = Case(number="KC20260520-00A1B2", state="escalated", source="public", latitude=30.66, longitude=104.07)
        s.add(case)
        s.flush()
        request = DispatchRequest(case.id, case.number, "有人受伤", case.latitude, case.longitude)
        return dispatch_outbox.enqueue(s, request, T0).id


def row(factory, dispatch_id) -> Dispatch:
    with unit_of_work(factory) as s:
        return s.get_one(Dispatch, dispatch_id)


def test_enqueue_does_not_commit(factory):
    with factory() as s:
        s.add(case := Case(number="KC-1", state="escalated", source="public"))
        s.flush()
        dispatch_outbox.enqueue(s, DispatchRequest(case.id, case.number, "原因", None, None), T0)
        s.rollback()
    with unit_of_work(factory) as s:
        assert s.scalars(select(Dispatch)).all() == []


def test_a_due_dispatch_is_sent_once(factory, dispatch_id):
    sender = FakeDispatchSender()
    outcomes = dispatch_outbox.deliver_due(factory, sender, T0, policy=POLICY)
    assert [(o.status, o.reference) for o in outcomes] == [("sent", f"FAKE-{dispatch_id}")]
    assert sender.sent[0][1]["reason"] == "有人受伤"
    stored = row(factory, dispatch_id)
    assert (stored.status, stored.attempts, stored.sent_at) == ("sent", 1, T0)
    assert dispatch_outbox.deliver_due(factory, sender, T0 + timedelta(hours=1), policy=POLICY) == []
    assert len(sender.sent) == 1


def test_the_outbox_backend_keeps_the_row_for_supervisors(factory, dispatch_id):
    outcomes = dispatch_outbox.deliver_due(factory, OutboxOnlySender(), T0, policy=POLICY)
    assert outcomes[0].status == "stored"
    assert row(factory, dispatch_id).status == "stored"


def test_failures_back_off_exponentially_then_give_up(factory, dispatch_id):
    sender = FakeDispatchSender()
    sender.failures_left = 10
    now = T0
    for attempt, delay in [(1, 10), (2, 20)]:
        [outcome] = dispatch_outbox.deliver_due(factory, sender, now, policy=POLICY)
        assert (outcome.status, outcome.attempts) == ("pending", attempt)
        stored = row(factory, dispatch_id)
        assert stored.next_attempt_at == now + timedelta(seconds=delay)
        assert "down" in stored.last_error
        assert dispatch_outbox.deliver_due(factory, sender, now + timedelta(seconds=delay - 1), policy=POLICY) == []
        now += timedelta(seconds=delay)
    [outcome] = dispatch_outbox.deliver_due(factory, sender, now, policy=POLICY)
    assert outcome.status == "failed"
    assert row(factory, dispatch_id).status == "failed"
    assert dispatch_outbox.deliver_due(factory, sender, now + timedelta(days=1), policy=POLICY) == []


def test_a_failing_dispatch_is_on_the_supervisors_list_until_retried_and_sent(factory, dispatch_id):
    sender = FakeDispatchSender()
    sender.failures_left = 3
    now = T0
    with unit_of_work(factory) as s:
        assert dispatch_outbox.needing_attention(s) == []
    for _ in range(3):
        dispatch_outbox.deliver_due(factory, sender, now, policy=POLICY)
        with unit_of_work(factory) as s:
            assert [d.id for d in dispatch_outbox.needing_attention(s)] == [dispatch_id]
        now += timedelta(minutes=5)
    assert row(factory, dispatch_id).status == "failed"
    with unit_of_work(factory) as s:
        assert dispatch_outbox.retry(s, dispatch_id, now)
    [outcome] = dispatch_outbox.deliver_due(factory, sender, now, policy=POLICY)
    assert outcome.status == "sent"
    with unit_of_work(factory) as s:
        assert dispatch_outbox.needing_attention(s) == []
        assert not dispatch_outbox.retry(s, dispatch_id, now)  # only a failed one can be retried


def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(factory, dispatch_id):
    worker = dispatch_outbox.delivery(factory, FakeDispatchSender(), POLICY)
    claimed = worker.claim(dispatch_id, T0)
    assert claimed is not None and claimed.attempts == 1
    assert worker.claim(dispatch_id, T0) is None  # a racing worker
    assert dispatch_outbox.deliver_due(factory, FakeDispatchSender(), T0 + timedelta(seconds=119), policy=POLICY) == []
    # The first worker died mid-send: after the lease the row is sent by someone else, not lost.
    [outcome] = dispatch_outbox.deliver_due(factory, FakeDispatchSender(), T0 + timedelta(seconds=120), policy=POLICY)
    assert (outcome.status, outcome.attempts) == ("sent", 2)


def test_a_stale_worker_cannot_overwrite_a_newer_attempt(factory, dispatch_id):
    slow = FakeDispatchSender()
    stale = dispatch_outbox.delivery(factory, slow, POLICY).claim(dispatch_id, T0)
    later = T0 + timedelta(seconds=POLICY.lease_seconds)
    failing = FakeDispatchSender()
    failing.failures_left = 1
    dispatch_outbox.deliver_due(factory, failing, later, policy=POLICY)  # attempt 2 fails, will retry
    outcome = dispatch_outbox.delivery(factory, slow, POLICY).send(stale, later)  # attempt 1 finally returns
    assert (outcome.status, outcome.recorded) == ("sent", False)
    assert row(factory, dispatch_id).status == "pending"


def test_the_retry_policy_comes_from_settings(factory, dispatch_id, tmp_path):
    from server.settings import Settings

    policy = dispatch_outbox.retry_policy(Settings(data_dir=tmp_path, dispatch_max_attempts=2,
                                                   dispatch_retry_base_seconds=7, dispatch_retry_max_seconds=9))
    assert (policy.delay_after(1), policy.delay_after(2), policy.delay_after(5)) == (
        timedelta(seconds=7), timedelta(seconds=9), timedelta(seconds=9))
    sender = FakeDispatchSender()
    sender.failures_left = 10
    [first] = dispatch_outbox.deliver_due(factory, sender, T0, policy=policy)
    [second] = dispatch_outbox.deliver_due(factory, sender, T0 + timedelta(seconds=7), policy=policy)
    assert (first.status, second.status) == ("pending", "failed")  # gave up after two attempts

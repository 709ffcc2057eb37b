"""Periodic jobs: a run that found work runs again at once; one that found none waits its interval."""
from __future__ import annotations

import asyncio

from server.services.background import BackgroundJobs, PeriodicJob


def test_a_job_that_found_work_runs_again_without_waiting_its_interval():
    async def scenario() -> list[int]:
        backlog, runs = [50, 50, 7], []

        def deliver() -> int:  # an outbox with a backlog: two full batches, then the rest, then nothing
            runs.append(backlog.pop(0) if backlog else 0)
            return runs[-1]

        jobs = BackgroundJobs([PeriodicJob("outbox", deliver, interval_s=3600, again=bool)])
        jobs.start()
        for _ in range(500):  # bounded: the hour-long interval would hold a second run far longer
            if len(runs) >= 4:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        await jobs.stop()
        return runs

    assert asyncio.run(scenario()) == [50, 50, 7, 0]  # then waits: nothing was due


def test_a_failing_run_is_logged_and_the_job_waits_for_its_next_turn(caplog):
    async def scenario() -> int:
        calls = []

        def broken() -> int:
            calls.append(1)
            raise RuntimeError("receiver exploded")

        jobs = BackgroundJobs([PeriodicJob("outbox", broken, interval_s=3600, again=bool)])
        jobs.start()
        for _ in range(100):
            if calls:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        await jobs.stop()
        return len(calls)

    assert asyncio.run(scenario()) == 1
    assert "background job outbox failed" in caplog.text

"""Periodic jobs that run beside the web server (the SMS outbox today; other outboxes can join).

Each job is a blocking function run in a worker thread every ``interval_s``, so
database and HTTP calls never block the event loop; a job whose run found work (``again``) runs again at
once, so that a burst (500 party links in a minute) does not wait an interval per batch. A failing run is logged and
the next one happens on time. ``stop`` asks a run in progress to wrap up (its
``interrupt``), waits for it to finish, then ends.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from anyio import to_thread

log = logging.getLogger("kuaichu.background")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], object]
    interval_s: float = 1.0
    #: Called from the event loop on shutdown; should make a long run return after its current item.
    interrupt: Callable[[], None] | None = None
    #: Given what a run returned: whether to run again at once (it found work: more may be due already).
    again: Callable[[object], bool] | None = None


class BackgroundJobs:
    def __init__(self, jobs: list[PeriodicJob]) -> None:
        self._jobs = jobs
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._stop = asyncio.Event()
        self._tasks = [asyncio.create_task(self._loop(job), name=f"job:{job.name}") for job in self._jobs]

    async def stop(self) -> None:
        self._stop.set()
        for job in self._jobs:
            if job.interrupt is not None:
                job.interrupt()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def running(self) -> bool:
        return any(not task.done() for task in self._tasks)

    async def _loop(self, job: PeriodicJob) -> None:
        while not self._stop.is_set():
            try:
                result = await to_thread.run_sync(job.run)
            except Exception:  # noqa: BLE001 - one bad run must not end the job
                log.exception("background job %s failed", job.name)
            else:
                if job.again is not None and job.again(result):
                    await asyncio.sleep(0)  # let shutdown and the loop's other work in between runs
                    continue
            try:
                await asyncio.wait_for(self._stop.wait(), timeout=job.interval_s)
            except TimeoutError:
                pass

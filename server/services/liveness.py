"""Liveness after a restart: live cases whose phone never comes back are ended by the same rules.

Without a crash, the hub learns that a phone went away when its socket closes: a queued
case is abandoned after ``abandon_grace_s``, a case in a call is interrupted. After a
crash (SIGKILL) nobody sees those sockets close, so at start-up the hub hands every
live case (queued, in_call, collecting) to ``recheck_after_start``: after the same grace,
a case whose phone has not come back is abandoned (queued) or interrupted (in a call),
exactly as if its socket had closed at the moment of the restart. A case whose phone
did come back keeps its order (queued) or rejoins at priority 1, offered to its seat
first (the hub's join rules).

Several instances on one database: an instance that starts must not end cases whose
phone is connected to another instance. So the starting instance asks every instance
over the broker (``presence_query``) to say again which phones it holds; the answers are
ordinary ``presence`` messages, which every hub already folds into ``hub.online``. A
case is ended only if, at the end of the grace, no instance holds its phone (neither
this one, ``hub.phones``, nor another, ``hub.online``). The grace is far longer than a
broker round trip, so a live peer's answer is in before the check.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.orm import Case
from server.services.cases import Actor

if TYPE_CHECKING:
    from server.services.hub import Hub

log = logging.getLogger(__name__)

LIVE_STATES = (S.QUEUED.value, S.IN_CALL.value, S.COLLECTING.value)


def live_cases(factory: sessionmaker[Session]) -> Callable[[], list[int]]:
    """The ids of every case that has (or had, before a restart) a phone attached."""

    def read() -> list[int]:
        with factory() as s:
            return list(s.scalars(select(Case.id).where(Case.state.in_(LIVE_STATES)).order_by(Case.id)))

    return read


async def recheck_after_start(hub: Hub, case_ids: list[int], grace_s: float,
                              reason: str = "phone_not_back_after_restart") -> dict[str, list[int]]:
    """Ends the cases among ``case_ids`` whose phone no instance holds after ``grace_s``; returns what it did.

    Also run for the phones of another instance that went silent (hub.drop_lost_peers)."""
    done: dict[str, list[int]] = {"abandoned": [], "interrupted": [], "kept": []}
    if not case_ids:
        return done
    await hub.broker.publish("presence_query", {})
    await asyncio.sleep(grace_s)  # a timer, not a test wait: the pages retry by themselves meanwhile
    for case_id in case_ids:
        if case_id in hub.online or case_id in hub.phones:
            done["kept"].append(case_id)
            continue
        holder = await to_thread.run_sync(hub.holder_of, case_id)
        detail = {"reason": reason, "grace_s": grace_s}
        if holder.state == S.QUEUED:
            if await hub.transition_quietly(case_id, S.ABANDONED, Actor.system(), detail):
                done["abandoned"].append(case_id)
        elif holder.state in LIVE_STATES:
            if await hub.transition_quietly(case_id, S.INTERRUPTED, Actor.system(), detail):
                done["interrupted"].append(case_id)
    if done["abandoned"] or done["interrupted"]:
        log.info("liveness after start: abandoned %s, interrupted %s, %d kept",
                 done["abandoned"], done["interrupted"], len(done["kept"]))
    return done

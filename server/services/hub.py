"""The signalling hub: phone and seat sockets, the live queue, and the call relay.

The hub holds this instance's sockets and nothing that must survive a restart:
case state lives in the database and changes only through CaseService.transition.
Everything that crosses sockets goes through the Broker (server/adapters/broker.py),
and every instance delivers what it receives to the sockets it holds, so running
several instances is a matter of configuring a shared broker.

Rules (docs/protocol.md has the messages):

* A phone joins -> its case stays queued, or an interrupted case rejoins (priority 1,
  offered to its previous seat first; see queue_view.py). A phone joining a case
  that is still in a call (its old socket has not noticed the drop yet) interrupts
  and rejoins it: aiortc cannot restart ICE, so every reconnect is a new call.
* One phone socket per case: a newer socket for the same case replaces the older.
* A phone leaves (``leave``) or its socket closes: a queued case is abandoned (after
  ``abandon_grace_s`` for a closed socket, since the page retries by itself); a case
  in a call is interrupted at once and its seat gets ``phone_left``.
* After a restart (even a SIGKILL, when no socket was seen closing), every case that was
  live gets the same grace: if no instance holds its phone by then, it is abandoned
  (queued) or interrupted (in a call); see liveness.py.
* Several instances: each says it is alive over the broker every ``PEER_HEARTBEAT_S``. An
  instance not heard for ``PEER_LOST_S`` (killed) no longer holds its phones: seats see them
  offline at once, and its cases get the same grace as after a restart.
* After an answer (REST) the phone gets ``answered``; signals then pass only between
  that phone and the seat that holds the case. Anyone else gets an error frame.
* Bad frames get an error frame and the socket stays open; nothing a client sends
  can raise out of the hub.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
import weakref
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from anyio import CapacityLimiter, to_thread

from server.adapters.orm import utcnow

from kuaichu_protocol.messages import CaseState as S
from kuaichu_protocol.messages import PhoneMsg, Role, SeatMsg, ToPhoneMsg, ToSeatMsg
from server.adapters.broker import Broker
from server.services import liveness, ws_frames
from server.services.auth import Principal
from server.services.cases import Actor, CaseService, TransitionResult
from server.services.errors import Conflict, ServiceError
from server.services.hub_sockets import Holder, PhoneConn, SeatConn, SharedMessage, Socket, close_quietly
from server.services.invitations import PartyLink
from server.services.metrics import SeatPresence
from server.services.officer_queue import OfficerQueueView
from server.services.queue_changes import NO_CHANGE, SeatQueueState, changes_frame, diff, merge, worth_sending
from server.services.queue_view import REJOIN_RESERVE_S, QueueSnapshot, QueueView
from server.services.scene import SceneService

log = logging.getLogger(__name__)

ABANDON_GRACE_S = 15.0
NOW_MIN_INTERVAL_S = 1.0  # the dashboard's now figures are pushed at most this often
#: Queue changes within this window after the first make one read and one push (a burst of joins).
QUEUE_COALESCE_S = 0.02
#: While phones wait, the queue is re-read this often so that their estimated wait follows the answer rate.
ESTIMATE_REFRESH_S = 30.0
IN_CALL = (S.IN_CALL.value, S.COLLECTING.value)
#: Every instance says over the broker that it is alive this often; one not heard for PEER_LOST_S is gone.
PEER_HEARTBEAT_S = 3.0
PEER_LOST_S = 15.0  # far above a loaded event loop's stalls: a live instance is never given up
#: Seats that get the officers' queue (``officer_queue``).
OFFICER_QUEUE_ROLES = frozenset({Role.OFFICER, Role.ADMIN})


class Hub:
    def __init__(self, *, cases: CaseService, scene: SceneService, queue: QueueView, broker: Broker,
                 seat_name: Callable[[int], str], ice_servers: list[dict], max_message_bytes: int,
                 abandon_grace_s: float = ABANDON_GRACE_S, rejoin_reserve_s: float = REJOIN_RESERVE_S,
                 now_figures: Callable[[dict[int, SeatPresence]], dict] | None = None,
                 officer_queue: OfficerQueueView | None = None,
                 live_cases: Callable[[], list[int]] | None = None,
                 ice_transport_policy: str = "all", ice_trickle: bool = True) -> None:
        self.ice_transport_policy, self.ice_trickle = ice_transport_policy, ice_trickle
        self.cases, self.scene, self.queue, self.broker = cases, scene, queue, broker
        self.officer_queue = officer_queue
        self.seat_name, self.ice_servers, self.max_message_bytes = seat_name, ice_servers, max_message_bytes
        self.abandon_grace_s, self.rejoin_reserve_s = abandon_grace_s, rejoin_reserve_s
        self.phones: dict[int, PhoneConn] = {}
        self.seats: dict[int, set[SeatConn]] = defaultdict(set)
        self.instance_id = secrets.token_hex(6)  # new at every start: a restarted instance is a new peer
        self.online: dict[int, str] = {}  # cases whose phone has joined, on any instance: case id -> instance
        self._peers_heard: dict[str, float] = {}  # other instances: loop time they were last heard
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task] = set()
        self._queue_dirty = False
        self._queue_task: asyncio.Task | None = None
        self._officer_dirty = False
        self._officer_task: asyncio.Task | None = None
        self._reserve_timer: asyncio.TimerHandle | None = None
        self._estimate_timer: asyncio.TimerHandle | None = None
        self._queue_version = 0  # the number of the last queue push; seats' frames carry it
        self._queue_reader: CapacityLimiter | None = None  # made in start(), on the loop it serves
        self._queue_shared: dict[int, dict] = {}  # the items every seat sees alike, as last pushed
        self._seat_queue: weakref.WeakKeyDictionary[SeatConn, SeatQueueState] = weakref.WeakKeyDictionary()
        self._phone_place: weakref.WeakKeyDictionary[PhoneConn, dict] = weakref.WeakKeyDictionary()
        self.queue_pushes = 0  # push cycles so far (read by tests and benches: bursts coalesce)
        self._outbox: asyncio.Queue[tuple[str, dict]] | None = None
        self.now_figures = now_figures
        self.live_cases = live_cases  # read once at start: see liveness.py
        self.liveness_task: asyncio.Task | None = None
        self._now_dirty = False
        self._now_task: asyncio.Task | None = None
        self._seat_connected_at: dict[int, Any] = {}
        self._seat_call_ended_at: dict[int, Any] = {}
        cases.on_transition(self.on_transition)

    async def start(self) -> None:
        """Binds the hub to the running loop (idempotent); called by every socket handler."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            # The queue's read has a thread of its own: it must not wait behind 40 REST requests for one.
            self._queue_reader = CapacityLimiter(1)
            self._outbox = asyncio.Queue()
            await self.broker.start(self._on_broker)
            self._spawn(self._drain_outbox())
            self._spawn(self._heartbeat())
            if self.live_cases is not None:  # once per process: cases left live by a crash (liveness.py)
                live, self.live_cases = await to_thread.run_sync(self.live_cases), None
                self.liveness_task = self._spawn(liveness.recheck_after_start(self, live, self.abandon_grace_s))

    # --- from other threads (REST handlers, transition listeners) -------------
    def on_transition(self, result: TransitionResult) -> None:
        """CaseService listener: runs after commit in the caller's thread."""
        if self._loop is None:
            return  # no socket has ever connected here: nobody to tell
        holder = self._holder(result.case_id)
        message = {"case_id": result.case_id, "source": result.source, "target": result.target,
                   "seat_user_id": holder.seat_user_id, "last_seat_user_id": holder.last_seat_user_id}
        self.publish_threadsafe("transition", message)

    def publish_threadsafe(self, topic: str, message: dict) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:  # through one queue, so that e.g. phone_left always reaches a seat before phone_rejoined
            loop.call_soon_threadsafe(self._outbox.put_nowait, (topic, message))
        except RuntimeError:  # the loop shut down between the check and the call
            pass

    async def _drain_outbox(self) -> None:
        while True:
            topic, message = await self._outbox.get()
            await self.broker.publish(topic, message)

    def to_phone_threadsafe(self, case_id: int, message: dict) -> None:
        self.publish_threadsafe("to_phone", {"case_id": case_id, "message": message})

    def to_seat_threadsafe(self, user_id: int, message: dict) -> None:
        self.publish_threadsafe("to_seat", {"user_id": user_id, "message": message})

    # --- phone sockets ----------------------------------------------------------
    async def phone_connected(self, socket: Socket, link: PartyLink) -> PhoneConn:
        conn = PhoneConn(socket, link)
        old = self.phones.get(conn.case_id)
        self.phones[conn.case_id] = conn
        if old is not None:  # the same page reconnecting, or the link opened twice: the newest wins
            await self._send(old.socket, {"type": ToPhoneMsg.ENDED, "reason": "replaced"})
            await self._phone_gone(old)
            await close_quietly(old.socket, 4409)
        holder = await to_thread.run_sync(self._holder, conn.case_id)
        await self._send(socket, {"type": ToPhoneMsg.STATE, "state": holder.state})
        return conn

    async def phone_message(self, conn: PhoneConn, raw: str | bytes | None) -> None:
        try:
            if not conn.limiter.hit(""):
                raise ws_frames.FrameError("rate_limited", "消息过于频繁，请稍候")
            kind, frame = ws_frames.parse(raw, self.max_message_bytes, ws_frames.PHONE_FRAMES)
            if conn.done:
                raise ws_frames.FrameError("closed", "此连接已结束，请刷新页面")
            if kind != PhoneMsg.JOIN and not conn.joined:
                raise ws_frames.FrameError("not_joined", "请先加入排队（join）")
            await self._phone_handlers[kind](self, conn, frame)
        except ws_frames.FrameError as e:
            await self._send(conn.socket, e.frame())
        except ServiceError as e:
            await self._send(conn.socket, {"type": ToPhoneMsg.ERROR, "code": e.code, "message": e.message})
        except Exception:
            log.exception("hub: phone message for case %s failed", conn.case_id)
            await self._send(conn.socket, {"type": ToPhoneMsg.ERROR, "code": "internal_error",
                                           "message": "服务器处理出错，请稍后重试"})

    async def phone_disconnected(self, conn: PhoneConn) -> None:
        if self.phones.get(conn.case_id) is conn:
            del self.phones[conn.case_id]
        await self._phone_gone(conn)

    async def _phone_gone(self, conn: PhoneConn) -> None:
        if conn.done or not conn.joined:
            conn.done = True
            return
        conn.done = True
        await self._presence(conn.case_id, False)
        holder = await to_thread.run_sync(self._holder, conn.case_id)
        if holder.state == S.QUEUED:
            self._spawn(self._abandon_later(conn.case_id))
        elif holder.state in IN_CALL:
            await self._transition_quietly(conn.case_id, S.INTERRUPTED, Actor.system(), {"reason": "socket_closed"})

    async def _on_join(self, conn: PhoneConn, frame: ws_frames.Join) -> None:
        if frame.consent is not True:
            raise ws_frames.FrameError("consent_required", "需要同意录音录像后才能排队")
        holder = await to_thread.run_sync(self._holder, conn.case_id)
        if holder.state not in (S.QUEUED, S.INTERRUPTED, *IN_CALL):
            await self._send(conn.socket, {"type": ToPhoneMsg.ENDED, "reason": holder.state})
            return
        self._phone_place.pop(conn, None)  # a join (or a rejoin on this socket) always gets its place
        if not conn.joined:
            conn.joined = True
            await self._presence(conn.case_id, True)
        # A join while the case is in a call means the page's call is dead (继续处理 on the same socket).
        if holder.state in IN_CALL:  # the old call is dead even if its socket has not closed yet
            await self._transition_quietly(conn.case_id, S.INTERRUPTED, Actor.system(), {"reason": "phone_rejoined"})
            holder = await to_thread.run_sync(self._holder, conn.case_id)
        if holder.state == S.INTERRUPTED:
            await self._transition_quietly(conn.case_id, S.QUEUED, conn.actor, {"reason": "continue"},
                                           changes={"priority": 1})
        await self.broker.publish("queue_changed", {})

    async def _on_location(self, conn: PhoneConn, frame: ws_frames.Location) -> None:
        outcome = await to_thread.run_sync(self.scene.record_location, conn.actor, frame.lat, frame.lon,
                                           frame.accuracy)
        if outcome.stored:
            await self._case_updated(conn.case_id, outcome.seat_user_id, "location")
        if outcome.audited and outcome.state == S.QUEUED:
            await self.broker.publish("queue_changed", {})

    async def _on_safety(self, conn: PhoneConn, frame: ws_frames.Safety) -> None:
        seat = await to_thread.run_sync(self.scene.record_safety, conn.actor, frame.ticks)
        await self._case_updated(conn.case_id, seat, "safety")

    async def _on_event(self, conn: PhoneConn, frame: ws_frames.Event) -> None:
        seat = await to_thread.run_sync(self.scene.record_event, conn.actor, frame.name, frame.data)
        await self._case_updated(conn.case_id, seat, frame.name)

    async def _on_phone_signal(self, conn: PhoneConn, frame: ws_frames.PhoneSignal) -> None:
        holder = await to_thread.run_sync(self._holder, conn.case_id)
        if holder.state not in IN_CALL or holder.seat_user_id is None:
            raise ws_frames.FrameError("not_in_call", "坐席还没有接听，请稍候")
        message = {"type": ToSeatMsg.SIGNAL, "case_id": conn.case_id, **frame.payload()}
        await self.broker.publish("to_seat", {"user_id": holder.seat_user_id, "message": message})

    async def _on_leave(self, conn: PhoneConn, frame: ws_frames.Leave) -> None:
        holder = await to_thread.run_sync(self._holder, conn.case_id)
        detail = {"reason": frame.reason or "left"}
        conn.done = True
        await self._presence(conn.case_id, False)
        if holder.state == S.QUEUED:
            await self._transition_quietly(conn.case_id, S.ABANDONED, conn.actor, detail)
        elif holder.state in IN_CALL:
            await self._transition_quietly(conn.case_id, S.INTERRUPTED, conn.actor, detail)
        await self._send(conn.socket, {"type": ToPhoneMsg.ENDED, "reason": "left"})
        await close_quietly(conn.socket, 1000)

    _phone_handlers: dict[str, Callable[[Hub, PhoneConn, Any], Awaitable[None]]] = {
        PhoneMsg.JOIN: _on_join, PhoneMsg.LOCATION: _on_location, PhoneMsg.SAFETY: _on_safety,
        PhoneMsg.EVENT: _on_event, PhoneMsg.SIGNAL: _on_phone_signal, PhoneMsg.LEAVE: _on_leave,
    }

    async def _abandon_later(self, case_id: int) -> None:
        await asyncio.sleep(self.abandon_grace_s)  # a timer, not a test wait: the page may come back
        if case_id in self.online or case_id in self.phones:  # the page came back (here or elsewhere)
            return
        holder = await to_thread.run_sync(self._holder, case_id)
        if holder.state == S.QUEUED:
            await self._transition_quietly(case_id, S.ABANDONED, Actor.system(), {"reason": "phone_gone"})

    # --- seat sockets -----------------------------------------------------------
    async def seat_connected(self, socket: Socket, principal: Principal) -> SeatConn:
        conn = SeatConn(socket, principal)
        self.seats[principal.user_id].add(conn)
        self._seat_queue[conn] = SeatQueueState()  # no version yet: the next push is a whole queue
        self.request_queue_push()
        self._now_seat_connected(conn)
        if principal.role in OFFICER_QUEUE_ROLES:
            self.request_officer_queue_push()
        return conn

    async def seat_disconnected(self, conn: SeatConn) -> None:
        conns = self.seats.get(conn.principal.user_id)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del self.seats[conn.principal.user_id]
        self._now_seat_disconnected(conn)

    async def seat_message(self, conn: SeatConn, raw: str | bytes | None) -> None:
        try:
            if not conn.limiter.hit(""):
                raise ws_frames.FrameError("rate_limited", "消息过于频繁")
            kind, frame = ws_frames.parse(raw, self.max_message_bytes, ws_frames.SEAT_FRAMES)
            if kind == SeatMsg.QUEUE_RESYNC:
                self._seat_queue[conn] = SeatQueueState()
                self.request_queue_push()
                return
            if conn.principal.role != Role.OPERATOR:
                raise ws_frames.FrameError("forbidden", "只有坐席操作员可以进行通话")
            holder = await to_thread.run_sync(self._holder, frame.case_id)
            if holder.seat_user_id != conn.principal.user_id:
                raise ws_frames.FrameError("not_your_case", f"案件 {frame.case_id} 不在您的通话中")
            if kind == SeatMsg.SIGNAL:
                if holder.state not in IN_CALL:
                    raise ws_frames.FrameError("not_in_call", f"案件 {frame.case_id} 当前没有通话")
                message = {"type": ToPhoneMsg.SIGNAL, **frame.payload()}
            elif holder.state not in IN_CALL:
                # The call is already over (the phone dropped: interrupted). Its page may be back in the
                # queue on a new socket by now, and an ``ended`` would send that waiting driver away.
                log.info("hub: hangup of case %s ignored: %s, no call to end", frame.case_id, holder.state)
                return
            else:
                message = {"type": ToPhoneMsg.ENDED, "reason": frame.reason or "operator"}
            await self.broker.publish("to_phone", {"case_id": frame.case_id, "message": message})
        except ws_frames.FrameError as e:
            await self._send(conn.socket, e.frame())
        except ServiceError as e:
            await self._send(conn.socket, {"type": ToSeatMsg.ERROR, "code": e.code, "message": e.message})
        except Exception:
            log.exception("hub: seat message from user %s failed", conn.principal.user_id)
            await self._send(conn.socket, {"type": ToSeatMsg.ERROR, "code": "internal_error",
                                           "message": "服务器处理出错"})

    # --- what the broker delivers (from this or any other instance) -------------
    async def _on_broker(self, topic: str, message: dict) -> None:
        if topic == "transition":
            await self._deliver_transition(message)
        elif topic == "to_seat":
            await self._send_seat(message["user_id"], message["message"])
        elif topic == "to_phone":
            await self._send_phone(message["case_id"], message["message"])
            if message["message"]["type"] == ToPhoneMsg.ENDED:
                await self._ended_by_seat(message["case_id"])
        elif topic == "presence":
            self._on_presence(message)
        elif topic == "instance_alive":
            self._heard(message["instance"])
        elif topic == "presence_query":  # an instance started: say again which phones this one holds
            for case_id, conn in list(self.phones.items()):
                if conn.joined and not conn.done:
                    await self._presence(case_id, True)
        elif topic == "queue_changed":
            self.request_queue_push()
        elif topic == "officer_queue_changed":
            self.request_officer_queue_push()
        elif topic == "revoked":
            await self._drop_revoked(message["invitation_id"])

    async def _deliver_transition(self, m: dict) -> None:
        case_id, source, target = m["case_id"], m["source"], m["target"]
        await self._send_phone(case_id, {"type": ToPhoneMsg.STATE, "state": target})
        if target == S.IN_CALL and case_id in self.phones and m["seat_user_id"] is not None:
            name = await to_thread.run_sync(self.seat_name, m["seat_user_id"])
            await self._send_phone(case_id, {"type": ToPhoneMsg.ANSWERED, "seat_name": name,
                                             "ice_servers": self.ice_servers,
                                             "ice_transport_policy": self.ice_transport_policy,
                                             "ice_trickle": self.ice_trickle})
        seat = m["last_seat_user_id"]
        if target == S.INTERRUPTED and source in IN_CALL and seat is not None:  # not a case sent back
            await self._send_seat(seat, {"type": ToSeatMsg.PHONE_LEFT, "case_id": case_id})
        if source == S.INTERRUPTED and target == S.QUEUED and seat is not None:
            await self._send_seat(seat, {"type": ToSeatMsg.PHONE_REJOINED, "case_id": case_id})
        if S.QUEUED in (source, target):
            self.request_queue_push()
        if S.AWAITING_LIABILITY in (source, target):
            self.request_officer_queue_push()
        self._now_transition(m)

    async def _ended_by_seat(self, case_id: int) -> None:
        """The seat hung up: the page closing its socket now is the call's end, not an interruption."""
        conn = self.phones.get(case_id)
        if conn is not None and not conn.done:
            conn.done = True
            await self._presence(case_id, False)

    async def _drop_revoked(self, invitation_id: int) -> None:
        for conn in [c for c in self.phones.values() if c.link.invitation_id == invitation_id]:
            await self._send(conn.socket, {"type": ToPhoneMsg.ENDED, "reason": "revoked"})
            await close_quietly(conn.socket, 4401)

    # --- presence: which instance holds which phone -----------------------------------
    async def _presence(self, case_id: int, online: bool) -> None:
        await self.broker.publish("presence", {"case_id": case_id, "online": online, "instance": self.instance_id})

    def _on_presence(self, m: dict) -> None:
        case_id, instance = m["case_id"], m.get("instance", "")
        self._heard(instance)
        if m["online"]:
            changed = self.online.get(case_id) is None
            self.online[case_id] = instance
        else:  # only from the instance that holds it: the phone may be on another one already
            changed = self.online.get(case_id) == instance
            if changed:
                del self.online[case_id]
        if changed:
            self.request_queue_push()  # seats see whether the driver is on the page

    def _heard(self, instance: str) -> None:
        if instance and instance != self.instance_id and self._loop is not None:
            self._peers_heard[instance] = self._loop.time()

    async def _heartbeat(self) -> None:
        while True:
            await self.broker.publish("instance_alive", {"instance": self.instance_id})
            await asyncio.sleep(PEER_HEARTBEAT_S)  # a timer, not a test wait
            self.drop_lost_peers()

    def drop_lost_peers(self) -> list[int]:
        """The phones of instances not heard for PEER_LOST_S: offline now, ended after the grace if not back."""
        now = self._loop.time() if self._loop is not None else 0.0
        lost = {i for i, t in self._peers_heard.items() if now - t > PEER_LOST_S}
        if not lost:
            return []
        for instance in lost:
            del self._peers_heard[instance]
        cases = sorted(c for c, i in self.online.items() if i in lost)
        for case_id in cases:
            del self.online[case_id]
        if cases:
            log.warning("hub: instance(s) %s went silent; their %d phone(s) are offline until they reconnect",
                        sorted(lost), len(cases))
            self.request_queue_push()
            self._spawn(liveness.recheck_after_start(self, cases, self.abandon_grace_s, "instance_lost"))
        return cases

    # --- the live queue -----------------------------------------------------------
    def request_queue_push(self) -> None:
        """Coalesces bursts of changes (``QUEUE_COALESCE_S``) into one database read and one push per socket."""
        self._queue_dirty = True
        self.request_now_push()  # a queue change is a change of the calls waiting
        if self._loop is not None and (self._queue_task is None or self._queue_task.done()):
            self._queue_task = self._spawn(self._push_queue())

    async def _push_queue(self) -> None:
        while self._queue_dirty:
            await asyncio.sleep(QUEUE_COALESCE_S)  # changes meanwhile join this push
            self._queue_dirty = False
            snapshot = await to_thread.run_sync(self.queue.snapshot, limiter=self._queue_reader)
            await self._push_snapshot(snapshot)
            self._schedule_reserve_expiry(snapshot)
            self._schedule_estimate_refresh()

    async def _push_snapshot(self, snapshot: QueueSnapshot) -> None:
        """Each seat gets its whole queue once (``queue``), then only what changed (``queue_changes``).

        The items every seat sees alike are compared and serialised once for all seats; only the few
        seat-specific ones (rejoining cases with a previous seat) are compared per seat."""
        self.queue_pushes += 1
        self._queue_version += 1
        version, online = self._queue_version, self.online
        shared = snapshot.shared_items(online)
        shared_diff = diff(self._queue_shared, shared)
        self._queue_shared = shared
        frames: dict[int, SharedMessage] = {}  # the shared change frame, by the version it follows
        for user_id, conns in list(self.seats.items()):
            specific = snapshot.specific_items(user_id, online, self.rejoin_reserve_s)
            for conn in list(conns):
                state = self._seat_queue.setdefault(conn, SeatQueueState())
                if state.version is None:
                    frame = SharedMessage(type=ToSeatMsg.QUEUE, version=version, items=[
                        shared.get(e.case_id) or specific[e.case_id] for e in snapshot.entries
                        if e.case_id in shared or e.case_id in specific])
                else:
                    own = diff(state.specific, specific)
                    if own == NO_CHANGE:
                        if shared_diff == NO_CHANGE:
                            continue
                        frame = frames.get(state.version)
                        if frame is None:
                            frame = frames[state.version] = changes_frame(version, state.version, shared_diff)
                    else:
                        frame = changes_frame(version, state.version, merge(shared_diff, own))
                state.version, state.specific = version, specific
                await self._send(conn.socket, frame)
        operators = self.operators_online()
        places = snapshot.places(online, operators)
        for case_id, conn in list(self.phones.items()):
            if not conn.joined or conn.done:  # done: it left, or the seat ended its call
                continue
            place = places.get(case_id)
            if place is None and case_id not in online:  # its presence is not in yet (a phone in a call has none)
                place = snapshot.for_phone(case_id, online, operators)
            if place is not None and worth_sending(self._phone_place.get(conn), place):
                self._phone_place[conn] = place
                await self._send(conn.socket, {"type": ToPhoneMsg.QUEUE, **place})

    def operators_online(self) -> int:
        """Operators with a seat socket on this instance: they share the queue out in the estimated wait."""
        return sum(1 for conns in self.seats.values() if any(c.principal.role == Role.OPERATOR for c in conns))

    def _schedule_estimate_refresh(self) -> None:
        if self._estimate_timer is not None:
            self._estimate_timer.cancel()
            self._estimate_timer = None
        if self._loop is not None and any(c.joined and not c.done for c in self.phones.values()):
            self._estimate_timer = self._loop.call_later(ESTIMATE_REFRESH_S, self.request_queue_push)

    def _schedule_reserve_expiry(self, snapshot: QueueSnapshot) -> None:
        if self._reserve_timer is not None:
            self._reserve_timer.cancel()
        left = snapshot.next_reserve_expiry_s(self.rejoin_reserve_s)
        if left is not None and self._loop is not None:
            self._reserve_timer = self._loop.call_later(max(0.0, left) + 0.05, self.request_queue_push)

    # --- the dashboard's now figures (issue 14, docs/metrics.md) --------------------------
    def seat_presence(self) -> dict[int, SeatPresence]:
        """The operators with a seat socket open on this instance, since when, and when their last call ended."""
        return {uid: SeatPresence(at, self._seat_call_ended_at.get(uid)) for uid, at in self._seat_connected_at.items()
                if uid in self.seats}

    def request_now_push(self) -> None:
        """Coalesces changes into at most one read and one push to supervisor and admin sockets a second."""
        self._now_dirty = True
        if self.now_figures is not None and self._loop is not None and (
                self._now_task is None or self._now_task.done()):
            self._now_task = self._spawn(self._push_now())

    async def _push_now(self) -> None:
        while self._now_dirty:
            self._now_dirty = False
            watchers = [c for conns in list(self.seats.values()) for c in list(conns) if _watches_now(c)]
            if watchers:
                frame = await self._now_frame()
                for conn in watchers:
                    await self._send(conn.socket, frame)
            await asyncio.sleep(NOW_MIN_INTERVAL_S)  # a rate limit, not a wait: changes meanwhile coalesce

    async def _now_frame(self) -> dict:
        figures = await to_thread.run_sync(self.now_figures, self.seat_presence())
        return {"type": ToSeatMsg.NOW, **figures}

    def _now_seat_connected(self, conn: SeatConn) -> None:
        if conn.principal.role == Role.OPERATOR:
            self._seat_connected_at.setdefault(conn.principal.user_id, utcnow())
            self.request_now_push()
        elif _watches_now(conn) and self.now_figures is not None:
            self._spawn(self._send_now_to(conn))

    async def _send_now_to(self, conn: SeatConn) -> None:
        await self._send(conn.socket, await self._now_frame())

    def _now_seat_disconnected(self, conn: SeatConn) -> None:
        if conn.principal.user_id not in self.seats:
            self._seat_connected_at.pop(conn.principal.user_id, None)
            self._seat_call_ended_at.pop(conn.principal.user_id, None)
        if conn.principal.role == Role.OPERATOR:
            self.request_now_push()

    def _now_transition(self, m: dict) -> None:
        seat = m["last_seat_user_id"]
        if m["source"] in IN_CALL and m["target"] not in IN_CALL and seat is not None:
            self._seat_call_ended_at[seat] = utcnow()
        self.request_now_push()

    # --- the officers' queue (issue 12) -------------------------------------------
    def request_officer_queue_push(self) -> None:
        """Coalesced like the operator queue: a burst of changes is one read and one push per officer seat."""
        self._officer_dirty = True
        if self.officer_queue is not None and self._loop is not None and (
                self._officer_task is None or self._officer_task.done()):
            self._officer_task = self._spawn(self._push_officer_queue())

    async def _push_officer_queue(self) -> None:
        while self._officer_dirty:
            self._officer_dirty = False
            message = {"type": ToSeatMsg.OFFICER_QUEUE, "items": await to_thread.run_sync(self.officer_queue.items)}
            for conns in list(self.seats.values()):
                for conn in [c for c in conns if c.principal.role in OFFICER_QUEUE_ROLES]:
                    await self._send(conn.socket, message)

    # --- plumbing -------------------------------------------------------------------
    def _holder(self, case_id: int) -> Holder:
        return Holder(*self.cases.holder(case_id))

    holder_of = _holder  # for liveness.py

    async def _case_updated(self, case_id: int, seat_user_id: int | None, what: str) -> None:
        if seat_user_id is not None:
            message = {"type": ToSeatMsg.CASE_UPDATED, "case_id": case_id, "what": what}
            await self.broker.publish("to_seat", {"user_id": seat_user_id, "message": message})

    async def _transition_quietly(self, case_id: int, target: S, actor: Actor, detail: dict,
                                  changes: dict | None = None) -> bool:
        """A transition that may lose a race (another socket or a seat got there first)."""
        try:
            await to_thread.run_sync(lambda: self.cases.transition(case_id, target, actor, detail, changes))
            return True
        except Conflict as e:
            log.info("hub: case %s -> %s lost a race: %s", case_id, target, e.message)
            return False

    transition_quietly = _transition_quietly  # for liveness.py

    async def _send_phone(self, case_id: int, message: dict) -> None:
        conn = self.phones.get(case_id)
        if conn is not None and not conn.done:
            await self._send(conn.socket, message)

    async def _send_seat(self, user_id: int, message: dict) -> None:
        for conn in list(self.seats.get(user_id, ())):
            await self._send(conn.socket, message)

    @staticmethod
    async def _send(socket: Socket, message: dict) -> None:
        try:
            await socket.send(message)
        except Exception as e:  # a socket that went away mid-send is its reader's business
            log.debug("hub: send failed: %r", e)

    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("hub: background task failed", exc_info=task.exception())

    async def close(self) -> None:
        """Stops background work; ``start`` may bind the hub to a new loop afterwards."""
        for timer in (self._reserve_timer, self._estimate_timer):
            if timer is not None:
                timer.cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.broker.close()
        self._loop, self._queue_task, self._now_task, self._officer_task = None, None, None, None


def _watches_now(conn: SeatConn) -> bool:
    return conn.principal.role in (Role.SUPERVISOR, Role.ADMIN)

"""One answered case at the seat: its call, its evidence, its parties and its checklist.

The session is the operator's case flow without any Qt: the UI calls its
coroutines and listens to ``events``. Every network call goes through
:class:`AsyncApi` (an executor) and OCR runs in an executor too, so nothing
here blocks the loop the Qt thread shares.

Events (keyword arguments):

* ``case(case)``: the case changed (server reply or local fill)
* ``checklist(checklist)``
* ``evidence_added(record, image)`` / ``evidence_updated(record)``
* ``evidence_relabelled(record)``: OCR showed the capture is something else (see ``seat_app.core.relabel``)
* ``call_state(state)``: connecting, connected, interrupted, ended; ``waiting`` while the party may rejoin
* ``video_size(width, height)``, ``phone_event(name, data)``
* ``error(action, message)``: something the operator should read; ``message`` comes from the server
* ``session_expired()``: the server no longer knows the login; the case stays open meanwhile
* ``closed(outcome)``: submitted | escalated | ended | lost
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np

from kuaichu_protocol.messages import CaseState, Command
from seat_app.core.case import Case, Party
from seat_app.core.checklist import Checklist, build_checklist
from seat_app.core.events import Emitter
from seat_app.core.evidence import DOCUMENT_LABELS, CaptureTarget, EvidenceRecord, OverlayItem, next_target
from seat_app.core.ocr_fill import NEW_PARTY, FillStep, plan_fill, plan_single
from seat_app.core.phrases import LEAVE_SCENE, phrase
from seat_app.core.relabel import corrected_target
from seat_app.core.verification import parse_verification, verification_key
from seat_app.services.api_client import ApiError, AsyncApi, Conflict, SessionExpired
from seat_app.services.evidence_capture import EvidenceCapture
from seat_app.services.ocr_port import NullOcr, OcrPort
from seat_app.services.ports import CallEnginePort

log = logging.getLogger(__name__)

#: After a PATCH that makes a party verifiable, the server verifies it in the background; look this often/long.
AUTO_VERIFY_POLL_S = 0.5
AUTO_VERIFY_WAIT_S = 10.0


class CaseSession:
    def __init__(self, api: AsyncApi, case: Case, *, engine: CallEnginePort | None = None, ocr: OcrPort | None = None,
                 on_hangup: Callable[[int, str], Awaitable[Any]] | None = None) -> None:
        self.api = api
        self.case = case
        self.engine = engine
        self.ocr = ocr or NullOcr()
        self.on_hangup = on_hangup
        self.events = Emitter()
        self.evidence = EvidenceCapture(api, case.id, self.ocr, self.events, self._spawn, self._on_read,
                                        self.refresh_evaluation)
        self.evaluation: Any = None
        self.call_state = "connecting"
        self.target_override: CaptureTarget | None = None
        self._verified_with: dict[int, tuple[str, ...] | None] = {}  # party -> fields its last check used
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        if engine is not None:
            self._wire_engine(engine)

    # --- wiring ---------------------------------------------------------------
    def _wire_engine(self, engine: CallEnginePort) -> None:
        engine.on("state", lambda state: self._on_call_state(str(state)))
        engine.on("video_size", lambda w, h: self.events.emit("video_size", width=w, height=h))
        engine.on("phone_event", lambda name, data: self._on_phone_event(name, data))

    def _on_call_state(self, state: str) -> None:
        self.call_state = state
        self.events.emit("call_state", state=state)
        if state == "connected":
            self._spawn(self.ensure_collecting())

    def _on_phone_event(self, name: str, data: dict) -> None:
        self.events.emit("phone_event", name=name, data=data)
        if name == "photo_uploaded" and isinstance(data.get("evidence_id"), int):
            self._spawn(self.take_phone_photo(data["evidence_id"]))

    def _spawn(self, coro: Any) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("case %s: background step failed", self.case.id, exc_info=task.exception())

    @property
    def busy(self) -> bool:
        """Uploads, OCR or fills still running in the background."""
        return bool(self._tasks)

    async def idle(self) -> None:
        """Wait until every background step (uploads, OCR, fills) has finished; for tests and shutdown."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- state ----------------------------------------------------------------
    def set_case(self, data: dict[str, Any] | Case) -> None:
        self.case = data if isinstance(data, Case) else Case.from_json(data)
        self.events.emit("case", case=self.case)
        self._emit_checklist()

    def checklist(self) -> Checklist:
        return build_checklist(self.case, self.records, self.evaluation)

    def _emit_checklist(self) -> None:
        self.events.emit("checklist", checklist=self.checklist())

    def capture_target(self) -> CaptureTarget:
        return self.target_override or next_target(self.case, self.records)

    def set_capture_target(self, target: CaptureTarget | None) -> None:
        self.target_override = target

    async def _guard(self, action: str, coro: Any) -> Any:
        """Run a server call; on failure tell the operator and return None."""
        try:
            return await coro
        except SessionExpired:
            self.events.emit("session_expired")
            return None
        except ApiError as exc:
            self.events.emit("error", action=action, message=exc.message)
            return None

    async def ensure_collecting(self) -> None:
        if self.case.state == CaseState.IN_CALL:
            data = await self._guard("start_collection", self.api.start_collection(self.case.id))
            if data:
                self.set_case(data)

    async def refresh(self) -> None:
        data = await self._guard("refresh", self.api.get_case(self.case.id))
        if data:
            self.set_case(data)
        await self.refresh_evaluation()

    async def refresh_evaluation(self) -> None:
        """Ask the server what is still missing; its answer also carries each party's verification."""
        try:
            self._take_evaluation(await self.api.checklist(self.case.id))
        except SessionExpired:
            self.events.emit("session_expired")
        except ApiError as exc:
            log.info("checklist not refreshed: %s", exc.message)
        self._emit_checklist()

    def _take_evaluation(self, evaluation: Any) -> None:
        if not isinstance(evaluation, dict):
            return
        self.evaluation = evaluation
        case = self.case
        for entry in evaluation.get("parties") or []:
            party = case.party(entry.get("party_id"))
            if party is not None and entry.get("verification") and entry["verification"] != party.verification:
                case = case.with_party(Party(party.id, party.position, party.kind, party.values,
                                             entry["verification"], entry.get("verified_at")))
        if case is not self.case:
            self.set_case(case)

    # --- capture --------------------------------------------------------------
    @property
    def records(self) -> list[EvidenceRecord]:
        return self.evidence.records

    @property
    def images(self) -> dict[int, np.ndarray]:
        return self.evidence.images

    def record(self, local_id: int) -> EvidenceRecord | None:
        return self.evidence.record(local_id)

    async def capture(self, target: CaptureTarget | None = None) -> EvidenceRecord | None:
        """Grab the newest frame at full decoded resolution, show it, upload it, OCR it."""
        frame = self.engine.latest_frame() if self.engine is not None else None
        if frame is None:
            self.events.emit("error", action="capture", message="")
            return None
        target, chosen = self._take_target(target)
        # On the loop thread, never in an executor: PyAV keeps one scaler per frame, and the video panel
        # may be converting this very frame on the GUI thread (two threads in one SwsContext crash).
        # The conversion is cached, so a frame already on screen costs nothing here.
        rgb = frame.to_rgb()
        record = self.evidence.add_picture("frame", target, rgb, chosen=chosen)
        self._emit_checklist()
        return record

    def _take_target(self, target: CaptureTarget | None) -> tuple[CaptureTarget, bool]:
        """The shot to label this capture with, and whether someone chose it (so OCR must not relabel it)."""
        chosen = target is not None or self.target_override is not None
        target = target or self.capture_target()
        self.target_override = None
        return target, chosen

    async def request_photo(self) -> None:
        """Ask the phone for a full-resolution photo; it arrives through ``photo_uploaded``."""
        result = await self.command(Command.TAKE_PHOTO, {}, timeout=15.0)
        if result and isinstance(result.get("evidence_id"), int):
            await self.take_phone_photo(result["evidence_id"])

    async def take_phone_photo(self, evidence_id: int) -> None:
        if not self.evidence.knows(evidence_id):  # the reply and the server's push announce the same photo
            if await self.evidence.add_phone_photo(evidence_id, *self._take_target(None)):
                self._emit_checklist()

    async def _on_read(self, record: EvidenceRecord, items: list[OverlayItem]) -> None:
        record = self._relabel(record, items)
        await self.apply_plan(plan_fill(self.case, items, record.party_id, overwrite=False,
                                        add_parties=record.label not in DOCUMENT_LABELS))

    def _relabel(self, record: EvidenceRecord, items: list[OverlayItem]) -> EvidenceRecord:
        """Before the fill, so the fields go to the party the picture turned out to be about."""
        target = corrected_target(self.case, record, items)
        relabelled = self.evidence.relabel(record.local_id, target) if target is not None else None
        if relabelled is None:
            return record
        self.events.emit("evidence_relabelled", record=relabelled)
        self._emit_checklist()
        return relabelled

    # --- filling parties ------------------------------------------------------
    async def apply_item(self, local_id: int, item: OverlayItem) -> None:
        """A click on one box of the overlay."""
        record = self.record(local_id)
        if record is not None:
            await self.apply_plan(plan_single(self.case, item, record.party_id))

    async def apply_all(self, local_id: int) -> None:
        """"Apply all valid": every well-formed reading of that picture, overwriting the aimed-at party."""
        record = self.record(local_id)
        if record is not None:
            await self.apply_plan(plan_fill(self.case, record.overlay, record.party_id, overwrite=True))

    async def apply_plan(self, steps: list[FillStep]) -> None:
        for step in steps:
            party_id = step.party_id
            if party_id == NEW_PARTY:
                party = await self.add_party("motor")
                if party is None:
                    continue
                party_id = party.id
            await self.update_fields(party_id, step.values)

    async def update_fields(self, party_id: int, values: dict[str, str]) -> None:
        party = self.case.party(party_id)
        if party is None or not values:
            return
        self.set_case(self.case.with_party(party.with_values(values)))  # shown at once, confirmed below
        data = await self._guard("update_party", self.api.update_party(self.case.id, party_id, values))
        if data:
            self._merge_party(data)
            if data.get("auto_verification"):  # the server verifies on its own the first time
                self._verified_with[party_id] = verification_key(self.case.party(party_id))
                self._spawn(self._await_auto_verification(party_id))
            elif self._worth_verifying(party_id):
                self._spawn(self.verify(party_id))

    def _worth_verifying(self, party_id: int) -> bool:
        """OCR completed the identity fields (or changed them) since the last check: verify without a click."""
        key = verification_key(self.case.party(party_id))
        return key is not None and self._verified_with.get(party_id) != key

    async def _await_auto_verification(self, party_id: int) -> None:
        """The server started the registry checks on its own; show them as soon as they are stored."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + AUTO_VERIFY_WAIT_S
        while loop.time() < deadline and not self._closed:
            await asyncio.sleep(AUTO_VERIFY_POLL_S)
            await self.refresh_evaluation()
            party = self.case.party(party_id)
            if party is not None and party.verification:
                await self._fill_from_verification(party_id)
                return

    def _merge_party(self, data: dict[str, Any]) -> None:
        party = Party.from_json(data)
        current = self.case.party(party.id)
        if current is not None and current.verification and not party.verification:
            party = Party(party.id, party.position, party.kind, party.values, current.verification, current.verified_at)
        self.set_case(self.case.with_party(party))

    async def add_party(self, kind: str = "motor") -> Party | None:
        data = await self._guard("add_party", self.api.add_party(self.case.id, kind))
        if not data:
            return None
        party = Party.from_json(data)
        self.set_case(self.case.with_party(party))
        return party

    # --- verification and eligibility -------------------------------------------
    async def verify(self, party_id: int) -> None:
        """Registry checks for one party; what the registry knows (insurer, policy, validity) fills empty fields."""
        party = self.case.party(party_id)
        if party is None:
            return
        self._verified_with[party_id] = verification_key(party)
        try:
            reply = await self.api.verify_party(self.case.id, party_id)
        except SessionExpired:
            self.events.emit("session_expired")
            return
        except ApiError as exc:  # a registry that is down still says so, check by check
            self.events.emit("error", action="verify", message=exc.message)
            reply = exc.body
        if not reply or not reply.get("verification"):
            return
        party = self.case.party(party_id) or party
        self.set_case(self.case.with_party(Party(party.id, party.position, party.kind, party.values,
                                                 reply["verification"])))
        await self._fill_from_verification(party_id)
        await self.refresh_evaluation()

    async def _fill_from_verification(self, party_id: int) -> None:
        party = self.case.party(party_id)
        if party is None:
            return
        known = parse_verification(party.verification).filled_fields()
        missing = {k: v for k, v in known.items() if not party.value(k)}
        if missing:
            await self.update_fields(party_id, missing)

    async def verify_all(self) -> None:
        await asyncio.gather(*(self.verify(p.id) for p in self.case.motor_parties))

    async def answer_question(self, key: str, value: Any) -> None:
        """An eligibility answer, or ``safety_confirmed``: the server replies with the new checklist."""
        self.set_case(self.case.with_answers({key: value}))
        reply = await self._guard("answers", self.api.set_answers(self.case.id, {key: value}))
        if reply is not None:
            self._take_evaluation(reply)
        self._emit_checklist()

    async def confirm_safety(self) -> None:
        """The operator saw (or heard) that hazard lights, triangle and evacuation are done."""
        await self.answer_question("safety_confirmed", True)

    # --- talking to the phone -------------------------------------------------------
    async def command(self, name: str, args: dict | None = None, timeout: float = 5.0) -> dict | None:
        if self.engine is None:
            return None
        try:
            return await self.engine.command(name, args or {}, timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - CommandError/CommandTimeout: the phone did not do it
            self.events.emit("error", action=f"command:{name}", message=str(getattr(exc, "code", exc)))
            return None

    async def instruct(self, text: str) -> bool:
        """Shown on the phone: over the data channel, or through the server when the call is down.
        Either way the server records it in the case's audit trail."""
        if self.engine is not None and self.call_state == "connected":
            try:
                await self.engine.command(Command.SHOW_INSTRUCTION, {"text": text}, timeout=5.0)
            except Exception:  # noqa: BLE001 - CommandError/CommandTimeout: fall back to the server
                log.info("instruction not delivered over the data channel; asking the server")
            else:
                await self._record_instruction(text)
                return True
        return await self._guard("instruct", self.api.push_instruction(self.case.id, text)) is not None

    async def _record_instruction(self, text: str) -> None:
        try:
            await self.api.push_instruction(self.case.id, text, via="data_channel")
        except ApiError as exc:  # the phone has it; only the record is missing, which the log keeps
            log.warning("instruction shown but not recorded on case %s: %s", self.case.id, exc.message)

    # --- ending -------------------------------------------------------------------
    async def submit(self) -> bool:
        """Send the case to liability, tell the parties to leave, and end the call."""
        await self.ensure_collecting()
        data = await self._guard("submit", self.api.submit(self.case.id))
        if not data:
            await self.refresh_evaluation()
            return False
        self.set_case(data)
        await self.instruct(phrase(LEAVE_SCENE).text)
        await self.close("submitted")
        return True

    async def escalate(self, reason: str) -> bool:
        await self.ensure_collecting()
        data = await self._guard("escalate", self.api.escalate(self.case.id, reason))
        if not data:
            return False
        self.set_case(data)
        await self.close("escalated")
        return True

    def on_phone_left(self) -> None:
        if self.engine is not None:
            self.engine.mark_interrupted()
        self.call_state = "waiting"
        self.events.emit("call_state", state="waiting")

    async def reattach(self) -> bool:
        """The party tapped 继续处理: answer the case again; the phone then makes a new offer."""
        try:
            reply = await self.api.answer(self.case.id)
        except Conflict as exc:
            self.events.emit("error", action="reattach", message=exc.message)
            await self.close("lost")
            return False
        except ApiError as exc:
            self.events.emit("error", action="reattach", message=exc.message)
            return False
        self.set_case(reply["case"])
        self.call_state = "connecting"
        self.events.emit("call_state", state="connecting")
        return True

    async def end_call(self, reason: str = "operator") -> None:
        """Hang up (recording flushed, peer closed) and tell the server; the case stays open here."""
        engine, self.engine = self.engine, None
        if engine is not None:
            with contextlib.suppress(Exception):
                await engine.hangup(reason)
            if self.on_hangup is not None:
                with contextlib.suppress(Exception):
                    await self.on_hangup(self.case.id, reason)
        if self.call_state != "ended":
            self.call_state = "ended"
            self.events.emit("call_state", state="ended")

    async def close(self, outcome: str = "ended", grace_s: float = 15.0) -> None:
        """End the call, let uploads and OCR finish (bounded), and say the session is over; idempotent."""
        if self._closed:
            return
        self._closed = True
        await self.end_call(outcome)
        pending = [t for t in self._tasks if t is not asyncio.current_task()]
        if pending:
            _, late = await asyncio.wait(pending, timeout=grace_s)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self.events.emit("closed", outcome=outcome)

    async def shutdown(self) -> None:
        """The app is closing mid-case: hand the case back (interrupted) so the party can rejoin."""
        if self.case.state in (CaseState.IN_CALL, CaseState.COLLECTING):
            with contextlib.suppress(ApiError):
                self.set_case(await self.api.interrupt(self.case.id))
        await self.close("shutdown", grace_s=5.0)

    @property
    def closed(self) -> bool:
        return self._closed

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
* ``ledger(ledger)``: a conflict appeared or was settled, or a capture awaits (or got) its party
  (see ``seat_app.core.attribution``)
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
from kuaichu_protocol.validators import normalise_plate
from seat_app.core.case import Case, Party
from seat_app.core.checklist import Checklist, build_checklist
from seat_app.core.events import Emitter
from seat_app.core.attribution import (
    KIND_PLATES, NEW_PARTY, OPERATOR, REGISTRY, FieldLedger, Reading, Source, owner_of, plate_parties, reading_as,
    reading_of,
)
from seat_app.core.evidence import (
    DOCUMENT_LABELS, LABEL_LICENCE, PER_PARTY_LABELS, CaptureTarget, EvidenceRecord, OverlayItem, next_target,
)
from seat_app.core.ocr_fill import plan_single
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
        self.ledger = FieldLedger()  # where each field's value came from, conflicts, captures awaiting a party
        self._verified_with: dict[int, tuple[str, ...] | None] = {}  # party -> fields its last check used
        self._tasks: set[asyncio.Task] = set()
        # One checklist request at a time: two answers given in quick succession would otherwise race, and
        # the reply to the first, computed before the second was stored, could land last and undo it.
        self._evaluating = asyncio.Lock()
        self._writing_parties = asyncio.Lock()  # the same for party updates: an overtaken reply brings back old values
        self._verifying: dict[int, asyncio.Lock] = {}  # per party: a check of older values must not finish last
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
        waiting = [r.label for r in self.records if r.local_id in self.ledger.pending]
        return self.target_override or next_target(self.case, self.records, waiting)

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
        async with self._writing_parties:  # a case read before an update was stored must not land after it
            data = await self._guard("refresh", self.api.get_case(self.case.id))
            if data:
                self.set_case(data)
        await self.refresh_evaluation()

    async def refresh_evaluation(self) -> None:
        """Ask the server what is still missing; its answer also carries each party's verification."""
        try:
            async with self._evaluating:
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
        kind = self.ledger.kinds.get(record.local_id)  # 改为 on its thumbnail before OCR was done
        reading = reading_of(record.local_id, items) if kind is None else reading_as(record.local_id, items, kind)
        if reading is None:
            return
        self.ledger.readings[record.local_id] = reading
        await self._attribute(reading)

    def _relabel(self, record: EvidenceRecord, items: list[OverlayItem]) -> EvidenceRecord:
        """The kind OCR saw (the party comes from the attribution, by a shared identifier only)."""
        target = corrected_target(self.case, record, items)
        relabelled = self.evidence.relabel(record.local_id, target) if target is not None else None
        if relabelled is None:
            return record
        if relabelled.label != record.label:
            self.events.emit("evidence_relabelled", record=relabelled)
        self._emit_checklist()
        return relabelled

    # --- attribution and filling (seat_app.core.attribution) -------------------------
    def _ask_party(self, local_id: int, reading: Reading) -> None:
        """No identifier says whose it is: it waits, under no party, for the operator's 属于哪一方."""
        self.ledger.pending[local_id] = reading
        self._set_record_party(local_id, None)
        self._emit_ledger()

    async def _attribute(self, reading: Reading) -> None:
        if reading.kind == KIND_PLATES:
            await self._fill_plates(reading)
        else:
            party_id = owner_of(self.case, reading)
            if party_id is None:
                self._ask_party(reading.local_id, reading)
                return
            await self._fill(reading, party_id)
        await self._retry_pending()

    async def _fill_plates(self, reading: Reading) -> None:
        source = Source(KIND_PLATES, reading.local_id)
        owners = []
        for plate, party_id in plate_parties(self.case, reading.plates):
            if party_id == NEW_PARTY:
                party = await self.add_party("motor")
                if party is None:
                    continue
                party_id = party.id
            owners.append(party_id)
            if not self.case.party(party_id).value("plate"):
                await self.update_fields(party_id, {"plate": plate}, source)
        if len(owners) == 1:  # a plate shot: that party's
            self._set_record_party(reading.local_id, owners[0])

    async def _fill(self, reading: Reading, party_id: int) -> None:
        party = self.case.party(party_id)
        if party is None:
            return
        self.ledger.pending.pop(reading.local_id, None)
        self.ledger.owners[reading.local_id] = party_id
        self._set_record_party(reading.local_id, party_id)
        source = Source(reading.kind, reading.local_id)
        values = self.ledger.plan(party, reading, source)
        self._emit_ledger()
        if values:
            await self.update_fields(party_id, values, source)

    async def _retry_pending(self) -> None:
        """A new identifier may tie a waiting document to its party (its owner's 驾驶证 after the 行驶证)."""
        progress = True
        while progress:
            progress = False
            for reading in list(self.ledger.pending.values()):
                if reading.local_id not in self.ledger.pending:  # a nested fill took it meanwhile
                    continue
                party_id = owner_of(self.case, reading)
                if party_id is not None:
                    await self._fill(reading, party_id)
                    progress = True

    def _set_record_party(self, local_id: int, party_id: int | None) -> None:
        record = self.record(local_id)
        if record is None or record.label not in PER_PARTY_LABELS + DOCUMENT_LABELS:
            return  # a scene picture the operator labelled so stays the scene's (its fields still went by identifier)
        if record.party_id == party_id:
            return
        party = self.case.party(party_id) if party_id is not None else None
        self.evidence.relabel(local_id, CaptureTarget(record.label, party_id, party.position if party else None))
        self._spawn(self.evidence.store_label(local_id))
        self._emit_checklist()

    def _emit_ledger(self) -> None:
        self.events.emit("ledger", ledger=self.ledger)

    async def assign(self, local_id: int, party_id: int) -> None:
        """The operator's answer or a move from the thumbnail: this capture belongs to ``party_id`` (or NEW_PARTY).
        The fields it filled elsewhere leave with it, and the fields there are filled without overwriting."""
        reading = self.ledger.readings.get(local_id)
        if reading is None or reading.kind == KIND_PLATES:
            return
        old = self.ledger.owners.get(local_id)
        if old == party_id:
            return
        if party_id == NEW_PARTY:
            party = await self.add_party("non_motor" if self._non_motor_only(reading) else "motor")
            if party is None:
                return
            party_id = party.id
        if old is not None:
            await self._release(local_id)
        self.ledger.chosen.add(local_id)
        await self._fill(reading, party_id)
        if old is not None:
            await self._refill(old)
        await self._retry_pending()

    def _non_motor_only(self, reading: Reading) -> bool:
        return reading.kind == LABEL_LICENCE and not self.case.can_add_vehicle

    async def _release(self, local_id: int, stays: Reading | None = None, party_id: int | None = None) -> list[int]:
        """Clears what the capture filled (here and on the server); the parties that lost a field."""
        cleared = self.ledger.release(local_id, stays, party_id)
        for party_id, names in cleared.items():
            party = self.case.party(party_id)
            if party is not None:
                await self.update_fields(party_id, {n: "" for n in names if party.value(n)}, None)
        self._emit_ledger()
        return list(cleared)

    async def _refill(self, party_id: int) -> None:
        """After a capture left: a document that followed its identifier here follows it away (a repeat of a
        policy given to the wrong party), and the documents still here fill what it left empty."""
        for local_id, owner in list(self.ledger.owners.items()):
            if owner != party_id or local_id in self.ledger.chosen:
                continue
            reading = self.ledger.readings[local_id]
            now = owner_of(self.ledger.without(self.case, local_id), reading)
            if now != party_id:  # it followed an identifier (or a name) that has left: ask again, or follow it
                await self._release(local_id)
                if now is None:
                    self._ask_party(local_id, reading)
                else:
                    await self._fill(reading, now)
        for local_id, owner in list(self.ledger.owners.items()):
            if owner == party_id:
                await self._fill(self.ledger.readings[local_id], party_id)

    async def relabel(self, local_id: int, label: str) -> None:
        """The operator says what the picture is (from the thumbnail's menu); the server hears of it."""
        record = self.record(local_id)
        if record is None or record.label == label:
            return
        # A document keeps the party it went to (a scene label had filed it under none).
        party_id = self.ledger.owners.get(local_id, record.party_id) if label in PER_PARTY_LABELS + DOCUMENT_LABELS \
            else None
        party = self.case.party(party_id) if party_id is not None else None
        self.evidence.relabel(local_id, CaptureTarget(label, party_id, party.position if party else None))
        self.evidence.mark_chosen(local_id)
        self.ledger.kinds[local_id] = label
        await self.evidence.store_label(local_id)
        await self._change_kind(local_id, label)
        self._emit_checklist()

    async def _change_kind(self, local_id: int, label: str) -> None:
        """Its fields follow the new kind, as a move to another party does (``assign``): the capture is read again
        as that kind from the same OCR items; what only the old kind filled leaves (an operator's edit never
        does), each party whose values it took is refilled from its other documents, and the new kind's values
        go to the party they share an identifier with (the one the operator chose, if they did), never overwriting."""
        record = self.record(local_id)
        reading = reading_as(local_id, record.overlay, label) if record is not None else None
        if reading == self.ledger.readings.get(local_id):  # the kind OCR saw (a 下一张 label put right), or plates
            if reading is not None and reading.kind == KIND_PLATES:
                await self._fill_plates(reading)  # a plate shot now: filed under its plate's party
            return
        old = self.ledger.owners.get(local_id)
        target = self._owner_as(local_id, reading, old)
        self.ledger.pending.pop(local_id, None)
        emptied = await self._release(local_id, reading, target)
        await self._take_reading(local_id, reading, target)
        for party_id in dict.fromkeys([old, *emptied]):  # a picture of plates may have filled several parties
            if party_id is not None:
                await self._refill(party_id)
        await self._retry_pending()

    async def _take_reading(self, local_id: int, reading: Reading | None, party_id: int | None) -> None:
        """The capture's new reading: its plates to their holders, its document to ``party_id``, or a question."""
        if reading is None or reading.kind == KIND_PLATES or party_id is None:
            self.ledger.chosen.discard(local_id)
        if reading is None:
            self.ledger.readings.pop(local_id, None)
            return
        self.ledger.readings[local_id] = reading
        if reading.kind == KIND_PLATES:
            await self._fill_plates(reading)
        elif party_id is None:
            self._ask_party(local_id, reading)
        else:
            await self._fill(reading, party_id)

    def _owner_as(self, local_id: int, reading: Reading | None, old: int | None) -> int | None:
        """The party a capture read as another document kind belongs to: the one the operator gave it to, else
        the one it shares an identifier with (not counting the values it brought itself); None: ask."""
        if reading is None or reading.kind == KIND_PLATES:
            return None
        if local_id in self.ledger.chosen and old is not None and self.case.party(old) is not None:
            return old
        return owner_of(self.ledger.without(self.case, local_id), reading)

    async def choose_value(self, party_id: int, name: str, value: str) -> None:
        """The operator picks one of a conflict's values."""
        candidates = self.ledger.conflicts.get((party_id, name), ())
        chosen = next((c for c in candidates if c.value == value), None)
        await self.update_fields(party_id, {name: value}, chosen.source if chosen else Source(OPERATOR))

    async def edit_field(self, party_id: int, name: str, value: str) -> None:
        await self.update_fields(party_id, {name: value}, Source(OPERATOR))

    # --- filling parties ------------------------------------------------------
    async def apply_item(self, local_id: int, item: OverlayItem) -> None:
        """A click on one box of the overlay: that value goes to the capture's party (the operator chose it)."""
        record = self.record(local_id)
        if record is None:
            return
        party_id = self.ledger.owners.get(local_id, record.party_id)
        if item.field == "plate" and item.valid and party_id is None:  # a plate in the scene: by plate
            await self._fill_plates(Reading(local_id, KIND_PLATES, plates=(normalise_plate(item.text),)))
            return
        if party_id is None:
            self.events.emit("error", action="update_party", message="请先选择这张证据属于哪一方")
            return
        for step in plan_single(self.case, item, party_id):
            await self.update_fields(step.party_id, step.values, Source(record.label, local_id))

    async def apply_all(self, local_id: int) -> None:
        """"全部采用": every valid reading of that picture goes to its party, settling conflicts for it."""
        reading = self.ledger.readings.get(local_id)
        if reading is None:
            return
        if reading.kind == KIND_PLATES:
            await self._attribute(reading)
            return
        party_id = self.ledger.owners.get(local_id)
        if party_id is None:
            self.events.emit("error", action="update_party", message="请先选择这张证据属于哪一方")
            return
        await self.update_fields(party_id, dict(reading.values), Source(reading.kind, local_id))

    async def update_fields(self, party_id: int, values: dict[str, str], source: Source | None = None) -> None:
        party = self.case.party(party_id)
        if party is None or not values:
            return
        if source is not None:
            self.ledger.took(party_id, values, source)
            self._emit_ledger()
        async with self._writing_parties:
            party = self.case.party(party_id) or party
            self.set_case(self.case.with_party(party.with_values(values)))  # shown at once, confirmed below
            data = await self._guard("update_party", self.api.update_party(self.case.id, party_id, values))
            if data:
                self._merge_party(data)
        if data:
            if data.get("auto_verification"):  # the server verifies on its own the first time
                self._verified_with[party_id] = verification_key(self.case.party(party_id))
                self._spawn(self._await_auto_verification(party_id))
            elif self._worth_verifying(party_id):
                self._spawn(self.verify(party_id))
        await self._retry_pending()

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
        """Registry checks for one party; what the registry knows (insurer, policy, validity) fills empty fields.
        One check per party at a time: values corrected during a check are checked after it, and that is the
        result the server keeps and the form shows."""
        async with self._verifying.setdefault(party_id, asyncio.Lock()):
            await self._verify(party_id)

    async def _verify(self, party_id: int) -> None:
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
            await self.update_fields(party_id, missing, Source(REGISTRY))

    async def verify_all(self) -> None:
        await asyncio.gather(*(self.verify(p.id) for p in self.case.motor_parties))

    async def answer_question(self, key: str, value: Any) -> None:
        """An eligibility answer, or ``safety_confirmed``: the server replies with the new checklist."""
        self.set_case(self.case.with_answers({key: value}))
        async with self._evaluating:
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
            if await self._still_held_here():
                return False
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

    async def _still_held_here(self) -> bool:
        """After a refused answer: is the case in a call with this seat anyway? A queue frame sent before the
        party's first return was answered can still show it as rejoining, and its second answer conflicts."""
        try:
            data = await self.api.get_case(self.case.id)
        except ApiError:
            return False
        held = Case.from_json(data)
        mine = self.case.seat_user_id
        if held.state in (CaseState.IN_CALL, CaseState.COLLECTING) and mine is not None and held.seat_user_id == mine:
            self.set_case(data)
            return True
        return False

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

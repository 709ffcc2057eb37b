"""The case file on the officer's screen: pictures with their OCR boxes, recordings, place, rules and audit.

It shows a case the controller opened and fetches what belongs to it off the Qt
thread (through :class:`CaseLoader`); nothing here edits the case.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject
from qasync import asyncSlot

from seat_app.services.api_client import ApiError, AsyncApi
from seat_app.ui.workspaces.officer.case_loader import RECORDING_KIND, CaseLoader, Picture
from seat_app.ui.workspaces.officer.officer_workspace import OfficerWorkspace

log = logging.getLogger(__name__)

#: the controller's REST call: ``await call(name, *args)`` (an expired session is reported on the way)
Call = Callable[..., Awaitable[Any]]


def local_time(iso: str | None) -> str:
    """``HH:MM:SS`` on this seat's clock for a server time (UTC ISO); "" when there is none."""
    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime("%H:%M:%S") if iso else ""
    except ValueError:
        return ""


class CaseFile(QObject):
    def __init__(self, page: OfficerWorkspace, api: AsyncApi, call: Call,
                 notify: Callable[[str, bool], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.call = call
        self.notify = notify
        self.loader = CaseLoader(api)
        self.case: dict[str, Any] | None = None
        self.pictures: dict[int, Picture] = {}
        self.recordings: dict[int, dict[str, Any]] = {}
        page.gallery.selected.connect(self._picture_selected)
        page.recordings.segmentRequested.connect(self.play_recording)

    def show(self, case: dict[str, Any] | None) -> None:
        """The panels emptied, then the place of ``case`` (its pictures and the rest follow from ``load``)."""
        self.case = case
        self.pictures, self.recordings = {}, {}
        p = self.page
        p.gallery.clear()
        p.overlay.show_record(None, None)
        p.recordings.set_segments([])
        p.document.clear()
        p.audit.show_events([])
        p.eligibility.clear()
        if case is not None:
            p.location.show_case(case)

    async def load(self, case: dict[str, Any]) -> None:
        await asyncio.gather(self._load_evidence(case), self._load_audit(case), self._load_rules(case))

    async def _load_evidence(self, case: dict[str, Any]) -> None:
        try:
            rows = await self.call("list_evidence", int(case["id"]))
        except ApiError as exc:
            self.notify(self.tr("证据读取失败：{0}").format(exc.message), True)
            return
        if self.case is not case:
            return
        positions = {int(x["id"]): int(x.get("position") or 0) for x in case.get("parties") or []}
        pictures = await self.loader.pictures(rows, positions)
        if self.case is not case:
            return  # the officer opened another case meanwhile
        self.pictures = {p.record.local_id: p for p in pictures}
        for picture in pictures:
            self.page.gallery.add(picture.record, picture.rgb)
        if pictures:
            self.page.gallery.list.setCurrentRow(0)
        self.recordings = {int(r["id"]): r for r in rows if r.get("kind") == RECORDING_KIND}
        self.page.recordings.set_segments([
            (rid, self.tr("片段 {0}  {1}").format(n, local_time(r.get("captured_at"))))
            for n, (rid, r) in enumerate(self.recordings.items(), start=1)])

    async def _load_audit(self, case: dict[str, Any]) -> None:
        try:
            events = await self.call("case_audit", int(case["id"]))
        except ApiError as exc:
            log.info("audit not shown: %s", exc.message)
            return
        if self.case is case:
            self.page.audit.show_events(events)

    async def _load_rules(self, case: dict[str, Any]) -> None:
        rules = await self.loader.eligibility_rules(case)
        if self.case is case:
            self.page.eligibility.show_case(case, rules)

    def _picture_selected(self, local_id: int) -> None:
        picture = self.pictures.get(local_id)
        if picture is not None:
            self.page.overlay.show_record(picture.record, picture.rgb)

    @asyncSlot(int)
    async def play_recording(self, evidence_id: int) -> None:
        row = self.recordings.get(evidence_id)
        if row is None:
            return
        case = self.case
        try:
            path = await self.loader.recording_file(row)
        except ApiError as exc:
            if self.case is case:
                self.page.recordings.show_error(self.tr("录像下载失败：{0}").format(exc.message))
            return
        if self.case is case:  # not closed or switched meanwhile
            self.page.recordings.play_file(path, str(row.get("label") or path.name))

    def close(self) -> None:
        """The workspace stops: replies still on their way find no case and are dropped."""
        self.case = None
        self.page.recordings.stop()
        self.loader.close()

"""Fakes for the seat's adapters: the REST client, the call engine, the seat socket and OCR.

Each one keeps the real interface and records what it was asked, so UI tests
run in milliseconds without a server; the full-flow test uses the real ones.
"""
from __future__ import annotations

import asyncio
import copy
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from seat_app.core.events import Emitter
from seat_app.core.evidence import OverlayItem
from seat_app.services import api_client as api
from seat_app.services.audio_control import MutableSource
from seat_app.services.call.audio import NullSink, SilenceSource

PASSED = {c: {"status": "passed", "reason_zh": "核验通过", "details": {}} for c in ("driver", "vehicle", "insurance")}


def run(loop, qtbot, coro, timeout: int = 5000):
    """Await ``coro`` from a synchronous test while Qt keeps processing events."""
    task = asyncio.ensure_future(coro, loop=loop)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def case_json(case_id: int = 1, state: str = "queued", parties: int = 1) -> dict[str, Any]:
    return {
        "id": case_id, "number": f"KC2026-{case_id:04d}", "state": state, "district": "锦江区",
        "location": {"lat": 30.657, "lon": 104.066}, "safety": {}, "answers": {}, "priority": 0,
        "queued_at": "2026-05-01T08:00:00+00:00",
        "parties": [{"id": case_id * 10 + i, "position": i, "kind": "motor"} for i in range(1, parties + 1)],
    }


# --- supervisor (issue 14): metrics replies in the shape of docs/metrics.md
def stat(count: int = 0, p50: float | None = None, p90: float | None = None) -> dict[str, Any]:
    """A duration figure as docs/metrics.md has it (seconds)."""
    return {"count": count, "p50": p50, "p90": p90, "mean": p50}


def rate(numerator: int = 0, denominator: int = 0) -> dict[str, Any]:
    return {"numerator": numerator, "denominator": denominator,
            "rate": round(numerator / denominator, 4) if denominator else None}


def bucket(cases: int = 0, *, answered: int = 0, escalated: int = 0, submitted: int = 0, determined: int = 0,
           answer: dict | None = None, handling: dict | None = None, within_60s: dict | None = None,
           reasons: dict[str, int] | None = None, **extra: Any) -> dict[str, Any]:
    """One ``<Bucket>`` of GET /api/metrics (docs/metrics.md), every key present."""
    times = {name: stat() for name in ("answer", "scene", "handling", "decision", "end_to_end", "abandon_wait")}
    times.update(answer=answer or stat(), handling=handling or stat())
    rates = {name: rate() for name in ("abandon", "escalation", "send_back", "review", "overturn", "video_success")}
    rates["escalation"] = rate(escalated, answered)
    return {"cases": cases, "answered": answered, "abandoned": 0, "escalated": escalated, "submitted": submitted,
            "determined": determined, "open": 0, "times": times, "rates": rates,
            "service_level": {"answered_within_60s": within_60s or rate(), "done_within_5min": rate()},
            "interruptions": {"count": 0, "per_call": None, "interrupted_cases": 0, "resumed": rate()},
            "escalation_reasons": [{"reason": r, "count": n} for r, n in (reasons or {}).items()], **extra}


def metrics_reply(first: str, last: str, group: str, groups: list[dict[str, Any]] | None = None,
                  total: dict[str, Any] | None = None) -> dict[str, Any]:
    """A GET /api/metrics reply; without ``groups``, the empty hours or days of the range."""
    from datetime import date, timedelta

    if groups is None:
        groups = []
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            if group == "hour":
                groups += [bucket(key=f"{day.isoformat()}T{h:02d}", label=f"{day:%m-%d} {h:02d}:00") for h in range(24)]
            elif group == "day":
                groups.append(bucket(key=day.isoformat(), label=f"{day:%m-%d}"))
            day += timedelta(days=1)
    return {"from": first, "to": last, "group": group, "timezone": "Asia/Shanghai",
            "generated_at": "2026-12-01T10:15:02+00:00", "targets": {"answer_s": 60, "scene_s": 180, "done_s": 300},
            "total": total or bucket(), "groups": groups}


def now_frame(**figures: Any) -> dict[str, Any]:
    """A ``now`` frame's data (docs/metrics.md), without ``type``."""
    frame = {"at": "2026-12-01T10:15:02+00:00", "calls_waiting": 0, "oldest_wait_s": None,
             "seats": {"signed_in": 0, "in_call": 0, "idle": 0}, "seat_list": [],
             "officer_queue": {"length": 0, "oldest_s": None}, "cases_today": 0, "cases_yesterday_by_now": 0}
    frame.update(figures)
    return frame


#: the demo accounts' roles (server/services/demo_seed.py); anyone else is an operator
ROLES = {"officer1": "officer", "officer2": "officer", "supervisor1": "supervisor", "admin": "admin"}
DISPLAY_NAMES = {"officer1": "民警 赵刚", "officer2": "民警 孙丽", "supervisor1": "值班长 陈静", "admin": "系统管理员"}
#: 第七十六条's reasons, as GET /api/reviews lists them (server/services/reviews.py REASONS)
REVIEW_REASONS = {"facts_unclear": "事实不清", "evidence_insufficient": "证据不确实充分", "law_wrong": "适用法律错误",
                  "responsibility_unfair": "责任划分不公正", "procedure_wrong": "调查及认定违反法定程序"}


#: a few entries of the server's violation catalogue (server/resources), enough to search
VIOLATIONS = [
    {"code": "rear_end", "behaviour": "未与前车保持足以采取紧急制动措施的安全距离（追尾）",
     "article": "《中华人民共和国道路交通安全法》第四十三条"},
    {"code": "lane_change", "behaviour": "变更车道时影响相关车道内机动车正常行驶",
     "article": "《中华人民共和国道路交通安全法实施条例》第四十四条第二款"},
    {"code": "reversing", "behaviour": "倒车时未察明车后情况确认安全",
     "article": "《中华人民共和国道路交通安全法实施条例》第五十条"},
    {"code": "phone_use", "behaviour": "驾驶时拨打接听手持电话",
     "article": "《中华人民共和国道路交通安全法实施条例》第六十二条第（三）项"},
    {"code": "door_opening", "behaviour": "开关车门妨碍其他车辆和行人通行",
     "article": "《中华人民共和国道路交通安全法实施条例》第六十三条第（四）项"},
]

#: a square around central Chengdu, the shape GET /api/service-area returns
SERVICE_AREA = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "成都市"},
                "geometry": {"type": "Polygon", "coordinates": [[[103.9, 30.55], [104.25, 30.55], [104.25, 30.8],
                                                                 [103.9, 30.8], [103.9, 30.55]]]}}]}

#: the smallest PDF viewers accept (one empty page), what the fake returns for a document
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
               b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


class FakeApi:
    """In-memory stand-in for ApiClient with the server's rules that the seat relies on.

    Its public calls are exactly :class:`seat_app.services.ports.ApiPort`'s, with the
    same signatures (tests/seat_app/test_ports.py checks it).
    """

    def __init__(self, base_url: str = "http://fake", **_: Any) -> None:
        self.base_url = base_url
        self.token = ""
        self.user: dict[str, Any] = {}
        self.calls: list[tuple[str, tuple]] = []
        self.cases: dict[int, dict[str, Any]] = {}
        self.unreachable = False
        self.password = "pw"
        self.lose_race: set[int] = set()
        self.uploads: list[dict[str, Any]] = []
        self.evidence_ids = itertools.count(100)
        self.metric_replies: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.now_reply: dict[str, Any] = now_frame()
        # officer (issue 12)
        self.audit: dict[int, list[dict[str, Any]]] = {}
        self.documents: dict[str, bytes] = {}
        self.pdf = MINIMAL_PDF
        # reviews (issue 13): id -> a GET /api/reviews/{id} reply without its case (plus issued_by_username)
        self.reviews: dict[int, dict[str, Any]] = {}
        self.sent_back_documents: dict[int, str] = {}  # case id -> the document a review sent back
        self.revoked: dict[str, str] = {}  # revoked document number -> its successor

    def _log(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))
        if self.unreachable:
            raise api.Unreachable("无法连接服务器")

    def called(self, name: str) -> list[tuple]:
        return [args for n, args in self.calls if n == name]

    @property
    def ws_url(self) -> str:
        return "ws://fake/ws/seat?token=" + self.token

    def login(self, username: str, password: str) -> api.Login:
        self._log("login", username)
        if password != self.password:
            raise api.SessionExpired("用户名或密码错误", 401)
        self.token = "t0k"
        self.user = {"username": username, "display_name": DISPLAY_NAMES.get(username, "坐席 王敏"),
                     "role": ROLES.get(username, "operator")}
        return api.Login("t0k", "", dict(self.user))

    def logout(self) -> None:
        self._log("logout")
        self.token = ""

    def me(self) -> dict[str, Any]:
        self._log("me")
        if not self.token:
            raise api.SessionExpired("登录已过期，请重新登录", 401)
        return dict(self.user)

    def health(self) -> dict[str, Any]:
        self._log("health")
        return {"ok": True}

    def list_cases(self, states: list[str] | None = None) -> list[dict[str, Any]]:
        self._log("list_cases", states)
        return [copy.deepcopy(c) for c in self.cases.values() if not states or c["state"] in states]

    def get_case(self, case_id: int) -> dict[str, Any]:
        self._log("get_case", case_id)
        return copy.deepcopy(self.cases[case_id])

    def _move(self, case_id: int, source: tuple[str, ...], target: str) -> dict[str, Any]:
        case = self.cases[case_id]
        if case["state"] not in source:
            raise api.Conflict(f"案件 {case['number']} 当前状态不允许此操作", 409)
        case["state"] = target
        return copy.deepcopy(case)

    def answer(self, case_id: int) -> dict[str, Any]:
        self._log("answer", case_id)
        if case_id in self.lose_race:
            raise api.Conflict(f"案件 {self.cases[case_id]['number']} 已被他人处理", 409)
        return {"case": self._move(case_id, ("queued",), "in_call"), "ice_servers": []}

    def start_collection(self, case_id: int) -> dict[str, Any]:
        self._log("start_collection", case_id)
        return self._move(case_id, ("in_call",), "collecting")

    def interrupt(self, case_id: int) -> dict[str, Any]:
        self._log("interrupt", case_id)
        return self._move(case_id, ("in_call", "collecting"), "interrupted")

    def escalate(self, case_id: int, reason: str) -> dict[str, Any]:
        self._log("escalate", case_id, reason)
        return self._move(case_id, ("collecting",), "escalated")

    def submit(self, case_id: int) -> dict[str, Any]:
        self._log("submit", case_id)
        return self._move(case_id, ("collecting",), "awaiting_liability")

    def add_party(self, case_id: int, kind: str = "motor") -> dict[str, Any]:
        self._log("add_party", case_id, kind)
        parties = self.cases[case_id]["parties"]
        party = {"id": case_id * 10 + len(parties) + 1, "position": len(parties) + 1, "kind": kind}
        parties.append(party)
        return copy.deepcopy(party)

    def update_party(self, case_id: int, party_id: int, fields: dict[str, str]) -> dict[str, Any]:
        self._log("update_party", case_id, party_id, dict(fields))
        party = next(p for p in self.cases[case_id]["parties"] if p["id"] == party_id)
        party.update(fields)
        return copy.deepcopy(party)

    def verify_party(self, case_id: int, party_id: int) -> dict[str, Any]:
        self._log("verify_party", case_id, party_id)
        party = next(p for p in self.cases[case_id]["parties"] if p["id"] == party_id)
        party["verification"] = copy.deepcopy(PASSED)
        return {"party_id": party_id, "verification": party["verification"]}

    def checklist(self, case_id: int) -> dict[str, Any]:
        self._log("checklist", case_id)
        raise api.NotFound("没有这个地址", 404)  # an old server: the seat judges locally

    def set_answers(self, case_id: int, answers: dict[str, Any]) -> dict[str, Any]:
        self._log("set_answers", case_id, dict(answers))
        self.cases[case_id]["answers"].update(answers)
        return {"ok": True}

    def push_instruction(self, case_id: int, text: str, *, via: str = "server") -> dict[str, Any]:
        self._log("push_instruction" if via == "server" else "record_instruction", case_id, text)
        return {"sent": via == "server", "recorded": True}

    def upload_evidence(self, case_id: int, data: bytes, *, kind: str, label: str, party_id: int | None,
                        filename: str = "frame.jpg", content_type: str = "image/jpeg") -> dict[str, Any]:
        self._log("upload_evidence", case_id, kind, label, party_id)
        row = {"id": next(self.evidence_ids), "case_id": case_id, "sha256": f"{len(data):064d}", "kind": kind, "label": label,
               "party_id": party_id, "size": len(data)}
        self.uploads.append(row)
        return row

    def put_ocr(self, evidence_id: int, result: dict[str, Any]) -> dict[str, Any]:
        self._log("put_ocr", evidence_id, result)
        return {"id": evidence_id}

    def list_evidence(self, case_id: int) -> list[dict[str, Any]]:
        self._log("list_evidence", case_id)
        return [dict(row) for row in self.uploads if row.get("case_id") == case_id]

    def evidence_content(self, evidence_id: int) -> bytes:
        self._log("evidence_content", evidence_id)
        from seat_app.services.imaging import encode_jpeg

        return encode_jpeg(np.full((1080, 1920, 3), 90, dtype=np.uint8))

    def label_evidence(self, evidence_id: int, label: str, party_id: int | None) -> dict[str, Any]:
        self._log("label_evidence", evidence_id, label, party_id)
        return {}

    def upload_recording(self, case_id: int, data: bytes, *, filename: str, label: str = "",
                         content_type: str = "video/mp4") -> dict[str, Any]:
        self._log("upload_recording", case_id, filename)
        return {}

    # --- supervisor (issue 14)
    def metrics(self, first: str, last: str, group: str = "day") -> dict[str, Any]:
        """A reply set in ``metric_replies[(first, last, group)]``, else the range with nothing in it."""
        self._log("metrics", first, last, group)
        self._supervisors_only()
        reply = self.metric_replies.get((first, last, group)) or metrics_reply(first, last, group)
        return copy.deepcopy(reply)

    def metrics_now(self) -> dict[str, Any]:
        self._log("metrics_now")
        self._supervisors_only()
        return copy.deepcopy(self.now_reply)

    def _supervisors_only(self) -> None:
        if self.user.get("role") not in ("supervisor", "admin"):
            raise api.Forbidden("仅值班长和管理员可查看统计", 403)

    # --- officer (issue 12)
    def take_case(self, case_id: int) -> dict[str, Any]:
        self._log("take_case", case_id)
        case = self.cases[case_id]
        holder = case.get("officer_name")
        me = self.user.get("user_id", self.user.get("username"))
        if case.get("officer_user_id") not in (None, me):
            raise api.Conflict(f"案件已由 {holder} 处理", 409, {"message": f"案件已由 {holder} 处理"})
        if case["state"] != "awaiting_liability":
            raise api.Conflict(f"案件 {case['number']} 当前状态不允许此操作", 409)
        case["officer_user_id"] = me
        case["officer_name"] = self.user.get("display_name", "")
        return copy.deepcopy(case)

    def case_audit(self, case_id: int) -> list[dict[str, Any]]:
        self._log("case_audit", case_id)
        return copy.deepcopy(self.audit.get(case_id, []))

    def search_violations(self, query: str) -> list[dict[str, Any]]:
        self._log("search_violations", query)
        return [dict(v) for v in VIOLATIONS if query in v["behaviour"] or query in v["article"]]

    def _checked(self, case_id: int, decision: dict[str, Any]) -> None:
        from kuaichu_protocol.liability import PartyDecision, check_decision

        case = self.cases[case_id]
        names = {p["id"]: f"{'甲乙丙丁'[p['position'] - 1]}方" for p in case["parties"]}
        problems = check_decision([PartyDecision(names[p["party_id"]], p["responsibility"], tuple(p["violations"]))
                                   for p in decision["parties"]], frozenset(v["code"] for v in VIOLATIONS))
        if problems:
            raise api.Invalid(problems[0].message, 422)

    def preview_determination(self, case_id: int, decision: dict[str, Any]) -> bytes:
        self._log("preview_determination", case_id, copy.deepcopy(decision))
        self._checked(case_id, decision)
        return self.pdf

    def issue_determination(self, case_id: int, decision: dict[str, Any]) -> dict[str, Any]:
        self._log("issue_determination", case_id, copy.deepcopy(decision))
        self._checked(case_id, decision)
        case = self.cases[case_id]
        if case["state"] != "awaiting_liability":
            raise api.Conflict(f"案件 {case['number']} 已出具认定书", 409)
        case["state"] = "determined"
        number = f"成公交简认字〔2026〕第{len(self.documents) + 1:06d}号"
        self.documents[number] = self.pdf
        self.revoke_sent_back(case_id, number)
        return {"document_number": number, "sha256": "ab" * 32}

    def send_back(self, case_id: int, reason: str) -> dict[str, Any]:
        self._log("send_back", case_id, reason)
        return self._move(case_id, ("awaiting_liability",), "queued")

    def document_pdf(self, document_number: str) -> bytes:
        self._log("document_pdf", document_number)
        if document_number not in self.documents:
            raise api.NotFound("没有这份认定书", 404)
        return self.documents[document_number]

    def service_area(self) -> dict[str, Any]:
        self._log("service_area")
        return copy.deepcopy(SERVICE_AREA)

    # --- operator case notes (issue 12)
    def update_case(self, case_id: int, *, weather: str | None = None, notes: str | None = None) -> dict[str, Any]:
        """Keeps the server's rules: only during the call, the six weathers, at most 2000 characters."""
        self._log("update_case", case_id, weather, notes)
        case = self.cases[case_id]
        if case["state"] not in ("in_call", "collecting"):
            raise api.Conflict("天气和经过只能在通话中记录", 409)
        if weather is not None and weather not in ("晴", "阴", "雨", "雪", "雾", "其他"):
            raise api.Invalid("请求内容不正确", 422)
        if notes is not None and len(notes) > 2000:
            raise api.Invalid("请求内容不正确", 422)
        if weather is not None:
            case["weather"] = weather
        if notes is not None:
            case["operator_notes"] = notes
        return copy.deepcopy(case)

    # --- reviews (issue 13)
    def list_reviews(self, status: str | None = "pending") -> dict[str, Any]:
        self._log("list_reviews", status)
        items = [copy.deepcopy(r["review"]) for r in self.reviews.values()
                 if status is None or r["review"]["status"] == status]
        return {"items": items, "reasons": [{"code": c, "label": label} for c, label in REVIEW_REASONS.items()]}

    def get_review(self, review_id: int) -> dict[str, Any]:
        self._log("get_review", review_id)
        if review_id not in self.reviews:
            raise api.NotFound(f"复核申请 {review_id} 不存在", 404)
        detail = copy.deepcopy(self.reviews[review_id])
        detail["case"] = copy.deepcopy(self.cases[detail["review"]["case_id"]])
        return detail

    def decide_review(self, review_id: int, decision: str, reason: str, outcome: str) -> dict[str, Any]:
        """The server's rules: officers only, never the document's issuer, pending only, a reason to send back."""
        self._log("decide_review", review_id, decision, reason, outcome)
        detail = self.reviews[review_id]
        review = detail["review"]
        if self.user.get("role") != "officer":
            raise api.Forbidden("只有民警可以复核", 403)
        if review["issued_by_username"] == self.user.get("username"):
            raise api.Forbidden(f"认定书 {review['document_number']} 是您出具的，不能由您复核；请由其他民警复核", 403)
        if review["status"] != "pending":
            raise api.Conflict("该复核申请已处理", 409)
        if decision not in ("upheld", "sent_back") or (decision == "sent_back") != bool(reason) or not outcome:
            raise api.Invalid("请求内容不正确", 422)
        review["status"], detail["decision_reason"], detail["outcome"] = decision, reason, outcome
        case = self.cases[review["case_id"]]
        if decision == "sent_back":
            case.update(state="awaiting_liability", officer_user_id=None, officer_name="")
            self.sent_back_documents[case["id"]] = review["document_number"]
        else:
            case["state"] = "reviewed"
        return self.get_review(review_id)

    def revoke_sent_back(self, case_id: int, number: str) -> None:
        """A new document for a case a review sent back revokes the old one (as the server's issue does)."""
        old = self.sent_back_documents.pop(case_id, None)
        if old is not None:
            self.revoked[old] = number


@dataclass
class FakeFrame:
    index: int
    width: int = 1280
    height: int = 720

    def to_rgb(self) -> np.ndarray:
        image = np.zeros((self.height, self.width, 3), dtype=np.uint8)
        image[:, :, 2] = 120
        image[: self.height // 2, :, 0] = (self.index * 7) % 255
        return image


@dataclass
class FakeRecorder:
    recording: bool = True
    stopped: bool = False

    async def stop(self) -> None:
        self.recording = False
        self.stopped = True


@dataclass
class FakeStats:
    state: str
    width: int
    height: int
    fps: float
    connections: int = 1


class FakeEngine:
    """The CallEngine interface (seat_app.services.ports.CallEnginePort); tests drive ``set_state`` and
    ``next_frame``."""

    def __init__(self, case_id: str, ice_servers=None, *_: Any) -> None:
        self.case_id = case_id
        self.ice_servers = ice_servers or []
        self.ice_transport_policy = "all"
        self.configured = True
        self.state = "idle"
        self.listeners: dict[str, list] = {}
        self.recorder = FakeRecorder()
        self.commands: list[tuple[str, dict]] = []
        self.frame: FakeFrame | None = None
        self.hung_up: str | None = None
        self.closed = False
        self.reply: dict[str, Any] = {}
        self.offers: list[str] = []
        self.candidates: list[dict[str, Any]] = []

    def on(self, event: str, callback: Callable[..., None]) -> Callable[[], None]:
        self.listeners.setdefault(event, []).append(callback)
        return lambda: self.listeners[event].remove(callback)

    def emit(self, event: str, *args: Any) -> None:
        """Like CallEngine: listeners get positional arguments."""
        for callback in list(self.listeners.get(event, ())):
            callback(*args)

    def set_state(self, state: str) -> None:
        self.state = state
        self.emit("state", state)

    def next_frame(self, width: int = 1280, height: int = 720) -> FakeFrame:
        index = self.frame.index + 1 if self.frame else 0
        self.frame = FakeFrame(index, width, height)
        return self.frame

    def latest_frame(self) -> FakeFrame | None:
        return self.frame

    def expect_configuration(self) -> None:
        self.configured = False

    def configure(self, ice_servers: list[dict[str, Any]], ice_transport_policy: str) -> None:
        self.ice_servers, self.ice_transport_policy, self.configured = ice_servers, ice_transport_policy, True

    async def accept_offer(self, offer_sdp: str) -> str:
        self.offers.append(offer_sdp)
        return "v=0 fake answer"

    async def add_candidate(self, candidate: dict[str, Any]) -> None:
        self.candidates.append(dict(candidate))

    def stats(self) -> FakeStats:
        frame = self.frame
        return FakeStats(self.state, frame.width if frame else 0, frame.height if frame else 0,
                         25.0 if frame else 0.0)

    async def command(self, name: str, args: dict[str, Any] | None = None, timeout: float = 5.0) -> dict[str, Any]:
        self.commands.append((str(name), dict(args or {})))
        return dict(self.reply.get(str(name), {}))

    def mark_interrupted(self) -> None:
        self.set_state("interrupted")

    async def hangup(self, reason: str = "operator", timeout: float = 1.0) -> None:
        self.hung_up = reason
        await self.close()

    async def close(self) -> None:
        if self.recorder is not None:
            await self.recorder.stop()
        self.closed = True


class FakeSocket:
    """SeatSocket's interface; ``push`` plays a server message."""

    instances: list[FakeSocket] = []

    def __init__(self, url: str) -> None:
        self.url = url
        self.events = Emitter()
        self.sent: list[tuple[str, dict]] = []
        self.connected = False
        FakeSocket.instances.append(self)

    def start(self) -> None:
        self.connected = True
        self.events.emit("connected")

    async def stop(self) -> None:
        self.connected = False

    async def send(self, type_: str, **data: Any) -> bool:
        self.sent.append((str(type_), data))
        return True

    def push(self, type_: str, **data: Any) -> None:
        self.events.emit("message", type=type_, data=data)


class FakeOcr:
    """Readings per capture label; the real engine is exercised by the full-flow test."""

    def __init__(self, readings: dict[str, list[OverlayItem]] | None = None) -> None:
        self.readings = readings or {}
        self.seen: list[str] = []

    def read(self, rgb: np.ndarray, label: str) -> list[OverlayItem]:
        self.seen.append(label)
        return list(self.readings.get(label, []))


@dataclass
class FakeAudio:
    source: MutableSource = field(default_factory=lambda: MutableSource(SilenceSource()))
    sink: Any = field(default_factory=NullSink)
    warning: str = "没有可用的麦克风"
    closed: bool = False

    def close(self) -> None:
        self.closed = True


class FakeWiring:
    """What seat_app.app.CallWiring offers the controller, with FakeEngines."""

    def __init__(self) -> None:
        self.engines: dict[str, FakeEngine] = {}
        self.audios: dict[str, FakeAudio] = {}

    def make_engine(self, case_id: str, ice_servers, recording_dir, upload) -> FakeEngine:
        self.engines[case_id] = FakeEngine(case_id, ice_servers)
        self.audios[case_id] = FakeAudio()
        return self.engines[case_id]

    def audio(self, case_id: str) -> FakeAudio | None:
        return self.audios.get(case_id)

    def release(self, case_id: str) -> None:
        audio = self.audios.pop(case_id, None)
        if audio is not None:
            audio.close()

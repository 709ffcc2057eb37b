"""The JSON replies of the API, described once, for the OpenAPI schema that clients and schemathesis read.

The handlers build their replies as plain dicts (``case_json``, ``evidence_json``...);
these models describe those dicts exactly and are declared with ``reply(...)`` as
documentation only (``response_model=None``), so what a handler sends never
changes. ``tests/server/test_schemathesis.py`` checks every reply against them: a
field added to a handler's dict and not here is a failure there, with no extra key
allowed (``extra="forbid"`` becomes ``additionalProperties: false``).

Errors all share one shape, ``{"error": code, "message": "<plain Chinese>"}``, plus
a few details some codes carry (``problems``, ``missing``, ``limit_bytes``...).
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Json = dict[str, Any]


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    error: str
    message: str


_ERROR_TEXT = {
    401: "未登录或登录已失效", 403: "无权执行此操作", 404: "对象不存在", 405: "不支持该请求方法",
    409: "当前状态不允许此操作", 413: "请求内容过大", 422: "请求内容不正确", 429: "请求过于频繁",
    503: "依赖的外部系统暂不可用",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error replies of a route or router, for ``responses=``."""
    return {code: {"model": ErrorOut, "description": _ERROR_TEXT[code]} for code in codes}


#: Every JSON route can refuse a body or id (422), a missing object (404) and a state (409).
COMMON = errors(404, 409, 413, 422)
#: Routes behind a seat login add 401 and 403.
SEAT = {**COMMON, **errors(401, 403)}
#: Public phone routes add 429 (rate limits per address and per party link).
PHONE = {**COMMON, **errors(429)}


# Constraints the handlers check themselves, with their own plain-Chinese messages; declared for the schema
# only (``json_schema_extra``), so it promises what is accepted without changing what a refusal says.
#: check_mobile also takes full-width digits, spaces and dashes, and normalises them to this.
MOBILE_NUMBER = {"pattern": r"^1[3-9][0-9]{9}$"}
SMS_CODE = {"pattern": r"^[0-9]{6}$"}
#: A reason or an instruction of only spaces is refused once stripped.
NOT_BLANK = {"pattern": r"\S"}
#: A public report needs the caller's consent to recording.
CONSENT = {"const": True}


def boolean_not_null(schema: dict[str, Any]) -> None:
    """For an optional field that may be left out but never sent as null (``safety_confirmed``)."""
    schema.pop("anyOf", None)
    schema.pop("default", None)
    schema["type"] = "boolean"


def reply(model: type[BaseModel], status: int = 200, *, also: dict | None = None) -> dict[str, Any]:
    """Decorator arguments that document ``model`` as the reply without filtering what the handler sends;
    ``also`` adds the route's own error replies to its router's."""
    return {"response_model": None, "responses": {status: {"model": model, "description": "成功"}, **(also or {})}}


#: Evidence bytes: the stored image or recording, under its own content type.
CONTENT = {200: {"description": "证据原件", "content": {
    kind: {"schema": {"type": "string", "format": "binary"}} for kind in (
        "image/jpeg", "image/png", "image/webp", "video/webm", "video/x-matroska", "video/mp4")}}}


# --- auth ---------------------------------------------------------------------------------------------
class PrincipalOut(Out):
    user_id: int
    username: str
    display_name: str
    role: Literal["operator", "officer", "supervisor", "admin"]


class LoginOut(Out):
    token: str
    expires_at: str
    user: PrincipalOut


class OkOut(Out):
    ok: bool


class HealthOut(Out):
    ok: bool
    version: str


# --- cases --------------------------------------------------------------------------------------------
class PartyOut(Out):
    id: int
    position: int
    kind: str
    phone: str
    driver_name: str
    id_number: str
    licence_class: str
    licence_valid_from: str
    licence_valid_until: str
    plate: str
    plate_colour: str
    vehicle_type: str
    vin: str
    owner: str
    insurer: str
    policy_number: str
    insurance_valid_from: str
    insurance_valid_until: str
    verification: Json
    verification_source: str
    responsibility: str
    violation: str
    clause: str
    verified_at: str | None


class UpdatedPartyOut(PartyOut):
    auto_verification: bool


class CaseLocation(Out):
    lat: float
    lon: float | None
    accuracy_m: float | None


class CaseOut(Out):
    id: int
    number: str
    state: str
    source: str
    reporter_phone: str
    priority: int
    district: str
    location: CaseLocation | None
    safety: Json
    answers: Json
    eligibility: Json
    escalation_reason: str
    accident_facts: str
    weather: str
    operator_notes: str
    seat_user_id: int | None
    officer_user_id: int | None
    officer_name: str  # the officer who took the case, "" while nobody has
    accident_at: str | None
    queued_at: str | None
    answered_at: str | None
    submitted_at: str | None
    determined_at: str | None
    created_at: str | None
    parties: list[PartyOut]


class CaseListOut(Out):
    items: list[CaseOut]


class EscalatedCaseOut(CaseOut):
    dispatch_id: int | None


class AnsweredOut(Out):
    case: CaseOut
    ice_servers: list[Json]
    ice_transport_policy: Literal["all", "relay"]


class AuditEventOut(Out):
    id: int
    actor: str
    action: str
    from_state: str | None = Field(alias="from")
    to: str | None
    detail: Json
    at: str
    hash: str


class AuditListOut(Out):
    items: list[AuditEventOut]


class ChecklistOut(Out):
    case_id: int
    rules: list[Json]
    evidence: list[Json]
    safety: list[Json]
    parties: list[Json]
    missing: list[Json]
    complete: bool


class VerificationOut(Out):
    party_id: int
    verification: Json


# --- evidence -----------------------------------------------------------------------------------------
class EvidenceLocation(Out):
    lat: float
    lon: float | None


class EvidenceOut(Out):
    id: int
    case_id: int
    party_id: int | None
    sha256: str
    kind: str
    content_type: str
    size_bytes: int
    width: int | None
    height: int | None
    captured_at: str
    uploaded_by: str
    label: str
    location: EvidenceLocation | None
    ocr: Json | None
    created_at: str
    content_url: str


class EvidenceListOut(Out):
    items: list[EvidenceOut]


# --- admin and dispatch -------------------------------------------------------------------------------
class SmsOut(Out):
    id: int
    case_id: int | None
    phone: str
    text: str
    status: str
    attempts: int
    next_attempt_at: str | None
    last_error: str | None
    created_at: str | None
    sent_at: str | None


class SmsListOut(Out):
    items: list[SmsOut]


class UserOut(Out):
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: str


class UserListOut(Out):
    items: list[UserOut]


class AuditCheckOut(Out):
    ok: bool
    checked: int
    first_broken_id: int | None
    problem: str | None


class DispatchOut(Out):
    id: int
    case_id: int
    status: str
    attempts: int
    last_error: str | None
    summary: str
    created_at: str


class DispatchListOut(Out):
    items: list[DispatchOut]


# --- party links and the phone ------------------------------------------------------------------------
class InvitationOut(Out):
    invitation_id: int
    expires_at: str


class OpenedCaseOut(Out):
    case: CaseOut
    invitation: InvitationOut


class RevokedOut(Out):
    invitation_id: int
    revoked: bool


class InstructionOut(Out):
    sent: bool
    recorded: bool


class CodeSentOut(Out):
    sent: bool
    resend_after_s: int


class ReportedOut(Out):
    party_token: str
    case_number: str


class QueuePlace(Out):
    position: int
    estimated_wait_s: int


class Instruction(Out):
    text: str
    at: str


class PhoneCaseOut(Out):
    case_number: str
    state: str
    state_label: str
    queue: QueuePlace | None
    instructions: list[Instruction]
    safety: Json
    ice_servers: list[Json]
    ice_transport_policy: Literal["all", "relay"]
    ice_trickle: bool


class PhotoOut(Out):
    evidence_id: int
    sha256: str
    width: int | None
    height: int | None
    size_bytes: int
    original_sha256: str


# --- liability (issue 12) -----------------------------------------------------------------------------
class ViolationOut(Out):
    code: str
    behaviour: str
    article: str


class IssuedOut(Out):
    document_number: str
    sha256: str


# --- reviews (issue 13) -------------------------------------------------------------------------------
class ReviewOut(Out):
    id: int
    case_id: int
    case_number: str
    document_number: str
    issued_by: int | None
    issued_by_name: str
    party_id: int
    party_label: str
    status: Literal["pending", "withdrawn", "upheld", "sent_back"]
    status_label: str
    created_at: str
    decided_at: str | None


class ReasonOut(Out):
    code: str
    label: str


class ReviewsOut(Out):
    items: list[ReviewOut]
    reasons: list[ReasonOut]  # 第七十六条's reasons for sending a case back, as the decision takes them


class ReviewDetailOut(Out):
    review: ReviewOut
    case: CaseOut
    request: str
    reason: str
    evidence: list[int]  # evidence ids: /api/evidence/{id}/content
    decision_reason: str
    decision_reason_label: str
    outcome: str
    decided_by: int | None

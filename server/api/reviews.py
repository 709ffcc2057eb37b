"""The reviewer's endpoints (复核, issue 13): the queue of review requests, one request with its case, and
the decision. Officers and admins read; only an officer who did not issue the document decides."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kuaichu_protocol.messages import Role
from server.api.cases import actor_of, case_json, sees_full
from server.api.deps import Id, context, require
from server.api.schemas import SEAT, NOT_BLANK, ReviewDetailOut, ReviewsOut, ReviewOut, reply
from server.services.auth import Principal
from server.services.reviews import REASONS, STATUS_ZH, ReviewDetail, ReviewSummary

router = APIRouter(tags=["reviews"], responses=SEAT)

Status = Literal["pending", "withdrawn", "upheld", "sent_back"]


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["upheld", "sent_back"]
    reason: Literal["", "facts_unclear", "evidence_insufficient", "law_wrong", "responsibility_unfair",
                    "procedure_wrong"] = ""
    outcome: str = Field(min_length=1, max_length=2000, json_schema_extra=NOT_BLANK)


def review_json(r: ReviewSummary) -> dict:
    stamp = lambda v: v.isoformat() if v else None  # noqa: E731
    return {"id": r.id, "case_id": r.case_id, "case_number": r.case_number, "document_number": r.document_number,
            "issued_by": r.issued_by, "issued_by_name": r.issued_by_name, "party_id": r.party_id,
            "party_label": r.party_label, "status": r.status, "status_label": STATUS_ZH[r.status],
            "created_at": stamp(r.created_at), "decided_at": stamp(r.decided_at)}


def detail_json(d: ReviewDetail, p: Principal) -> dict:
    row = d.review
    return {"review": review_json(d.summary), "case": case_json(d.case, full=sees_full(d.case, p)),
            "request": row.request, "reason": row.reason, "evidence": list(row.evidence or []),
            "decision_reason": row.decision_reason, "decision_reason_label": REASONS.get(row.decision_reason, ""),
            "outcome": row.outcome, "decided_by": row.decided_by}


@router.get("/api/reviews", **reply(ReviewsOut))
def list_reviews(request: Request, status: Status | None = Query(default=None),
                 _: Principal = Depends(require(Role.OFFICER, Role.ADMIN))) -> dict:
    return {"items": [review_json(r) for r in context(request).reviews.list(status)],
            "reasons": [{"code": code, "label": label} for code, label in REASONS.items()]}


@router.get("/api/reviews/{review_id}", **reply(ReviewDetailOut))
def get_review(review_id: Id, request: Request, p: Principal = Depends(require(Role.OFFICER, Role.ADMIN))) -> dict:
    return detail_json(context(request).reviews.get(review_id), p)


@router.post("/api/reviews/{review_id}/decision", **reply(ReviewDetailOut))
def decide(review_id: Id, body: DecisionIn, request: Request, p: Principal = Depends(require(Role.OFFICER))) -> dict:
    """维持 or 重新调查、认定 (第七十六条); the issuing officer is refused (403 reviewer_is_issuer)."""
    reviews = context(request).reviews
    reviews.decide(review_id, actor_of(p), body.decision, body.reason, body.outcome)
    return detail_json(reviews.get(review_id), p)

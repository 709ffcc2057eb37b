"""The supervisor dashboard's figures over a date range, as JSON and as CSV, and the "now" figures.

docs/metrics.md is the contract; the definitions are in server/domain/metrics.py.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import Field

from kuaichu_protocol.messages import Role
from server.api.deps import context, require
from server.api.schemas import SEAT, ErrorOut, Out, reply
from server.services.auth import Principal

router = APIRouter(prefix="/api/metrics", tags=["metrics"], responses=SEAT)

Group = Literal["hour", "day", "seat", "officer"]
#: A range the dates make no sense as (server/services/metrics.py BadRange).
BAD_RANGE = {400: {"model": ErrorOut, "description": "查询范围不正确（结束早于开始、超过 366 天或超出 2000-2100 年）"}}
_readers = require(Role.SUPERVISOR, Role.ADMIN)


# --- reply models (docs/metrics.md) -----------------------------------------------------------------
class StatOut(Out):
    count: int
    p50: float | None
    p90: float | None
    mean: float | None


class RateOut(Out):
    numerator: int
    denominator: int
    rate: float | None


class TimesOut(Out):
    answer: StatOut
    scene: StatOut
    handling: StatOut
    decision: StatOut
    end_to_end: StatOut
    abandon_wait: StatOut


class RatesOut(Out):
    abandon: RateOut
    escalation: RateOut
    send_back: RateOut
    review: RateOut
    overturn: RateOut
    video_success: RateOut


class ServiceLevelOut(Out):
    answered_within_60s: RateOut
    done_within_5min: RateOut


class InterruptionsOut(Out):
    count: int
    per_call: float | None
    interrupted_cases: int
    resumed: RateOut


class ReasonOut(Out):
    reason: str
    count: int


class BucketOut(Out):
    cases: int
    answered: int
    abandoned: int
    escalated: int
    submitted: int
    determined: int
    open: int
    times: TimesOut
    rates: RatesOut
    service_level: ServiceLevelOut
    interruptions: InterruptionsOut
    escalation_reasons: list[ReasonOut]


class GroupOut(BucketOut):
    key: str
    label: str


class TargetsOut(Out):
    answer_s: int
    scene_s: int
    done_s: int


class MetricsOut(Out):
    from_: str = Field(alias="from")
    to: str
    group: Group
    timezone: str
    generated_at: str
    targets: TargetsOut
    total: BucketOut
    groups: list[GroupOut]


class SeatsOut(Out):
    signed_in: int
    in_call: int
    idle: int


class SeatNowOut(Out):
    user_id: int
    name: str
    state: Literal["in_call", "idle"]
    since: str
    case_id: int | None


class OfficerQueueOut(Out):
    length: int
    oldest_s: float | None


class NowOut(Out):
    at: str
    calls_waiting: int
    oldest_wait_s: float | None
    seats: SeatsOut
    seat_list: list[SeatNowOut]
    officer_queue: OfficerQueueOut
    cases_today: int
    cases_yesterday_by_now: int


# --- routes ------------------------------------------------------------------------------------------
def _query(request: Request, first: date | None, last: date | None, group: str) -> dict:
    service = context(request).metrics
    return service.report(service.range(first, last), group)


@router.get("", **reply(MetricsOut, also=BAD_RANGE))
def metrics(request: Request, first: date | None = Query(None, alias="from"),
            last: date | None = Query(None, alias="to"), group: Group = "day",
            _: Principal = Depends(_readers)) -> dict:
    return _query(request, first, last, group)


@router.get(".csv", responses={200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                               **BAD_RANGE})
def metrics_csv(request: Request, first: date | None = Query(None, alias="from"),
                last: date | None = Query(None, alias="to"), group: Group = "day",
                _: Principal = Depends(_readers)) -> Response:
    body = _query(request, first, last, group)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(context(request).metrics.csv_rows(body))
    name = f"kuaichu-metrics-{body['from']}-{body['to']}-{body['group']}.csv"
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/now", **reply(NowOut))
def now(request: Request, _: Principal = Depends(_readers)) -> dict:
    ctx = context(request)
    return ctx.metrics.now(ctx.hub.seat_presence())

"""The first draft of a liability document's 交通事故事实, written from the case as the seat and server see it.

Pure and shared: the officer's workspace shows this draft (rewritten while the officer
changes the violations, until they edit it), and the server uses the same function when a
preview is asked for without facts. The officer sends the final wording; this is only
where it starts.

The input is the case as ``GET /api/cases/{id}`` returns it (``accident_at`` or
``created_at``, ``district``, ``location``, ``parties``, ``operator_notes``, ``answers``)
and the behaviours chosen per party id. Directions are used where a party carries one.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

PARTY_LABELS = ("甲", "乙", "丙", "丁")
DEFAULT_TZ = "Asia/Shanghai"
_INJURIES = {"none": "事故未造成人员受伤", "minor": "事故造成人员轻微受伤"}


def party_label(position: int) -> str:
    """``1 -> "甲方"``, as on the document."""
    return f"{PARTY_LABELS[position - 1]}方" if 1 <= position <= len(PARTY_LABELS) else f"第{position}方"


def plate_with_dot(plate: str) -> str:
    """``川A12345 -> 川A·12345``, as plates are printed; an empty or already dotted plate is kept."""
    plate = (plate or "").strip().upper()
    if len(plate) < 3 or "·" in plate:
        return plate
    return f"{plate[:2]}·{plate[2:]}"


def mode_of_travel(party: Mapping[str, Any]) -> str:
    """交通方式, e.g. 驾驶小型轿车 / 驾驶非机动车."""
    vehicle = str(party.get("vehicle_type") or "").strip()
    if party.get("kind") == "non_motor":
        return f"驾驶{vehicle}" if vehicle else "驾驶非机动车"
    return f"驾驶{vehicle or '机动车'}"


def local_time_text(moment: datetime | str | None, tz: tzinfo) -> str:
    """``2026年12月2日12时05分`` in local time; "" when unknown."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return ""
    if moment is None:
        return ""
    local = moment.astimezone(tz) if moment.tzinfo else moment
    return f"{local.year}年{local.month}月{local.day}日{local.hour}时{local.minute:02d}分"


def place_text(case: Mapping[str, Any]) -> str:
    """The district and, when known, the coordinates: 成都市武侯区（北纬30.64120°，东经104.04310°）."""
    district = str(case.get("district") or "").strip()
    location = case.get("location") or {}
    lat, lon = location.get("lat"), location.get("lon")
    if lat is None or lon is None:
        return district
    coords = f"{'北纬' if lat >= 0 else '南纬'}{abs(lat):.5f}°，{'东经' if lon >= 0 else '西经'}{abs(lon):.5f}°"
    return f"{district}（{coords}）" if district else coords


def _who(party: Mapping[str, Any]) -> str:
    label = party_label(int(party.get("position") or 1))
    name = str(party.get("driver_name") or "").strip()
    plate = plate_with_dot(str(party.get("plate") or ""))
    direction = str(party.get("direction") or "").strip()
    text = f"{label}{name}{mode_of_travel(party)}"
    if plate:
        text += f"（{plate}）"
    if direction:
        text += direction
    return text


def _answers_text(answers: Mapping[str, Any]) -> str:
    parts = []
    injuries = answers.get("injuries")
    if injuries in _INJURIES:
        parts.append(_INJURIES[injuries])
    if answers.get("vehicles_movable") is True:
        parts.append("车辆可以自行移动")
    elif answers.get("vehicles_movable") is False:
        parts.append("车辆不能自行移动")
    return "，".join(parts)


def _sentence(text: str) -> str:
    text = text.strip().rstrip("。；;，, ")
    return f"{text}。" if text else ""


def draft_facts(case: Mapping[str, Any], violations: Mapping[int, Sequence[str]] | None = None,
                tz: tzinfo | str = DEFAULT_TZ) -> str:
    """The draft facts: when and where, who drove what, the course of events, and each party's violations.

    ``violations`` maps a party id to the behaviours chosen for it (plain Chinese, from the catalogue).
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    violations = violations or {}
    parties = sorted(case.get("parties") or (), key=lambda p: int(p.get("position") or 0))
    when = local_time_text(case.get("accident_at") or case.get("created_at"), zone)
    where = place_text(case)
    who = ""
    for i, p in enumerate(parties):  # after a direction, a comma before the next party reads better
        joiner = "" if i == 0 else ("，与" if parties[i - 1].get("direction") else "与")
        who += joiner + _who(p)
    who = who or "当事各方"
    opening = f"{when}，" if when else ""
    opening += f"{who}在{where}发生交通事故" if where else f"{who}发生交通事故"
    lines = [_sentence(opening)]
    notes = str(case.get("operator_notes") or "").strip()
    if notes:
        lines.append(_sentence(f"经过：{notes}"))
    answers = _answers_text(case.get("answers") or {})
    if answers:
        lines.append(_sentence(answers))
    faults = []
    for p in parties:
        chosen = [v.strip() for v in violations.get(int(p.get("id") or 0), ()) if v and v.strip()]
        if chosen:
            faults.append(f"{party_label(int(p.get('position') or 1))}{'，'.join(chosen)}")
    if faults:
        lines.append(_sentence("；".join(faults)))
    return "".join(lines)

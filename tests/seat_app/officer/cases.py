"""A case awaiting liability as ``GET /api/cases/{id}`` gives it, and the queue frame that announces it."""
from __future__ import annotations

from typing import Any

import numpy as np

from seat_app.services.imaging import encode_jpeg
from tests.seat_app.doubles import PASSED, FakeApi

PARTIES = [
    {"position": 1, "kind": "motor", "driver_name": "张伟", "id_number": "510104198803150017", "phone": "13800000001",
     "licence_class": "C1", "plate": "川A·5F7K2", "vehicle_type": "小型轿车", "owner": "张伟",
     "insurer": "中国人民财产保险", "policy_number": "PDAA202651010000012345"},
    {"position": 2, "kind": "motor", "driver_name": "李娜", "id_number": "510105199001020026", "phone": "13800000002",
     "licence_class": "C1", "plate": "川A·D3E19", "vehicle_type": "小型普通客车", "owner": "李娜",
     "insurer": "平安财产保险", "policy_number": "10560003900112345678"},
]


def officer_case(case_id: int = 5, parties: int = 2, **extra: Any) -> dict[str, Any]:
    case = {
        "id": case_id, "number": f"KC2026-{case_id:04d}", "state": "awaiting_liability", "district": "锦江区",
        "location": {"lat": 30.6571, "lon": 104.0802, "accuracy_m": 8.0}, "safety": {}, "priority": 0,
        "answers": {"injuries": "none", "drink_drugs_flight": False, "vehicles_movable": True,
                    "safety_confirmed": True},
        "eligibility": {"rules": [{"key": "vehicle_count", "status": "met", "reason_zh": "两车事故"},
                                  {"key": "injuries", "status": "met", "reason_zh": "无人受伤"}]},
        "weather": "晴", "operator_notes": "乙车由右侧车道向左变道时与甲车右前部刮擦。",
        "submitted_at": "2026-05-01T08:20:00+00:00", "officer_user_id": None, "officer_name": "",
        "parties": [dict(p, id=case_id * 10 + p["position"], verification=PASSED) for p in PARTIES[:parties]],
    }
    case.update(extra)
    return case


def queue_item(case: dict[str, Any], waiting_s: float, **extra: Any) -> dict[str, Any]:
    item = {"case_id": case["id"], "number": case["number"], "submitted_at": case["submitted_at"],
            "waiting_s": waiting_s, "district": case["district"], "parties": len(case["parties"]),
            "officer_user_id": case.get("officer_user_id"), "officer_name": case.get("officer_name", ""),
            "sent_back": False}
    item.update(extra)
    return item


def add_evidence(api: FakeApi, case: dict[str, Any]) -> None:
    """A scene picture with two OCR boxes, and one recording segment."""
    api.upload_evidence(case["id"], encode_jpeg(np.full((360, 640, 3), 120, dtype=np.uint8)), kind="photo",
                        label="scene", party_id=None)
    api.uploads[-1]["ocr"] = {"items": [{"box": [40, 60, 120, 40], "text": "川A·5F7K2", "field": "plate",
                                         "valid": True, "confidence": 0.98}]}
    api.uploads[-1]["content_type"] = "image/jpeg"
    api.upload_recording(case["id"], b"not really a video", filename="case-5-000.mp4")
    api.uploads.append({"id": next(api.evidence_ids), "case_id": case["id"], "kind": "recording", "label": "",
                        "content_type": "video/mp4", "captured_at": "2026-05-01T08:05:00+00:00"})

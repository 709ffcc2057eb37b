"""`kuaichu-server seed-demo` leaves two cases for officer1 to decide, with real evidence, on both databases."""
from __future__ import annotations

import hashlib
import json

from fastapi.testclient import TestClient

from server.app import create_app
from server.cli import main
from server.services.demo_cases import DEMO_CASES, evidence_dir, party_fields
from server.services.demo_seed import DEMO_PASSWORD
from server.settings import Settings
from tests.server.test_cli import cli_env  # noqa: F401 - the fixture

NUMBERS = {d.number for d in DEMO_CASES}


def _officer(client: TestClient) -> dict[str, str]:
    r = client.post("/api/auth/login", json={"username": "officer1", "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_seed_demo_leaves_two_cases_with_real_evidence_for_officer1(cli_env, capsys):  # noqa: F811
    assert main(["seed-demo"]) == 0
    assert main(["seed-demo"]) == 0  # a second run adds nothing
    out = capsys.readouterr().out
    assert out.count("KCDEMO-0001") == 2 and "awaiting_liability" in out
    app = create_app(Settings())
    try:
        with TestClient(app) as client:
            officer = _officer(client)
            listed = client.get("/api/cases", params={"state": "awaiting_liability"}, headers=officer).json()
            demo = [c for c in listed["items"] if c["number"] in NUMBERS]
            assert sorted(c["number"] for c in demo) == sorted(NUMBERS), "each once, after two seeds"
            for summary in demo:
                _check_case(client, officer, summary["id"])
    finally:
        app.state.ctx.engine.dispose()
    assert main(["verify-audit"]) == 0


def _check_case(client: TestClient, officer: dict[str, str], case_id: int) -> None:
    case = client.get(f"/api/cases/{case_id}", headers=officer).json()
    story = next(d for d in DEMO_CASES if d.number == case["number"])
    assert (case["weather"], case["operator_notes"]) == (story.weather, story.notes)
    assert (case["location"]["lat"], case["location"]["lon"]) == (story.latitude, story.longitude)
    assert case["answers"]["injuries"] == "none" and case["submitted_at"]
    registry = json.loads(Settings().registry_demo_file.read_text(encoding="utf-8"))
    for party, wanted in zip(case["parties"], story.parties):
        expected = party_fields(registry, wanted)
        assert party["plate"] == expected["plate"] and party["insurer"] == expected["insurer"]
        assert {c["status"] for c in party["verification"].values()} == {"passed"}, party["verification"]
    evidence = client.get(f"/api/cases/{case_id}/evidence", headers=officer).json()["items"]
    by_name = {name: (label, position) for name, label, position in story.pictures()}
    assert len(evidence) == len(by_name) == 7
    positions = {p["id"]: p["position"] for p in case["parties"]}
    shipped = json.loads((evidence_dir() / "ocr.json").read_text(encoding="utf-8"))
    for item in evidence:
        name = next(n for n in by_name if hashlib.sha256((evidence_dir() / n).read_bytes()).hexdigest()
                    == item["sha256"])
        assert (item["label"], positions.get(item["party_id"])) == by_name[name]
        assert item["ocr"] == shipped[name]
        content = client.get(item["content_url"], headers=officer)
        assert hashlib.sha256(content.content).hexdigest() == item["sha256"]
    plates = {e["ocr"]["fields"].get("plate") for e in evidence if e["label"] == "plate"}
    assert plates & {p.plate for p in story.parties}, "the seat's OCR read a plate"
    audit = [e["action"] for e in client.get(f"/api/cases/{case_id}/audit", headers=officer).json()["items"]]
    for step in ("open", "answer", "start_collection", "party_verified", "evidence_added", "case_noted", "submit"):
        assert step in audit, step
    assert audit.index("answer") < audit.index("start_collection") < audit.index("submit") == len(audit) - 1

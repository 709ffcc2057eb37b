"""Two demo cases already waiting for the officer, so a newcomer who logs in as officer1 can decide one at once.

Each case is built the way a real one is: opened from the public page, located by the phone, answered and
collected by operator1, two motor parties typed in from the demo registry and checked against it by the real
checks service, seven pictures stored through the evidence service (real blobs with their sha256, the seat's
OCR reading in each one's ``ocr``), the eligibility answers, the weather and the operator's notes, and
submitted through the guarded transition. So the audit trail is the real one, and the registry results are
genuine.

The pictures are pre-rendered JPEGs in ``server/resources/demo_evidence/`` with the seat's OCR results in
``ocr.json`` beside them; ``scripts/render_demo_evidence.py`` draws them (with kuaichu_artwork, which the
server may not import) and reads them (with the seat's OCR, which the server may not import either).

A demo case is known by its fixed number, so seeding twice adds nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.city_config import load_city_rules, load_service_area
from server.adapters.db import unit_of_work
from server.adapters.orm import Case, User
from server.adapters.registry import make_registry
from server.adapters.storage import make_blob_store
from server.resource_files import package_dir, resource
from server.services.cases import Actor, CaseService
from server.services.checks import CheckService
from server.services.evidence import EvidenceService
from server.services.scene import SceneService
from server.settings import Settings

OPERATOR = "operator1"
ANSWERS = {"injuries": "none", "drink_drugs_flight": False, "vehicles_movable": True, "motor_at_fault": True,
           "safety_confirmed": True}


@dataclass(frozen=True)
class DemoParty:
    id_number: str  # the driver in the demo registry
    plate: str  # the vehicle and its policy in the demo registry
    phone: str


@dataclass(frozen=True)
class DemoCase:
    number: str
    parties: tuple[DemoParty, DemoParty]
    weather: str
    notes: str
    latitude: float
    longitude: float
    seed: int  # for the drawings of scripts/render_demo_evidence.py

    def pictures(self) -> list[tuple[str, str, int | None]]:
        """(file name, evidence label, party position or None) of the seven pictures the checklist wants."""
        shots: list[tuple[str, str, int | None]] = [(f"{self.number}-{label}.jpg", label, None)
                                                   for label in ("scene", "impact", "together")]
        for position in (1, 2):
            shots += [(f"{self.number}-{label}-{position}.jpg", label, position) for label in ("plate", "licence")]
        return shots


DEMO_CASES = (
    DemoCase("KCDEMO-0001",
             (DemoParty("510104198503127714", "川A5F7K2", "13800000001"),
              DemoParty("51010719900823468X", "川AD35812", "13800000002")),
             "晴", "甲车（川A5F7K2）沿人民南路由南向北直行，乙车（川AD35812）在甲车右侧车道向左变更车道，"
                  "乙车左前角与甲车右后门剐蹭。双方均称未受伤，两车可自行移动，已开启危险报警闪光灯并放置警示牌。",
             30.6574, 104.0658, 1),
    DemoCase("KCDEMO-0002",
             (DemoParty("510106197811022138", "川A3Q861", "13800000003"),
              DemoParty("510104198503127714", "川A5F7K2", "13800000004")),
             "雨", "乙车（川A5F7K2）在蜀都大道东向西方向红灯前停车等候，甲车（川A3Q861，货车）跟随其后未能及时停住，"
                  "甲车前保险杠撞到乙车后保险杠。路面湿滑，无人受伤，两车可以移动。",
             30.6617, 104.0780, 2),
)


def evidence_dir() -> Path:
    return package_dir("resources", "demo_evidence")


def load_ocr() -> dict[str, Any]:
    """File name -> the seat's OCR result for it, as the seat PUTs it (``overlay_json``)."""
    return json.loads((evidence_dir() / "ocr.json").read_text(encoding="utf-8"))


def party_fields(registry: dict[str, Any], party: DemoParty) -> dict[str, str]:
    """What the operator would type (or OCR fill) for the party: driver, vehicle and policy from the registry."""
    driver = next(d for d in registry["drivers"] if d["id_number"] == party.id_number)
    vehicle = next(v for v in registry["vehicles"] if v["plate"] == party.plate)
    policy = next(p for p in registry["policies"] if p["plate"] == party.plate)
    return {
        "phone": party.phone, "driver_name": driver["name"], "id_number": driver["id_number"],
        "licence_class": driver["licence_class"], "licence_valid_from": driver["valid_from"],
        "licence_valid_until": driver["valid_until"], "plate": vehicle["plate"],
        "plate_colour": vehicle["plate_colour"], "vehicle_type": vehicle["vehicle_type"], "vin": vehicle["vin"],
        "owner": vehicle["owner"], "insurer": policy["insurer_name"], "policy_number": policy["policy_number"],
        "insurance_valid_from": policy["valid_from"], "insurance_valid_until": policy["valid_until"],
    }


class DemoCaseSeeder:
    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self._factory = factory
        self.cases = CaseService(factory)
        self.scene = SceneService(factory)
        self.evidence = EvidenceService(factory, make_blob_store(settings), settings)
        # The demo's all-day rules, so a seed at night still submits; registry and area are the configured ones.
        rules = load_city_rules(resource("demo_city_rules.toml"), settings.timezone)
        self.checks = CheckService(factory, make_registry(settings), rules,
                                   load_service_area(settings.service_area_file), settings.timezone)
        self.registry = json.loads(Path(settings.registry_demo_file).read_text(encoding="utf-8"))

    def seed(self) -> list[str]:
        operator = self._operator()
        ocr = load_ocr()
        lines = []
        for demo in DEMO_CASES:
            state = self._state_of(demo.number)
            if state is None:
                self._build(demo, operator, ocr)
                state = S.AWAITING_LIABILITY.value
            plates = " / ".join(p.plate for p in demo.parties)
            lines.append(f"demo case {demo.number:12} {state:18} {plates}")
        return lines

    def _operator(self) -> Actor:
        with self._factory() as s:
            user = s.scalar(select(User).where(User.username == OPERATOR))
            if user is None:
                raise LookupError(f"demo user {OPERATOR} is missing: seed the demo users first")
            return Actor(user.role, f"user:{user.id}", user_id=user.id)

    def _state_of(self, number: str) -> str | None:
        with self._factory() as s:
            return s.scalar(select(Case.state).where(Case.number == number))

    def _build(self, demo: DemoCase, op: Actor, ocr: dict[str, Any]) -> None:
        case_id = self._open(demo)
        self.cases.transition(case_id, S.IN_CALL, op, changes={"seat_user_id": op.user_id,
                                                                 "last_seat_user_id": op.user_id, "priority": 0})
        self.cases.transition(case_id, S.COLLECTING, op)
        party_ids = [self.cases.get(case_id).parties[0].id, self.cases.add_party(case_id, op, "motor").id]
        for party_id, party in zip(party_ids, demo.parties):
            self.cases.update_party(case_id, party_id, party_fields(self.registry, party), op)
            self.checks.verify(case_id, party_id, op)
        for name, label, position in demo.pictures():
            data = (evidence_dir() / name).read_bytes()
            row = self.evidence.add(case_id, data, "frame", op, label=label,
                                    party_id=party_ids[position - 1] if position else None,
                                    latitude=demo.latitude, longitude=demo.longitude)
            self.evidence.set_ocr(row.id, ocr[name], op)
        self.checks.set_answers(case_id, ANSWERS, op)
        self.cases.update_notes(case_id, op, weather=demo.weather, notes=demo.notes)
        self.cases.transition(case_id, S.AWAITING_LIABILITY, op, guard=self.checks.submission_guard)

    def _open(self, demo: DemoCase) -> int:
        """The reporter opens the case from the public page and the phone sends its position."""
        case = self.cases.open_case("public", reporter_phone=demo.parties[0].phone)
        with unit_of_work(self._factory) as s:  # the fixed number is what makes the seed idempotent
            s.get(Case, case.id).number = demo.number
        reporter = Actor.party(case.id, case.parties[0].id)
        self.scene.record_location(reporter, demo.latitude, demo.longitude, 8.0)
        return case.id


def seed_demo_cases(factory: sessionmaker[Session], settings: Settings) -> list[str]:
    return DemoCaseSeeder(factory, settings).seed()

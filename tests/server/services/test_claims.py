"""One-click claims: one report per party, delivered exactly once to the insurer's webhook, valid by its schema."""
from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import zipfile
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select

from server.adapters.db import make_engine, make_session_factory, unit_of_work
from server.adapters.insurers import InsurerWebhooks
from server.adapters.orm import AuditEvent, Case, ClaimReport, Document, Evidence, Party, SmsMessage
from server.adapters.storage import LocalBlobStore
from server.domain.insurers import InsurerTable
from server.domain.sms_templates import SmsTemplates
from server.resource_files import resource
from server.services.claims import ClaimService
from server.services.errors import Conflict
from server.services.outbox import RetryPolicy
from server.services.signed_urls import UrlSigner

T0 = datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)
SCHEMA = json.loads(resource("claim_report.schema.json").read_text(encoding="utf-8"))
PDF = b"%PDF-1.4 liability document\n%%EOF\n"
PHOTO = b"\xff\xd8\xff\xe0 a scene photo \xff\xd9"


class Insurer:
    """A local insurer webhook that, as a real one must, accepts each Idempotency-Key once."""

    def __init__(self) -> None:
        self.down = False
        self.delay_s = 0.0
        self.posts: list[tuple[str, dict]] = []
        self.accepted: dict[str, dict] = {}
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key", "")
                with owner.lock:
                    owner.posts.append((key, body))
                if owner.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                time.sleep(owner.delay_s)
                with owner.lock:
                    owner.accepted.setdefault(key, body)
                reply = json.dumps({"reference": f"RPT-{key}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/claims"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def insurer():
    server = Insurer()
    yield server
    server.close()


@pytest.fixture
def factory(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


def make_service(factory, store, insurer, *, webhooks=None, lease_s=30.0) -> ClaimService:
    urls = webhooks if webhooks is not None else {"PICC": insurer.url, "CPIC": insurer.url}
    return ClaimService(
        factory, InsurerTable.from_toml(resource("insurers.toml").read_text(encoding="utf-8")),
        InsurerWebhooks(urls, {"PICC": "Bearer picc-secret"}, timeout_seconds=5.0),
        UrlSigner(b"k" * 32, "https://kc.example"), store,
        SmsTemplates.from_toml(resource("sms_templates.toml").read_text(encoding="utf-8")), "Asia/Shanghai",
        policy=RetryPolicy(max_attempts=5, base_seconds=1.0, max_seconds=4.0, lease_seconds=lease_s))


def insurance(code: str) -> dict:
    return {"insurance": {"status": "passed", "reason_zh": "交强险有效", "problems": [],
                          "details": {"insurer": code, "policy_number": "P1"}}}


def seed(factory, store, *, second_kind="motor", second_insurer="CPIC", first="full", second="none",
         document=True, n=1) -> tuple[int, int, int]:
    """A determined case: 甲 (PICC) and 乙, a photo and (by default) the issued document."""
    with unit_of_work(factory) as s:
        case = Case(number=f"KC20261202-000{n}AB", state="determined", source="public", district="锦江区",
                    latitude=30.65, longitude=104.08, weather="晴", accident_at=T0 - timedelta(hours=1))
        s.add(case)
        s.flush()
        a = Party(case_id=case.id, position=1, kind="motor", phone="13800138001", driver_name="王建国",
                  plate="川A5F7K2", insurer="中国人民财产保险股份有限公司", policy_number="PDZA202551010000418723",
                  verification=insurance("PICC"))
        b = Party(case_id=case.id, position=2, kind=second_kind, phone="13800138002", driver_name="李秀英",
                  plate="川A3Q861" if second_kind == "motor" else "", policy_number="10501003902025000120458",
                  verification=insurance(second_insurer) if second_kind == "motor" else {})
        s.add_all([a, b])
        s.flush()
        photo_sha = store.put(PHOTO)
        s.add(Evidence(case_id=case.id, sha256=photo_sha, kind="photo", content_type="image/jpeg",
                       size_bytes=len(PHOTO), label="scene"))
        if document:
            pdf_sha = store.put(PDF)
            pdf = Evidence(case_id=case.id, sha256=pdf_sha, kind="document", content_type="application/pdf",
                           size_bytes=len(PDF), label="liability")
            s.add(pdf)
            s.flush()
            s.add(Document(case_id=case.id, number=f"KC2026-00000{n}", year=2026, seq=n, sha256=pdf_sha,
                           size_bytes=len(PDF), evidence_id=pdf.id,
                           decision={"parties": [{"party_id": a.id, "responsibility": first, "violations": ["V001"]},
                                                 {"party_id": b.id, "responsibility": second, "violations": []}]}))
        return case.id, a.id, b.id


def count(factory, model, *where) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_one_tap_reports_once_and_the_insurer_receives_one_valid_report(factory, store, insurer):
    claims = make_service(factory, store, insurer)
    case_id, a, _ = seed(factory, store)
    assert claims.options(case_id, a).one_click

    report = claims.report(case_id, a, "https://kc.example/p/TOKEN", now=T0)
    assert report.status == "pending"
    assert claims.deliver_due(T0) == 1

    [(key, body)] = insurer.posts
    assert key == f"kuaichu-claim-{report.id}" == body["report_id"]
    jsonschema.validate(body, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert body["insurer"] == "PICC" and body["document_number"] == "KC2026-000001"
    assert [p["responsibility"] for p in body["parties"]] == ["full", "none"]
    assert body["document"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    options = claims.options(case_id, a)
    assert (options.status, options.reference, options.one_click) == ("sent", f"RPT-{key}", False)
    assert count(factory, AuditEvent, AuditEvent.action == "claim_reported") == 1
    assert count(factory, AuditEvent, AuditEvent.action == "claim_sent") == 1
    with factory() as s:
        [sms] = s.scalars(select(SmsMessage).where(SmsMessage.phone == "13800138001"))
    assert "中国人保" in sms.text or "人保" in sms.text
    assert "https://kc.example/p/TOKEN" in sms.text


def test_a_double_tap_a_reload_and_two_racing_taps_make_one_report(factory, store, insurer):
    claims = make_service(factory, store, insurer)
    case_id, a, _ = seed(factory, store)
    barrier, ids = threading.Barrier(3), []

    def tap():
        barrier.wait()
        ids.append(claims.report(case_id, a, "L", now=T0).id)

    threads = [threading.Thread(target=tap) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1
    assert claims.report(case_id, a, "L", now=T0).id == ids[0]  # the reload
    assert count(factory, ClaimReport) == 1
    assert count(factory, AuditEvent, AuditEvent.action == "claim_reported") == 1
    claims.deliver_due(T0)
    assert len(insurer.accepted) == 1


@pytest.mark.fault
def test_an_insurer_down_for_a_while_gets_the_report_once_it_is_back(factory, store, insurer):
    claims = make_service(factory, store, insurer)
    case_id, a, _ = seed(factory, store)
    claims.report(case_id, a, "L", now=T0)
    insurer.down = True
    now = T0
    for _ in range(3):
        claims.deliver_due(now)
        now += timedelta(seconds=10)
    assert len(insurer.posts) == 3 and not insurer.accepted
    assert claims.options(case_id, a).status == "pending"
    insurer.down = False
    claims.deliver_due(now)
    assert len(insurer.accepted) == 1
    claims.deliver_due(now + timedelta(minutes=10))
    assert len(insurer.posts) == 4  # nothing is sent again once acknowledged


def test_a_slow_answer_racing_a_retry_is_accepted_once(factory, store, insurer):
    """The first post outlives its lease; a second worker re-sends; the insurer keeps one report per key."""
    claims_a = make_service(factory, store, insurer, lease_s=0.5)
    claims_b = make_service(factory, store, insurer, lease_s=0.5)
    case_id, a, _ = seed(factory, store)
    claims_a.report(case_id, a, "L", now=T0)
    insurer.delay_s = 1.5
    slow = threading.Thread(target=claims_a.deliver_due, args=(T0,))
    slow.start()
    deadline = time.monotonic() + 10
    while not insurer.posts and time.monotonic() < deadline:
        time.sleep(0.02)
    claims_b.deliver_due(T0 + timedelta(seconds=1))  # the lease (0.5 s) has run out by then
    slow.join()
    keys = [key for key, _ in insurer.posts]
    assert len(keys) == 2 and len(set(keys)) == 1
    assert len(insurer.accepted) == 1
    with factory() as s:
        assert s.scalars(select(ClaimReport.status)).one() == "sent"


def test_no_document_no_claim(factory, store, insurer):
    claims = make_service(factory, store, insurer)
    case_id, a, _ = seed(factory, store, document=False)
    options = claims.options(case_id, a)
    assert not options.one_click and "认定书" in options.refused
    with pytest.raises(Conflict):
        claims.report(case_id, a, "L", now=T0)
    assert count(factory, ClaimReport) == 0


def test_an_insurer_without_one_click_gets_the_hotline(factory, store, insurer):
    claims = make_service(factory, store, insurer)
    case_id, _, b = seed(factory, store, second_insurer="SUNSHINE", first="equal", second="equal")
    options = claims.options(case_id, b)
    assert not options.one_click and options.phone == "95510" and "95510" in options.refused


def test_motor_against_non_motor_only_while_the_motor_vehicle_is_at_fault(factory, store, insurer):
    claims = make_service(factory, store, insurer)
    case_id, a, b = seed(factory, store, second_kind="non_motor", first="none", second="full")
    assert "机动车一方有责任" in claims.options(case_id, a).refused
    assert "非机动车" in claims.options(case_id, b).refused
    case_id2, a2, _ = seed(factory, store, second_kind="non_motor", first="full", second="none", n=2)
    assert claims.options(case_id2, a2).one_click


def test_an_insurer_without_a_webhook_keeps_the_report_for_the_claims_desk(factory, store, insurer):
    claims = make_service(factory, store, insurer, webhooks={})
    case_id, a, _ = seed(factory, store)
    report = claims.report(case_id, a, "L", now=T0)
    assert report.status == "stored"
    assert claims.deliver_due(T0) == 0 and insurer.posts == []
    jsonschema.validate(report.payload, SCHEMA)


def test_the_claim_pack_holds_the_document_the_photos_and_a_summary(factory, store, insurer):
    claims = make_service(factory, store, insurer)
    case_id, _, b = seed(factory, store, second_insurer="SUNSHINE")
    with zipfile.ZipFile(io.BytesIO(claims.claim_pack(case_id, b, now=T0))) as pack:
        names = pack.namelist()
        assert pack.read("责任认定书-KC2026-000001.pdf") == PDF
        assert [n for n in names if n.startswith("照片/")] == ["照片/01-scene.jpg"]
        summary = pack.read("summary.txt").decode()
        assert "王建国" in summary and "川A5F7K2" in summary and "全部责任" in summary
        jsonschema.validate(json.loads(pack.read("report.json")), {**SCHEMA, "properties": {
            **SCHEMA["properties"], "report_id": {"type": "string"}}})
    assert count(factory, AuditEvent, AuditEvent.action == "claim_pack_downloaded") == 1


def test_signed_links_open_until_they_expire_and_not_when_altered():
    signer = UrlSigner(b"s" * 32, "https://kc.example/")
    signed = signer.sign("evidence", 42, timedelta(hours=1), T0)
    assert signed.url.startswith("https://kc.example/f/evidence/42?e=")
    expires = int(signed.url.split("e=")[1].split("&")[0])
    signature = signed.url.split("s=")[1]
    assert signer.valid("evidence", 42, expires, signature, T0)
    assert not signer.valid("evidence", 43, expires, signature, T0)
    assert not signer.valid("document", 42, expires, signature, T0)
    assert not signer.valid("evidence", 42, expires + 3600, signature, T0)
    assert not signer.valid("evidence", 42, expires, signature, T0 + timedelta(hours=2))
    assert not UrlSigner(b"t" * 32, "https://kc.example").valid("evidence", 42, expires, signature, T0)

"""Evidence through HTTP and the service: idempotent content-addressed uploads, fake files, limits, traversal."""
from __future__ import annotations

import asyncio
import hashlib
import io
import json
import threading
from pathlib import Path

import pytest
from PIL import Image

from server.adapters.storage import BlobIdError, LocalBlobStore
from server.services.cases import Actor
from server.services.evidence import EvidenceCorrupted
from server.settings import Settings
from tests.support.media import recording

UPLOAD_LIMIT = 64 * 1024
RECORDING_LIMIT = 128 * 1024


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db_url,
                    max_upload_bytes=UPLOAD_LIMIT, max_recording_bytes=RECORDING_LIMIT)


def image_bytes(fmt: str = "JPEG", colour=(200, 30, 30), size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, fmt)
    return buf.getvalue()


def upload(client, case_id, headers, data: bytes, name="frame.jpg", **fields):
    form = {"kind": "frame", **{k: str(v) for k, v in fields.items()}}
    return client.post(f"/api/cases/{case_id}/evidence", headers=headers, data=form,
                       files={"file": (name, data, "application/octet-stream")})


def stored_files(settings: Settings) -> list[Path]:
    return [p for p in settings.evidence_dir.rglob("*") if p.is_file()]


def test_upload_keeps_bytes_dimensions_and_an_audit_event(client, auth_headers, held_case, app):
    data = image_bytes()
    r = upload(client, held_case, auth_headers("operator"), data, label="impact", lat=30.6, lon=104.06)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert (body["content_type"], body["width"], body["height"]) == ("image/jpeg", 64, 48)
    assert body["location"] == {"lat": 30.6, "lon": 104.06} and body["label"] == "impact"
    content = client.get(body["content_url"], headers=auth_headers("officer"))
    assert content.status_code == 200
    assert content.content == data
    assert content.headers["content-type"] == "image/jpeg"
    assert content.headers["x-content-type-options"] == "nosniff"
    with app.state.ctx.session_factory() as s:
        from server.services.audit import events_for_case
        added = [e for e in events_for_case(s, held_case) if e.action == "evidence_added"]
    assert [e.detail["sha256"] for e in added] == [body["sha256"]]


def test_same_bytes_are_one_evidence_per_case_and_one_file_on_disk(client, auth_headers, held_case, app,
                                                                   settings):
    op = auth_headers("operator")
    data = image_bytes(fmt="PNG")
    first = upload(client, held_case, op, data, name="a.png")
    again = upload(client, held_case, op, data, name="b.png")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other_case = app.state.ctx.cases.open_case("public").id
    assert client.post(f"/api/cases/{other_case}/answer", headers=op).status_code == 200
    elsewhere = upload(client, other_case, op, data)
    assert elsewhere.json()["id"] != first.json()["id"]
    listed = client.get(f"/api/cases/{held_case}/evidence", headers=op).json()["items"]
    assert [e["id"] for e in listed] == [first.json()["id"]]
    sha = first.json()["sha256"]
    assert stored_files(settings) == [settings.evidence_dir / sha[:2] / sha[2:4] / sha]


def test_racing_uploads_of_the_same_bytes_make_one_row(app, held_case):
    data, results, errors = image_bytes(fmt="WEBP"), [], []
    barrier = threading.Barrier(4)

    def add():
        barrier.wait()
        try:
            results.append(app.state.ctx.evidence.add(held_case, data, "photo", Actor.system()).id)
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=add) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(results)) == 1
    assert len(app.state.ctx.evidence.list(held_case)) == 1


@pytest.mark.parametrize("name,data", [
    ("notes.jpg", "这不是图片，只是文本。".encode()),
    ("truncated.jpg", image_bytes(size=(320, 240))[:600]),
    ("header-only.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 200),
    ("animated.gif", b"GIF89a" + b"\0" * 100),
])
def test_fake_or_broken_images_are_refused_with_a_clear_message(client, auth_headers, held_case, app,
                                                                 settings, name, data):
    r = upload(client, held_case, auth_headers("operator"), data, name=name)
    assert r.status_code == 422, r.text
    assert r.json()["message"].startswith("不是有效的图片")
    assert app.state.ctx.evidence.list(held_case) == []
    assert stored_files(settings) == []


def test_recordings_accept_webm_and_refuse_images(client, auth_headers, held_case):
    op = auth_headers("operator")
    segment = recording("webm")  # a real VP8 WebM, as a browser's MediaRecorder would make
    r = client.post(f"/api/cases/{held_case}/recordings", headers=op,
                    files={"file": ("seg-0001.webm", segment, "video/webm")}, data={"label": "segment 1"})
    assert r.status_code == 201, r.text
    assert (r.json()["kind"], r.json()["content_type"]) == ("recording", "video/webm")
    r = client.post(f"/api/cases/{held_case}/recordings", headers=op,
                    files={"file": ("seg.webm", image_bytes(), "video/webm")})
    assert r.status_code == 422 and "不是有效的录像" in r.json()["message"]


def test_unknown_case_is_404_for_upload_and_list(client, auth_headers):
    op = auth_headers("operator")
    assert upload(client, 999999, op, image_bytes()).status_code == 404
    assert client.get("/api/cases/999999/evidence", headers=op).status_code == 404


def test_party_of_another_case_is_refused(client, auth_headers, held_case, app):
    other = app.state.ctx.cases.open_case("public")
    r = upload(client, held_case, auth_headers("operator"), image_bytes(), party_id=other.parties[0].id)
    assert r.status_code == 404


@pytest.mark.parametrize("fields,word", [
    ({"kind": "selfie"}, "证据类型"),
    ({"lat": "north"}, "lat"),
    ({"lat": "91", "lon": "0"}, "经纬度"),
    ({"lat": "30.6"}, "同时提供"),
    ({"captured_at": "yesterday"}, "captured_at"),
    ({"captured_at": "2026-05-01T08:30:00"}, "时区"),
    ({"label": "标" * 65}, "标签"),
])
def test_bad_form_fields_are_422(client, auth_headers, held_case, fields, word):
    r = upload(client, held_case, auth_headers("operator"), image_bytes(), **fields)
    assert r.status_code == 422 and word in r.json()["message"], r.text


def test_a_file_over_the_limit_is_413(client, auth_headers, held_case, settings):
    big = image_bytes() + b"\0" * UPLOAD_LIMIT
    r = upload(client, held_case, auth_headers("operator"), big)
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    assert stored_files(settings) == []


def test_a_declared_length_over_the_limit_is_413_before_reading(client, auth_headers, held_case):
    headers = {**auth_headers("operator"), "Content-Type": "multipart/form-data; boundary=x",
               "Content-Length": str(50 * 1024 * 1024)}
    r = client.post(f"/api/cases/{held_case}/evidence", headers=headers, content=b"--x--")
    assert r.status_code == 413


async def test_a_chunked_body_is_cut_off_at_the_limit(app, auth_headers, held_case):
    """Without Content-Length the server must stop reading, not spool the whole body."""
    token = auth_headers("operator")["Authorization"].encode()
    chunk, total_chunks, sent = b"\0" * 16 * 1024, 400, 0  # 6.4 MB offered, limit 64 KB
    prefix = (b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
              b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff")

    async def receive():
        nonlocal sent
        sent += 1
        if sent > total_chunks:
            return {"type": "http.request", "body": b"\r\n--x--\r\n", "more_body": False}
        return {"type": "http.request", "body": prefix if sent == 1 else chunk, "more_body": True}

    replies = []

    async def send(message):
        replies.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": f"/api/cases/{held_case}/evidence", "raw_path": b"", "query_string": b"",
             "root_path": "", "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
             "headers": [(b"authorization", token), (b"content-type", b"multipart/form-data; boundary=x")]}
    await asyncio.wait_for(app(scope, receive, send), timeout=30)
    assert replies[0]["status"] == 413
    assert sent < 20, f"read {sent} chunks of a body that was over the limit after 6"


def test_content_endpoint_refuses_traversal_and_non_numeric_ids(client, auth_headers):
    officer = auth_headers("officer")
    for path in ("/api/evidence/..%2F..%2Fetc%2Fpasswd/content", "/api/evidence/../../etc/passwd",
                 "/api/evidence/%2e%2e/content", "/api/evidence/1%2F..%2F..%2Fetc%2Fpasswd/content",
                 "/api/evidence/-1/content", "/api/evidence/999999/content"):
        r = client.get(path, headers=officer)
        assert r.status_code in (404, 422), (path, r.status_code)
        assert b"root:" not in r.content


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "A" * 64, "a" * 63, "a" * 65,
                                  "../" + "a" * 61, "a" * 62 + "/.", ""])
def test_blob_store_only_accepts_sha256_names(tmp_path, name):
    store = LocalBlobStore(tmp_path / "evidence")
    with pytest.raises(BlobIdError):
        store.open(name)
    with pytest.raises(BlobIdError):
        store.exists(name)


def test_blob_store_put_is_atomic_and_content_addressed(tmp_path):
    store = LocalBlobStore(tmp_path / "evidence")
    sha = store.put(b"evidence")
    assert sha == hashlib.sha256(b"evidence").hexdigest() and store.exists(sha)
    assert store.put(b"evidence") == sha
    with store.open(sha) as f:
        assert f.read() == b"evidence"
    assert [p.name for p in (tmp_path / "evidence").rglob("*") if p.is_file()] == [sha]  # no temp files left


def test_a_changed_file_on_disk_is_detected_on_read(app, held_case, settings):
    row = app.state.ctx.evidence.add(held_case, image_bytes(), "frame", Actor.system())
    path = settings.evidence_dir / row.sha256[:2] / row.sha256[2:4] / row.sha256
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(EvidenceCorrupted):
        app.state.ctx.evidence.open_bytes(row.id)


def test_ocr_is_stored_limited_and_validated(client, auth_headers, held_case):
    op = auth_headers("operator")
    evidence_id = upload(client, held_case, op, image_bytes()).json()["id"]
    url = f"/api/evidence/{evidence_id}/ocr"
    ocr = {"plate": "川A·12345", "note": 'quote " and 中文'}
    r = client.put(url, headers=op, json=ocr)
    assert r.status_code == 200 and r.json()["ocr"] == ocr
    listed = client.get(f"/api/cases/{held_case}/evidence", headers=op).json()["items"]
    assert listed[0]["ocr"] == ocr
    assert client.put(url, headers=op, content=json.dumps({"x": "y" * 300_000})).status_code == 413
    assert client.put(url, headers=op, json=["not", "an", "object"]).status_code == 422
    assert client.put(url, headers=op, content=b"{broken").status_code == 422
    assert client.put("/api/evidence/999999/ocr", headers=op, json={}).status_code == 404


def test_relabelling_a_phone_photo_makes_it_count_and_is_audited(client, auth_headers, held_case, app):
    import io

    from PIL import Image

    op = auth_headers("operator")
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 30)).save(buf, "JPEG")
    row = client.post(f"/api/cases/{held_case}/evidence", headers=op, data={"kind": "photo"},
                      files={"file": ("p.jpg", buf.getvalue(), "image/jpeg")}).json()
    party_id = app.state.ctx.cases.get(held_case).parties[0].id
    r = client.patch(f"/api/evidence/{row['id']}", json={"label": "licence", "party_id": party_id}, headers=op)
    assert r.status_code == 200, r.text
    assert app.state.ctx.evidence.get(row["id"]).label == "licence"
    assert client.patch(f"/api/evidence/{row['id']}", json={"label": "../x"}, headers=op).status_code == 422
    assert client.patch(f"/api/evidence/{row['id']}", json={"label": "plate", "party_id": 99999},
                        headers=op).status_code == 404
    assert client.patch("/api/evidence/99999", json={"label": "plate"}, headers=op).status_code == 404

"""Signed links for insurers: they open the document or a photo until they expire, and nothing else."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from server.adapters.db import unit_of_work
from server.adapters.orm import Case, Document, Evidence

PDF = b"%PDF-1.4 a liability document\n%%EOF\n"


def _seed(app) -> tuple[int, str]:
    ctx = app.state.ctx
    store = ctx.signed_files._store
    with unit_of_work(ctx.session_factory) as s:
        case = Case(number="KC20261202-0009ZZ", state="determined", source="public")
        s.add(case)
        s.flush()
        photo = Evidence(case_id=case.id, sha256=store.put(b"\xff\xd8 photo \xff\xd9"), kind="photo",
                         content_type="image/jpeg", size_bytes=12, label="scene")
        licence = Evidence(case_id=case.id, sha256=store.put(b"\xff\xd8 licence \xff\xd9"), kind="document",
                           content_type="image/jpeg", size_bytes=14, label="licence")
        s.add_all([photo, licence])
        s.add(Document(case_id=case.id, number="KC2026-000009", year=2026, seq=9, sha256=store.put(PDF),
                       size_bytes=len(PDF)))
        s.flush()
        return photo.id, str(licence.id)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_a_signed_link_opens_its_file_as_a_download(client, app):
    photo_id, _ = _seed(app)
    signer, now = app.state.ctx.signed_files.signer, datetime.now(timezone.utc)
    r = client.get(_path(signer.sign("document", "KC2026-000009", timedelta(hours=1), now).url))
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith("attachment")
    r = client.get(_path(signer.sign("evidence", photo_id, timedelta(hours=1), now).url))
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"


def test_an_expired_altered_or_foreign_link_is_refused(client, app):
    photo_id, licence_id = _seed(app)
    signer, now = app.state.ctx.signed_files.signer, datetime.now(timezone.utc)
    expired = signer.sign("evidence", photo_id, timedelta(hours=1), now - timedelta(hours=2)).url
    assert client.get(_path(expired)).status_code == 403
    good = _path(signer.sign("evidence", photo_id, timedelta(hours=1), now).url)
    assert client.get(good.replace(f"/evidence/{photo_id}?", f"/evidence/{photo_id + 1}?")).status_code == 403
    assert client.get(good.replace("/evidence/", "/document/")).status_code == 403
    assert client.get(good[:-1] + ("0" if good[-1] != "0" else "1")).status_code == 403
    assert client.get(good.split("&s=")[0]).status_code == 422
    # only photos are handed out by signed link: a licence scan is not, even with a genuine signature
    assert client.get(_path(signer.sign("evidence", licence_id, timedelta(hours=1), now).url)).status_code == 404
    assert client.get("/f/other/1?e=1&s=" + "0" * 64).status_code == 422

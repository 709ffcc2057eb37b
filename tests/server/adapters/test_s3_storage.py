"""The BlobStore contract on local disk and on an S3-compatible server, and evidence through the API on S3.

The S3 side runs against moto in server mode, started here as its own process on a free loopback port:
boto3 talks real HTTP to it, as it would to MinIO or AWS S3.
"""
from __future__ import annotations

import base64
import hashlib
import io
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from PIL import Image

from server.adapters.storage import (
    BlobIdError,
    BlobNotFound,
    BlobStore,
    BlobStoreUnavailable,
    BlobWriteError,
    LocalBlobStore,
    S3BlobStore,
    make_blob_store,
)
from server.settings import Settings
from tests.support.waiting import wait_for_blocking

pytestmark = pytest.mark.timeout(120)

PREFIX = "evidence/"
HTTP_TIMEOUT = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """URL of a moto S3 server in its own process, stopped when the module's tests are done."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_blocking(lambda: accepts_connections(port) or server.poll() is not None, timeout=60)
        assert server.poll() is None, f"moto_server exited with {server.returncode}"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def s3_settings(endpoint: str, bucket: str, **extra) -> Settings:
    return Settings(storage_backend="s3", s3_endpoint_url=endpoint, s3_bucket=bucket, s3_region="us-east-1",
                    s3_access_key_id="kuaichu-test", s3_secret_access_key="kuaichu-test-secret",
                    s3_prefix=PREFIX, **extra)


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    """A fresh, empty bucket for one test."""
    bucket = f"kuaichu-{uuid.uuid4().hex[:12]}"
    store = make_blob_store(s3_settings(s3_endpoint, bucket))
    store.client.create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture
def s3_store(s3_endpoint: str, s3_bucket: str) -> S3BlobStore:
    store = make_blob_store(s3_settings(s3_endpoint, s3_bucket))
    assert isinstance(store, S3BlobStore)
    return store


def s3_objects(store: S3BlobStore) -> list[tuple[str, int]]:
    listed = store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])
    return sorted((o["Key"], o["Size"]) for o in listed)


def local_objects(store: LocalBlobStore) -> list[tuple[str, int]]:
    return sorted((p.relative_to(store.root).as_posix(), p.stat().st_size) for p in store.root.rglob("*")
                  if p.is_file())


@pytest.fixture(params=["local", "s3"])
def backend(request, tmp_path: Path) -> tuple[BlobStore, Callable[[], list[tuple[str, int]]]]:
    """(a store, a function listing what it holds as (key, size)) for each implementation."""
    if request.param == "local":
        store = make_blob_store(Settings(data_dir=tmp_path / "data"))
        assert isinstance(store, LocalBlobStore)
        return store, lambda: local_objects(store)
    store = request.getfixturevalue("s3_store")
    return store, lambda: s3_objects(store)


# --- the contract, on both stores ---------------------------------------------

def test_put_returns_the_sha256_and_open_gives_the_bytes_back(backend):
    store, _ = backend
    data = b"\x00\xffphoto of the impact" * 100
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.exists(sha)
    with store.open(sha) as f:
        assert f.read() == data


def test_the_same_bytes_twice_are_stored_once(backend):
    store, holdings = backend
    data = b"the same frame"
    assert store.put(data) == store.put(data)
    other = store.put(b"another frame")
    assert len(holdings()) == 2
    assert sorted(size for _, size in holdings()) == sorted([len(data), len(b"another frame")])
    assert store.exists(other)


def test_an_absent_blob_does_not_exist_and_cannot_be_opened(backend):
    store, _ = backend
    absent = hashlib.sha256(b"never stored").hexdigest()
    assert not store.exists(absent)
    with pytest.raises(BlobNotFound):
        store.open(absent)


@pytest.mark.parametrize("name", ["../../etc/passwd", "ABCDEF" + "0" * 58, "0" * 63, "", "0" * 64 + "/x"])
def test_only_sha256_names_are_accepted(backend, name):
    store, _ = backend
    for call in (store.open, store.exists, lambda n: store.signed_url(n, 60)):
        with pytest.raises(BlobIdError):
            call(name)


def test_open_streams_a_large_blob_in_chunks(backend):
    store, _ = backend
    data = bytes(range(256)) * 8192  # 2 MiB
    sha = store.put(data)
    chunks = []
    with store.open(sha) as f:
        while chunk := f.read(64 * 1024):
            chunks.append(chunk)
    assert b"".join(chunks) == data
    assert max(len(c) for c in chunks) <= 64 * 1024 and len(chunks) >= 32


# --- S3 only ------------------------------------------------------------------

def test_s3_keys_are_the_prefix_two_hex_digits_and_the_sha256(s3_store):
    data = b"content-addressed"
    sha = s3_store.put(data)
    assert s3_objects(s3_store) == [(f"{PREFIX}{sha[:2]}/{sha}", len(data))]


def test_s3_put_of_bytes_already_stored_sends_no_second_upload(s3_store):
    puts: list[str] = []
    s3_store.client.meta.events.register("before-call.s3.PutObject", lambda params, **_: puts.append("put"))
    s3_store.put(b"uploaded twice by a flaky phone")
    s3_store.put(b"uploaded twice by a flaky phone")
    assert puts == ["put"]


def test_s3_put_asks_the_store_to_check_the_sha256_of_the_body(s3_store):
    sent: list[dict] = []
    s3_store.client.meta.events.register("before-send.s3.PutObject",
                                         lambda request, **_: sent.append(dict(request.headers)))
    data = b"checked on arrival"
    s3_store.put(data)
    expected = base64.b64encode(hashlib.sha256(data).digest())
    assert [h.get("x-amz-checksum-sha256") for h in sent] == [expected]


def test_s3_put_fails_when_the_store_reports_other_bytes_than_sent(s3_store):
    def store_kept_something_else(parsed, **_):
        parsed["ChecksumSHA256"] = base64.b64encode(hashlib.sha256(b"other").digest()).decode()

    s3_store.client.meta.events.register("after-call.s3.PutObject", store_kept_something_else)
    with pytest.raises(BlobWriteError):
        s3_store.put(b"damaged on the way")


def test_s3_signed_url_fetches_the_bytes_without_credentials_and_expires(s3_store):
    data = b"a photo for the insurer"
    sha = s3_store.put(data)
    url = s3_store.signed_url(sha, 600)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.path == f"/{s3_store.bucket}/{PREFIX}{sha[:2]}/{sha}"
    assert query["X-Amz-Expires"] == ["600"] and query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert "kuaichu-test-secret" not in url
    r = requests.get(url, timeout=HTTP_TIMEOUT)  # a plain GET: no credentials but the signature
    assert r.status_code == 200 and r.content == data


def test_s3_store_out_of_reach_is_reported_as_unavailable_not_as_missing():
    store = make_blob_store(s3_settings(f"http://127.0.0.1:{free_port()}", "kuaichu-nowhere"))
    sha = hashlib.sha256(b"x").hexdigest()
    for call in (lambda: store.put(b"x"), lambda: store.exists(sha), lambda: store.open(sha)):
        with pytest.raises(BlobStoreUnavailable):
            call()


def test_s3_bucket_that_does_not_exist_is_reported_as_unavailable(s3_endpoint):
    store = make_blob_store(s3_settings(s3_endpoint, "kuaichu-never-created"))
    with pytest.raises(BlobStoreUnavailable, match="NoSuchBucket"):
        store.put(b"evidence with nowhere to go")


@pytest.mark.parametrize("ttl", [0, 7 * 24 * 3600 + 1])
def test_s3_signed_url_refuses_a_life_s3_would_refuse(s3_store, ttl):
    sha = s3_store.put(b"x")
    assert s3_store.signed_url(sha, 7 * 24 * 3600) is not None
    with pytest.raises(ValueError, match="7 days"):
        s3_store.signed_url(sha, ttl)


def test_local_store_has_no_signed_urls(tmp_path):
    store = LocalBlobStore(tmp_path)
    assert store.signed_url(store.put(b"x"), 600) is None


def test_s3_backend_without_a_bucket_stops_start_up():
    with pytest.raises(ValueError, match="KUAICHU_S3_BUCKET"):
        make_blob_store(Settings(storage_backend="s3"))


# --- the server on S3 ---------------------------------------------------------

@pytest.fixture
def settings(db_url: str, tmp_path: Path, s3_endpoint: str, s3_bucket: str) -> Settings:
    """The conftest's app, client and held_case, with evidence kept on the S3 server."""
    return s3_settings(s3_endpoint, s3_bucket, data_dir=tmp_path / "data", database_url=db_url)


def jpeg(size=(640, 480)) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buf, "JPEG", quality=95)
    return buf.getvalue()


def test_evidence_uploaded_through_the_api_is_kept_on_s3_and_served_back(client, auth_headers, held_case,
                                                                         settings):
    data = jpeg()
    r = client.post(f"/api/cases/{held_case}/evidence", headers=auth_headers("operator"), data={"kind": "frame"},
                    files={"file": ("frame.jpg", data, "application/octet-stream")})
    assert r.status_code == 201, r.text
    sha = r.json()["sha256"]
    assert sha == hashlib.sha256(data).hexdigest()
    content = client.get(r.json()["content_url"], headers=auth_headers("officer"))
    assert content.status_code == 200
    assert hashlib.sha256(content.content).hexdigest() == sha
    store = make_blob_store(settings)
    assert s3_objects(store) == [(f"{PREFIX}{sha[:2]}/{sha}", len(data))]
    assert not (settings.evidence_dir.exists() and any(settings.evidence_dir.rglob("*")))
    fetched = requests.get(store.signed_url(sha, 300), timeout=HTTP_TIMEOUT)
    assert fetched.status_code == 200 and hashlib.sha256(fetched.content).hexdigest() == sha


@pytest.mark.fault
def test_an_upload_while_the_store_is_out_of_reach_is_a_503_and_leaves_no_evidence(db_url, tmp_path, s3_endpoint):
    from fastapi.testclient import TestClient

    from server.adapters.db import unit_of_work
    from server.app import create_app
    from server.services.auth import create_user

    app = create_app(s3_settings(s3_endpoint, "kuaichu-never-created", data_dir=tmp_path / "data",
                                 database_url=db_url))
    ctx = app.state.ctx
    try:
        with unit_of_work(ctx.session_factory) as s:
            create_user(s, "operator1", "correct horse battery", "operator")
        with TestClient(app) as client:
            token = client.post("/api/auth/login", json={"username": "operator1",
                                                         "password": "correct horse battery"}).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            case_id = ctx.cases.open_case("public", reporter_phone="13800138000").id
            assert client.post(f"/api/cases/{case_id}/answer", headers=headers).status_code == 200
            r = client.post(f"/api/cases/{case_id}/evidence", headers=headers, data={"kind": "frame"},
                            files={"file": ("frame.jpg", jpeg(), "application/octet-stream")})
            assert r.status_code == 503, r.text
            assert r.json()["error"] == "storage_unavailable" and r.headers["Retry-After"]
            assert client.get(f"/api/cases/{case_id}/evidence", headers=headers).json()["items"] == []
    finally:
        ctx.engine.dispose()

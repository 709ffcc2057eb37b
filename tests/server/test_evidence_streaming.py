"""Uploads are streamed, not buffered: the server checks, hashes and stores a seat's file from the temporary
file the request body was spooled to, a chunk at a time, and never holds a 10 MB recording whole; dedupe
and the store's own check still hold."""
from __future__ import annotations

import hashlib
import io
import random
import tempfile

import pytest
from PIL import Image
from sqlalchemy import func, select

from server.adapters.orm import Evidence, User
from server.adapters.storage import CHUNK_BYTES, BlobWriteError, LocalBlobStore
from server.services.cases import Actor
from tests.support.media import recording

MB = 1024 * 1024


def padded_mp4(size: int, seed: int = 0) -> bytes:
    """A real short MP4 plus a top-level ``free`` box of random bytes (players skip it) to ``size`` bytes."""
    base = recording("mp4")
    pad = size - len(base)
    return base + pad.to_bytes(4, "big") + b"free" + random.Random(seed).randbytes(pad - 8)


def noise_jpeg(side: int = 1200) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), random.Random(2).randbytes(side * side * 3)).save(out, "JPEG", quality=90)
    return out.getvalue()


class ChunkedOnly(io.RawIOBase):
    """A file that refuses to be read whole: any read of more than one chunk (or of everything) fails."""

    def __init__(self, data: bytes) -> None:
        self._f = tempfile.TemporaryFile()
        self._f.write(data)
        self._f.seek(0)
        self.largest_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._f.seek(offset, whence)

    def tell(self) -> int:
        return self._f.tell()

    def read(self, n: int = -1) -> bytes:
        assert n is not None and 0 <= n <= CHUNK_BYTES, f"read({n}): the whole file was asked for"
        self.largest_read = max(self.largest_read, n)
        return self._f.read(n)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._f.close()
        super().close()


def _operator(app) -> Actor:
    with app.state.ctx.session_factory() as s:
        uid = s.scalar(select(User.id).where(User.username == "operator1"))
    return Actor("operator", f"user:{uid}", user_id=uid)


@pytest.mark.parametrize("kind,data", [("recording", padded_mp4(10 * MB)), ("frame", noise_jpeg())],
                         ids=["10 MB recording", "seat frame"])
def test_a_seats_upload_is_checked_hashed_and_stored_a_chunk_at_a_time(app, held_case, kind, data):
    """A seat's recording or frame handed over as a file: every read is at most one chunk, and the stored
    file, the row and the audit event carry the bytes' sha256."""
    f = ChunkedOnly(data)
    row = app.state.ctx.evidence.add(held_case, f, kind, _operator(app), label="现场全景")
    sha256 = hashlib.sha256(data).hexdigest()
    assert (row.sha256, row.size_bytes) == (sha256, len(data))
    assert 0 < f.largest_read <= CHUNK_BYTES
    _, stored = app.state.ctx.evidence.open_stream(row.id)
    with stored:
        assert hashlib.file_digest(stored, "sha256").hexdigest() == sha256


@pytest.mark.fault
def test_a_10_mb_recording_through_the_api_is_stored_once_however_often_it_is_sent(client, app, auth_headers,
                                                                                  held_case):
    """The same 10 MB segment uploaded twice (the seat retried after a lost reply) is one evidence row."""
    data, op = padded_mp4(10 * MB, seed=1), auth_headers("operator")
    replies = [client.post(f"/api/cases/{held_case}/recordings", headers=op,
                           files={"file": ("segment-000.mp4", data, "video/mp4")}) for _ in range(2)]
    assert [r.status_code for r in replies] == [201, 201], replies[0].text
    assert replies[0].json()["id"] == replies[1].json()["id"]
    assert replies[0].json()["sha256"] == hashlib.sha256(data).hexdigest()
    with app.state.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Evidence).where(Evidence.case_id == held_case)) == 1
    content = client.get(f"/api/evidence/{replies[0].json()['id']}/content", headers=op)
    assert hashlib.sha256(content.content).hexdigest() == replies[0].json()["sha256"]


def test_a_file_that_changes_under_the_store_is_refused_and_leaves_nothing(tmp_path):
    """The local store hashes what it copies: bytes that no longer match the sha256 measured earlier are a
    BlobWriteError, and neither the blob nor a temporary file is left."""
    store = LocalBlobStore(tmp_path / "evidence")
    measured = hashlib.sha256(b"what was checked").hexdigest()
    with pytest.raises(BlobWriteError):
        store.put_file(io.BytesIO(b"what was swapped in"), measured, len(b"what was checked"))
    assert not store.exists(measured)
    assert [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()] == []

"""Content-addressed storage for evidence bytes.

A blob is named by the sha256 of its bytes, so the same photo uploaded twice is
stored once and any later change to a file is detectable. The service layer
talks to ``BlobStore`` only; the local implementation keeps files under
``DATA_DIR/evidence/ab/cd/<sha256>``; ``S3BlobStore`` keeps objects in an
S3-compatible bucket at ``<prefix>ab/<sha256>`` (KUAICHU_STORAGE_BACKEND=s3), so
several server instances share one store. ``make_blob_store`` picks one; the
callers never know which. ``put_file`` takes an upload as a file (the spooled temporary file
the request body was streamed to) and copies it in chunks: a 10 MB recording segment is never
held in memory whole.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
CHUNK_BYTES = 1024 * 1024
PRESIGNED_MAX_SECONDS = 7 * 24 * 3600  # SigV4's limit on X-Amz-Expires


class BlobIdError(ValueError):
    """The name given is not a sha256 in lowercase hex (and so can never name a path)."""


class BlobNotFound(KeyError):
    pass


class BlobStoreUnavailable(OSError):
    """The store could not be reached or refused the request (network, credentials, rights, a 5xx)."""


class BlobWriteError(BlobStoreUnavailable):
    """The store did not keep the bytes as sent (its checksum differs from ours)."""


def check_blob_id(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
        raise BlobIdError(f"not a sha256 hex digest: {sha256!r:.80}")
    return sha256


class BlobStore(ABC):
    @abstractmethod
    def put(self, data: bytes) -> str:
        """Stores ``data`` (once) and returns its sha256."""

    @abstractmethod
    def put_file(self, f: BinaryIO, sha256: str, size: int) -> str:
        """Stores the file's bytes (once), read in chunks from the start; ``sha256`` and ``size`` are what the
        caller measured. Raises BlobWriteError if the bytes read do not hash to ``sha256`` (the file moved)."""

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """A readable binary file; raises BlobIdError for a malformed name, BlobNotFound if absent."""

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    def signed_url(self, sha256: str, ttl_seconds: int) -> str | None:
        """A link that fetches the bytes without our server for ``ttl_seconds``; None if the store has none."""
        check_blob_id(sha256)
        return None


class LocalBlobStore(BlobStore):
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        check_blob_id(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        return self.put_file(io.BytesIO(data), hashlib.sha256(data).hexdigest(), len(data))

    def put_file(self, f: BinaryIO, sha256: str, size: int) -> str:
        path = self.path_for(sha256)
        if path.is_file() and path.stat().st_size == size:
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_atomically(path, f, sha256)
        return sha256

    @staticmethod
    def _write_atomically(path: Path, source: BinaryIO, sha256: str) -> None:
        # A reader sees either no file or the whole file: the rename is the commit.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            digest = hashlib.sha256()
            source.seek(0)
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(CHUNK_BYTES):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha256:
                raise BlobWriteError(f"{path.name}: the bytes written hash to {digest.hexdigest()}")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path_for(sha256).open("rb")
        except FileNotFoundError as e:
            raise BlobNotFound(sha256) from e

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()


class S3BlobStore(BlobStore):
    """Blobs as objects of one bucket in an S3-compatible store (AWS S3, MinIO, Ceph RGW, moto)."""

    def __init__(self, client, bucket: str, prefix: str = "") -> None:  # client: boto3 S3 client
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def key_for(self, sha256: str) -> str:
        check_blob_id(sha256)
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def put(self, data: bytes) -> str:
        return self.put_file(io.BytesIO(data), hashlib.sha256(data).hexdigest(), len(data))

    def put_file(self, f: BinaryIO, sha256: str, size: int) -> str:
        key = self.key_for(sha256)
        if self._size(key) == size:
            return sha256  # the same bytes are already there: a name is its content
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode("ascii")
        f.seek(0)
        # The store checks the body against ChecksumSHA256 and refuses a PUT that arrived damaged (or a file
        # that no longer hashes to sha256); botocore reads the body from the file as it sends it.
        with _unavailable_on_failure(f"put {key}"):
            reply = self.client.put_object(Bucket=self.bucket, Key=key, Body=f, ContentLength=size,
                                           ChecksumSHA256=checksum, ContentType="application/octet-stream",
                                           Metadata={"sha256": sha256})
        echoed = reply.get("ChecksumSHA256")
        if echoed is not None and echoed != checksum:
            raise BlobWriteError(f"store kept {key} with checksum {echoed}, expected {checksum}")
        return sha256

    def open(self, sha256: str) -> BinaryIO:
        key = self.key_for(sha256)
        try:
            with _unavailable_on_failure(f"get {key}"):
                reply = self.client.get_object(Bucket=self.bucket, Key=key)
        except _Absent as e:
            raise BlobNotFound(sha256) from e
        return reply["Body"]  # botocore's StreamingBody: read(n) pulls from the socket, close() releases it

    def exists(self, sha256: str) -> bool:
        return self._size(self.key_for(sha256)) is not None

    def signed_url(self, sha256: str, ttl_seconds: int) -> str | None:
        if not 1 <= ttl_seconds <= PRESIGNED_MAX_SECONDS:
            # S3 refuses a SigV4 link that claims a longer life, so the link would be dead on arrival.
            raise ValueError(f"a presigned S3 link lives 1 s to 7 days, not {ttl_seconds} s")
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self.key_for(sha256)}, ExpiresIn=int(ttl_seconds))

    def _size(self, key: str) -> int | None:
        try:
            with _unavailable_on_failure(f"head {key}"):
                return self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"]
        except _Absent:
            return None


class _Absent(Exception):
    """The store answered: no such key."""


@contextmanager
def _unavailable_on_failure(action: str) -> Iterator[None]:
    """botocore's errors as ours: a missing key as _Absent, anything else as BlobStoreUnavailable."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as e:
        error = e.response.get("Error", {})
        if error.get("Code") in ("404", "NoSuchKey", "NotFound"):
            raise _Absent(action) from e
        status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        raise BlobStoreUnavailable(f"S3 {action}: {status} {error.get('Code')} {error.get('Message', '')}") from e
    except BotoCoreError as e:  # unreachable endpoint, timeouts, missing credentials
        raise BlobStoreUnavailable(f"S3 {action}: {e}") from e


def make_s3_client(settings):  # settings: server.settings.Settings
    import boto3
    from botocore.config import Config

    config = Config(
        region_name=settings.s3_region, signature_version="s3v4",
        connect_timeout=5, read_timeout=60, retries={"max_attempts": 4, "mode": "standard"},
        # MinIO and most self-hosted stores serve buckets by path, not by DNS name.
        s3={"addressing_style": "path" if settings.s3_endpoint_url else "auto"},
    )
    keys = {}
    if settings.s3_access_key_id:
        keys = {"aws_access_key_id": settings.s3_access_key_id,
                "aws_secret_access_key": settings.s3_secret_access_key}
    return boto3.session.Session().client("s3", endpoint_url=settings.s3_endpoint_url or None, config=config, **keys)


def make_blob_store(settings) -> BlobStore:  # settings: server.settings.Settings
    if settings.storage_backend == "s3":
        if not settings.s3_bucket:
            raise ValueError("KUAICHU_STORAGE_BACKEND=s3 needs KUAICHU_S3_BUCKET (the bucket must exist)")
        return S3BlobStore(make_s3_client(settings), settings.s3_bucket, settings.s3_prefix)
    return LocalBlobStore(settings.evidence_dir)

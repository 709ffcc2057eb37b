"""Content-addressed storage for evidence bytes.

A blob is named by the sha256 of its bytes, so the same photo uploaded twice is
stored once and any later change to a file is detectable. The service layer
talks to ``BlobStore`` only; the local implementation keeps files under
``DATA_DIR/evidence/ab/cd/<sha256>``, and an S3-compatible store can take its
place through ``make_blob_store`` without touching the callers.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import BinaryIO

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class BlobIdError(ValueError):
    """The name given is not a sha256 in lowercase hex (and so can never name a path)."""


class BlobNotFound(KeyError):
    pass


def check_blob_id(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
        raise BlobIdError(f"not a sha256 hex digest: {sha256!r:.80}")
    return sha256


class BlobStore(ABC):
    @abstractmethod
    def put(self, data: bytes) -> str:
        """Stores ``data`` (once) and returns its sha256."""

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """A readable binary file; raises BlobIdError for a malformed name, BlobNotFound if absent."""

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...


class LocalBlobStore(BlobStore):
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        check_blob_id(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha256)
        if path.is_file() and path.stat().st_size == len(data):
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_atomically(path, data)
        return sha256

    @staticmethod
    def _write_atomically(path: Path, data: bytes) -> None:
        # A reader sees either no file or the whole file: the rename is the commit.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
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


def make_blob_store(settings) -> BlobStore:  # settings: server.settings.Settings
    return LocalBlobStore(settings.evidence_dir)

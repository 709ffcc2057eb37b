"""Links that open one file without a login, for a limited time: the insurer's copy of the document and photos.

A link names what it opens and when it stops working, and carries an HMAC-SHA256
of both under the server's signing key, e.g.
``https://kc.example/f/evidence/42?e=1767225600&s=9f…``. Changing the file, the kind
or the expiry breaks the signature. The key is ``KUAICHU_URL_SIGNING_KEY``; left
empty, a random key is made once and kept in ``DATA_DIR/url-signing.key``, so links
survive a restart (instances behind one proxy must share the key or the data dir).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from server.adapters.orm import Document, Evidence
from server.services.errors import Forbidden, NotFound

KINDS = ("document", "evidence")
KEY_FILE = "url-signing.key"


@dataclass(frozen=True)
class SignedUrl:
    url: str
    expires_at: datetime


class UrlSigner:
    def __init__(self, key: bytes, public_base_url: str) -> None:
        if len(key) < 16:
            raise ValueError("the URL signing key must be at least 16 bytes")
        self._key = key
        self._base = public_base_url.rstrip("/")

    @classmethod
    def from_settings(cls, settings) -> UrlSigner:  # settings: server.settings.Settings
        configured = settings.url_signing_key
        key = configured.encode() if configured else _key_from_file(Path(settings.data_dir) / KEY_FILE)
        return cls(key, settings.public_base_url)

    def _signature(self, kind: str, ident: str, expires: int) -> str:
        message = f"{kind}\n{ident}\n{expires}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def sign(self, kind: str, ident: str | int, ttl: timedelta, now: datetime) -> SignedUrl:
        if kind not in KINDS:
            raise ValueError(f"unknown signed kind {kind!r}")
        expires_at = (now + ttl).astimezone(timezone.utc).replace(microsecond=0)
        expires = int(expires_at.timestamp())
        return SignedUrl(f"{self._base}/f/{kind}/{ident}?e={expires}&s={self._signature(kind, str(ident), expires)}",
                         expires_at)

    def valid(self, kind: str, ident: str | int, expires: int, signature: str, now: datetime) -> bool:
        """Whether the link is genuine and not yet expired."""
        if kind not in KINDS or not signature or len(signature) != 64:
            return False
        genuine = hmac.compare_digest(self._signature(kind, str(ident), expires), signature)
        return genuine and now.timestamp() < expires


def _key_from_file(path: Path) -> bytes:
    """The key kept in the data dir, made on first use. Written to a private temporary file and linked into
    place, so two instances starting at once end up with the same complete key."""
    if path.exists():
        key = path.read_bytes().strip()
        if len(key) >= 32:
            return key
        raise ValueError(f"{path} holds no usable URL signing key; delete it or set KUAICHU_URL_SIGNING_KEY")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_hex(32).encode())
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another instance linked its key first; then theirs is used
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_bytes().strip()


@dataclass(frozen=True)
class SignedFile:
    content_type: str
    filename: str
    data: bytes


class SignedFiles:
    """Opens what a signed link names: a liability document by its number, or a photo by its evidence id."""

    def __init__(self, factory, store, signer: UrlSigner) -> None:  # sessionmaker[Session], BlobStore
        self._factory, self._store, self.signer = factory, store, signer

    def open(self, kind: str, ident: str, expires: int, signature: str, now: datetime) -> SignedFile:
        if not self.signer.valid(kind, ident, expires, signature, now):
            raise Forbidden("链接无效或已过期")
        with self._factory() as s:
            if kind == "document":
                document = s.scalars(select(Document).where(Document.number == ident)).first()
                if document is None:
                    raise NotFound("找不到该认定书")
                sha256, content_type, filename = document.sha256, "application/pdf", f"{document.number}.pdf"
            else:
                evidence = s.get(Evidence, int(ident)) if ident.isdigit() else None
                if evidence is None or evidence.kind not in ("photo", "frame"):
                    raise NotFound("找不到该照片")
                sha256, content_type = evidence.sha256, evidence.content_type
                filename = f"evidence-{evidence.id}.{'png' if content_type == 'image/png' else 'jpg'}"
        with self._store.open(sha256) as f:
            return SignedFile(content_type, filename, f.read())

"""A local stand-in for the mobile network: each SMS is appended to its recipient's "handset" file.

The demo's simulated phone plays a driver's handset, and a real handset reads its
link from its own SMS inbox, not from the admin page (which redacts party-link
tokens). ``KUAICHU_SMS_BACKEND=file`` writes every message as one JSON line to
``SMS_FILE_DIR/<phone>.jsonl``; the messages count as sent. Nothing leaves the
machine, so this is for demos and tests, never production.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from server.adapters.sms.base import SmsGateway, SmsSendError


class HandsetFileSmsGateway(SmsGateway):
    def __init__(self, directory: Path) -> None:
        self._dir = Path(directory)

    def send(self, phone: str, text: str, message_id: int) -> None:
        if not phone.isascii() or not phone.isdigit():
            raise SmsSendError(f"号码格式不正确: {phone[:20]!r}")
        line = json.dumps({"id": message_id, "phone": phone, "text": text,
                           "at": datetime.now(timezone.utc).isoformat()}, ensure_ascii=False)
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            # One write of one line in append mode: a reader never sees half a message.
            fd = os.open(self._dir / f"{phone}.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, (line + "\n").encode("utf-8"))
            finally:
                os.close(fd)
        except OSError as e:
            raise SmsSendError(f"写入短信文件失败: {e.strerror}") from e


def read_handset(directory: Path, phone: str) -> list[dict]:
    """Every message delivered to ``phone`` so far, oldest first."""
    path = Path(directory) / f"{phone}.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

"""Keeps credentials out of every log line: party tokens, session tokens, SMS codes, passwords.

A party link's token is its path (``/p/{token}``, ``/ws/phone/{token}``,
``/api/phone/{token}``), so uvicorn's access log would print a working credential
on every request. Rather than trust every handler and formatter to be set up right,
``install()`` wraps the logging module's record factory: each record is redacted as
it is made, whichever logger made it and whichever handler (uvicorn's, pytest's, a
file) writes it. The message, every argument whose text carries a secret, the
rendered traceback and the stack are all redacted; other arguments keep their
type, so uvicorn's access formatter still finds its status code.
"""
from __future__ import annotations

import copy
import logging
import re
import traceback
from typing import Any

MASK = "***"

_URLSAFE = r"A-Za-z0-9_\-"
_SECRET_KEYS = r"[\w-]*(?:token|password|passwd|secret|ticket)"
_RULES: list[tuple[re.Pattern[str], str]] = [
    # a party token as a path segment (not /api/phone/codes or /api/phone/report: tokens are long)
    (re.compile(rf"(/(?:p|ws/phone|api/phone)/)[{_URLSAFE}%]{{16,}}"), rf"\1{MASK}"),
    # ?token=..., &password=..., ?code=123456 in a query string or form body
    (re.compile(rf"([?&;](?:{_SECRET_KEYS}|code)=)[^&;\s\"'#]+", re.IGNORECASE), rf"\1{MASK}"),
    # "token": "...", 'password': '...', token=... in JSON, a Python repr or a key=value line
    (re.compile(rf"""(["']?\b{_SECRET_KEYS}\b["']?\s*[:=]\s*)(["'])(?:\\.|(?!\2).)*\2""", re.IGNORECASE),
     rf"\1\2{MASK}\2"),
    (re.compile(r"""(["']code["']\s*:\s*)(["'])\d{4,8}\2"""), rf"\1\2{MASK}\2"),
    (re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), rf"\1{MASK}"),
    # the SMS text of a verification code
    (re.compile(r"(验证码\D{0,6})\d{4,8}"), rf"\1{MASK}"),
    # a password in a URL: postgresql+psycopg://user:secret@host/db
    (re.compile(r"(://[^:/@\s]+:)[^@/\s]+@"), rf"\1{MASK}@"),
]
#: Anything that looks like a ``secrets.token_urlsafe`` value (32+ characters, both cases),
#: so a token that reaches a log by a way nobody thought of is hidden too.
_TOKEN_LIKE = re.compile(rf"(?<![{_URLSAFE}])[{_URLSAFE}]{{32,}}(?![{_URLSAFE}])")


def _mask_token_like(match: re.Match[str]) -> str:
    text = match.group(0)
    looks_random = any(c.isupper() for c in text) and any(c.islower() for c in text)
    return MASK if looks_random else text


def redact(text: str) -> str:
    """``text`` with every credential the rules know replaced by ``***``."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return _TOKEN_LIKE.sub(_mask_token_like, text)


def _redact_arg(arg: Any) -> Any:
    if arg is None or isinstance(arg, (bool, int, float)):
        return arg
    try:
        text = arg if isinstance(arg, str) else str(arg)
    except Exception:  # an object that cannot be shown is not shown
        return "<unprintable>"
    clean = redact(text)
    return clean if clean != text or isinstance(arg, str) else arg


def redact_record(record: logging.LogRecord) -> None:
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    elif record.msg is not None:
        record.msg = _redact_arg(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_redact_arg(a) for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _redact_arg(v) for k, v in record.args.items()}
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        # Formatter.format uses exc_text when it is set, so the raw traceback is never rendered
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


_installed_factory: Any = None


def install() -> None:
    """Redacts every record made from now on in this process (idempotent)."""
    global _installed_factory
    current = logging.getLogRecordFactory()
    if current is _installed_factory:
        return
    previous = current

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redact_record(record)
        return record

    _installed_factory = factory
    logging.setLogRecordFactory(factory)


def uvicorn_log_config(level: str) -> dict[str, Any]:
    """uvicorn's own logging set-up, plus the root logger at ``level``, so the app's loggers are heard too."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["app"] = {"()": "uvicorn.logging.DefaultFormatter",
                                   "fmt": "%(levelprefix)s %(name)s: %(message)s", "use_colors": None}
    config["handlers"]["app"] = {"formatter": "app", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"}
    config["root"] = {"handlers": ["app"], "level": level.upper()}
    return config

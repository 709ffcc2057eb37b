"""The public "video report" entry: a mainland mobile number, an SMS code, then a case.

Codes are six digits, kept only as a salted sha256, valid for five minutes and
for five tries. Sending is limited in the database (so every server instance sees
the same count): per number, one code a minute and six an hour; per client address
and for the whole service, PHONE_CODES_PER_ADDRESS_PER_HOUR and PHONE_CODES_PER_HOUR,
so one client cannot pump SMS to many numbers (each text costs money).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from server.adapters.db import unit_of_work
from server.adapters.orm import PhoneCode, utcnow
from server.services.cases import Actor, CaseService
from server.services.errors import Invalid, RateLimited, Unauthorized
from server.services.invitations import InvitationService
from server.services.rate_limits import Limit, RateLimits, client_key
from server.services.sms import queue_sms

MOBILE = re.compile(r"1[3-9][0-9]{9}")  # mainland mobile numbers; ASCII digits only
CODE_TTL = timedelta(minutes=5)
CODE_MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
MAX_CODES_PER_HOUR = 6
HOUR_S = 3600
TOO_MANY_FROM_HERE = "获取验证码次数过多，请 1 小时后再试，或直接拨打报警电话。"
TOO_MANY_OVERALL = "当前获取验证码的人数过多，请稍后再试，或直接拨打报警电话。"


@dataclass(frozen=True)
class Report:
    case_id: int
    case_number: str
    party_token: str


def _code_hash(phone: str, code: str, salt: str) -> str:
    """``salt$digest`` in the 64 characters of PhoneCode.code_hash (the digest is cut to fit).

    A six-digit code can be brute-forced from any hash; the salt only keeps equal codes
    from looking equal. Expiry and the attempt limit are what protect a code.
    """
    return (salt + "$" + hashlib.sha256(f"{salt}:{phone}:{code}".encode()).hexdigest())[:64]


def _code_matches(phone: str, code: str, stored: str) -> bool:
    salt = stored.split("$", 1)[0]
    return hmac.compare_digest(_code_hash(phone, code, salt), stored)


def check_mobile(phone: str) -> str:
    """The number as 11 ASCII digits; full-width digits typed on a Chinese keyboard are accepted as such."""
    phone = unicodedata.normalize("NFKC", phone or "").strip().replace(" ", "").replace("-", "")
    if not MOBILE.fullmatch(phone):
        raise Invalid("请输入正确的 11 位手机号码（1 开头）")
    return phone


class PhoneReportService:
    def __init__(self, factory: sessionmaker[Session], cases: CaseService, invitations: InvitationService,
                 *, codes_per_address_per_hour: int = 10, codes_per_hour: int = 500,
                 limits: RateLimits | None = None) -> None:
        self._factory, self._cases, self._invitations = factory, cases, invitations
        self._per_address = Limit("phone_codes_address", codes_per_address_per_hour, HOUR_S)
        self._overall = Limit("phone_codes_all", codes_per_hour, HOUR_S)
        self._limits = limits or RateLimits(factory)

    @classmethod
    def from_settings(cls, factory: sessionmaker[Session], cases: CaseService, invitations: InvitationService,
                      settings, limits: RateLimits | None = None) -> PhoneReportService:
        return cls(factory, cases, invitations, codes_per_address_per_hour=settings.phone_codes_per_address_per_hour,
                   codes_per_hour=settings.phone_codes_per_hour, limits=limits)

    def send_code(self, phone: str, client: str) -> int:
        """Queues an SMS with a fresh code; returns the seconds before another may be asked for."""
        phone = check_mobile(phone)
        with self._factory() as s:  # a resend refused for the number must not spend the address's allowance
            self._check_send_rate(s, phone)
        taken = self._take_allowance(client)
        try:
            with unit_of_work(self._factory) as s:
                self._check_send_rate(s, phone)  # again, under the write lock: two requests at once send one
                code = f"{secrets.randbelow(10**6):06d}"
                now = utcnow()
                s.add(PhoneCode(phone=phone, code_hash=_code_hash(phone, code, secrets.token_hex(8)),
                                created_at=now, expires_at=now + CODE_TTL))
                queue_sms(s, phone, f"【视频快处】验证码 {code}，5 分钟内有效。工作人员不会向您索要验证码，请勿告诉他人。")
        except BaseException:
            self._give_back(taken)
            raise
        return int(RESEND_AFTER.total_seconds())

    def _take_allowance(self, client: str) -> list[tuple[Limit, str]]:
        """One code from this address's hourly allowance and one from the service's; both or neither."""
        client = client_key(client)
        self._limits.take_or_raise(self._per_address, client, TOO_MANY_FROM_HERE)
        try:
            self._limits.take_or_raise(self._overall, "all", TOO_MANY_OVERALL)
        except BaseException:
            self._limits.give_back(self._per_address, client)
            raise
        return [(self._per_address, client), (self._overall, "all")]

    def _give_back(self, taken: list[tuple[Limit, str]]) -> None:
        for limit, key in taken:
            self._limits.give_back(limit, key)

    def _check_send_rate(self, s: Session, phone: str) -> None:
        now = utcnow()
        last = s.scalar(select(func.max(PhoneCode.created_at)).where(PhoneCode.phone == phone))
        if last is not None and now - last < RESEND_AFTER:
            wait = int((RESEND_AFTER - (now - last)).total_seconds()) + 1
            raise RateLimited(f"验证码已发送，请查看短信；{wait} 秒后可重新获取。", retry_after_s=wait)
        hour = s.scalars(select(PhoneCode.created_at).where(
            PhoneCode.phone == phone, PhoneCode.created_at > now - timedelta(hours=1),
        ).order_by(PhoneCode.created_at.desc()).limit(MAX_CODES_PER_HOUR)).all()
        if len(hour) >= MAX_CODES_PER_HOUR:  # free again when the oldest of these is an hour old
            wait = int((hour[-1] + timedelta(hours=1) - now).total_seconds()) + 1
            raise RateLimited(TOO_MANY_FROM_HERE, retry_after_s=wait)

    def report(self, phone: str, code: str, consent: bool) -> Report:
        """Checks the code, opens a public case and a link for its first party (no second SMS)."""
        phone = check_mobile(phone)
        if consent is not True:
            raise Invalid("需要您同意通话录音录像，才能进行视频处理。")
        if not re.fullmatch(r"\d{6}", code or ""):
            raise Invalid("请输入短信里的 6 位数字验证码")
        self._use_code(phone, code)
        case = self._cases.open_case("public", phone, Actor(
            "party", "party:reporter", case_id=None))
        link = self._invitations.create(case.id, phone, actor="system", send_sms=False)
        return Report(case.id, case.number, link.token)

    def _use_code(self, phone: str, code: str) -> None:
        with unit_of_work(self._factory) as s:
            row = s.scalar(select(PhoneCode).where(
                PhoneCode.phone == phone, PhoneCode.used_at.is_(None), PhoneCode.expires_at > utcnow(),
            ).order_by(PhoneCode.created_at.desc()).limit(1).with_for_update())
            if row is None or row.attempts >= CODE_MAX_ATTEMPTS:
                outcome = "验证码已过期或已用完，请重新获取。"
            elif _code_matches(phone, code, row.code_hash):
                row.used_at = utcnow()
                return
            else:
                row.attempts += 1
                left = CODE_MAX_ATTEMPTS - row.attempts
                outcome = f"验证码不正确，还可以再试 {left} 次。" if left else "验证码错误次数过多，请重新获取。"
        raise Unauthorized(outcome)

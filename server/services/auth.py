"""Seat users, passwords (scrypt), expiring session tokens and failed-login throttling.

Failed logins are throttled three ways, all in the database so every server instance
sees the same counts:

- per (user name, address): LOGIN_MAX_FAILURES, then that pair is locked out;
- per user name, from any address: LOGIN_USER_MAX_FAILURES (higher), then the name
  is locked everywhere, so rotating addresses does not buy more guesses;
- per address, across user names: LOGIN_ADDRESS_MAX_FAILURES per window, against
  password spraying. Successful logins do not count, so seats behind one NAT address
  are not refused for their colleagues' successes.

The per-name lock lets anyone lock a real user out for LOGIN_LOCKOUT_SECONDS by
failing often enough from enough addresses; the threshold is set well above the
per-pair one so that takes many addresses, and the lock ends by itself. An unknown or
inactive user name costs the same scrypt as a wrong password, so timing does not tell
which names exist.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, null, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import Role
from server.adapters.db import unit_of_work
from server.adapters.orm import LoginThrottle, SessionToken, User, utcnow
from server.services import audit
from server.services.rate_limits import Limit, RateLimits, client_key

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
#: The hash of a random password nobody knows: checked for unknown and inactive users, so that a
#: wrong user name costs the same scrypt as a wrong password.
_DUMMY_HASH = "scrypt$615Vpe2tpT2H7U6BzG7RVw==$IquAYgTFZyZE+wTkkg+KY2OfHXJBW2wtNibgSJklVyM="
#: Failed logins of one process between two sweeps of finished login_throttle rows.
PRUNE_EVERY_FAILURES = 500


class AuthError(Exception):
    """Wrong credentials, an unknown or expired token."""


class LoginLocked(Exception):
    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"too many failed logins; try again in {retry_after_s} s")


class UserExists(Exception):
    pass


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt_b64), dklen=32, **_SCRYPT)
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: a seat user, resolved from a session token."""

    user_id: int
    username: str
    display_name: str
    role: Role

    @property
    def actor(self) -> str:
        return f"user:{self.user_id}"


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: datetime
    principal: Principal


def create_user(session: Session, username: str, password: str, role: Role, display_name: str = "") -> User:
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise UserExists(username)
    user = User(username=username, role=Role(role).value, password_hash=hash_password(password),
                display_name=display_name or username)
    session.add(user)
    session.flush()
    audit.append(session, actor="system", action="user_created", detail={"user_id": user.id, "role": user.role})
    return user


class AuthService:
    def __init__(self, factory: sessionmaker[Session], ttl: timedelta, max_failures: int, lockout: timedelta,
                 *, user_max_failures: int | None = None, address_limit: Limit | None = None,
                 limits: RateLimits | None = None) -> None:
        self._factory, self._ttl = factory, ttl
        self._max_failures, self._lockout = max_failures, lockout
        self._user_max_failures = user_max_failures or max_failures * 4
        self._address_limit = address_limit or Limit("login_address", max_failures * 4, int(lockout.total_seconds()))
        self._limits = limits or RateLimits(factory)
        self._failures_since_prune = 0
        self._prune_lock = threading.Lock()

    @classmethod
    def from_settings(cls, factory: sessionmaker[Session], settings, limits: RateLimits | None = None) -> AuthService:
        return cls(factory, ttl=timedelta(minutes=settings.session_ttl_minutes),
                   max_failures=settings.login_max_failures,
                   lockout=timedelta(seconds=settings.login_lockout_seconds),
                   user_max_failures=settings.login_user_max_failures,
                   address_limit=Limit("login_address", settings.login_address_max_failures,
                                       settings.login_address_window_seconds),
                   limits=limits)

    def login(self, username: str, password: str, client: str) -> LoginResult:
        name, client = username.lower(), client_key(client)
        keys = {f"{name}|{client}": self._max_failures, f"{name}|*": self._user_max_failures}
        self._raise_if_locked(list(keys))
        spray = self._limits.take(self._address_limit, client)  # held as a failure until the login succeeds
        if not spray.allowed:
            raise LoginLocked(spray.retry_after_s)
        result = None
        try:
            result = self._check(username, password, keys)
        finally:
            if result is not None:
                self._limits.give_back(self._address_limit, client)
        if result is None:
            self._maybe_prune()
            raise AuthError("用户名或密码错误")
        return result

    def prune_throttle(self) -> int:
        """Deletes login_throttle rows whose counting window and lock-out are both over (sprayed names
        would otherwise leave a row each for ever); returns how many went."""
        now = utcnow()
        with unit_of_work(self._factory) as s:
            return s.execute(delete(LoginThrottle).where(
                LoginThrottle.first_failure_at < now - self._lockout,
                or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
            )).rowcount

    def _maybe_prune(self) -> None:
        with self._prune_lock:
            self._failures_since_prune += 1
            due = self._failures_since_prune >= PRUNE_EVERY_FAILURES
            if due:
                self._failures_since_prune = 0
        if due:
            self.prune_throttle()

    def _check(self, username: str, password: str, keys: dict[str, int]) -> LoginResult | None:
        with unit_of_work(self._factory) as s:
            user = s.scalar(select(User).where(User.username == username))
            usable = user is not None and user.active
            if not check_password(password, user.password_hash if usable else _DUMMY_HASH) or not usable:
                for key, max_failures in keys.items():
                    self._record_failure(s, key, max_failures)
                audit.append(s, actor="system", action="login_failed", detail={"username": username[:64]})
                return None
            result = self._open_session(s, user)
            pair = next(iter(keys))  # the per-name count stays: a success must not reset an attack on the name
            s.query(LoginThrottle).filter(LoginThrottle.key == pair).delete()
            audit.append(s, actor=f"user:{user.id}", action="login")
            return result

    def _open_session(self, s: Session, user: User) -> LoginResult:
        token = secrets.token_urlsafe(32)
        expires = utcnow() + self._ttl
        s.add(SessionToken(token_hash=token_hash(token), user_id=user.id, expires_at=expires))
        principal = Principal(user.id, user.username, user.display_name, Role(user.role))
        return LoginResult(token, expires, principal)

    def _raise_if_locked(self, keys: list[str]) -> None:
        now = utcnow()
        with self._factory() as s:
            until = s.scalars(select(LoginThrottle.locked_until).where(
                LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now)).all()
        if until:
            raise LoginLocked(int((max(until) - now).total_seconds()) + 1)

    def _record_failure(self, s: Session, key: str, max_failures: int) -> None:
        """One more failure for ``key`` in one atomic upsert (two instances failing at once both count)."""
        now = utcnow()
        stale = LoginThrottle.first_failure_at < now - self._lockout
        dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(LoginThrottle).values(key=key, failures=1, first_failure_at=now, locked_until=None)
        stmt = stmt.on_conflict_do_update(index_elements=[LoginThrottle.key], set_={
            "failures": case((stale, 1), else_=LoginThrottle.failures + 1),
            "first_failure_at": case((stale, literal(now, LoginThrottle.first_failure_at.type)),
                                     else_=LoginThrottle.first_failure_at),
            "locked_until": case((stale, null()), else_=LoginThrottle.locked_until),
        }).returning(LoginThrottle.failures)
        if s.execute(stmt).scalar_one() >= max_failures:
            s.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(locked_until=now + self._lockout))

    def resolve(self, token: str) -> Principal:
        if not token:
            raise AuthError("缺少登录凭证")
        with self._factory() as s:
            row = s.scalar(select(SessionToken).where(SessionToken.token_hash == token_hash(token)))
            if row is None or row.revoked_at is not None:
                raise AuthError("登录凭证无效，请重新登录")
            if row.expires_at <= utcnow():
                raise AuthError("登录已过期，请重新登录")
            if not row.user.active:
                raise AuthError("账号已停用")
            u = row.user
            return Principal(u.id, u.username, u.display_name, Role(u.role))

    def logout(self, token: str) -> None:
        with unit_of_work(self._factory) as s:
            row = s.scalar(select(SessionToken).where(SessionToken.token_hash == token_hash(token)))
            if row is not None and row.revoked_at is None:
                row.revoked_at = utcnow()
                audit.append(s, actor=f"user:{row.user_id}", action="logout")

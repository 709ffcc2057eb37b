"""Seat users, passwords (scrypt), expiring session tokens and failed-login throttling."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import Role
from server.adapters.db import unit_of_work
from server.adapters.orm import LoginThrottle, SessionToken, User, utcnow
from server.services import audit

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


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
    def __init__(self, factory: sessionmaker[Session], ttl: timedelta, max_failures: int, lockout: timedelta):
        self._factory, self._ttl = factory, ttl
        self._max_failures, self._lockout = max_failures, lockout

    def login(self, username: str, password: str, client: str) -> LoginResult:
        key = f"{username.lower()}|{client}"
        self._raise_if_locked(key)
        with unit_of_work(self._factory) as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None or not user.active or not check_password(password, user.password_hash):
                self._record_failure(s, key)
                audit.append(s, actor="system", action="login_failed", detail={"username": username[:64]})
                failed = True
            else:
                failed = False
                result = self._open_session(s, user)
                s.query(LoginThrottle).filter(LoginThrottle.key == key).delete()
                audit.append(s, actor=f"user:{user.id}", action="login")
        if failed:
            raise AuthError("用户名或密码错误")
        return result

    def _open_session(self, s: Session, user: User) -> LoginResult:
        token = secrets.token_urlsafe(32)
        expires = utcnow() + self._ttl
        s.add(SessionToken(token_hash=token_hash(token), user_id=user.id, expires_at=expires))
        principal = Principal(user.id, user.username, user.display_name, Role(user.role))
        return LoginResult(token, expires, principal)

    def _raise_if_locked(self, key: str) -> None:
        with self._factory() as s:
            row = s.get(LoginThrottle, key)
            if row and row.locked_until and row.locked_until > utcnow():
                raise LoginLocked(int((row.locked_until - utcnow()).total_seconds()) + 1)

    def _record_failure(self, s: Session, key: str) -> None:
        row = s.get(LoginThrottle, key)
        now = utcnow()
        if row is None or now - row.first_failure_at > self._lockout:
            row = s.merge(LoginThrottle(key=key, failures=0, first_failure_at=now, locked_until=None))
        row.failures += 1
        if row.failures >= self._max_failures:
            row.locked_until = now + self._lockout

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

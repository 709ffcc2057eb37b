"""Seat-user administration: an admin adds users, lists them and deactivates them."""
from __future__ import annotations

import re

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import Role
from server.adapters.db import unit_of_work
from server.adapters.orm import SessionToken, User, utcnow
from server.services import audit
from server.services.auth import UserExists, create_user
from server.services.errors import Conflict, Invalid, NotFound

MIN_PASSWORD_CHARS = 8
_USERNAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


class UserAdmin:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def create(self, username: str, password: str, role: str, display_name: str, actor: str) -> User:
        if not _USERNAME.fullmatch(username):
            raise Invalid("用户名只能包含字母、数字、下划线、点和连字符（1 至 64 个字符）")
        if len(password) < MIN_PASSWORD_CHARS:
            raise Invalid(f"密码至少 {MIN_PASSWORD_CHARS} 个字符")
        try:
            role = Role(role).value
        except ValueError as e:
            raise Invalid("角色必须是 operator、officer、supervisor 或 admin") from e
        try:
            with unit_of_work(self._factory) as s:
                user = create_user(s, username, password, role, display_name.strip() or username)
                audit.append(s, actor=actor, action="user_created_by_admin", detail={"user_id": user.id})
        except UserExists as e:
            raise Conflict(f"用户名 {username} 已存在") from e
        return user

    def display_name(self, user_id: int) -> str:
        """The name a phone shows for the seat that answered it; "坐席" when the user is gone."""
        with self._factory() as s:
            name = s.scalar(select(User.display_name).where(User.id == user_id))
        return name or "坐席"

    def list(self) -> list[User]:
        with self._factory() as s:
            return list(s.scalars(select(User).order_by(User.id)))

    def deactivate(self, user_id: int, actor_user_id: int) -> User:
        """Stops the user from logging in and ends every open session at once."""
        if user_id == actor_user_id:
            raise Conflict("不能停用自己的账号")
        with unit_of_work(self._factory) as s:
            user = s.get(User, user_id)
            if user is None:
                raise NotFound(f"用户 {user_id} 不存在")
            if user.active:
                user.active = False
                s.execute(update(SessionToken).where(SessionToken.user_id == user_id,
                                                     SessionToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
                audit.append(s, actor=f"user:{actor_user_id}", action="user_deactivated",
                             detail={"user_id": user_id})
        return user

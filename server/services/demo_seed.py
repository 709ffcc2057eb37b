"""Demo accounts for a local try-out. Never run against a production database."""
from __future__ import annotations

from sqlalchemy import select

from server.adapters.db import make_engine, make_session_factory, unit_of_work
from server.adapters.orm import User
from server.services.auth import create_user
from server.services.demo_cases import seed_demo_cases
from server.services.demo_history import seed_week
from server.settings import Settings

DEMO_PASSWORD = "kuaichu-demo"
DEMO_USERS = (
    ("operator1", "operator", "坐席 王敏"),
    ("operator2", "operator", "坐席 李强"),
    ("officer1", "officer", "民警 赵刚"),
    ("supervisor1", "supervisor", "值班长 陈静"),
    ("admin", "admin", "系统管理员"),
)
#: The demo officers' badge numbers (警号), printed on the documents they issue.
DEMO_BADGES = {"officer1": "510037"}


def seed_demo(settings: Settings) -> list[str]:
    engine = make_engine(settings.resolved_database_url)
    factory = make_session_factory(engine)
    lines = []
    with unit_of_work(factory) as s:
        for username, role, name in DEMO_USERS:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                user = create_user(s, username, DEMO_PASSWORD, role, name)
            if username in DEMO_BADGES and not user.badge_number:
                user.badge_number = DEMO_BADGES[username]
            lines.append(f"demo user {username:12} role {role:10} password {DEMO_PASSWORD}")
    lines += seed_week(factory, settings.timezone)  # the dashboard's demo week (issue 14)
    lines += seed_demo_cases(factory, settings)  # two cases for officer1 to decide (issue 12)
    engine.dispose()
    return lines

"""`kuaichu-server` commands on both databases, and bad settings reported as a message, not a traceback."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect

from server.adapters.db import make_engine, make_session_factory
from server.adapters.schema import downgrade
from server.cli import main
from server.services.auth import AuthService
from server.services.demo_seed import DEMO_PASSWORD


@pytest.fixture
def cli_env(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KUAICHU_DATABASE_URL", db_url)
    monkeypatch.setenv("KUAICHU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KUAICHU_CONFIG_FILE", raising=False)
    return db_url


def login(db_url: str, username: str, password: str) -> str:
    from datetime import timedelta

    engine = make_engine(db_url)
    try:
        auth = AuthService(make_session_factory(engine), timedelta(minutes=5), 5, timedelta(minutes=5))
        return auth.login(username, password, "test").principal.role.value
    finally:
        engine.dispose()


def test_migrate_builds_the_schema_on_an_empty_database(cli_env, capsys):
    downgrade(cli_env, "base")
    assert main(["migrate"]) == 0
    assert "schema is current" in capsys.readouterr().out
    engine = make_engine(cli_env)
    assert {"cases", "evidence", "sms_outbox", "audit_events"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    assert main(["migrate"]) == 0  # idempotent


def test_create_user_takes_the_password_from_the_environment(cli_env, monkeypatch, capsys):
    monkeypatch.setenv("KUAICHU_NEW_PASSWORD", "a long password")
    assert main(["create-user", "--username", "officer7", "--role", "officer"]) == 0
    assert "created officer 'officer7'" in capsys.readouterr().out
    assert login(cli_env, "officer7", "a long password") == "officer"
    assert main(["create-user", "--username", "officer7", "--role", "officer"]) == 1
    assert "already exists" in capsys.readouterr().err


def test_create_user_refuses_a_short_password(cli_env, monkeypatch, capsys):
    monkeypatch.setenv("KUAICHU_NEW_PASSWORD", "short")
    assert main(["create-user", "--username", "op", "--role", "operator"]) == 2
    assert "at least 8" in capsys.readouterr().err


def test_seed_demo_then_verify_audit(cli_env, capsys):
    assert main(["seed-demo"]) == 0
    assert "operator1" in capsys.readouterr().out
    assert login(cli_env, "operator1", DEMO_PASSWORD) == "operator"
    assert main(["seed-demo"]) == 0  # a second run adds nothing and breaks nothing
    capsys.readouterr()
    assert main(["verify-audit"]) == 0
    assert capsys.readouterr().out.startswith("audit chain OK")


@pytest.mark.parametrize("name,value", [("KUAICHU_PORT", "abc"), ("KUAICHU_SMS_BACKEND", "carrier-pigeon"),
                                        ("KUAICHU_ICE_SERVERS", "[not json")])
def test_bad_settings_exit_2_with_a_message_not_a_traceback(monkeypatch, tmp_path, capsys, name, value):
    monkeypatch.setenv("KUAICHU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(name, value)
    assert main(["verify-audit"]) == 2
    captured = capsys.readouterr()
    assert "invalid settings" in captured.err
    assert name.removeprefix("KUAICHU_").lower() in captured.err.lower()
    assert "Traceback" not in captured.err + captured.out

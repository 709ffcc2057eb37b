"""`kuaichu-server create-user --badge`: the officer's 警号, printed on the documents they issue."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from server.adapters.db import make_engine, make_session_factory
from server.adapters.orm import User
from server.cli import main
from tests.server.test_cli import cli_env  # noqa: F401 - the fixture


def badge(db_url: str, username: str) -> str:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as s:
            return s.scalar(select(User.badge_number).where(User.username == username))
    finally:
        engine.dispose()


def test_create_user_records_the_badge_number(cli_env, monkeypatch, capsys):  # noqa: F811
    monkeypatch.setenv("KUAICHU_NEW_PASSWORD", "a long password")
    assert main(["create-user", "--username", "officer8", "--role", "officer", "--badge", "510042"]) == 0
    assert badge(cli_env, "officer8") == "510042"
    assert main(["create-user", "--username", "operator8", "--role", "operator"]) == 0
    assert badge(cli_env, "operator8") == ""


def test_a_badge_is_letters_and_digits(cli_env, monkeypatch, capsys):  # noqa: F811
    monkeypatch.setenv("KUAICHU_NEW_PASSWORD", "a long password")
    with pytest.raises(SystemExit):
        main(["create-user", "--username", "officer9", "--role", "officer", "--badge", "51 00;42"])
    assert "badge number" in capsys.readouterr().err

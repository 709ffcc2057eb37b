"""The app's container is complete from the start: every field holds a service of its declared type.

A field left ``None`` for a later step, or a bag of extras filled on first use, is what issue 11
removed; this fails if either comes back, and the seat's name shows the hub got real services.
"""
from __future__ import annotations

import dataclasses
import typing

from server.adapters.db import unit_of_work
from server.container import AppContext
from server.services.auth import create_user


def declared_class(hint: object) -> type:
    """``sessionmaker[Session]`` -> sessionmaker; a plain class stays itself."""
    return typing.get_origin(hint) or hint


def test_every_field_holds_its_declared_service(app):
    hints = typing.get_type_hints(AppContext)
    ctx = app.state.ctx
    wrong = {f.name: type(getattr(ctx, f.name)).__name__ for f in dataclasses.fields(AppContext)
             if not isinstance(getattr(ctx, f.name), declared_class(hints[f.name]))}
    assert wrong == {}
    assert ctx.jobs and {job.name for job in ctx.jobs} == {"sms-delivery", "dispatch-delivery", "claim-delivery", "interrupted-timeout"}


def test_the_hub_names_a_seat_from_the_users_service(app):
    with unit_of_work(app.state.ctx.session_factory) as s:
        user_id = create_user(s, "op-name", "correct horse battery", "operator", "王坐席").id
    assert app.state.ctx.hub.seat_name(user_id) == "王坐席"
    assert app.state.ctx.hub.seat_name(user_id + 1000) == "坐席"

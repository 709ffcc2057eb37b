"""The seat's ports and their fakes: the UI tests are worth something only while the fakes are the real shape."""
from __future__ import annotations

import inspect

import pytest

from seat_app.services import ports
from seat_app.services.api_client import ApiClient
from seat_app.services.call.engine import CallEngine
from tests.seat_app.doubles import FakeApi, FakeEngine


def members(protocol: type) -> dict[str, object]:
    """The Protocol's own methods and properties (its data attributes are checked on instances)."""
    return {name: value for name, value in vars(protocol).items()
            if not name.startswith("_") and (callable(value) or isinstance(value, property))}


def public_calls(cls: type) -> set[str]:
    return {name for name, value in inspect.getmembers(cls) if not name.startswith("_")
            and (inspect.isfunction(value) or isinstance(value, property))}


def shape(function: object) -> list[tuple[str, object, object, object]]:
    signature = inspect.signature(function, eval_str=True)
    return [(p.name, p.kind, p.default, p.annotation) for p in signature.parameters.values()] + \
        [("->", None, None, signature.return_annotation)]


def test_the_api_port_is_exactly_the_real_clients_public_calls():
    assert set(members(ports.ApiPort)) == public_calls(ApiClient)


@pytest.mark.parametrize("name", sorted(members(ports.ApiPort)))
def test_the_fake_api_client_has_the_real_signature(name):
    port_member = members(ports.ApiPort)[name]
    if isinstance(port_member, property):
        assert isinstance(getattr(ApiClient, name), property) and isinstance(getattr(FakeApi, name), property)
        return
    assert shape(getattr(ApiClient, name)) == shape(port_member), "ApiPort drifted from ApiClient"
    assert shape(getattr(FakeApi, name)) == shape(port_member), "the fake no longer looks like the client"


def test_both_api_clients_carry_the_ports_attributes():
    for client in (ApiClient("http://127.0.0.1:1"), FakeApi()):
        assert isinstance(client.base_url, str) and isinstance(client.token, str)


def parameters(function: object) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", sorted(members(ports.CallEnginePort)))
def test_the_call_engine_and_its_fake_fit_the_engine_port(name):
    port_member = members(ports.CallEnginePort)[name]
    for engine in (CallEngine, FakeEngine):
        member = inspect.getattr_static(engine, name, None)
        if isinstance(port_member, property):
            continue  # data: checked on instances below
        assert member is not None, f"{engine.__name__} has no {name}"
        assert parameters(member) == parameters(port_member), f"{engine.__name__}.{name}"
        assert inspect.iscoroutinefunction(member) == inspect.iscoroutinefunction(port_member), name


def test_engines_expose_the_ports_data():
    for engine in (CallEngine("7"), FakeEngine("7")):
        assert str(engine.case_id) == "7" and engine.ice_servers == []
        assert hasattr(engine, "recorder")
        stats = engine.stats()
        assert (stats.width, stats.height, stats.fps) == (0, 0, 0.0) and str(stats.state)

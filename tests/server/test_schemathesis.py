"""Schemathesis against the app in-process: no reply is a 5xx, and every reply matches the OpenAPI schema.

Three identities (an operator's token, an admin's, none) run every operation with
generated data, bounded by a fixed number of examples per operation and
derandomised, so a run is reproducible. A second pass sends the hostile inputs an
outside probe found (ids of 2**63 and more in every integer path and query
parameter, JSON nested 50,000 deep on every JSON body) through the same
operations and checks.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                              status_code_conformance)

from server.adapters.db import unit_of_work
from server.app import create_app
from server.services.auth import create_user
from server.settings import Settings

PASSWORD = "correct horse battery"
EXAMPLES_PER_OPERATION = 12
EXAMPLES_BEHIND_NGINX = 3  # each one a real round trip through nginx to a server process on PostgreSQL


def allowed_requests_are_not_refused_as_invalid(ctx, response, case) -> None:
    """The schema is honest: a request it allows is never a 422, so it admits no null, empty string or
    value the server refuses. Uploads are the exception: no schema says what a valid JPEG or WebM is."""
    uploads = any(body.media_type == "multipart/form-data" for body in case.operation.body)
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if response.status_code == 422 and positive and not uploads:
        raise AssertionError(f"a request the schema allows was refused as invalid: {response.text[:300]}")


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          allowed_requests_are_not_refused_as_invalid]
HUGE_IDS = (2**63, 2**64 + 7, -(2**63) - 1)
DEEP_JSON = b"[" * 50_000


@pytest.fixture(params=["in-process", "behind-nginx"])
def probe(request, sqlite_template: Path, tmp_path: Path) -> Iterator[dict]:
    """The target, an answered case, and a token per identity; one per test, since an admin's generated
    requests may deactivate the operator. ``in-process``: the app on its own SQLite file. ``behind-nginx``:
    two ``kuaichu-server serve`` processes on one PostgreSQL database behind nginx (docs/nginx/kuaichu.conf),
    with fewer examples."""
    if request.param == "behind-nginx":
        yield from _behind_nginx(request, tmp_path)
        return
    root = tmp_path
    shutil.copy(sqlite_template, root / "kuaichu.db")
    app = create_app(Settings(data_dir=root / "data", database_url=f"sqlite:///{root / 'kuaichu.db'}",
                              login_max_failures=1000, login_user_max_failures=1000,
                              login_address_max_failures=1000, api_docs=True))
    with unit_of_work(app.state.ctx.session_factory) as s:
        create_user(s, "operator1", PASSWORD, "operator")
        create_user(s, "admin1", PASSWORD, "admin")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    with asgi.get_client(app) as client:
        tokens = {}
        for name in ("operator1", "admin1"):
            r = client.post("/api/auth/login", json={"username": name, "password": PASSWORD})
            assert r.status_code == 200, r.text
            tokens[name] = r.json()["token"]
        case = app.state.ctx.cases.open_case("public", reporter_phone="13800138000")
        r = client.post(f"/api/cases/{case.id}/answer", headers={"Authorization": f"Bearer {tokens['operator1']}"})
        assert r.status_code == 200, r.text  # the operator holds case 1, so generated writes on it go deep
        try:
            yield {"schema": schema, "client": client, "tokens": tokens, "examples": EXAMPLES_PER_OPERATION}
        finally:
            asgi.shutdown_lifespans()
            app.state.ctx.engine.dispose()


def _behind_nginx(request, tmp_path: Path) -> Iterator[dict]:
    import requests

    from tests.conftest import _fresh_pg_database
    from tests.support.cluster import Cluster, broker_env
    from tests.support.cluster_calls import Db
    from tests.support.nginx import nginx_binary

    if nginx_binary() is None:
        pytest.skip("nginx is not installed (scripts/install.sh installs it)")
    database = _fresh_pg_database(request)
    db_url = next(database)
    db = Db(db_url, tmp_path)
    try:
        with unit_of_work(db.ctx.session_factory) as s:
            create_user(s, "operator1", PASSWORD, "operator")
            create_user(s, "admin1", PASSWORD, "admin")
        case = db.ctx.cases.open_case("public", reporter_phone="13800138000")
        limits = {"KUAICHU_LOGIN_MAX_FAILURES": "1000", "KUAICHU_LOGIN_USER_MAX_FAILURES": "1000",
                  "KUAICHU_LOGIN_ADDRESS_MAX_FAILURES": "1000", "KUAICHU_API_DOCS": "true"}
        with Cluster(db_url, broker_env("postgres") | limits, tmp_path) as cluster, requests.Session() as client:
            tokens = {}
            for name in ("operator1", "admin1"):
                r = client.post(cluster.proxy.url + "/api/auth/login", json={"username": name, "password": PASSWORD},
                                timeout=20)
                assert r.status_code == 200, r.text
                tokens[name] = r.json()["token"]
            r = client.post(f"{cluster.proxy.url}/api/cases/{case.id}/answer", timeout=20,
                            headers={"Authorization": f"Bearer {tokens['operator1']}"})
            assert r.status_code == 200, r.text
            schema = schemathesis.openapi.from_url(cluster.proxy.url + "/openapi.json")
            yield {"schema": schema, "client": client, "tokens": tokens, "examples": EXAMPLES_BEHIND_NGINX,
                   "cluster": cluster}
    finally:
        db.close()
        next(database, None)  # drops the scratch database


IDENTITIES = {"operator": "operator1", "admin": "admin1", "anonymous": None}


def _headers(probe: dict, identity: str) -> dict[str, str]:
    user = IDENTITIES[identity]
    return {"Authorization": f"Bearer {probe['tokens'][user]}"} if user else {}


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def _summary(e: BaseException) -> str:
    """The failure's title lines and the status received, without the reproduction recipe."""
    text = str(e).strip() or type(e).__name__
    lines = [line.strip() for line in text.split("Reproduce with:")[0].splitlines() if line.strip()]
    return " / ".join(lines[1:8] if len(lines) > 1 else lines)


@pytest.mark.timeout(600)
@pytest.mark.parametrize("identity", list(IDENTITIES))
def test_generated_requests_get_no_5xx_and_match_the_schema(probe: dict, identity: str) -> None:
    headers = _headers(probe, identity)
    failures: list[str] = []
    for operation in _operations(probe["schema"]):
        if headers and operation.label == "POST /api/auth/logout":
            continue  # it would end the identity's own session for every operation after it
        @settings(max_examples=probe["examples"], derandomize=True, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case) -> None:
            case.call_and_validate(session=probe["client"], headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as e:  # noqa: BLE001 - all failures are reported together
            failures.append(f"{operation.label}: {_summary(e)}")
    assert not failures, "\n".join(failures)


def _integer_params(operation, location: str) -> list[str]:
    return [p.name for p in operation.iter_parameters() if p.location == location
            and _is_integer(p.definition.get("schema", {}))]


def _is_integer(schema: dict) -> bool:
    """``integer``, or ``integer | null`` (an optional query id)."""
    return schema.get("type") == "integer" or any(_is_integer(s) for s in schema.get("anyOf", ()))


@pytest.mark.parametrize("identity", ["operator", "admin"])
def test_huge_ids_and_deep_json_get_no_5xx_and_match_the_schema(probe: dict, identity: str) -> None:
    headers = _headers(probe, identity)
    failures: list[str] = []
    replies: dict[str, list[int]] = {"id": [], "deep JSON": []}
    for operation in _operations(probe["schema"]):
        path_ids = _integer_params(operation, "path")
        query_ids = _integer_params(operation, "query")
        for huge in HUGE_IDS if path_ids or query_ids else ():
            case = operation.Case(path_parameters={**_any_path(operation), **{n: huge for n in path_ids}},
                                  query={n: huge for n in query_ids})
            replies["id"].append(_call(probe, case, headers, failures, f"id {huge}"))
        if "application/json" in _body_media_types(operation):
            case = operation.Case(path_parameters=_any_path(operation), media_type="application/json", body={})
            replies["deep JSON"].append(_call(probe, case, {**headers, "Content-Type": "application/json"},
                                              failures, "deep JSON", data=DEEP_JSON))
    assert not failures, "\n".join(failures)
    assert len(replies["id"]) > 60 and set(replies["id"]) <= {403, 404, 422}, replies["id"]
    assert len(replies["deep JSON"]) > 10 and set(replies["deep JSON"]) == {422}, replies["deep JSON"]


def _any_path(operation) -> dict[str, object]:
    return {p.name: (1 if p.definition.get("schema", {}).get("type") == "integer" else "x")
            for p in operation.iter_parameters() if p.location == "path"}


def _body_media_types(operation) -> list[str]:
    return [body.media_type for body in operation.body]


def _call(probe: dict, case, headers: dict, failures: list[str], what: str, **kwargs) -> int:
    try:
        return case.call_and_validate(session=probe["client"], headers=headers, checks=CHECKS, **kwargs).status_code
    except (Exception, BaseExceptionGroup) as e:  # noqa: BLE001 - collected, reported together
        failures.append(f"{case.operation.label} ({what}): {_summary(e)}")
        return 0

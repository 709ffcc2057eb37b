from datetime import timedelta

from server.adapters.db import unit_of_work
from server.adapters.orm import SessionToken, utcnow
from tests.server.conftest import PASSWORD


def test_login_me_logout(client, make_user):
    make_user("op", "operator")
    r = client.post("/api/auth/login", json={"username": "op", "password": PASSWORD})
    assert r.status_code == 200
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    assert client.get("/api/auth/me", headers=headers).json()["role"] == "operator"
    assert client.post("/api/auth/logout", headers=headers).status_code == 200
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_wrong_password_is_401_then_locked_out(client, make_user):
    make_user("op", "operator")
    for _ in range(3):
        r = client.post("/api/auth/login", json={"username": "op", "password": "nope"})
        assert r.status_code == 401
    r = client.post("/api/auth/login", json={"username": "op", "password": PASSWORD})
    assert r.status_code == 429
    assert r.json()["retry_after_s"] > 0
    assert r.headers["Retry-After"] == str(r.json()["retry_after_s"])


def test_expired_token_is_401_with_clear_message(client, make_user, app):
    make_user("op", "operator")
    token = client.post("/api/auth/login", json={"username": "op", "password": PASSWORD}).json()["token"]
    with unit_of_work(app.state.ctx.session_factory) as s:
        for row in s.query(SessionToken):
            row.expires_at = utcnow() - timedelta(seconds=1)
    r = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and "过期" in r.json()["message"]


def test_passwords_are_stored_hashed(app, make_user):
    make_user("op", "operator")
    from server.adapters.orm import User
    with app.state.ctx.session_factory() as s:
        stored = s.query(User).one().password_hash
    assert PASSWORD not in stored and stored.startswith("scrypt$")


def test_missing_or_garbage_token_is_401(client):
    assert client.get("/api/auth/me").status_code == 401
    assert client.get("/api/auth/me", headers={"Authorization": "Bearer garbage"}).status_code == 401
    assert client.get("/api/auth/me", headers={"Authorization": "Basic abc"}).status_code == 401

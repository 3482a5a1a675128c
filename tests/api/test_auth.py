"""Login, tokens, lockout, password change and the bootstrap admin."""
from __future__ import annotations

from chalicelib.bootstrap import Services
from chalicelib.settings import LOCAL_ADMIN_PASSWORD
from tests.api.conftest import PASSWORD, Http, login, make_user


def test_the_first_start_creates_an_admin_that_must_change_the_default_password(anon: Http) -> None:
    res = anon.post("/auth/login", {"username": "admin", "password": LOCAL_ADMIN_PASSWORD})
    assert res.status == 200
    assert res.json["token_type"] == "bearer" and res.json["expires_in"] == 900
    assert res.json["user"]["must_change_password"] is True and res.json["user"]["role"] == "admin"
    admin = Http(anon.client, res.json["access_token"])
    blocked = admin.get("/meters")
    assert blocked.status == 403 and "change your password" in blocked.json["error"]["message"]
    changed = admin.post("/auth/change-password",
                         {"current_password": LOCAL_ADMIN_PASSWORD, "new_password": "a-much-better-secret"})
    assert changed.status == 200 and changed.json["user"]["must_change_password"] is False
    assert Http(anon.client, changed.json["access_token"]).get("/meters").status == 200


def test_wrong_passwords_get_401_and_then_a_lockout(services: Services, anon: Http) -> None:
    make_user(services, "olu", "operator")
    for _ in range(2):
        res = anon.post("/auth/login", {"username": "olu", "password": "wrong-password"})
        assert res.status == 401 and res.json["error"]["message"] == "wrong username or password"
    third = anon.post("/auth/login", {"username": "olu", "password": "wrong-password"})
    assert third.status == 429 and "locked" in third.json["error"]["message"]
    right = anon.post("/auth/login", {"username": "olu", "password": PASSWORD})
    assert right.status == 429 and "try again in 1 minute" in right.json["error"]["message"]


def test_unknown_users_get_the_same_answer_as_wrong_passwords(anon: Http) -> None:
    res = anon.post("/auth/login", {"username": "nobody", "password": "whatever-it-is"})
    assert res.status == 401 and res.json["error"]["message"] == "wrong username or password"


def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(services: Services, anon: Http) -> None:
    make_user(services, "ada", "viewer")
    first = anon.post("/auth/login", {"username": "ada", "password": PASSWORD}).json
    second = anon.post("/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert second.status == 200 and second.json["refresh_token"] != first["refresh_token"]
    replay = anon.post("/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert replay.status == 401
    # the replay revoked the whole family, including the newest token
    assert anon.post("/auth/refresh", {"refresh_token": second.json["refresh_token"]}).status == 401


def test_logout_revokes_the_refresh_token(services: Services, anon: Http) -> None:
    make_user(services, "bola", "viewer")
    tokens = anon.post("/auth/login", {"username": "bola", "password": PASSWORD}).json
    me = Http(anon.client, tokens["access_token"])
    assert me.get("/auth/me").json["username"] == "bola"
    assert me.post("/auth/logout", {"refresh_token": tokens["refresh_token"]}).status == 204
    assert anon.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status == 401


def test_changing_the_password_revokes_older_sessions(services: Services, anon: Http) -> None:
    make_user(services, "chidi", "operator")
    old = anon.post("/auth/login", {"username": "chidi", "password": PASSWORD}).json
    me = Http(anon.client, old["access_token"])
    wrong = me.post("/auth/change-password", {"current_password": "nope", "new_password": "another-long-one"})
    assert wrong.status == 422 and wrong.json["error"]["details"][0]["field"] == "current_password"
    short = me.post("/auth/change-password", {"current_password": PASSWORD, "new_password": "short"})
    assert short.status == 422 and short.json["error"]["details"][0]["field"] == "new_password"
    ok = me.post("/auth/change-password", {"current_password": PASSWORD, "new_password": "another-long-one"})
    assert ok.status == 200
    assert anon.post("/auth/refresh", {"refresh_token": old["refresh_token"]}).status == 401
    assert anon.post("/auth/login", {"username": "chidi", "password": "another-long-one"}).status == 200


def test_bad_and_missing_tokens_get_401(anon: Http) -> None:
    assert anon.get("/meters").status == 401
    forged = Http(anon.client, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl")
    res = forged.get("/meters")
    assert res.status == 401 and res.json["error"]["code"] == "unauthorized"


def test_a_disabled_user_is_shut_out_at_once(admin: Http, services: Services, anon: Http) -> None:
    make_user(services, "dayo", "operator")
    dayo = login(anon, "dayo")
    assert admin.patch("/users/dayo", {"disabled": True}).status == 200
    assert dayo.get("/meters").status == 401
    res = anon.post("/auth/login", {"username": "dayo", "password": PASSWORD})
    assert res.status == 403 and "disabled" in res.json["error"]["message"]


def test_an_admin_password_reset_forces_a_change_at_next_login(admin: Http, services: Services, anon: Http) -> None:
    make_user(services, "emeka", "viewer")
    assert admin.patch("/users/emeka", {"password": "temporary-pass-1"}).status == 200
    res = anon.post("/auth/login", {"username": "emeka", "password": "temporary-pass-1"})
    assert res.status == 200 and res.json["user"]["must_change_password"] is True


def test_malformed_login_bodies_are_400_or_422_never_500(anon: Http) -> None:
    assert anon.call("POST", "/auth/login", raw=b"{not json").status == 400
    res = anon.post("/auth/login", {"username": "x"})
    assert res.status == 422 and res.json["error"]["details"] == [{"field": "password", "message": "is required"}]
    res = anon.call("POST", "/auth/login", raw=b"a,b", headers={"Content-Type": "text/csv"})
    assert res.status == 415

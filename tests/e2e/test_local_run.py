"""`make run` as a user meets it: one origin, the login printed, a clean Ctrl-C."""
from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.e2e.conftest import Stack, start_stack, stop_stack


def test_the_spa_and_the_api_share_one_origin(stack: Stack) -> None:
    assert stack.get_json("/api/v1/health") == {"status": "ok", "database": "ok", "stage": "local",
                                                 "version": stack.get_json("/api/v1/health")["version"]}
    with urllib.request.urlopen(stack.url + "/", timeout=10) as res:
        index = res.read().decode()
    assert '<div id="root">' in index
    with urllib.request.urlopen(stack.url + "/meters", timeout=10) as res:  # client-side route
        assert res.read().decode() == index


def test_unknown_api_paths_get_a_json_404(stack: Stack) -> None:
    try:
        urllib.request.urlopen(stack.url + "/api/v1/no/such/thing", timeout=10)
    except urllib.error.HTTPError as err:
        assert err.code == 404 and b"not_found" in err.read()
    else:
        raise AssertionError("expected a 404")


def test_the_console_names_the_url_and_the_admin_login(stack: Stack) -> None:
    deadline = time.monotonic() + 30  # the banner follows the last child process started, after the API answers
    while "stop with Ctrl-C" not in stack.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    out = stack.log.read_text()
    assert stack.url in out and "admin / admin-change-me" in out


def _post(stack: Stack, path: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    req = urllib.request.Request(stack.url + path, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.loads(res.read())


def test_ctrl_c_stops_everything_and_keeps_the_data(tmp_path: Path) -> None:
    first = start_stack(tmp_path)
    tokens = _post(first, "/api/v1/auth/login", {"username": "admin", "password": "admin-change-me"})
    _post(first, "/api/v1/auth/change-password",
          {"current_password": "admin-change-me", "new_password": "kept-between-runs"}, tokens["access_token"])
    assert stop_stack(first) == 0
    assert "stopped; data kept" in first.log.read_text()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", first.db_port)) != 0  # the database is gone too
    assert any((tmp_path / "data" / "db").iterdir())
    second = start_stack(tmp_path)
    try:
        again = _post(second, "/api/v1/auth/login", {"username": "admin", "password": "kept-between-runs"})
        assert again["user"]["must_change_password"] is False
    finally:
        assert stop_stack(second) == 0


def test_the_demo_fleet_comes_online_with_readings_flowing(tmp_path: Path) -> None:
    stack = start_stack(tmp_path, demo=True, HES_DEMO_PUSH_INTERVAL_S="3", HES_ADMIN_PASSWORD="demo-check-password")
    try:
        token = _post(stack, "/api/v1/auth/login", {"username": "admin", "password": "demo-check-password"})
        headers = {"Authorization": f"Bearer {token['access_token']}"}

        def get(path: str) -> dict:
            with urllib.request.urlopen(urllib.request.Request(stack.url + path, headers=headers), timeout=10) as res:
                return json.loads(res.read())

        assert get("/api/v1/meters?page_size=1")["total"] == 65  # the samples and a check meter per area
        balances = get("/api/v1/losses")["items"]  # the check meters' imported history: real balances
        assert sum(any(d["complete"] for d in area["days"]) for area in balances) >= 4
        deadline = time.monotonic() + 60
        online = 0
        while time.monotonic() < deadline:
            meters = get("/api/v1/meters?page_size=100")["items"]
            online = sum(m["online"] for m in meters)
            if online >= 40:
                break
            time.sleep(2)
        assert online >= 40, f"only {online} meters online after a minute"
        first = next(m for m in meters if m["online"])
        readings = get(f"/api/v1/meters/{first['meter_number']}/readings")
        assert readings["series"] and any(v["obis"] == "1.0.1.8.0.255" for v in readings["latest"])
    finally:
        assert stop_stack(stack) == 0

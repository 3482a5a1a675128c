"""The API exercised through Chalice's own test client (the same app object API Gateway runs)."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.repositories import now
from chalicelib.bootstrap import Services
from chalicelib.services.auth import hash_password

PASSWORD = "correct-horse-battery"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class Http:
    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        self.token = token

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
             raw: bytes | None = None) -> Reply:
        hdrs = {"Content-Type": "application/json"}
        if self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        hdrs.update(headers or {})
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        res = self.client.http.request(method, "/api/v1" + path, headers=hdrs, body=payload)
        return Reply(res.status_code, {k.lower(): v for k, v in res.headers.items()}, res.body)

    def get(self, path: str, **kw: Any) -> Reply:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.call("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.call("PUT", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.call("PATCH", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Reply:
        return self.call("DELETE", path, **kw)

    def upload(self, path: str, data: bytes) -> Reply:
        return self.call("POST", path, raw=data, headers={"Content-Type": "text/csv"})


@pytest.fixture
def client(services: Services) -> Iterator[Client]:
    with Client(app, stage_name="local") as c:
        yield c


@pytest.fixture
def anon(client: Client) -> Http:
    return Http(client)


def make_user(services: Services, username: str, role: str, customer_id: str | None = None) -> None:
    services.users.users.insert({
        "_id": username, "password_hash": hash_password(PASSWORD), "role": role, "full_name": username.title(),
        "customer_id": customer_id, "disabled": False, "must_change_password": False,
        "created_at": now(), "updated_at": now(),
        "last_login_at": None, "failed_logins": 0,
    })


def login(anon: Http, username: str, password: str = PASSWORD) -> Http:
    res = anon.post("/auth/login", {"username": username, "password": password})
    assert res.status == 200, res.json
    return Http(anon.client, res.json["access_token"])


@pytest.fixture
def as_role(services: Services, anon: Http) -> Any:
    """`as_role("viewer")` -> an Http logged in as a fresh user with that role."""
    made: dict[str, Http] = {}

    def get(role: str, customer_id: str | None = None) -> Http:
        key = f"{role}:{customer_id}"
        if key not in made:
            username = f"{role}{len(made)}"
            make_user(services, username, role, customer_id)
            made[key] = login(anon, username)
        return made[key]

    return get


@pytest.fixture
def admin(as_role: Any) -> Http:
    return as_role("admin")

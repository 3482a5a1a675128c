"""Every route x every role (and anonymous) against the one permission table."""
from __future__ import annotations

import re
from typing import Any

import pytest

from chalicelib.api.framework import ROUTES, RouteSpec
from chalicelib.domain.permissions import ROLE_PERMISSIONS, allows
from tests.api.conftest import Http

ROLES = sorted(ROLE_PERMISSIONS)


def _call(http: Http, spec: RouteSpec) -> int:
    path = re.sub(r"{\w+}", "no-such-thing", spec.path)
    if spec.method == "GET":
        return http.get(path).status
    if spec.consumes == "text/csv":
        return http.call(spec.method, path, raw=b"", headers={"Content-Type": "text/csv"}).status
    return http.call(spec.method, path, body={}).status


def _id(spec: RouteSpec) -> str:
    return f"{spec.method} {spec.path}"


def test_the_walk_covers_every_registered_route() -> None:
    from app import app

    registered = {(m, p) for p, methods in app.routes.items() for m in methods}
    declared = {(s.method, "/api/v1" + s.path) for s in ROUTES}
    assert registered == declared and len(declared) >= 35


@pytest.mark.parametrize("spec", ROUTES, ids=_id)
def test_anonymous_requests_to_data_routes_get_401(anon: Http, spec: RouteSpec) -> None:
    status = _call(anon, spec)
    if spec.permission is None:
        assert status not in (401, 403)
    else:
        assert status == 401


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_allowed_exactly_what_the_table_says(as_role: Any, role: str) -> None:
    http = as_role(role, "some-customer" if role == "customer" else None)
    wrong = []
    for spec in ROUTES:
        if spec.permission is None:
            continue
        status = _call(http, spec)
        allowed = allows(role, spec.permission)
        if (allowed and status in (401, 403)) or (not allowed and status != 403):
            wrong.append(f"{_id(spec)} -> {status} (allowed={allowed})")
    assert wrong == []


def test_a_viewer_cannot_change_anything(as_role: Any) -> None:
    from chalicelib.domain.permissions import READ

    viewer = as_role("viewer")
    writes = [s for s in ROUTES if s.method != "GET" and s.permission not in (None, "self", *READ)]
    assert writes and all(_call(viewer, s) == 403 for s in writes)
    # the only non-GET a viewer may call builds a report file: it reads data and changes none
    assert [(s.method, s.path) for s in ROUTES if s.method != "GET" and s.permission in READ] == [
        ("POST", "/reports")]


def test_a_customer_holds_only_its_own_view() -> None:
    """Customers read through the /my routes alone (every staff route answers them 403; which meters those
    routes show is walked in tests/api/test_self_service.py)."""
    allowed = sorted((s.method, s.path) for s in ROUTES if s.permission not in (None, "self")
                     and allows("customer", s.permission))
    assert allowed and all(method == "GET" and path.startswith("/my/") for method, path in allowed)
    assert all(s.permission == "own:read" for s in ROUTES if s.path.startswith("/my/"))
    assert not any(allows(role, "own:read") for role in ROLES if role != "customer")

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


def test_a_customer_sees_only_its_own_meters_and_record(admin: Http, as_role: Any) -> None:
    admin.post("/meters", {"meter_number": "100", "concentrator_id": "D1", "meter_type": "Single Phase"})
    admin.post("/meters", {"meter_number": "200", "concentrator_id": "D1", "meter_type": "Single Phase"})
    mine = admin.post("/customers", {"name": "Mine", "address": "1 Road", "phone": "+234 800000",
                                     "meter_numbers": ["100"]}).json
    other = admin.post("/customers", {"name": "Other", "address": "2 Road", "phone": "+234 800001",
                                      "meter_numbers": ["200"]}).json
    customer = as_role("customer", mine["id"])
    listed = customer.get("/meters").json
    assert [m["meter_number"] for m in listed["items"]] == ["100"]
    assert customer.get("/meters/100").status == 200
    assert customer.get("/meters/200").status == 404
    assert customer.get(f"/customers/{mine['id']}").status == 200
    assert customer.get(f"/customers/{other['id']}").status == 404
    assert customer.get("/customers").json["total"] == 1
    exported = customer.get("/meters/export").body.decode().splitlines()
    assert len(exported) == 2 and exported[1].startswith("100,")
    assert customer.get("/meters/import/template").status == 200
    assert customer.get("/areas").status == 403

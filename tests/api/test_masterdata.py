"""Areas, meters, SIM cards, customers and users through the API, with the audit trail."""
from __future__ import annotations

from typing import Any

from tests.api.conftest import Http


def meter(admin: Http, number: str, area_id: str | None = None, **extra: Any) -> dict:
    res = admin.post("/meters", {"meter_number": number, "concentrator_id": "DCU-1", "meter_type": "Single Phase",
                                 "area_id": area_id, **extra})
    assert res.status == 201, res.json
    return res.json


def test_area_names_are_unique_ignoring_case(admin: Http) -> None:
    assert admin.post("/areas", {"name": "Downtown"}).status == 201
    res = admin.post("/areas", {"name": "downtown "})
    assert res.status == 409 and "already exists" in res.json["error"]["message"]
    other = admin.post("/areas", {"name": "Uptown"}).json
    renamed = admin.patch(f"/areas/{other['id']}", {"name": "DOWNTOWN"})
    assert renamed.status == 409 and "already exists" in renamed.json["error"]["message"]


def test_an_area_in_use_cannot_be_deleted(admin: Http) -> None:
    area = admin.post("/areas", {"name": "Ikeja GRA"}).json
    meter(admin, "0001", area["id"])
    assert admin.get(f"/areas/{area['id']}").json["meter_count"] == 1
    res = admin.delete(f"/areas/{area['id']}")
    assert res.status == 409 and "1 meter" in res.json["error"]["message"]
    admin.patch("/meters/0001", {"area_id": None})
    assert admin.delete(f"/areas/{area['id']}").status == 204
    assert admin.get(f"/areas/{area['id']}").status == 404


def test_meters_keep_leading_zeros_and_refuse_duplicates(admin: Http) -> None:
    created = meter(admin, "000123")
    assert created["meter_number"] == "000123" and created["status"] == "warehouse"
    res = admin.post("/meters", {"meter_number": "000123", "concentrator_id": "D", "meter_type": "X"})
    assert res.status == 409


def test_meter_input_is_validated_field_by_field(admin: Http) -> None:
    res = admin.post("/meters", {"meter_number": "12 34", "concentrator_id": "", "meter_type": "X",
                                 "status": "lost", "colour": "red", "area_id": None})
    assert res.status == 422
    fields = {d["field"]: d["message"] for d in res.json["error"]["details"]}
    assert set(fields) == {"meter_number", "concentrator_id", "status", "colour"}
    assert fields["colour"] == "is not a known field"
    res = admin.post("/meters", {"meter_number": "1", "concentrator_id": "D", "meter_type": "X", "area_id": "nope"})
    assert res.status == 422 and res.json["error"]["details"][0]["field"] == "area_id"


def test_meter_lists_filter_search_sort_and_page(admin: Http) -> None:
    area = admin.post("/areas", {"name": "Lekki"}).json
    for i in range(7):
        meter(admin, f"M{i:03d}", area["id"] if i % 2 else None, status="active" if i < 3 else "warehouse")
    assert admin.get(f"/meters?area={area['id']}").json["total"] == 3
    assert admin.get("/meters?status=active").json["total"] == 3
    assert admin.get("/meters?q=m00").json["total"] == 7
    assert admin.get("/meters?q=M005").json["items"][0]["meter_number"] == "M005"
    page = admin.get("/meters?page=2&page_size=3&sort=-meter_number").json
    assert [m["meter_number"] for m in page["items"]] == ["M003", "M002", "M001"]
    assert page["total"] == 7 and page["page"] == 2 and page["page_size"] == 3
    assert admin.get("/meters?sort=colour").status == 400
    assert admin.get("/meters?page_size=100000").status == 400
    assert admin.get("/meters?status=lost").status == 400
    assert admin.get("/meters?q=(unclosed[").status == 200


def test_sims_validate_addresses_and_link_to_one_meter(admin: Http) -> None:
    meter(admin, "5001")
    bad = admin.post("/sims", {"sim_number": "8923401", "ip_address": "300.1.1.1", "port": 0})
    assert bad.status == 422
    assert {d["field"] for d in bad.json["error"]["details"]} == {"ip_address", "port"}
    sim = admin.post("/sims", {"sim_number": "8923401", "ip_address": "2001:db8::7", "port": 4059,
                               "meter_number": "5001"})
    assert sim.status == 201 and sim.json["ip_address"] == "2001:db8::7"
    assert admin.get("/meters/5001").json["sim_number"] == "8923401"
    second = admin.post("/sims", {"sim_number": "8923402", "ip_address": "10.0.0.2", "port": 4059,
                                  "meter_number": "5001"})
    assert second.status == 422 and "already uses SIM" in second.json["error"]["message"]
    assert admin.delete("/sims/8923401").status == 204
    assert admin.get("/meters/5001").json["sim_number"] is None


def test_customers_take_archived_meters_which_leave_the_warehouse(admin: Http) -> None:
    meter(admin, "7001")
    meter(admin, "7002")
    admin.post("/sims", {"sim_number": "55501", "ip_address": "10.1.1.1", "port": 5000})
    res = admin.post("/customers", {"name": "Ngozi Obi", "address": "13 Way, Lagos", "phone": "+234 805853",
                                    "meter_numbers": ["7001"], "sim_number": "55501"})
    assert res.status == 201, res.json
    customer = res.json
    m = admin.get("/meters/7001").json
    assert m["status"] == "installed" and m["customer_name"] == "Ngozi Obi" and m["sim_number"] == "55501"
    assert admin.get("/meters?unassigned=true").json["total"] == 1
    taken = admin.post("/customers", {"name": "Other", "address": "x", "phone": "+234 805854",
                                      "meter_numbers": ["7001"]})
    assert taken.status == 422 and "already assigned" in taken.json["error"]["message"]
    moved = admin.patch(f"/customers/{customer['id']}", {"meter_numbers": ["7002"]})
    assert moved.status == 422  # the SIM sits in 7001, which would no longer be the customer's
    assert admin.patch(f"/customers/{customer['id']}", {"meter_numbers": ["7001", "7002"]}).status == 200
    assert admin.get("/meters/7002").json["customer_id"] == customer["id"]
    assert admin.delete("/meters/7001").status == 409
    assert admin.delete(f"/customers/{customer['id']}").status == 204
    assert admin.get("/meters/7001").json["customer_id"] is None


def test_users_are_managed_by_admins_with_guard_rails(admin: Http) -> None:
    res = admin.post("/users", {"username": "Viewer.One", "password": "long-enough-1", "role": "viewer"})
    assert res.status == 201 and res.json["username"] == "viewer.one" and res.json["must_change_password"]
    assert admin.post("/users", {"username": "cust", "password": "long-enough-1", "role": "customer"}).status == 422
    assert admin.post("/users", {"username": "viewer.one", "password": "long-enough-1", "role": "viewer"}).status == 409
    listed = admin.get("/users?role=viewer").json
    assert [u["username"] for u in listed["items"]] == ["viewer.one"]
    assert "password_hash" not in listed["items"][0]
    me = admin.get("/auth/me").json["username"]
    assert admin.delete(f"/users/{me}").status == 409
    assert admin.patch(f"/users/{me}", {"role": "viewer"}).status == 409
    assert admin.delete("/users/viewer.one").status == 204


def test_every_write_is_in_the_audit_log_with_before_and_after(admin: Http) -> None:
    area = admin.post("/areas", {"name": "North"}).json
    admin.patch(f"/areas/{area['id']}", {"name": "North Suburbs"})
    entries = admin.get("/audit?entity=area").json["items"]
    assert [e["action"] for e in entries] == ["update", "create"]
    update = entries[0]
    assert update["before"]["name"] == "North" and update["after"]["name"] == "North Suburbs"
    assert update["username"] == admin.get("/auth/me").json["username"] and update["entity_id"] == area["id"]
    admin.post("/users", {"username": "newbie", "password": "long-enough-1", "role": "viewer"})
    user_entry = admin.get("/audit?entity=user").json["items"][0]
    assert "password_hash" not in user_entry["after"]


def test_the_openapi_document_describes_every_route_with_schemas(anon: Http) -> None:
    doc = anon.get("/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    meters = doc["paths"]["/api/v1/meters"]
    assert meters["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("MeterCreate")
    assert "meter_number" in doc["components"]["schemas"]["Meter"]["properties"]
    assert doc["paths"]["/api/v1/health"]["get"]["security"] == []


def test_admins_keep_the_listener_address_meters_must_dial(admin: Http, as_role: Any) -> None:
    assert admin.get("/settings").json == {"listener_host": "127.0.0.1", "listener_port": 4059,
                                           "online_window_s": 300, "push_interval_s": 900}
    new = {"listener_host": "hes.example-utility.ng", "listener_port": 4060, "online_window_s": 600,
           "push_interval_s": 60}
    assert admin.call("PUT", "/settings", new).json == new
    assert admin.get("/settings").json == new
    bad = admin.call("PUT", "/settings", {**new, "listener_port": 70000, "listener_host": "bad host!"})
    assert bad.status == 422
    assert {d["field"] for d in bad.json["error"]["details"]} == {"listener_port", "listener_host"}
    assert as_role("operator").get("/settings").status == 403
    assert admin.get("/audit?entity=settings").json["items"][0]["after"]["listener_port"] == 4060

"""Investigation cases through the API on the embedded database: opening from an alert with the evidence
captured, the lifecycle and its refusals, notes, assignment, resolving with an outcome that acknowledges
the linked alerts and becomes the meter's label, the list's filters and its CSV and PDF files."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from chalicelib.bootstrap import Services
from chalicelib.domain.models import MeterCreate
from chalicelib.services.context import SYSTEM
from tests.api.conftest import Http

A, B = "04318000201", "04318000202"
PDF = {"Accept": "application/pdf"}


@pytest.fixture
def area(admin: Http, services: Services) -> str:
    made = admin.post("/areas", {"name": "Feeder 7"}).json["id"]
    for number in (A, B):
        services.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="D", meter_type="S",
                                                   area_id=made))
    start = datetime(2026, 10, 1, tzinfo=UTC)
    lines = ["Meter Number,Timestamp,Import kWh,Export kWh"]
    for day in range(20):
        lines.append(f"{A},{(start + timedelta(days=day)).isoformat()},{100 + 8 * day:.3f},0")
    report = services.reading_import.run(SYSTEM, ("\n".join(lines) + "\n").encode(), dry_run=False)
    assert report["written"] == 20
    return made


def tamper_alert(services: Services, meter: str) -> str:
    doc = services.meters.meters.get(meter)
    assert doc is not None
    moment = datetime.now(UTC)
    services.events.raise_alert(doc, "magnetic_field", "critical", moment)
    alert = services.db["alerts"].find_one({"meter": meter, "active": True})
    assert alert is not None
    return str(alert["_id"])


def test_a_case_opened_from_an_alert_captures_evidence_and_resolving_acknowledges_it(
        admin: Http, area: str, services: Services, as_role: Any) -> None:
    alert_id = tamper_alert(services, A)
    operator = as_role("operator")
    opened = operator.post("/cases", {"alert_id": alert_id, "assignee": "admin0", "note": "neighbour reported it"})
    assert opened.status == 201, opened.json
    case = opened.json
    assert case["id"].startswith("C-") and case["meter_number"] == A and case["area_id"] == area
    assert case["status"] == "open" and case["assignee"] == "admin0" and case["source"] == "alert"
    assert case["alert_ids"] == [alert_id]
    assert case["evidence"]["alert"]["type"] == "magnetic_field"
    energy = {p["day"]: p["import_kwh"] for p in case["evidence"]["consumption"]}
    assert energy.get("2026-10-05") == pytest.approx(8.0)  # the imported daily register steps
    assert [t["kind"] for t in case["timeline"]] == ["opened", "assignment", "note"]

    second = operator.post("/cases", {"meter_number": A})
    assert second.status == 409 and case["id"] in second.json["error"]["message"]  # one open case per meter

    refused = operator.patch(f"/cases/{case['id']}", {"status": "resolved"})
    assert refused.status == 400 and refused.json["error"]["details"][0]["field"] == "outcome"
    moving = operator.patch(f"/cases/{case['id']}", {"status": "investigating", "note": "technician on the way"})
    assert moving.status == 200 and moving.json["status"] == "investigating"
    noted = operator.post(f"/cases/{case['id']}/notes", {"text": "seal broken, magnet found"})
    assert noted.status == 201 and noted.json["timeline"][-1]["text"] == "seal broken, magnet found"
    assert services.db["alerts"].find_one({"_id": alert_id})["active"] is True

    resolved = operator.patch(f"/cases/{case['id']}", {"status": "resolved", "outcome": "theft_confirmed",
                                                       "acknowledge_alerts": True})
    assert resolved.status == 200, resolved.json
    body = resolved.json
    assert body["status"] == "resolved" and body["outcome"] == "theft_confirmed" and body["resolved_by"] == "operator1"
    assert body["timeline"][-1]["text"] == "Acknowledged 1 linked alert"
    alert = services.db["alerts"].find_one({"_id": alert_id})
    assert alert["active"] is False and case["id"] in alert["note"]
    assert services.theft.labels([A, B]) == {A: "theft_confirmed"}  # the model's label

    assert operator.patch(f"/cases/{case['id']}", {"status": "open"}).status == 400  # resolved -> open is no move
    reopened = operator.patch(f"/cases/{case['id']}", {"status": "investigating"})
    assert reopened.status == 200 and reopened.json["outcome"] is None and reopened.json["timeline"][-1]["text"] == \
        "Reopened"
    assert services.theft.labels([A]) == {}


def test_case_refusals_name_the_field_and_write_nothing(admin: Http, area: str, services: Services,
                                                       as_role: Any) -> None:
    viewer = as_role("viewer")
    assert viewer.post("/cases", {"meter_number": A}).status == 403
    assert admin.post("/cases", {}).json["error"]["details"][0]["field"] == "meter_number"
    assert admin.post("/cases", {"meter_number": "nope"}).status == 404
    assert admin.post("/cases", {"alert_id": "nope"}).status == 404
    bad_user = admin.post("/cases", {"meter_number": A, "assignee": viewer_name(services)})
    assert bad_user.status == 400 and bad_user.json["error"]["details"][0]["field"] == "assignee"
    assert admin.post("/cases", {"meter_number": A, "colour": "red"}).status == 422
    assert services.db["cases"].count_documents({}) == 0
    made = admin.post("/cases", {"meter_number": B, "title": "Low readings"}).json
    assert made["source"] == "manual" and made["title"] == "Low readings"
    assert admin.patch(f"/cases/{made['id']}", {"outcome": "no_theft"}).status == 400  # only when resolving
    assert admin.patch(f"/cases/{made['id']}", {"acknowledge_alerts": True}).status == 400
    assert admin.patch(f"/cases/{made['id']}", {"status": "closed"}).status == 422
    assert admin.patch("/cases/C-999999", {"status": "investigating"}).status == 404
    assert admin.get(f"/cases/{made['id']}").json["timeline"][0]["kind"] == "opened"


def viewer_name(services: Services) -> str:
    return str(services.db["users"].find_one({"role": "viewer"})["_id"])


def test_case_list_filters_and_files(admin: Http, area: str, services: Services) -> None:
    first = admin.post("/cases", {"meter_number": A, "assignee": "admin0"}).json
    second = admin.post("/cases", {"meter_number": B}).json
    admin.patch(f"/cases/{second['id']}", {"status": "resolved", "outcome": "meter_fault", "note": "CT broken"})
    listed = admin.get("/cases").json
    assert listed["total"] == 2 and [c["id"] for c in listed["items"]] == [second["id"], first["id"]]
    assert [c["id"] for c in admin.get("/cases?status=active").json["items"]] == [first["id"]]
    assert [c["id"] for c in admin.get("/cases?outcome=meter_fault").json["items"]] == [second["id"]]
    assert [c["id"] for c in admin.get("/cases?assignee=admin0").json["items"]] == [first["id"]]
    assert admin.get(f"/cases?area={area}").json["total"] == 2
    assert admin.get("/cases?status=lost").status == 400
    assert admin.get("/cases?outcome=maybe").json["error"]["details"][0]["field"] == "outcome"
    assignees = {u["username"]: u["role"] for u in admin.get("/cases/assignees").json["items"]}
    assert assignees["admin0"] == "admin" and "viewer" not in assignees.values()

    exported = admin.get("/cases/export?status=resolved")
    assert exported.status == 200 and exported.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(exported.body.decode("utf-8-sig"))))
    assert [(r["Case"], r["Meter Number"], r["Outcome"]) for r in table] == [(second["id"], B, "Meter fault")]

    report = admin.get(f"/cases/{second['id']}/report", headers=PDF)
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.body)).pages)
    assert f"Investigation {second['id']}" in text and "Meter fault" in text and "CT broken" in text

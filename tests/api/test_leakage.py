"""Revenue leakage through the API, on situations built through the real paths: the interval data import for
history, DLMS pushes through ingest for live meters, relay commands and event-log polls answered with result
frames (decode_frames' path), the meter CSV import and PATCH for the generating flag."""
from __future__ import annotations

import base64
import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from gurux_dlms.enums import DataType, DateTimeSkips
from pypdf import PdfReader

from chalicelib.adapters.queues import ensure_queue
from chalicelib.bootstrap import Services
from chalicelib.domain.events import FRAUD_LOG, STANDARD_LOG
from chalicelib.services.context import SYSTEM
from tests.api.conftest import Http
from tests.dlms.pushes import cosem_time, encode_push

Z, N, B, D, NV = "04317000001", "04317000002", "04317000003", "04317000004", "04317000005"  # Downtown
R, G, T, S, S2 = "04317000011", "04317000012", "04317000013", "04317000014", "04317000015"  # Harbour
X = "04317000021"  # no area
RELAY = "0.0.96.3.10.255"
PDF = {"Accept": "application/pdf"}
NOW = datetime.now(UTC)
H0 = NOW.replace(minute=0, second=0, microsecond=0)
HOUR = timedelta(hours=1)


def history(meter: str, start: datetime, hours: int, imp: Any, exp: Any = lambda at: 0.0) -> list[str]:
    """Hourly cumulative registers (kWh) as the interval import takes them; imp/exp map a time to a value."""
    return [f"{meter},{(start + n * HOUR).isoformat()},{imp(start + n * HOUR):.3f},{exp(start + n * HOUR):.3f}"
            for n in range(hours + 1)]


def rising(per_hour: float, until: datetime | None = None, base: float = 100.0) -> Any:
    """A register rising per_hour from H0 - 200 h, flat after `until`."""
    return lambda at: base + per_hour * ((min(at, until or at) - (H0 - 200 * HOUR)) / HOUR)


def cosem_hex(at: datetime) -> str:
    return (at.year.to_bytes(2, "big") + bytes([at.month, at.day, 0xFF, at.hour, at.minute, at.second, 0])
            + (0).to_bytes(2, "big", signed=True) + b"\x00").hex()


def push(services: Services, meter: str, at: datetime, import_kwh: float, export_kwh: float = 0.0) -> None:
    """A live push (the default profile's layout) through decode_frames' ingest: online, registers, voltage."""
    clock = cosem_time(at, DateTimeSkips.MILLISECOND)
    apdu = encode_push([(DataType.OCTET_STRING, meter.encode()), (DataType.OCTET_STRING, clock),
                        (DataType.UINT32, round(import_kwh * 1000)), (DataType.UINT32, round(export_kwh * 1000)),
                        (DataType.UINT16, 2_301), (DataType.UINT16, 120), (DataType.INT32, 250)], clock)
    services.ingest.frame({"type": "push", "meter": meter, "at": at.isoformat(), "peer": "10.0.0.1:5000",
                           "apdu": base64.b64encode(apdu).decode()})


def relay(services: Services, meter: str, action: str, at: datetime) -> None:
    """A relay command whose result (the read-back of the output state) comes back as a result frame."""
    job = services.jobs.relay(SYSTEM, meter, action)["id"]
    services.ingest.frame({"type": "result", "job": job, "meter": meter, "at": at.isoformat(), "results": [
        {"op": "action", "obis": RELAY, "class_id": 70, "index": 1 if action == "disconnect" else 2, "ok": True,
         "value": None, "reason": None, "detail": None, "at": at.isoformat()},
        {"op": "get", "obis": RELAY, "class_id": 70, "index": 2, "ok": True, "value": action == "reconnect",
         "reason": None, "detail": None, "at": at.isoformat()}]})


def event_logs(services: Services, rows: dict[str, dict[str, list[tuple[datetime, int]]]]) -> None:
    """An event-log poll of the meters online now, answered per meter with its standard and fraud log rows."""
    job = services.events.poll()
    assert job is not None
    for meter, logs in rows.items():
        services.ingest.frame({"type": "result", "job": job["id"], "meter": meter, "at": NOW.isoformat(), "results": [
            {"op": "get_range", "obis": log, "class_id": 7, "index": 2, "ok": True, "reason": None, "detail": None,
             "from": (NOW - timedelta(days=2)).isoformat(), "to": NOW.isoformat(),
             "value": [[cosem_hex(at), code] for at, code in logs.get(log, [])]}
            for log in (STANDARD_LOG, FRAUD_LOG)]})


@pytest.fixture
def fleet(aws: None, admin: Http, services: Services) -> dict[str, str]:
    ensure_queue(services.settings.commands_queue)
    downtown = admin.post("/areas", {"name": "Downtown"}).json["id"]
    harbour = admin.post("/areas", {"name": "Harbour"}).json["id"]
    for number in (Z, N, B, D, NV, R, T, S, S2, X):
        area = downtown if number in (Z, N, B, D, NV) else None if number == X else harbour
        made = admin.post("/meters", {"meter_number": number, "concentrator_id": "DCU-1", "meter_type": "Single Phase",
                                      "area_id": area, "status": "active"})
        assert made.status == 201, made.json
    imported = admin.upload("/meters/import", (
        "Meter Number,Concentrator ID,Meter Type,Area,Status,Generating\n"
        f"{G},DCU-1,Single Phase,Harbour,active,yes\n").encode())
    assert imported.status == 200 and imported.json["created"] == 1, imported.json
    assert admin.post("/customers", {"name": "Adaeze Obi", "address": "1 Marina", "phone": "+234 8000000000",
                                     "meter_numbers": [Z]}).status == 201

    start = H0 - 120 * HOUR
    flat_since = H0 - 60 * HOUR
    export = lambda at: 0.2 * max(0.0, (at - (H0 - 72 * HOUR)) / HOUR)  # noqa: E731 - exporting for 72 h
    lines = (history(Z, start, 120, rising(1.0, flat_since)) + history(N, start, 120, rising(1.0))
             + history(B, start, 120, rising(0.5)) + history(D, start, 120, rising(1.0, flat_since))
             + history(R, start, 120, rising(0.05), export) + history(G, start, 120, rising(0.05), export)
             + history(X, start, 120, rising(0.05), export)
             + history(T, start, 120, rising(0.3))
             + history(S, H0 - 45 * 24 * HOUR, 35 * 24, rising(2.0, base=5000.0)))  # silent for 10 days
    done = admin.upload("/readings/import", ("Meter Number,Timestamp,Import kWh,Export kWh\n"
                                             + "\n".join(lines) + "\n").encode())
    assert done.status == 200, done.json

    for meter, register in ((Z, rising(1.0, flat_since)), (N, rising(1.0)), (B, rising(0.5)),
                            (D, rising(1.0, flat_since)), (T, rising(0.3))):
        push(services, meter, NOW, register(NOW))  # online now
    services.ingest.frame({"type": "online", "meter": S2, "at": (NOW - timedelta(days=5)).isoformat()})
    services.ingest.frame({"type": "offline", "meter": S2, "at": (NOW - timedelta(days=5)).isoformat()})
    relay(services, D, "disconnect", flat_since)
    relay(services, B, "disconnect", H0 - 30 * HOUR + timedelta(minutes=15))
    event_logs(services, {
        B: {STANDARD_LOG: [(H0 - 10 * HOUR + timedelta(minutes=30), 50), (H0 - 20 * HOUR, 1)]},  # reconnected
        T: {FRAUD_LOG: [(H0 - 50 * HOUR, 42), (H0 - 26 * HOUR, 42), (NOW - timedelta(days=40), 44)]},
    })
    return {"downtown": downtown, "harbour": harbour}


def table(reply: Any) -> list[dict[str, str]]:
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/csv"), reply.json
    return list(csv.DictReader(io.StringIO(reply.body.decode())))


def test_each_indicator_lists_the_meters_that_show_it_with_their_figures(
        fleet: dict[str, str], admin: Http, services: Services) -> None:
    def listed(indicator: str, query: str = "") -> dict[str, dict[str, Any]]:
        res = admin.get(f"/leakage/meters/{indicator}{query}")
        assert res.status == 200, res.json
        return {row["meter_number"]: row for row in res.json["items"]}

    # flat for 60 h while online and supplied; D is flat too but its relay is open
    zero = listed("zero-consumption")
    assert list(zero) == [Z]
    assert zero[Z]["customer_name"] == "Adaeze Obi" and zero[Z]["area_name"] == "Downtown"
    assert zero[Z]["import_kwh"] == 0 and zero[Z]["voltage_v"] == pytest.approx(230.1) and zero[Z]["hours"] >= 48
    assert datetime.fromisoformat(zero[Z]["since"]) == H0 - 60 * HOUR  # the last reading that counted energy

    # G is registered as generating; Harbour's export beyond G's has its meters read, X has no area
    reverse = listed("reverse-flow")
    assert list(reverse) == [R, X]
    assert reverse[R]["export_kwh"] == pytest.approx(0.2 * 72)
    first_export = (H0 - 71 * HOUR - timedelta(seconds=1)).astimezone(ZoneInfo(services.settings.timezone)).date()
    assert datetime.fromisoformat(reverse[R]["since"]).astimezone(ZoneInfo(services.settings.timezone)).date() \
        == first_export
    assert admin.patch(f"/meters/{G}", {"generating": False}).json["generating"] is False
    assert set(listed("reverse-flow")) == {R, G, X}

    tamper = listed("tamper")
    assert list(tamper) == [T]
    assert tamper[T]["alerts"] == 1 and tamper[T]["occurrences"] == 2 and tamper[T]["alert_types"] == ["magnetic_field"]
    assert datetime.fromisoformat(tamper[T]["since"]) == H0 - 50 * HOUR

    # 0.5 kWh an hour went on between the disconnect (H0-29:45) and the reconnect event (H0-9:30): 19 whole hours
    bypass = listed("bypass")
    assert list(bypass) == [B]
    assert bypass[B]["import_kwh"] == pytest.approx(0.5 * 19) and bypass[B]["hours"] == 19
    assert bypass[B]["relay_state"] == "connected"
    assert datetime.fromisoformat(bypass[B]["since"]) == H0 - 30 * HOUR + timedelta(minutes=15)
    assert (services.meters.meters.get(B) or {})["relay_state"] == "connected"  # the event moved it on

    at_risk = listed("energy-at-risk")
    assert set(at_risk) == {S, S2}  # NV was never heard of: the online-rate page's "never online"
    days_silent = (NOW - (H0 - 10 * 24 * HOUR)).total_seconds() / 86400
    assert datetime.fromisoformat(at_risk[S]["since"]) == H0 - 10 * 24 * HOUR
    assert at_risk[S]["avg_daily_kwh"] == pytest.approx(48.0)
    assert at_risk[S]["estimated_kwh"] == pytest.approx(48.0 * days_silent, rel=0.01)
    assert at_risk[S2]["estimated_kwh"] is None and at_risk[S2]["avg_daily_kwh"] is None  # no history
    assert set(listed("energy-at-risk", "?offline_days=7")) == {S}
    assert listed("energy-at-risk", "?offline_days=20") == {}

    page = admin.get("/leakage/meters/energy-at-risk?page_size=1&page=2").json
    assert page["total"] == 2 and len(page["items"]) == 1 and page["title"] == "Energy at risk"


def test_the_summary_counts_per_area_and_overall_and_honours_the_area_filter(
        fleet: dict[str, str], admin: Http, services: Services) -> None:
    summary = admin.get("/leakage/summary")
    assert summary.status == 200, summary.json
    body = summary.json
    overall = body["overall"]
    assert (overall["zero_consumption"], overall["reverse_flow"], overall["bypass"], overall["energy_at_risk"]) \
        == (1, 2, 1, 2)
    assert overall["tamper"] == 1 and overall["tamper_previous"] == 1 and overall["tamper_meters"] == 1
    assert overall["bypass_kwh"] == pytest.approx(9.5) and overall["reverse_export_kwh"] == pytest.approx(28.8)
    assert overall["at_risk_no_history"] == 1 and overall["at_risk_kwh"] > 48 * 10
    areas = {a["area_name"]: a for a in body["areas"]}
    assert set(areas) == {"Downtown", "Harbour", None} and areas[None]["reverse_flow"] == 1  # None: no area
    assert (areas["Downtown"]["zero_consumption"], areas["Downtown"]["bypass"], areas["Downtown"]["tamper"]) \
        == (1, 1, 0)
    assert (areas["Harbour"]["reverse_flow"], areas["Harbour"]["tamper"], areas["Harbour"]["energy_at_risk"]) \
        == (1, 1, 2)
    for field in ("zero_consumption", "reverse_flow", "tamper", "tamper_previous", "bypass", "energy_at_risk"):
        assert overall[field] == sum(a[field] for a in body["areas"])
    assert len(body["tamper_trend"]) == 30 and body["to"] == body["tamper_trend"][-1]["day"]
    tz = ZoneInfo(services.settings.timezone)
    alert_days = {(H0 - h * HOUR).astimezone(tz).date().isoformat() for h in (50, 26)}
    assert {d["day"] for d in body["tamper_trend"] if d["count"]} >= alert_days
    assert all(d["count"] <= 1 for d in body["tamper_trend"])

    harbour = admin.get(f"/leakage/summary?area={fleet['harbour']}").json
    assert [a["area_name"] for a in harbour["areas"]] == ["Harbour"]
    assert harbour["overall"]["zero_consumption"] == 0 and harbour["overall"]["energy_at_risk"] == 2
    downtown = admin.get(f"/leakage/meters/bypass?area={fleet['downtown']}").json
    assert [r["meter_number"] for r in downtown["items"]] == [B]
    assert admin.get(f"/leakage/meters/bypass?area={fleet['harbour']}").json["total"] == 0

    # an earlier period: nothing but the tamper alert of 40 days ago
    early = admin.get(f"/leakage/summary?from={(NOW - timedelta(days=80)).date()}&to="
                      f"{(NOW - timedelta(days=31)).date()}").json["overall"]
    assert (early["reverse_flow"], early["bypass"], early["tamper"]) == (0, 0, 1)
    assert early["zero_consumption"] == 1  # the current-state indicators do not depend on the period


def test_every_list_downloads_as_csv_and_pdf(fleet: dict[str, str], admin: Http) -> None:
    rows = table(admin.get("/leakage/meters/bypass/export?format=csv"))
    assert [r["Meter Number"] for r in rows] == [B] and float(rows[0]["Import kWh While Disconnected"]) == 9.5
    at_risk = {r["Meter Number"]: r for r in table(admin.get("/leakage/meters/energy-at-risk/export"))}
    assert at_risk[S2]["Estimated Unbilled kWh"] == "no history" and float(at_risk[S]["Average Daily kWh"]) == 48
    summary = {r["Area"]: r for r in table(admin.get(f"/leakage/summary/export?area={fleet['downtown']}"))}
    assert summary["Downtown"]["Bypass"] == "1" and summary["Total"]["Zero Consumption"] == "1"
    pdf = admin.get("/leakage/summary/export?format=pdf", headers=PDF)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body)).pages)
    assert "Revenue leakage" in text and "Downtown" in text and "Harbour" in text
    listed = admin.get("/leakage/meters/tamper/export?format=pdf", headers=PDF)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(listed.body)).pages)
    assert "Tamper alerts" in text and T in text


def test_bad_parameters_are_refused_naming_the_field(admin: Http, as_role: Any, services: Services) -> None:
    def refused(path: str, status: int, field: str | None) -> None:
        res = admin.get(path)
        assert res.status == status, (path, res.json)
        if field:
            assert res.json["error"]["details"][0]["field"] == field

    refused("/leakage/summary?from=yesterday", 400, "from")
    refused("/leakage/summary?from=2026-10-10&to=2026-10-01", 400, "to")
    refused("/leakage/summary?from=2024-01-01&to=2026-01-01", 400, "from")
    refused("/leakage/meters/energy-at-risk?offline_days=0", 400, "offline_days")
    refused("/leakage/meters/energy-at-risk?offline_days=three", 400, "offline_days")
    refused("/leakage/meters/bypass?page_size=0", 400, "page_size")
    refused("/leakage/meters/bypass/export?format=xls", 400, "format")
    refused("/leakage/meters/theft", 404, None)
    refused("/leakage/summary?area=nowhere", 404, None)
    assert as_role("viewer").get("/leakage/summary").status == 200
    assert as_role("customer", "c-1").get("/leakage/summary").status == 403
    bad_flag = admin.upload("/meters/import", b"Meter Number,Concentrator ID,Meter Type,Generating\n9001,D,S,maybe\n")
    assert bad_flag.status == 422 and bad_flag.json["error"]["details"][0]["field"] == "Generating"


def test_the_generating_flag_round_trips_through_the_meter_csv_export_and_import(admin: Http) -> None:
    assert admin.post("/meters", {"meter_number": G, "concentrator_id": "D", "meter_type": "S",
                                  "generating": True}).json["generating"] is True
    assert admin.post("/meters", {"meter_number": R, "concentrator_id": "D", "meter_type": "S"}).json[
        "generating"] is False
    exported = admin.get("/meters/export")
    assert {r["Meter Number"]: r["Generating"] for r in table(exported)} == {G: "yes", R: "no"}
    assert admin.delete(f"/meters/{G}").status == 204
    again = admin.upload("/meters/import", exported.body)
    assert again.status == 422  # R is still there, so nothing is imported
    assert [e["message"] for e in again.json["error"]["details"]] == [f"meter '{R}' already exists"]
    only_g = b"\r\n".join(line for line in exported.body.splitlines() if not line.startswith(R.encode()))
    assert admin.upload("/meters/import", only_g).json["created"] == 1
    assert admin.get(f"/meters/{G}").json["generating"] is True

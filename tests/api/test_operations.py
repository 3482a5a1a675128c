"""Operations through the API on the embedded database: interval import and consumption arithmetic,
alerts lifecycle, event report and exports, dashboard and online rate."""
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

A, B = "04318000101", "04318000102"
PDF = {"Accept": "application/pdf"}  # API Gateway hands out binary bodies only to a matching Accept (or */*)
HEADER = "Meter Number,Timestamp,Import kWh,Export kWh\n"


def rows(meter: str, start: datetime, hours: int, first_kwh: float, per_hour: float,
         skip: set[int] = frozenset(), offset: str = "+01:00") -> list[str]:  # type: ignore[assignment]
    out, value = [], first_kwh
    for h in range(hours):
        if h not in skip:
            out.append(f"{meter},{(start + timedelta(hours=h)).strftime('%Y-%m-%dT%H:%M:%S')}{offset},{value:.3f},0")
        value += per_hour
    return out


@pytest.fixture
def area(admin: Http, services: Services) -> str:
    made = admin.post("/areas", {"name": "Industrial Park"}).json["id"]
    for number in (A, B):
        services.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="D", meter_type="S",
                                                   area_id=made))
    return made


def upload(http: Http, lines: list[str], dry_run: bool = False) -> Any:
    return http.upload(f"/readings/import?dry_run={'true' if dry_run else 'false'}",
                       (HEADER + "\n".join(lines) + "\n").encode())


def test_imported_intervals_give_exact_register_differences_at_every_granularity(
        admin: Http, area: str, services: Services) -> None:
    # local (Lagos, +01:00) hours from Sunday 2026-09-27 00:00 to Thursday 2026-10-01 23:00: a week and a month boundary
    start = datetime(2026, 9, 27)
    a = rows(A, start, 120, 1000.0, 1.5, skip={30, 31, 32})  # a three-hour gap on Monday
    b = rows(B, start, 120, 50.0, 0.25)
    dry = upload(admin, a + b, dry_run=True)
    assert dry.status == 200 and dry.json["new_points"] == 237 and dry.json["errors"] == []
    assert services.db["readings"].count_documents({}) == 0  # a dry run writes nothing
    done = upload(admin, a + b)
    assert done.status == 200, done.json
    assert done.json["written"] == 237 and done.json["meters"] == 2

    def report(**params: str) -> Any:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        res = admin.get(f"/consumption?{query}")
        assert res.status == 200, res.json
        return res.json

    expected_a = 1.5 * 119  # last register minus first register (the gap hours are inside, not lost)
    for gran in ("hourly", "daily", "weekly", "monthly"):
        got = report(meter=A, granularity=gran, **{"from": "2026-09-27", "to": "2026-10-01"})
        assert got["totals"]["import_kwh"] == pytest.approx(expected_a, abs=1e-6), gran
    daily = report(meter=A, granularity="daily", **{"from": "2026-09-26", "to": "2026-10-01"})
    assert [p["period"] for p in daily["series"]][:2] == ["2026-09-26", "2026-09-27"]
    assert daily["series"][0]["import_kwh"] is None  # no data: a gap, not zero
    # readings close the hour before them: 01:00 ... 24:00 make Sunday's 24 hours (00:00 only starts the count)
    assert daily["series"][1]["import_kwh"] == pytest.approx(1.5 * 24)
    hourly = report(meter=A, granularity="hourly", **{"from": "2026-09-28", "to": "2026-09-28"})
    by_hour = {p["period"]: p["import_kwh"] for p in hourly["series"]}
    assert by_hour["2026-09-28T04"] == pytest.approx(1.5)  # read at 05:00
    assert [by_hour[f"2026-09-28T0{h}"] for h in (5, 6, 7)] == [None, None, None]  # the gap (no 06-08:00 reads)
    assert by_hour["2026-09-28T08"] == pytest.approx(1.5 * 4)  # the reading at 09:00 carries the gap's energy
    weekly = report(meter=A, granularity="weekly", **{"from": "2026-09-27", "to": "2026-10-01"})
    assert [p["period"] for p in weekly["series"]] == ["2026-W39", "2026-W40"]  # ISO weeks, Monday first
    assert weekly["series"][0]["import_kwh"] == pytest.approx(1.5 * 24)  # Sunday 27th closes week 39
    monthly = report(area=area, granularity="monthly", **{"from": "2026-09-01", "to": "2026-10-31"})
    sept, octo = monthly["series"]
    assert sept["import_kwh"] == pytest.approx((1.5 + 0.25) * 96)  # up to the reading at 10-01 00:00 local
    assert sept["import_kwh"] + octo["import_kwh"] == pytest.approx(expected_a + 0.25 * 119)
    per_meter = {r["meter_number"]: r for r in monthly["rows"]}
    assert per_meter[B]["import_kwh"] == pytest.approx(0.25 * 119) and per_meter[B]["days_with_data"] == 5

    again = upload(admin, a + b)  # idempotent: nothing new, totals unchanged
    assert again.json["new_points"] == 0 and again.json["unchanged_points"] == 237
    assert report(meter=A, granularity="monthly", **{"from": "2026-09-01", "to": "2026-10-31"})[
        "totals"]["import_kwh"] == pytest.approx(expected_a)

    gap_fill = [line for line in rows(A, start, 120, 1000.0, 1.5) if line not in a]
    assert len(gap_fill) == 3
    filled = upload(admin, gap_fill)  # points landing between stored ones split the energy, never add to it
    assert filled.json["written"] == 3
    hourly = report(meter=A, granularity="hourly", **{"from": "2026-09-28", "to": "2026-09-28"})
    assert [p["import_kwh"] for p in hourly["series"][5:9]] == pytest.approx([1.5] * 4)
    assert report(meter=A, granularity="daily", **{"from": "2026-09-27", "to": "2026-10-01"})[
        "totals"]["import_kwh"] == pytest.approx(expected_a)


def test_a_register_reset_is_flagged_not_negative(admin: Http, area: str) -> None:
    start = datetime(2026, 9, 1)
    lines = rows(A, start, 5, 500.0, 2.0) + rows(A, start + timedelta(hours=5), 5, 3.0, 2.0)
    assert upload(admin, lines).status == 200
    got = admin.get(f"/consumption?meter={A}&granularity=daily&from=2026-09-01&to=2026-09-01").json
    assert got["totals"]["import_kwh"] == pytest.approx(2.0 * 4 + 2.0 * 4)  # the drop itself counts nothing
    assert [f["type"] for f in got["flags"]] == ["register_reset"]


def test_a_bad_interval_file_names_rows_and_writes_nothing(admin: Http, area: str, services: Services) -> None:
    lines = rows(A, datetime(2026, 9, 1), 3, 10.0, 1.0) + [
        f"{A},2026-09-01T05:00:00,12,0",  # no offset
        "99999999999,2026-09-01T05:00:00+01:00,1,0",  # unknown meter
        f"{B},2026-09-01T05:00:00+01:00,-4,0",  # negative
        f"{B},not a time,4,0",
        f"{A},2026-09-01T00:00:00+01:00,11,0",  # the same time as row 2 with another value
    ]
    res = upload(admin, lines)
    assert res.status == 422
    problems = {(d["row"], d["field"]) for d in res.json["error"]["details"]}
    assert {(5, "Timestamp"), (7, "Import kWh"), (8, "Timestamp"), (9, "Timestamp")} <= problems
    assert services.db["readings"].count_documents({}) == 0 and services.db["rollups"].count_documents({}) == 0
    dry = upload(admin, lines, dry_run=True)
    assert dry.status == 200 and len(dry.json["errors"]) >= 4
    clean = lines[:3] + [f"{A},2026-09-01T05:00:00+01:00,15,0"]
    assert upload(admin, clean).status == 200
    changed = upload(admin, [f"{A},2026-09-01T05:00:00+01:00,16,0"])
    assert changed.status == 422 and "already has a reading" in changed.json["error"]["message"]
    missing = admin.upload("/readings/import", b"Meter Number,Import kWh\n1,2\n")
    assert missing.status == 422 and "Timestamp" in missing.json["error"]["message"]
    unknown_column = admin.upload("/readings/import", b"Meter Number,Timestamp,Import kWh,Voltage\n")
    assert unknown_column.status == 422 and "Voltage" in unknown_column.json["error"]["message"]


def test_consumption_csv_and_pdf_exports(admin: Http, area: str) -> None:
    upload(admin, rows(A, datetime(2026, 9, 1), 48, 1.0, 0.5) + rows(B, datetime(2026, 9, 1), 24, 7.0, 1.0))
    res = admin.get(f"/consumption/export?area={area}&granularity=daily&from=2026-09-01&to=2026-09-03&format=csv")
    assert res.status == 200 and res.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(res.body.decode())))
    assert len(table) == 2 * 3  # one row per meter per period
    cells = {(r["Meter Number"], r["Period"]): r["Import kWh"] for r in table}
    assert float(cells[(A, "2026-09-01")]) == pytest.approx(0.5 * 24) and cells[(B, "2026-09-02")] == ""
    pdf = admin.get(f"/consumption/export?area={area}&granularity=daily&from=2026-09-01&to=2026-09-03&format=pdf",
                    headers=PDF)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body)).pages)
    assert A in text and B in text and "Energy consumption" in text
    assert admin.get("/consumption?granularity=yearly").status == 400
    assert admin.get(f"/consumption?meter={A}&area={area}").status == 400
    assert admin.get("/consumption?meter=nope").status == 404
    assert admin.get("/consumption?granularity=hourly&from=2026-01-01&to=2026-12-31").status == 400


def tamper(services: Services, meter: str, kind: str, severity: str, at: datetime) -> None:
    doc = services.meters.meters.get(meter)
    assert doc is not None
    services.events.raise_alert(doc, kind, severity, at)


def test_alerts_repeat_into_a_counter_and_acknowledging_moves_them_to_the_event_log(
        admin: Http, area: str, services: Services, as_role: Any) -> None:
    moment = datetime.now(UTC)
    tamper(services, A, "magnetic_field", "critical", moment - timedelta(minutes=5))
    tamper(services, A, "magnetic_field", "critical", moment)
    tamper(services, B, "reverse_current", "high", moment)
    inbox = admin.get("/alerts").json
    assert inbox["total"] == 2 and [a["meter_number"] for a in inbox["items"]] == [A, B]  # critical first
    assert inbox["items"][0]["count"] == 2
    viewer = as_role("viewer")
    assert viewer.post(f"/alerts/{inbox['items'][0]['id']}/acknowledge", {}).status == 403
    first = admin.post(f"/alerts/{inbox['items'][0]['id']}/acknowledge", {"note": "technician sent"})
    assert first.status == 200 and first.json["items"][0]["acknowledged_by"] == "admin0"
    assert admin.get("/alerts").json["total"] == 1
    acked = admin.get("/alerts?status=acknowledged").json["items"]
    assert acked[0]["note"] == "technician sent" and not acked[0]["active"]
    log = admin.get(f"/events?type=alert_acknowledged&meter={A}").json["items"]
    assert log[0]["details"]["by"] == "admin0" and log[0]["details"]["note"] == "technician sent"
    twice = admin.post(f"/alerts/{inbox['items'][0]['id']}/acknowledge", {})
    assert twice.status == 400 and "already acknowledged" in twice.json["error"]["message"]
    mixed = admin.post("/alerts/acknowledge", {"ids": [inbox["items"][1]["id"], "nope"]})
    assert mixed.status == 400 and admin.get("/alerts").json["total"] == 1  # all or nothing
    assert admin.post("/alerts/nope/acknowledge", {}).status == 404
    tamper(services, A, "magnetic_field", "critical", moment + timedelta(minutes=1))
    assert admin.get("/alerts").json["total"] == 2  # a new episode opens a new alert
    assert admin.get("/alerts?status=all").json["total"] == 3  # nothing is deleted


def test_event_report_filters_pages_and_exports(admin: Http, area: str, services: Services) -> None:
    base = datetime(2026, 10, 5, 8, tzinfo=UTC)
    docs = [{"_id": f"e{n}", "meter": A if n % 3 else B, "area_id": area, "at": base + timedelta(hours=n),
             "type": "meter_cover_opened" if n % 4 == 0 else "power_down", "severity": "critical" if n % 4 == 0
             else "warning", "tamper": n % 4 == 0, "code": 44, "log": "0.0.99.98.1.255"} for n in range(30)]
    services.db["events"].insert_many(docs)
    page = admin.get(f"/events?meter={B}&page_size=5").json
    assert page["total"] == 10 and len(page["items"]) == 5 and page["items"][0]["at"] > page["items"][-1]["at"]
    assert admin.get("/events?tamper=true").json["total"] == 8
    assert admin.get("/events?severity=critical&from=2026-10-05&to=2026-10-05").json["total"] == 4  # 08:00-23:00 UTC
    assert admin.get("/events?from=2026-10-06&to=2026-10-05").status == 400
    assert admin.get("/events?severity=loud").status == 400
    exported = admin.get(f"/events/export?meter={B}&format=csv")
    table = list(csv.DictReader(io.StringIO(exported.body.decode())))
    assert len(table) == 10 and {r["Meter Number"] for r in table} == {B}
    pdf = admin.get("/events/export?tamper=true&format=pdf", headers=PDF)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body)).pages)
    assert "Event report" in text and A in text and B in text
    analysis = admin.get("/events/analysis").json
    assert analysis["total"] == 30 and analysis["top_meters"][0]["meter_number"] == A
    assert sum(d["count"] for d in analysis["tamper_trend"]) == 8
    assert admin.get("/events/types").json["items"] == ["meter_cover_opened", "power_down"]


def test_dashboard_and_online_rate(admin: Http, area: str, services: Services) -> None:
    moment = datetime.now(UTC)
    services.db["meters"].update_one({"_id": A}, {"$set": {"online": True, "first_seen": moment,
                                                           "last_seen": moment}})
    tamper(services, B, "meter_cover_opened", "critical", moment)
    summary = admin.get(f"/dashboard/summary?area={area}").json
    assert summary["meters"] == {"total": 2, "online": 1, "offline": 0, "never_online": 1, "online_last_24h": 1,
                                 "online_rate": 50.0}
    assert summary["alerts"] == {"active": 1, "critical": 1}
    assert len(summary["energy_last_hour"]) == 12 and all(p["import_kwh"] is None for p in summary["energy_last_hour"])
    never = admin.get(f"/online-rate?filter=never&area={area}").json
    assert [r["meter_number"] for r in never["items"]] == [B] and never["summary"]["never_online"] == 1
    assert len(never["trend"]) == 30
    assert [r["meter_number"] for r in admin.get("/online-rate?filter=online").json["items"]] == [A]
    assert admin.get("/online-rate?filter=sometimes").status == 400
    first, second = (admin.get(f"/online-rate?area={area}&page_size=1&page={n}").json for n in (1, 2))
    assert [first["total"], second["total"]] == [2, 2]
    assert [r["meter_number"] for r in first["items"] + second["items"]] == sorted([A, B])
    assert [r["meter_number"] for r in admin.get(f"/online-rate?q={B[-4:]}").json["items"]] == [B]
    # connected for the 30 days but for 12 hours (lost 20 h ago, restored 8 h ago)
    services.db["events"].insert_many([
        {"_id": f"c{n}", "meter": A, "area_id": area, "at": moment - timedelta(hours=h), "type": kind,
         "severity": "info", "tamper": False, "details": {}} for n, (h, kind) in enumerate(
            [(20, "communication_lost"), (8, "communication_restored"), (24 * 40, "communication_restored")])])
    hours = {r["meter_number"]: r["hours_online"] for r in admin.get(f"/online-rate?area={area}").json["items"]}
    assert hours == {A: pytest.approx(30 * 24 - 12, abs=0.2), B: 0.0}
    exported = list(csv.DictReader(io.StringIO(admin.get("/online-rate/export").body.decode())))
    assert {r["Meter Number"]: float(r["Hours Online (30 d)"]) for r in exported}[B] == 0.0
    exported = list(csv.DictReader(io.StringIO(admin.get("/online-rate/export").body.decode())))
    assert {r["Meter Number"]: r["Never Online"] for r in exported} == {A: "no", B: "yes"}


def test_background_and_scheduled_reports_land_in_s3_with_a_download_url(
        aws: None, admin: Http, area: str, services: Services, as_role: Any) -> None:
    import urllib.request

    from chalicelib.adapters.queues import ensure_queue
    from functions import export_reports
    from local.lambda_runner import run_once

    queue = services.settings.exports_queue
    ensure_queue(queue)
    upload(admin, rows(A, datetime(2026, 9, 1), 30, 1.0, 0.5))
    bad = admin.post("/reports", {"kind": "consumption", "params": {"granularity": "yearly"}})
    assert bad.status == 400  # refused now, not later in the background
    started = admin.post("/reports", {"kind": "consumption", "format": "csv", "params": {
        "area": area, "granularity": "daily", "from": "2026-09-01", "to": "2026-09-02"}})
    assert started.status == 202 and admin.get(f"/reports/{started.json['id']}").json["status"] == "queued"
    while run_once(queue, export_reports.handler, "export_reports", wait_s=0):
        pass
    report = admin.get(f"/reports/{started.json['id']}").json
    assert report["status"] == "done" and report["url"] and report["filename"].endswith(".csv")
    with urllib.request.urlopen(report["url"]) as res:  # the presigned URL serves the file itself
        table = list(csv.DictReader(io.StringIO(res.read().decode())))
    assert {r["Meter Number"] for r in table} == {A, B} and len(table) == 4

    assert as_role("viewer").put("/reports/schedules", {"items": []}).status == 403
    schedules = admin.put("/reports/schedules", {"items": [
        {"area_id": area, "cadence": "monthly", "format": "pdf"}, {"cadence": "daily"}]})
    assert schedules.status == 200 and len(schedules.json["items"]) == 2
    assert admin.put("/reports/schedules", {"items": [{"area_id": "nope", "cadence": "daily"}]}).status == 400
    assert len(export_reports.handler({}, None)["queued"]) == 2
    assert export_reports.handler({}, None)["queued"] == []  # each period is built once
    while run_once(queue, export_reports.handler, "export_reports", wait_s=0):
        pass
    scheduled = admin.get("/reports?scheduled=true").json["items"]
    assert sorted(r["schedule"] for r in scheduled) == ["daily", "monthly"]
    assert all(r["status"] == "done" and r["url"] for r in scheduled)
    monthly = next(r for r in scheduled if r["schedule"] == "monthly")
    with urllib.request.urlopen(monthly["url"]) as res:
        pdf = PdfReader(io.BytesIO(res.read()))
    assert "Energy consumption" in pdf.pages[0].extract_text()


def test_a_large_interval_file_goes_to_s3_and_imports_in_the_background(
        aws: None, admin: Http, as_role: Any, area: str, services: Services) -> None:
    import urllib.request

    from chalicelib.adapters.queues import ensure_queue
    from functions import export_reports
    from local.lambda_runner import run_once

    queue = services.settings.exports_queue
    ensure_queue(queue)

    def drain() -> None:
        while run_once(queue, export_reports.handler, "export_reports", wait_s=0):
            pass

    data = (HEADER + "\n".join(rows(A, datetime(2026, 9, 1), 48, 100.0, 2.0)) + "\n").encode()
    # locally the upload URL is the API's own (the browser cannot PUT across origins to moto)
    target = admin.post("/readings/import/uploads", {"filename": "history.csv"})
    assert target.status == 201 and target.json["with_credentials"] is True
    upload_id, path = target.json["id"], target.json["upload_url"].removeprefix("/api/v1")
    assert admin.post(f"/readings/import/uploads/{upload_id}/run?dry_run=true").status == 409  # no file yet
    put = admin.call("PUT", path, raw=data, headers={"Content-Type": "text/csv"})
    assert put.status == 200 and put.json["status"] == "uploaded" and put.json["size"] == len(data)
    assert as_role("operator").get(f"/readings/import/uploads/{upload_id}").status == 404  # someone else's
    assert as_role("viewer").post("/readings/import/uploads", {}).status == 403

    queued = admin.post(f"/readings/import/uploads/{upload_id}/run?dry_run=true")
    assert queued.status == 202 and queued.json["status"] == "queued"
    drain()
    checked = admin.get(f"/readings/import/uploads/{upload_id}").json
    assert checked["status"] == "done" and checked["report"]["dry_run"] is True
    assert checked["report"]["new_points"] == 48 and checked["report"]["written"] == 0
    admin.post(f"/readings/import/uploads/{upload_id}/run?dry_run=false")
    drain()
    done = admin.get(f"/readings/import/uploads/{upload_id}").json
    assert done["status"] == "done" and done["report"]["written"] == 48
    month = admin.get(f"/consumption?meter={A}&granularity=monthly&from=2026-09-01&to=2026-09-30").json
    assert month["totals"]["import_kwh"] == pytest.approx(47 * 2.0)

    # in the cloud the file goes straight to S3 through a presigned PUT
    services.import_uploads.direct_upload = False
    buckets = services.db["readings"].count_documents({"meter": A})
    target = admin.post("/readings/import/uploads", {"filename": "bad.csv"}).json
    assert target["with_credentials"] is False and target["upload_url"].startswith("http")
    bad = (HEADER + f"{A},2026-09-05T00:00:00+01:00,oops,0\n").encode()
    request = urllib.request.Request(target["upload_url"], data=bad, method="PUT",
                                     headers={"Content-Type": target["content_type"]})
    with urllib.request.urlopen(request) as res:
        assert res.status == 200
    admin.post(f"/readings/import/uploads/{target['id']}/run?dry_run=false")
    drain()
    failed = admin.get(f"/readings/import/uploads/{target['id']}").json
    assert failed["status"] == "failed" and failed["report"] is None and "nothing was imported" in failed["error"]
    assert failed["errors"][0]["row"] == 2 and failed["errors"][0]["field"] == "Import kWh"
    assert services.db["readings"].count_documents({"meter": A}) == buckets  # the bad file wrote nothing

"""Technical losses through the API on the embedded database: the area's check meter, the daily balance
from imported readings, unreliable days, the check meter kept out of area and fleet consumption on both
ingest paths, the non-technical loss alert once per episode, exports and bad input."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Services
from chalicelib.dlms.notify import Reading
from chalicelib.domain.energy_balance import LOAD_POWER_FACTOR
from chalicelib.domain.models import MeterCreate
from chalicelib.services.context import SYSTEM
from tests.api.conftest import Http

C1, C2, C3, CHECK, SPARE, ELSEWHERE = "07000000001", "07000000002", "07000000003", "09900000001", "07000000009", \
    "08000000001"
PER_HOUR = {C1: 1.0, C2: 0.5, C3: 0.25, CHECK: 2.5}  # kWh per hour: customers 42 kWh a day, input 60
HEADER = "Meter Number,Timestamp,Import kWh,Export kWh\n"
START = datetime(2026, 9, 1)  # local midnight (Lagos, +01:00)
SUPPLY = {"check_meter": CHECK, "transformer_kva": 100, "no_load_loss_kw": 0.25, "load_loss_kw": 1.8,
          "line_loss_pct": 3, "ntl_alert_pct": 10, "ntl_alert_days": 2}
RANGE = "from=2026-09-01&to=2026-09-03"


def rows(meter: str, hours: int = 73, skip_after: int | None = None) -> list[str]:
    """Hourly registers from START; with skip_after, nothing after that hour (the meter went silent)."""
    last = hours if skip_after is None else skip_after + 1
    return [f"{meter},{(START + timedelta(hours=h)).strftime('%Y-%m-%dT%H:%M:%S')}+01:00,"
            f"{100 + h * PER_HOUR[meter]:.3f},0" for h in range(last)]


def upload(http: Http, lines: list[str]) -> Any:
    res = http.upload("/readings/import", (HEADER + "\n".join(lines) + "\n").encode())
    assert res.status == 200, res.json
    return res.json


@pytest.fixture
def area(admin: Http, services: Services) -> str:
    made = admin.post("/areas", {"name": "Feeder 7"}).json["id"]
    other = admin.post("/areas", {"name": "Harbour"}).json["id"]
    for number, status, where in ((C1, "installed", made), (C2, "active", made), (C3, "installed", made),
                                  (CHECK, "installed", made), (SPARE, "warehouse", made),
                                  (ELSEWHERE, "installed", other)):
        services.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="D", meter_type="S",
                                                   area_id=where, status=status))
    return made


def configure(http: Http, area: str, supply: dict[str, Any] | None = SUPPLY) -> Any:
    return http.patch(f"/areas/{area}", {"supply": supply})


def area_kwh(http: Http, area: str) -> float:
    res = http.get(f"/consumption?area={area}&granularity=daily&{RANGE}")
    assert res.status == 200, res.json
    return res.json["totals"]["import_kwh"]


def test_the_daily_balance_splits_the_loss_and_refuses_days_with_missing_meters(
        admin: Http, area: str, services: Services) -> None:
    saved = configure(admin, area)
    assert saved.status == 200, saved.json
    assert saved.json["supply"]["check_meter"] == CHECK and saved.json["supply"]["min_completeness_pct"] == 98
    stored = services.areas.areas.get(area)
    assert stored is not None and stored["supply"] == saved.json["supply"]  # defaults stored too
    upload(admin, rows(C1) + rows(C2) + rows(C3, skip_after=48) + rows(CHECK))  # C3 silent on the third day

    res = admin.get(f"/losses/{area}?{RANGE}")
    assert res.status == 200, res.json
    got = res.json
    assert got["check_meter"] == CHECK and got["meters"] == 3  # in service, without the check meter
    assert [d["day"] for d in got["days"]] == ["2026-09-01", "2026-09-02", "2026-09-03"]
    first, _, third = got["days"]
    technical = 0.25 * 24 + 1.8 * 24 * (2.5 / (100 * LOAD_POWER_FACTOR)) ** 2 + 0.03 * 60
    assert first["complete"] and first["reason"] is None
    assert first["input_kwh"] == pytest.approx(60) and first["billed_kwh"] == pytest.approx(42)
    assert first["loss_kwh"] == pytest.approx(18) and first["loss_pct"] == pytest.approx(30)
    assert first["technical_kwh"] == pytest.approx(technical, abs=1e-3)
    assert first["non_technical_kwh"] == pytest.approx(18 - technical, abs=1e-3)
    assert first["over_threshold"] is True  # ~16.9 % > 10 %
    assert not third["complete"] and third["reason"] == "unreliable: 1 of 3 meters without data"
    assert third["meters_with_data"] == 2 and third["loss_pct"] is None and third["non_technical_pct"] is None
    assert got["totals"]["complete_days"] == 2 and got["totals"]["input_kwh"] == pytest.approx(120)
    assert got["episodes"] == [{"from": "2026-09-01", "to": "2026-09-02", "days": 2,
                                "peak_pct": first["non_technical_pct"]}]

    overview = admin.get(f"/losses?{RANGE}").json
    assert [i["area_name"] for i in overview["items"]] == ["Feeder 7", "Harbour"]
    harbour = overview["items"][1]
    assert harbour["supply"] is None and harbour["days"] == [] and harbour["totals"]["complete_days"] == 0
    assert admin.get(f"/losses?area={area}&{RANGE}").json["items"][0]["totals"] == got["totals"]


def test_a_check_meters_energy_stays_out_of_its_areas_and_the_fleets_consumption(
        admin: Http, area: str, services: Services) -> None:
    configure(admin, area)
    upload(admin, rows(C1) + rows(C2) + rows(C3) + rows(CHECK))
    customers = 72 * (1.0 + 0.5 + 0.25)
    assert area_kwh(admin, area) == pytest.approx(customers)  # the interval import path
    fleet = admin.get(f"/consumption?granularity=daily&{RANGE}").json["totals"]["import_kwh"]
    assert fleet == pytest.approx(customers)
    assert admin.get(f"/consumption?meter={CHECK}&granularity=daily&{RANGE}").json["totals"][
        "import_kwh"] == pytest.approx(72 * 2.5)  # its own figures stay
    per_meter = admin.get(f"/consumption?area={area}&granularity=daily&{RANGE}").json["rows"]
    assert CHECK not in [r["meter_number"] for r in per_meter]  # the per-meter table adds up to the area's total
    assert sum(r["import_kwh"] or 0 for r in per_meter) == pytest.approx(customers)

    check = services.meters.meters.get(CHECK)
    assert check is not None and check["check_meter_of"] == area
    at = datetime(2026, 9, 4, 0, 30, tzinfo=UTC)  # live pushes after the imported history: 2 kWh more
    for minutes, wh in ((0, 280_000), (30, 282_000)):
        moment = at + timedelta(minutes=minutes)
        services.ingest.store(check, [Reading("1.0.1.8.0.255", 3, 2, wh, "Wh")], moment, "peer", moment)
    live = admin.get(f"/consumption?meter={CHECK}&granularity=daily&from=2026-09-04&to=2026-09-04").json
    assert live["totals"]["import_kwh"] == pytest.approx(2 + 280 - (100 + 72 * 2.5))  # the push path stores it
    assert admin.get(f"/consumption?area={area}&granularity=daily&from=2026-09-04&to=2026-09-04").json[
        "totals"]["import_kwh"] is None  # ... and adds none of it to the area


def test_naming_a_check_meter_later_moves_its_past_energy_out_of_the_area_and_back(
        admin: Http, area: str) -> None:
    upload(admin, rows(C1) + rows(CHECK))
    both = 72 * (1.0 + 2.5)
    assert area_kwh(admin, area) == pytest.approx(both)
    assert configure(admin, area).status == 200
    assert area_kwh(admin, area) == pytest.approx(72 * 1.0)
    hourly = admin.get(f"/consumption?area={area}&granularity=hourly&from=2026-09-02&to=2026-09-02").json
    assert [p["import_kwh"] for p in hourly["series"]] == pytest.approx([1.0] * 24)
    assert configure(admin, area, {**SUPPLY, "line_loss_pct": 4}).status == 200  # same meter: nothing moves
    assert area_kwh(admin, area) == pytest.approx(72 * 1.0)
    assert configure(admin, area, None).status == 200
    assert area_kwh(admin, area) == pytest.approx(both)
    assert admin.get(f"/areas/{area}").json["supply"] is None


def test_the_non_technical_loss_alert_is_raised_once_per_episode(admin: Http, area: str, services: Services) -> None:
    configure(admin, area)
    upload(admin, rows(C1) + rows(C2) + rows(C3) + rows(CHECK))
    got = services.energy_balance.evaluate_alerts(date(2026, 9, 4))  # days up to the 3rd: one run of three
    assert len(got["raised"]) == 1
    alerts = admin.get("/alerts?type=non_technical_loss").json["items"]
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert["meter_number"] == CHECK and alert["area_id"] == area and alert["source"] == "rule"
    assert alert["details"]["from"] == "2026-09-01" and alert["details"]["to"] == "2026-09-03"
    assert alert["details"]["days"] == 3 and alert["details"]["threshold_pct"] == 10

    again = services.energy_balance.evaluate_alerts(date(2026, 9, 4))
    assert again["raised"] == [] and again["ongoing"] == 1
    assert admin.post(f"/alerts/{alert['id']}/acknowledge", {"note": "inspection booked"}).status == 200
    later = services.energy_balance.evaluate_alerts(datetime(2026, 9, 5, 9, tzinfo=UTC))  # the same run, a day on
    assert later["raised"] == []
    assert admin.get("/alerts?type=non_technical_loss").json["total"] == 0  # acknowledged stays acknowledged
    assert admin.get("/alerts?type=non_technical_loss&status=all").json["total"] == 1


def test_losses_download_as_csv_and_pdf(admin: Http, area: str) -> None:
    configure(admin, area)
    upload(admin, rows(C1) + rows(C2) + rows(C3, skip_after=48) + rows(CHECK))
    res = admin.get(f"/losses/export?area={area}&{RANGE}")
    assert res.status == 200 and res.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(res.body.decode())))
    assert [r["Day"] for r in table] == ["2026-09-01", "2026-09-02", "2026-09-03"]
    assert table[0]["Loss kWh"] == "18.0" and table[0]["Reliable"] == "yes"
    assert table[2]["Reliable"] == "no" and table[2]["Reason"] == "unreliable: 1 of 3 meters without data"
    for query in (f"area={area}&", ""):
        pdf = admin.get(f"/losses/export?{query}{RANGE}&format=pdf", headers={"Accept": "application/pdf"})
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF")


def test_a_viewer_reads_losses_but_cannot_set_a_check_meter(admin: Http, area: str, as_role: Any) -> None:
    viewer = as_role("viewer")
    assert viewer.get(f"/losses?{RANGE}").status == 200
    assert configure(viewer, area).status == 403


@pytest.mark.parametrize(("supply", "field"), [
    ({**SUPPLY, "check_meter": "12345"}, "supply.check_meter"),  # no such meter
    ({**SUPPLY, "check_meter": ELSEWHERE}, "supply.check_meter"),  # a meter of another area
    ({**SUPPLY, "line_loss_pct": -1}, "supply.line_loss_pct"),
    ({**SUPPLY, "ntl_alert_days": 0}, "supply.ntl_alert_days"),
    ({**SUPPLY, "transformer_kva": None}, "supply"),  # a load loss needs the rating
    ({**SUPPLY, "rating": 5}, "supply.rating"),
    ({"transformer_kva": 100}, "supply.check_meter"),
])
def test_a_bad_supply_setting_is_refused_naming_the_field(admin: Http, area: str, supply: dict[str, Any],
                                                          field: str) -> None:
    res = configure(admin, area, supply)
    assert res.status in (400, 422), res.json
    assert field in [d["field"] for d in res.json["error"]["details"]]
    assert admin.get(f"/areas/{area}").json["supply"] is None  # nothing written


@pytest.mark.parametrize(("query", "status", "field"), [
    ("from=2026-13-01", 400, "from"), ("to=yesterday", 400, "to"), ("from=2026-09-05&to=2026-09-01", 400, "to"),
    ("from=2024-01-01&to=2026-01-01", 400, "from"), ("area=nowhere", 404, "area"), (f"{RANGE}&format=xls", 400,
                                                                                    "format"),
])
def test_bad_loss_queries_get_a_4xx_naming_the_field(admin: Http, area: str, query: str, status: int,
                                                     field: str) -> None:
    path = "/losses/export" if "format" in query else "/losses"
    res = admin.get(f"{path}?{query}")
    assert res.status == status, res.json
    assert [d["field"] for d in res.json["error"]["details"]] == [field]


def test_an_unknown_area_is_404_and_a_check_meter_cannot_leave_or_be_deleted(admin: Http, area: str) -> None:
    assert admin.get("/losses/nowhere").status == 404
    configure(admin, area)
    other = admin.get("/areas?q=Harbour").json["items"][0]["id"]
    moved = admin.patch(f"/meters/{CHECK}", {"area_id": other})
    assert moved.status == 422 and moved.json["error"]["details"][0]["field"] == "area_id"
    assert admin.delete(f"/meters/{CHECK}").status == 409
    assert admin.patch(f"/meters/{C1}", {"area_id": other}).status == 200  # other meters move as before


def test_the_demo_areas_show_a_balance_from_their_check_meters(services: Services, admin: Http,
                                                                tmp_path: Path) -> None:
    from local import demo
    from local.demo_customer import owner_of_an_ordinary_meter
    from simulator.__main__ import read_meters_file
    from simulator.fleet import plan_fleet
    from simulator.meter import system_title

    assert demo.seed(services)
    now = datetime.now(UTC)
    report = demo.import_history(services, now)
    assert report["errors"] == [] and report["meters"] == 48 + 5  # 2 demo meters never dial; 5 check meters
    overview = admin.get("/losses").json  # the 30 days up to yesterday
    metered = [i for i in overview["items"] if i["check_meter"]]
    assert len(metered) == 5 == len(overview["items"])
    for item in metered:
        assert item["meters"] == 8 and item["supply"]["transformer_kva"] > 0
        reliable = [d for d in item["days"] if d["complete"]]
        if item["area_name"] == "Ikeja GRA":  # one of its customers' meters never dials: no day is reliable
            assert reliable == [] and {d["reason"] for d in item["days"]} == {
                "unreliable: 1 of 8 meters without data"}
            continue
        assert len(reliable) >= 28, item["area_name"]  # the oldest day of the history may start late
        for day in reliable:  # what the HES estimates as technical is what the simulated supply lost
            assert 0 < day["technical_pct"] < 15 and abs(day["non_technical_pct"]) < 15, (item["area_name"], day)
    downtown = next(i for i in metered if i["area_name"] == "Downtown")  # a bypassed meter there
    others = [i for i in metered if i["area_name"] not in ("Downtown", "Ikeja GRA")]
    assert downtown["totals"]["non_technical_pct"] > max(i["totals"]["non_technical_pct"] for i in others)
    raised = services.energy_balance.evaluate_alerts()  # the bypass began 6-9 days ago: one episode, one alert
    assert len(raised["raised"]) == 1
    alert = admin.get("/alerts?type=non_technical_loss").json["items"][0]
    assert alert["area_name"] == "Downtown" and alert["details"]["days"] >= 3

    secured = demo.secure(services)  # a few ordinary demo meters talk HLS-GMAC, their keys sealed in the archive
    assert secured == ["04312356355", "04312388031"] and demo.secure(services) == []  # as the README names them; once
    for number in secured:
        view = admin.get(f"/meters/{number}").json["security"]
        assert view == {"authentication": "hls-gmac", "system_title": system_title(number).hex(),
                        "secrets_stored": True}
    owner = owner_of_an_ordinary_meter(services)
    assert owner is not None and not set(owner["meter_numbers"]) & set(secured)  # the demo customer's is plain
    numbers, overrides = read_meters_file(demo.fleet_file(services, tmp_path / "fleet.csv"))  # the live fleet
    assert {n for n, o in overrides.items() if o["scenario"] == "secured"} == set(secured)
    live = {c.meter_number: c for c in plan_fleet(numbers, {}, {}, demo.DEMO_SEED, overrides)}
    assert len(live) == 55 and [m.meter_number for m in live[downtown["check_meter"]].feeds] == sorted(
        m["meter_number"] for m in admin.get(f"/meters?area={downtown['area_id']}&page_size=50").json["items"]
        if m["status"] == "installed" and m["meter_number"] != downtown["check_meter"]
        and m["meter_number"] in numbers)

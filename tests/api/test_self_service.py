"""The customer's own view through the API on the embedded database: what a customer sees of its meters, and
that another customer's meter is out of its reach through every route the API has."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from chalicelib.api.framework import ROUTES, RouteSpec
from chalicelib.bootstrap import Services
from chalicelib.domain.events import FRAUD_LOG, STANDARD_LOG
from chalicelib.domain.jobs import CREDIT, RELAY, TOKEN_GATEWAY
from tests.api.conftest import Http

MINE, MINE_TOO, THEIRS, UNKNOWN = "04399000001", "04399000003", "04399000002", "04399999999"
THEIR_NAME = "Theodora Theirs"
PDF = {"Accept": "application/pdf"}
HEADER = "Meter Number,Timestamp,Import kWh,Export kWh\n"
TOKEN = "1234 5678 9012 3456 7890"


def hourly(meter: str, start: datetime, hours: int, first_kwh: float, per_hour: float) -> list[str]:
    return [f"{meter},{(start + timedelta(hours=h)).strftime('%Y-%m-%dT%H:%M:%S')}+01:00,"
            f"{first_kwh + per_hour * h:.3f},0" for h in range(hours)]


@dataclass
class World:
    me: Http
    them: Http
    admin: Http
    area: str
    mine_id: str
    ids: dict[str, str]  # path parameter name -> the other customer's (or a staff-only) identifier


def _event_logs(services: Services, meter: str, standard: list[int], fraud: list[int]) -> None:
    """Event-log rows as the edge delivers them (a read job's results): standard and fraud log codes."""
    doc = services.meters.meters.get(meter)
    assert doc is not None
    to = datetime.now(UTC).isoformat()
    services.events.from_results(doc, [{"op": "get_range", "obis": log, "ok": True, "to": to,
                                        "value": [[None, code] for code in codes]}  # no time: stamped now
                                       for log, codes in ((STANDARD_LOG, standard), (FRAUD_LOG, fraud))])


def _token_and_relay(admin: Http, services: Services, meter: str, credit_wh: int) -> None:
    """A token load and a relay disconnect on `meter`, answered as the edge would answer them."""
    job = admin.post(f"/meters/{meter}/tokens", {"token": TOKEN})
    assert job.status == 202, job.json
    at = datetime.now(UTC).isoformat()
    services.jobs.record(job.json["id"], meter, [
        {"op": "action", "obis": TOKEN_GATEWAY, "class_id": 115, "index": 1, "ok": True, "value": None, "at": at},
        {"op": "get", "obis": TOKEN_GATEWAY, "class_id": 115, "index": 6, "ok": True, "value": [3, 0], "at": at},
        {"op": "get", "obis": CREDIT, "class_id": 3, "index": 2, "ok": True, "value": credit_wh, "at": at}])
    relay = admin.post(f"/meters/{meter}/relay", {"action": "disconnect"})
    assert relay.status == 202, relay.json
    services.jobs.record(relay.json["id"], meter, [
        {"op": "action", "obis": RELAY, "class_id": 70, "index": 1, "ok": True, "value": None, "at": at},
        {"op": "get", "obis": RELAY, "class_id": 70, "index": 2, "ok": True, "value": False, "at": at}])


@pytest.fixture
def world(admin: Http, as_role: Any, services: Services) -> World:
    sent: list[dict[str, Any]] = []
    services.jobs.send = sent.append  # the edge's command queue: results are recorded below as the edge would
    services.exports.enqueue = sent.append
    area = admin.post("/areas", {"name": "Downtown"}).json["id"]
    for number in (MINE, MINE_TOO, THEIRS):
        assert admin.post("/meters", {"meter_number": number, "concentrator_id": "DCU-1", "meter_type": "Single Phase",
                                      "area_id": area}).status == 201
    sim = admin.post("/sims", {"sim_number": "8923499000002", "ip_address": "10.0.0.2", "port": 4059,
                               "meter_number": THEIRS}).json
    mine = admin.post("/customers", {"name": "Mina Mine", "address": "1 Road", "phone": "+234 800000",
                                     "meter_numbers": [MINE, MINE_TOO]}).json
    theirs = admin.post("/customers", {"name": THEIR_NAME, "address": "2 Road", "phone": "+234 800001",
                                       "meter_numbers": [THEIRS], "sim_number": sim["sim_number"]}).json
    start = datetime(2026, 9, 1)
    upload = admin.upload("/readings/import", (HEADER + "\n".join(
        hourly(MINE, start, 72, 100.0, 0.5) + hourly(THEIRS, start, 72, 900.0, 2.0)) + "\n").encode())
    assert upload.status == 200, upload.json
    for meter in (MINE, THEIRS):
        _event_logs(services, meter, standard=[1, 2, 49], fraud=[44])  # power down/up, relay off; cover opened
        _token_and_relay(admin, services, meter, 61_000 if meter == MINE else 99_000)
    alert = services.db["alerts"].find_one({"meter": THEIRS})
    assert alert is not None
    acked = admin.post(f"/alerts/{alert['_id']}/acknowledge", {"note": "visited"}).json
    services.events.raise_alert(services.meters.meters.get(THEIRS) or {}, "magnetic_field", "critical",
                                datetime.now(UTC))
    active = services.db["alerts"].find_one({"meter": THEIRS, "active": True})
    report = admin.post("/reports", {"kind": "consumption", "params": {"meter": THEIRS}}).json
    job = services.db["jobs"].find_one({"meters": THEIRS})
    profile = services.profiles.profiles.default()
    assert acked["acknowledged"] == 1 and active and report["id"] and job and profile
    them = as_role("customer", theirs["id"])
    return World(me=as_role("customer", mine["id"]), them=them, admin=admin, area=area, mine_id=mine["id"], ids={
        "meter_number": THEIRS, "customer_id": theirs["id"], "sim_number": sim["sim_number"], "area_id": area,
        "alert_id": active["_id"], "report_id": report["id"], "job_id": job["_id"], "profile_id": profile["_id"],
        "username": "customer1"})


# --- what a customer sees --------------------------------------------------------------------------
def test_a_customer_sees_its_meters_with_online_status_relay_state_and_credit(
        world: World, services: Services) -> None:
    services.db["meters"].update_one({"_id": MINE}, {"$set": {"online": True, "last_seen": datetime.now(UTC)}})
    services.db["meters"].update_one({"_id": MINE_TOO}, {"$set": {"online": True, "last_seen": datetime.now(UTC)
                                                                  - timedelta(days=1)}})
    res = world.me.get("/my/meters")
    assert res.status == 200, res.json
    body = res.json
    assert body["customer_name"] == "Mina Mine" and [m["meter_number"] for m in body["items"]] == [MINE, MINE_TOO]
    mine, too = body["items"]
    assert mine["online"] is True and too["online"] is False  # heard a day ago: outside the online window
    assert mine["relay_state"] == "disconnected" and too["relay_state"] is None
    assert mine["has_credit"] and mine["credit"]["value"] == 61_000 and mine["credit"]["unit"] == "Wh"
    assert too["has_credit"] and too["credit"] is None  # the profile has credit, the meter never reported it
    assert mine["import_kwh"] == pytest.approx(100.0 + 0.5 * 71) and mine["area_name"] == "Downtown"
    assert world.me.get(f"/my/meters/{MINE}").json == mine


def test_credit_shows_only_where_the_meters_profile_has_it(world: World) -> None:
    plain = world.admin.post("/device-profiles", {"brand": "Plain", "model": "Postpaid"})
    assert plain.status == 201, plain.json
    assert world.admin.patch(f"/meters/{MINE}", {"device_profile": plain.json["id"]}).status == 200
    meter = world.me.get(f"/my/meters/{MINE}").json
    assert meter["has_credit"] is False and meter["credit"] is None


def test_a_newer_pushed_credit_wins_over_an_older_read_back(world: World, services: Services) -> None:
    later = datetime.now(UTC) + timedelta(minutes=5)
    services.db["meters"].update_one({"_id": MINE}, {"$set": {
        "latest": {"0-0-19-10-0-255": {"value": 58_500, "unit": "Wh"}}, "last_reading_at": later}})
    assert world.me.get(f"/my/meters/{MINE}").json["credit"]["value"] == 58_500


def test_consumption_at_every_granularity_equals_the_register_differences(world: World) -> None:
    period = {"from": "2026-09-01", "to": "2026-09-03"}
    for granularity in ("hourly", "daily", "weekly", "monthly"):
        span = period if granularity != "hourly" else {"from": "2026-09-02", "to": "2026-09-02"}
        res = world.me.get(f"/my/meters/{MINE}/consumption?granularity={granularity}&from={span['from']}"
                           f"&to={span['to']}")
        assert res.status == 200, res.json
        staff = world.admin.get(f"/consumption?meter={MINE}&granularity={granularity}&from={span['from']}"
                                f"&to={span['to']}").json
        assert res.json["series"] == staff["series"] and res.json["totals"] == staff["totals"], granularity
    daily = world.me.get(f"/my/meters/{MINE}/consumption?granularity=daily&from=2026-09-01&to=2026-09-03").json
    assert daily["totals"]["import_kwh"] == pytest.approx(0.5 * 71)  # last register minus first
    # a reading closes the hour before it: the 00:00 reading of 09-01 only starts the count
    assert [p["import_kwh"] for p in daily["series"]] == pytest.approx([0.5 * 24, 0.5 * 24, 0.5 * 23])
    assert "rows" not in daily and "flags" not in daily and daily["meter_number"] == MINE


def test_consumption_refuses_bad_periods_naming_the_field(world: World) -> None:
    bad = world.me.get(f"/my/meters/{MINE}/consumption?granularity=yearly")
    assert bad.status == 400 and bad.json["error"]["details"][0]["field"] == "granularity"
    assert world.me.get(f"/my/meters/{MINE}/consumption?from=2026-13-01").json["error"]["details"][0][
        "field"] == "from"
    assert world.me.get(f"/my/meters/{MINE}/consumption/export?format=xls").json["error"]["details"][0][
        "field"] == "format"


def test_consumption_downloads_hold_only_the_customers_meter(world: World) -> None:
    query = "granularity=daily&from=2026-09-01&to=2026-09-03"
    res = world.me.get(f"/my/meters/{MINE}/consumption/export?{query}&format=csv&area={world.area}&meter={THEIRS}")
    assert res.status == 200 and res.headers["content-type"].startswith("text/csv")
    assert MINE in res.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(res.body.decode())))
    assert [r["Meter Number"] for r in table] == [MINE] * 3  # neither the area nor another meter widens it
    assert sum(float(r["Import kWh"]) for r in table) == pytest.approx(0.5 * 71)
    pdf = world.me.get(f"/my/meters/{MINE}/consumption/export?{query}&format=pdf", headers=PDF)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body)).pages)
    assert MINE in text and THEIRS not in text and "Energy consumption" in text


def test_token_history_is_masked_and_leaves_out_staff_details(world: World) -> None:
    res = world.me.get(f"/my/meters/{MINE}/tokens")
    assert res.status == 200 and res.json["total"] == 1
    load = res.json["items"][0]
    assert load["token"] == "*" * 16 + "7890" and load["status"] == "accepted" and load["credit_wh"] == 61_000
    assert not {"requested_by", "job", "meter_number"} & set(load)


def test_events_are_the_everyday_ones_never_security_or_staff_events(world: World, services: Services) -> None:
    services.db["events"].insert_one({"_id": "reset-1", "meter": MINE, "at": datetime.now(UTC), "type":
                                      "register_reset", "severity": "warning", "tamper": False, "details": {}})
    res = world.me.get(f"/my/meters/{MINE}/events")
    assert res.status == 200
    assert sorted(e["type"] for e in res.json["items"]) == ["power_down", "power_up", "relay_disconnected"]
    staff = world.admin.get(f"/events?meter={MINE}").json["items"]
    assert {"meter_cover_opened", "register_reset"} <= {e["type"] for e in staff}  # they exist; staff see them
    assert set(res.json["items"][0]) == {"at", "type", "severity"}
    paged = world.me.get(f"/my/meters/{MINE}/events?page_size=2").json
    assert paged["total"] == 3 and len(paged["items"]) == 2 and paged["items"][0]["at"] >= paged["items"][1]["at"]


def test_staff_have_no_own_view(world: World, as_role: Any) -> None:
    for role in ("admin", "operator", "viewer"):
        assert as_role(role).get("/my/meters").status == 403


# --- isolation: the walk ---------------------------------------------------------------------------
def _leaks(body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [s for s in (THEIRS, THEIR_NAME, "8923499000002") if s in text]


def _call(http: Http, spec: RouteSpec, ids: dict[str, str], area: str) -> Any:
    path = re.sub(r"{(\w+)}", lambda m: ids.get(m.group(1), THEIRS), spec.path)
    if spec.method == "GET":
        query = f"meter={THEIRS}&area={area}&customer={ids['customer_id']}&q={THEIRS}&format=csv"
        return http.get(f"{path}?{query}", headers={"Accept": "*/*"})
    if spec.consumes == "text/csv":
        return http.call(spec.method, path, raw=f"Meter Number\n{THEIRS}\n".encode(),
                         headers={"Content-Type": "text/csv"})
    return http.call(spec.method, path, body={"meter_number": THEIRS, "meters": [THEIRS], "kind": "consumption",
                                              "params": {"meter": THEIRS}})


def test_a_customer_never_reaches_another_customers_meter_through_any_route(world: World) -> None:
    """Every route the API has (list endpoints, exports, job results, report files, alerts, events, the own
    view...), called by one customer with the other customer's meter, record, SIM, job, report and alert."""
    wrong = []
    for spec in ROUTES:
        if spec.permission is None or spec.permission == "self":
            continue  # public routes and the login's own session (logout would end the walk)
        res = _call(world.me, spec, world.ids, world.area)
        if "{meter_number}" in spec.path and spec.path.startswith("/my/"):
            # exactly what a meter that does not exist answers (the error echoes the number asked for)
            unknown = _call(world.me, spec, {**world.ids, "meter_number": UNKNOWN}, world.area)
            if (res.status, res.body.replace(THEIRS.encode(), UNKNOWN.encode())) != (404, unknown.body):
                wrong.append(f"{spec.method} {spec.path} -> {res.status}, unlike a meter that does not exist")
            continue
        expected = 200 if spec.path == "/my/meters" else 403
        if res.status != expected or _leaks(res.body):
            wrong.append(f"{spec.method} {spec.path} -> {res.status} {_leaks(res.body)}")
    assert wrong == []
    # the control: the other customer reaches the same meter through the same routes
    theirs = [s for s in ROUTES if s.path.startswith("/my/meters/")]
    assert len(theirs) >= 5
    assert all(_call(world.them, s, world.ids, world.area).status == 200 for s in theirs)
    assert THEIRS in world.them.get("/my/meters").body.decode()


def test_the_customers_own_routes_answer_only_for_its_own_meters(world: World) -> None:
    mine = world.me.get("/my/meters").json
    assert {m["meter_number"] for m in mine["items"]} == {MINE, MINE_TOO}
    for path in ("", "/consumption", "/consumption/export", "/tokens", "/events"):
        assert world.me.get(f"/my/meters/{MINE}{path}").status == 200
        unknown = world.me.get(f"/my/meters/{UNKNOWN}{path}")
        other = world.me.get(f"/my/meters/{THEIRS}{path}")
        assert unknown.status == other.status == 404  # another customer's meter does not exist for it
        assert other.json["error"]["message"] == f"meter '{THEIRS}' does not exist"


def test_a_meter_moved_to_another_customer_leaves_the_first_ones_view(world: World) -> None:
    assert world.me.get(f"/my/meters/{MINE_TOO}/consumption").status == 200
    assert world.admin.patch(f"/customers/{world.mine_id}", {"meter_numbers": [MINE]}).status == 200
    assert world.admin.patch(f"/customers/{world.ids['customer_id']}", {"meter_numbers": [THEIRS, MINE_TOO]}
                             ).status == 200
    assert [m["meter_number"] for m in world.me.get("/my/meters").json["items"]] == [MINE]
    assert world.me.get(f"/my/meters/{MINE_TOO}/consumption").status == 404
    assert world.them.get(f"/my/meters/{MINE_TOO}/consumption").status == 200

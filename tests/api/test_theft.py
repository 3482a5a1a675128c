"""Theft detection through the API and the evaluate_rules function on the embedded database: a run is
queued and worked off the RULES queue's message, scores rank the meter whose consumption dropped first
with its rule hits and reasons, the evidence compares it with its area, and the Investigation alert is
raised once per episode (a re-run, the next days and an acknowledgement do not repeat it; the episode ends
when the meter is no longer flagged, and a later drop opens a new one)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib.bootstrap import Services
from chalicelib.domain.models import MeterCreate
from chalicelib.services.context import SYSTEM
from functions import evaluate_rules
from tests.api.conftest import Http

LAGOS = ZoneInfo("Africa/Lagos")
START = date(2026, 3, 1)
DAYS = 150
THIEF = "04318000300"
HONEST = [f"0431800030{n}" for n in range(1, 8)]
LOW = set(range(60, 90)) | set(range(120, 150))  # the thief's days at a tenth of its usual draw
pytestmark = pytest.mark.usefixtures("aws")  # runs are queued on the RULES queue (moto's SQS)


def day(n: int) -> date:
    return START + timedelta(days=n)


@pytest.fixture
def area(admin: Http, services: Services) -> str:
    made = admin.post("/areas", {"name": "Feeder 9"}).json["id"]
    lines = ["Meter Number,Timestamp,Import kWh,Export kWh"]
    for i, number in enumerate([THIEF, *HONEST]):
        services.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="D", meter_type="S",
                                                   area_id=made))
        register = 1000.0
        for n in range(DAYS + 1):  # a reading at each local midnight closes the day before it
            at = datetime.combine(day(n), datetime.min.time(), LAGOS)
            lines.append(f"{number},{at.isoformat()},{register:.3f},0")
            usual = 10 + i + (n * 7 + i * 3) % 5 * 0.4
            register += usual * (0.1 if number == THIEF and n in LOW else 1)
    report = services.reading_import.run(SYSTEM, ("\n".join(lines) + "\n").encode(), dry_run=False)
    assert report["written"] == 8 * (DAYS + 1), report
    return made


def work(services: Services, run_id: str) -> dict[str, Any]:
    """The RULES queue's message, handed to the function as SQS would."""
    out = evaluate_rules.handler({"Records": [{"messageId": "m1", "body": json.dumps({"theft_run": run_id})}]}, None)
    assert out == {"batchItemFailures": []}
    return services.theft.get_run(run_id)


def run(http: Http, services: Services, as_of: date, area: str | None = None) -> dict[str, Any]:
    started = http.post("/theft/run", {"as_of": as_of.isoformat(), **({"area": area} if area else {})})
    assert started.status == 202, started.json
    assert http.get(f"/theft/runs/{started.json['id']}").json["status"] == "queued"
    done = work(services, started.json["id"])
    assert done["status"] == "done", done
    return done


def investigations(services: Services) -> list[dict[str, Any]]:
    return list(services.db["alerts"].find({"type": "investigation"}))


def test_a_run_ranks_the_dropped_meter_first_with_reasons_and_evidence(
        admin: Http, area: str, services: Services, as_role: Any) -> None:
    operator = as_role("operator")
    assert operator.get("/theft/scores").json == {"items": [], "total": 0, "page": 1, "page_size": 25,
                                                  "as_of": None}  # before the first run
    done = run(operator, services, day(89))
    assert done["meters_scored"] == 8 and done["alerts_raised"] == 1 and done["requested_by"] == "operator1"

    scores = operator.get(f"/theft/scores?area={area}").json
    assert scores["as_of"] == day(89).isoformat() and scores["total"] == 8
    top = scores["items"][0]
    assert top["meter_number"] == THIEF and top["risk"] in ("high", "medium")
    assert [s["score"] for s in scores["items"]] == sorted((s["score"] for s in scores["items"]), reverse=True)
    rules = {h["rule"]: h for h in top["rule_hits"]}
    assert rules["consumption_drop"]["value"] == pytest.approx(90, abs=1)  # a tenth of last month's draw
    assert "below_area_average" in rules
    assert top["reasons"] and all(isinstance(r, str) and r for r in top["reasons"])
    assert all(not s["rule_hits"] for s in scores["items"][1:])
    assert [s["meter_number"] for s in operator.get("/theft/scores?q=0300").json["items"]] == [THIEF]
    assert operator.get("/theft/scores?risk=extreme").json["error"]["details"][0]["field"] == "risk"
    assert operator.get("/theft/scores?as_of=someday").json["error"]["details"][0]["field"] == "as_of"
    assert operator.get("/theft/scores?as_of=2026-01-01").json["total"] == 0  # a day never scored

    evidence = operator.get(f"/theft/scores/{THIEF}").json
    assert len(evidence["profile"]) == 90 and evidence["profile"][-1]["day"] == day(89).isoformat()
    mine = {p["day"]: p["import_kwh"] for p in evidence["profile"]}
    peers = {p["day"]: p["import_kwh"] for p in evidence["area_profile"]}
    assert mine[day(80).isoformat()] < 0.2 * peers[day(80).isoformat()]
    assert mine[day(40).isoformat()] == pytest.approx(10 + (40 * 7) % 5 * 0.4, abs=1e-6)
    assert evidence["history"] == [{"as_of": day(89).isoformat(), "score": top["score"]}]
    assert operator.get("/theft/scores/nope").status == 404
    assert operator.get(f"/theft/scores/{HONEST[0]}?as_of=2026-01-01").status == 404


def test_refusals_and_permissions(admin: Http, area: str, services: Services, as_role: Any) -> None:
    viewer = as_role("viewer")
    assert viewer.post("/theft/run", {}).status == 403
    assert viewer.get("/theft/runs").status == 200
    assert admin.post("/theft/run", {"area": "nope"}).status == 404
    future = admin.post("/theft/run", {"as_of": (date.today() + timedelta(days=3)).isoformat()})
    assert future.status == 400 and future.json["error"]["details"][0]["field"] == "as_of"
    assert admin.post("/theft/run", {"as_of": "soon"}).status == 422
    assert services.db["theft_runs"].count_documents({}) == 0  # nothing queued by a refusal
    assert admin.get("/theft/runs/nope").status == 404
    assert viewer.put("/theft/settings", {"drop_pct": 70}).status == 403
    assert admin.put("/theft/settings", {"drop_pct": 150}).status == 422
    changed = admin.put("/theft/settings", {"drop_pct": 95, "area_ratio_pct": 5})
    assert changed.status == 200 and viewer.get("/theft/settings").json["drop_pct"] == 95
    run(admin, services, day(89), area)
    top = admin.get("/theft/scores").json["items"][0]
    assert top["meter_number"] == THIEF and top["rule_hits"] == []  # a 90 % drop is no longer past 95 %


def test_one_investigation_alert_per_episode(admin: Http, area: str, services: Services) -> None:
    run(admin, services, day(89))
    first = investigations(services)
    assert [(a["meter"], a["active"], a["severity"], a["source"]) for a in first] == [(THIEF, True, "high", "theft")]
    assert first[0]["details"]["as_of"] == day(89).isoformat() and first[0]["details"]["reasons"]
    inbox = admin.get("/alerts?type=investigation").json["items"]
    assert [a["meter_number"] for a in inbox] == [THIEF] and inbox[0]["details"]["rules"]

    run(admin, services, day(89))  # the same day again
    run(admin, services, day(90))  # the next day, still dropped: the same episode
    assert [a["count"] for a in investigations(services)] == [1]
    assert admin.post(f"/alerts/{first[0]['_id']}/acknowledge", {"note": "seen"}).status == 200
    run(admin, services, day(91))
    assert [a["active"] for a in investigations(services)] == [False]  # acknowledged, still the same episode

    run(admin, services, day(119))  # recovered: the episode ends without an alert
    assert len(investigations(services)) == 1
    run(admin, services, day(149))  # dropped again: a new episode, a new alert
    alerts = sorted(investigations(services), key=lambda a: a["first_at"])
    assert [a["active"] for a in alerts] == [False, True]
    run(admin, services, day(100))  # re-scoring an older day does not touch the current episode
    assert len(investigations(services)) == 2

    case = admin.post("/cases", {"alert_id": alerts[1]["_id"]}).json
    assert case["evidence"]["score"] is not None and case["evidence"]["rule_hits"]
    assert case["source"] == "alert" and case["title"].startswith(THIEF)
    listed = admin.get("/theft/scores").json["items"][0]
    assert listed["meter_number"] == THIEF and listed["open_case"] == case["id"]


def test_the_daily_schedule_queues_yesterday_once(admin: Http, area: str, services: Services) -> None:
    queued = evaluate_rules.handler({"source": "aws.events", "detail-type": "Scheduled Event"}, None)
    assert len(queued["queued"]) == 1
    assert evaluate_rules.handler({"source": "aws.events"}, None) == {"queued": [], "loss_alerts": []}
    scheduled = services.theft.get_run(queued["queued"][0])
    assert scheduled["trigger"] == "schedule" and scheduled["area_id"] is None
    assert scheduled["as_of"] == (datetime.now(LAGOS).date() - timedelta(days=1)).isoformat()
    assert work(services, scheduled["id"])["status"] == "done"
    assert evaluate_rules.handler({"Records": [{"messageId": "x", "body": "not json"}]}, None) == {
        "batchItemFailures": []}  # a malformed message is dropped, not retried forever

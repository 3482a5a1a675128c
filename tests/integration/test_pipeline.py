"""Simulated meters -> edge listener -> FRAMES queue (moto) -> decode_frames -> the database."""
from __future__ import annotations

import asyncio
import contextlib
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters.queues import Queue, ensure_queue, queue_url, sqs_client
from chalicelib.bootstrap import Services
from chalicelib.domain.models import AreaCreate, MeterCreate, MeterUpdate
from chalicelib.services.context import SYSTEM
from edge_listener.publisher import Publisher
from edge_listener.server import EdgeServer
from functions import decode_frames
from local.lambda_runner import run_once
from simulator.fleet import Fleet, FleetOptions, plan_fleet
from simulator.meter import SimulatedMeter

METERS = ["04319000001", "04319000002", "04319000003"]


@pytest.fixture
def moto(aws: None) -> None:
    """SQS through the session's moto server."""


async def run_fleet_against_edge(queue: str, seconds: float) -> tuple[EdgeServer, Fleet]:
    publisher = Publisher(lambda batch: Queue(queue).send_batched("frames", batch, v=1), interval_s=0.1)
    publisher.start()
    edge = EdgeServer(publisher, idle_timeout_s=30, max_connections=100)
    port = await edge.start("127.0.0.1", 0)
    meters = [SimulatedMeter(c) for c in plan_fleet(METERS, {}, {}, seed=7)]
    fleet = Fleet(meters, FleetOptions(port=port, push_interval_s=1.0, ramp_s=0.0))
    task = asyncio.create_task(fleet.run())
    await asyncio.sleep(seconds)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.2)  # let the edge see the sockets close
    await edge.stop()
    await publisher.stop()
    return edge, fleet


def drain(queue: str) -> int:
    handled = 0
    while (n := run_once(queue, decode_frames.handler, "decode_frames", wait_s=0)) > 0:
        handled += n
    return handled


def test_pushes_flow_from_simulated_meters_into_readings_and_rollups(moto: None, services: Services) -> None:
    queue = "frames-pipeline-test"
    ensure_queue(queue)
    area = services.areas.create(SYSTEM, AreaCreate(name="Industrial Park"))
    for number in METERS[:2]:  # the third meter is not in the archive
        services.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="DCU-1",
                                                   meter_type="Single Phase", area_id=area["id"]))
    edge, fleet = asyncio.run(run_fleet_against_edge(queue, 3.5))
    assert edge.stats.pushes >= 9 and fleet.stats.pushes >= 9
    assert drain(queue) >= 1
    db = services.db
    assert list(db["quarantine"].find()) == []
    meter: dict[str, Any] = db["meters"].find_one({"_id": METERS[0]})
    assert meter["first_seen"] <= meter["last_seen"] and meter["online"] is False  # the socket closed
    assert meter["latest"]["1-0-32-7-0-255"]["unit"] == "V" and 180 < meter["latest"]["1-0-32-7-0-255"]["value"] < 260
    buckets = list(db["readings"].find({"meter": METERS[0]}))
    points = [p for b in buckets for p in b.get("points", {}).values()]
    assert len(points) >= 3 and all("1-0-1-8-0-255" in p for p in points)
    # an hour bucket per local hour, and a marker per day (no points) that counted the meter seen that day
    hours = {b["_id"] for b in buckets if "points" in b}
    markers = {b["_id"] for b in buckets if "points" not in b}
    assert hours and all(re.fullmatch(rf"{METERS[0]}\|\d{{4}}-\d\d-\d\dT\d\d", h) for h in hours)
    assert markers == {h.split("T")[0] for h in hours}
    assert sum(r.get("seen", 0) for r in db["rollups"].find({"scope": "f", "grain": "d"})) == 2  # two meters
    rollups = {r["_id"]: r for r in db["rollups"].find({"scope": "m", "key": METERS[0], "grain": "d"})}
    assert len(rollups) == 1 and next(iter(rollups.values()))["readings"] >= 2
    assert db["rollups"].count_documents({"scope": "a", "key": area["id"]}) >= 1
    stranger = db["unregistered_devices"].find_one({"_id": METERS[2]})
    assert stranger is not None and stranger["frames"] >= 1


def test_a_frame_delivered_twice_counts_once(moto: None, services: Services) -> None:
    queue = "frames-dedupe-test"
    ensure_queue(queue)
    services.meters.create(SYSTEM, MeterCreate(meter_number=METERS[0], concentrator_id="D", meter_type="S"))
    asyncio.run(run_fleet_against_edge(queue, 2.5))
    message = sqs_client().receive_message(QueueUrl=queue_url(queue), MaxNumberOfMessages=10)["Messages"]
    bodies = [m["Body"] for m in message]
    event = {"Records": [{"messageId": str(i), "body": b} for i, b in enumerate(bodies + bodies)]}
    assert decode_frames.handler(event, None) == {"batchItemFailures": []}
    rollup_total = sum(r["readings"] for r in services.db["rollups"].find({"scope": "m", "grain": "d"}))
    pushes = sum(1 for b in bodies for f in json.loads(b)["frames"] if f["type"] == "push" and f["meter"] == METERS[0])
    assert pushes >= 2
    assert rollup_total == pushes - 1  # the first reading starts the count; repeats add nothing


def test_malformed_messages_are_quarantined_not_retried(services: Services) -> None:
    event = {"Records": [
        {"messageId": "a", "body": "not json"},
        {"messageId": "b", "body": '{"frames": [{"type": "push", "meter": "x", "at": "2026-11-26T10:00:00+00:00",'
                                   ' "apdu": "DwAAAAEAAQ=="}]}'},
        {"messageId": "c", "body": '{"frames": [{"type": "push", "meter": "x", "at": "yesterday"}]}'},
    ]}
    assert decode_frames.handler(event, None) == {"batchItemFailures": []}
    reasons = sorted(q["reason"] for q in services.db["quarantine"].find())
    assert len(reasons) == 2 and "not JSON" in reasons[1] and "'at'" in reasons[0]
    assert services.db["unregistered_devices"].find_one({"_id": "x"}) is not None


def test_the_api_shows_presence_latest_values_and_interval_readings(moto: None, services: Services) -> None:
    from tests.api.conftest import Http, login, make_user

    queue = "frames-api-test"
    ensure_queue(queue)
    services.meters.create(SYSTEM, MeterCreate(meter_number=METERS[0], concentrator_id="D", meter_type="S"))
    asyncio.run(run_fleet_against_edge(queue, 2.5))
    drain(queue)
    services.db["meters"].update_one({"_id": METERS[0]}, {"$set": {"online": True}})  # as if still connected
    from chalice.test import Client

    from app import app

    with Client(app, stage_name="local") as client:
        make_user(services, "op", "operator")
        op = login(Http(client), "op")
        listed = op.get("/meters").json["items"][0]
        assert listed["online"] is True and listed["last_seen"] is not None
        status = op.get(f"/meters/{METERS[0]}/status").json
        assert status["online"] is True and status["first_seen"] <= status["last_seen"]
        readings = op.get(f"/meters/{METERS[0]}/readings").json
        latest = {v["obis"]: v for v in readings["latest"]}
        assert latest["1.0.32.7.0.255"]["unit"] == "V"
        assert len(readings["series"]) >= 2 and "1.0.1.8.0.255" in readings["series"][-1]["values"]
        # a day bucket an older version stored (the whole day in one document) is read alongside hour buckets
        yesterday = (datetime.now(UTC).astimezone(services.ingest.tz) - timedelta(days=1)).date().isoformat()
        services.db["readings"].insert_one({"_id": f"{METERS[0]}|{yesterday}", "meter": METERS[0], "day": yesterday,
                                            "points": {"t235900": {"1-0-1-8-0-255": 5}, "t000100": {"x": 1}}})
        both = op.get(f"/meters/{METERS[0]}/readings").json["series"]
        assert [p["values"] for p in both[:2]] == [{"x": 1}, {"1.0.1.8.0.255": 5}]  # in time order
        assert both[2:] == readings["series"]
        assert op.get(f"/meters/{METERS[0]}/readings?from=2026-01-01&to=2026-12-31").status == 400
        assert op.get(f"/meters/{METERS[0]}/readings?from=yesterday").status == 400
        strangers = op.get("/devices/unregistered").json["items"]
        assert {d["address"] for d in strangers} == set(METERS[1:])
        commissioned = op.post("/meters", {"meter_number": METERS[1], "concentrator_id": "D", "meter_type": "S"})
        assert commissioned.status == 201
        assert {d["address"] for d in op.get("/devices/unregistered").json["items"]} == {METERS[2]}
        stale = datetime.now(UTC) - timedelta(hours=2)
        services.db["meters"].update_one({"_id": METERS[0]}, {"$set": {"last_seen": stale}})
        assert op.get(f"/meters/{METERS[0]}/status").json["online"] is False  # silent beyond the window


def test_a_secured_meter_is_identified_by_its_system_title_and_its_pushes_deciphered(
        moto: None, services: Services) -> None:
    from chalicelib.domain.models import MeterSecurityInput
    from simulator.meter import derive_key, system_title

    queue = "frames-secured-test"
    ensure_queue(queue)
    number = METERS[0]
    security = MeterSecurityInput(authentication="hls-gmac", system_title=system_title(number).hex(),
                                  block_cipher_key=derive_key("EK", number).hex(),
                                  authentication_key=derive_key("AK", number).hex())
    created = services.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="D",
                                                         meter_type="S", security=security))
    assert created["security"] == {"authentication": "hls-gmac", "system_title": system_title(number).hex(),
                                   "secrets_stored": True}
    stored = services.db["meters"].find_one({"_id": number})["security"]
    assert derive_key("EK", number).hex() not in str(stored)  # sealed at rest
    audited = services.db["audit_log"].find_one({"entity": "meter", "entity_id": number})["after"]["security"]
    assert audited["block_cipher_key"] == "(set)" and audited["system_title"] == system_title(number).hex()

    async def run() -> None:
        publisher = Publisher(lambda batch: Queue(queue).send_batched("frames", batch, v=1), interval_s=0.1)
        publisher.start()
        edge = EdgeServer(publisher, idle_timeout_s=30, max_connections=10)
        port = await edge.start("127.0.0.1", 0)
        configs = plan_fleet([number], {}, {}, seed=7, overrides={number: {"scenario": "secured"}})
        task = asyncio.create_task(Fleet([SimulatedMeter(c) for c in configs],
                                         FleetOptions(port=port, push_interval_s=1.0, ramp_s=0.0)).run())
        await asyncio.sleep(2.5)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.2)
        await edge.stop()
        await publisher.stop()

    asyncio.run(run())
    drain(queue)
    assert list(services.db["quarantine"].find()) == []
    meter = services.db["meters"].find_one({"_id": number})
    assert meter["latest"]["1-0-32-7-0-255"]["unit"] == "V" and meter["first_seen"] is not None
    assert services.db["unregistered_devices"].count_documents({}) == 0
    # the highest frame counter seen on its pushes is kept: the floor for its replies in the next session
    assert meter["invocation_counters"]["meter"] > 0
    services.ingest.handle({"frames": [{  # a command session's result: its counters are kept, only ever raised
        "type": "result", "meter": number, "job": "none", "results": [], "counters": {"meter": 1, "hes": 41},
        "at": datetime.now(UTC).isoformat()}]})
    kept = services.db["meters"].find_one({"_id": number})["invocation_counters"]
    assert kept == {"meter": meter["invocation_counters"]["meter"], "hes": 41}
    services.meters.update(SYSTEM, number, MeterUpdate(meter_type="T"))  # not a key change
    assert services.db["meters"].find_one({"_id": number})["invocation_counters"] == kept
    services.meters.update(SYSTEM, number, MeterUpdate(security=security.model_copy(
        update={"block_cipher_key": "00" * 16})))  # new keys count afresh
    assert "invocation_counters" not in services.db["meters"].find_one({"_id": number})


def test_a_message_of_many_pushes_stores_what_one_push_at_a_time_stores(
        moto: None, services: Services, mongo_client: Any, settings: Any) -> None:
    """decode_frames writes a message's pushes in a few bulk round trips; the result (readings, rollups,
    each meter's registers) is what handling the same pushes one message each gives, with the frames
    shuffled and delivered twice."""
    import random

    from chalicelib.bootstrap import bootstrap, reset_services

    queue = "frames-batch-test"
    ensure_queue(queue)
    for number in METERS:
        services.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="D", meter_type="S"))
    asyncio.run(run_fleet_against_edge(queue, 3.5))
    bodies = [json.loads(m["Body"]) for m in sqs_client().receive_message(
        QueueUrl=queue_url(queue), MaxNumberOfMessages=10)["Messages"]]
    pushes = [f for b in bodies for f in b["frames"] if f["type"] == "push"]
    assert len(pushes) >= 6 and len({f["meter"] for f in pushes}) == len(METERS)
    shuffled = pushes + pushes
    random.Random(3).shuffle(shuffled)
    batched_db = services.db
    assert services.ingest.handle({"frames": shuffled}) == len(shuffled)

    single = bootstrap(settings, mongo_client[batched_db.name + "_one"])
    try:
        reset_services(single)
        for number in METERS:
            single.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="D", meter_type="S"))
        for frame in sorted(pushes, key=lambda f: f["at"]):
            single.ingest.handle({"frames": [frame]})

        def state(db: Any) -> tuple[Any, ...]:
            rollups = {d["_id"]: {k: v for k, v in d.items() if k != "_id"} for d in db["rollups"].find()}
            buckets = {d["_id"]: d.get("points") for d in db["readings"].find()}
            meters = {d["_id"]: (d.get("registers"), d.get("last_reading_at"), d.get("first_reading_at"))
                      for d in db["meters"].find()}
            return rollups, buckets, meters

        got, want = state(batched_db), state(single.db)
        for part in range(3):  # rollups, buckets, meters: document by document, to name the one that differs
            for k in set(got[part]) | set(want[part]):
                assert got[part].get(k) == want[part].get(k), (part, k)
        assert sum(r["readings"] for r in batched_db["rollups"].find({"scope": "m", "grain": "d"})) == \
            len(pushes) - len(METERS)  # each meter's first reading starts its count
    finally:
        reset_services(services)
        mongo_client.drop_database(batched_db.name + "_one")

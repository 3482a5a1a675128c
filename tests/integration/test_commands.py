"""Commands on a live socket: the edge listener reads, switches the relay and loads a token on a simulated meter."""
from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.jobs import JobCreate, JobItem
from edge_listener.commands import CommandOptions, CommandRunner
from edge_listener.publisher import Publisher
from edge_listener.server import EdgeServer
from simulator.fleet import Fleet, FleetOptions, plan_fleet
from simulator.meter import SimulatedMeter
from simulator.prepaid import make_token

METER = "04318000042"
RELAY, TOKEN, CREDIT = "0.0.96.3.10.255", "0.0.19.40.0.255", "0.0.19.10.0.255"


def get(obis: str, class_id: int, index: int = 2) -> dict[str, Any]:
    return {"op": "get", "obis": obis, "class_id": class_id, "index": index}


def action(obis: str, class_id: int, method: int, value: Any = 0, data_type: str = "integer") -> dict[str, Any]:
    return {"op": "action", "obis": obis, "class_id": class_id, "index": method, "value": value,
            "data_type": data_type}


async def with_meter(items_list: list[list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []
    publisher = Publisher(sent.extend, interval_s=0.05)
    publisher.start()
    edge = EdgeServer(publisher, idle_timeout_s=30, max_connections=10)
    port = await edge.start("127.0.0.1", 0)
    meters = [SimulatedMeter(c) for c in plan_fleet([METER, "04318000043"], {}, {}, seed=3)]
    task = asyncio.create_task(Fleet(meters, FleetOptions(port=port, push_interval_s=30, ramp_s=0)).run())
    for _ in range(100):
        if METER in edge.by_meter:
            break
        await asyncio.sleep(0.05)
    runner = CommandRunner(edge, CommandOptions(timeout_s=5))
    records = [await runner.execute({"job": f"j{i}", "meter": METER, "items": items})
               for i, items in enumerate(items_list)]
    offline = await runner.execute({"job": "x", "meter": "00000000000", "items": [get("0.0.1.0.0.255", 8)]})
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await edge.stop()
    await publisher.stop()
    return [*records, offline], sent


def test_reads_relay_switching_and_token_loading_on_a_live_socket() -> None:
    token = make_token(METER, 5_000, 17)
    records, sent = asyncio.run(with_meter([
        [get("0.0.96.1.0.255", 1), get("1.0.1.8.0.255", 3), get("1.0.32.7.0.255", 3)],
        [action(RELAY, 70, 1), get(RELAY, 70, 2), get("1.0.1.7.0.255", 3)],
        [action(RELAY, 70, 2), get(RELAY, 70, 2)],
        [get(CREDIT, 3), action(TOKEN, 115, 1, token, "octet-string"), get(TOKEN, 115, 6), get(CREDIT, 3)],
        [action(TOKEN, 115, 1, token, "octet-string"), get(TOKEN, 115, 6)],
        [get("9.9.9.9.9.255", 3)],
    ]))
    reads, disconnect, reconnect, load, reuse, unknown, offline = (r["results"] for r in records)
    assert [r["ok"] for r in reads] == [True, True, True]
    assert reads[0]["value"] == METER and reads[1]["value"] > 0 and 2000 < reads[2]["value"] < 2600  # 0.1 V units
    assert disconnect[0]["ok"] and disconnect[1]["value"] is False and disconnect[2]["value"] == 0
    assert reconnect[0]["ok"] and reconnect[1]["value"] is True
    before, entered, status, after = load
    assert entered["ok"] and after["value"] == before["value"] + 5_000
    assert reuse[0]["ok"] is False and reuse[0]["reason"] == "other"
    assert unknown[0]["ok"] is False and unknown[0]["reason"] == "object undefined"
    assert offline[0]["ok"] is False and offline[0]["detail"] == "meter offline"
    published = [r for r in sent if r["type"] == "result"]
    assert [r["job"] for r in published] == ["j0", "j1", "j2", "j3", "j4", "j5", "x"]
    assert status["value"][0] == 3 and reuse[1]["value"][0] == 6  # token status: accepted, then already used


class LiveEdge:
    """An edge listener with one simulated meter on a background event loop, wired to the queues:
    COMMANDS -> edge -> FRAMES -> decode_frames, so API calls reach the meter and results come back."""

    def __init__(self, services: Any, frames: str, scenarios: dict[str, float] | None = None,
                 overrides: dict[str, dict[str, Any]] | None = None) -> None:
        from chalicelib.adapters.queues import ensure_queue

        self.services, self.frames, self.scenarios = services, frames, scenarios or {}
        self.overrides = overrides or {}
        ensure_queue(frames)
        ensure_queue(services.settings.commands_queue)

    def __enter__(self) -> LiveEdge:
        import threading

        from edge_listener.command_queue import CommandConsumer

        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.edge, self.publisher, self.task = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        self.consumer = CommandConsumer(self.services.settings.commands_queue,
                                        CommandRunner(self.edge, CommandOptions(timeout_s=5,
                                                                                box=self.services.meters.box)),
                                        self.loop,
                                        threading.Event())
        return self

    async def _start(self) -> tuple[EdgeServer, Publisher, asyncio.Task[None]]:
        from chalicelib.adapters.queues import Queue

        publisher = Publisher(lambda batch: Queue(self.frames).send_batched("frames", batch, v=1), interval_s=0.05)
        publisher.start()
        edge = EdgeServer(publisher, idle_timeout_s=30, max_connections=10)
        port = await edge.start("127.0.0.1", 0)
        meters = [SimulatedMeter(c) for c in plan_fleet([METER], self.scenarios, {}, seed=5,
                                                         overrides=self.overrides)]
        task = asyncio.create_task(Fleet(meters, FleetOptions(port=port, push_interval_s=30, ramp_s=0)).run())
        for _ in range(100):
            if METER in edge.by_meter or any(m.startswith("st:") for m in edge.by_meter):  # secured: by its title
                break
            await asyncio.sleep(0.05)
        return edge, publisher, task

    def settle(self) -> None:
        """Run queued commands, publish their results and decode everything on the FRAMES queue."""
        from functions import decode_frames
        from local.lambda_runner import run_once

        while self.consumer.poll_once(wait_s=0):
            pass
        asyncio.run_coroutine_threadsafe(self.publisher.flush(), self.loop).result(10)
        while run_once(self.frames, decode_frames.handler, "decode_frames", wait_s=0):
            pass

    def __exit__(self, *exc: object) -> None:
        self.task.cancel()
        asyncio.run_coroutine_threadsafe(self.edge.stop(), self.loop).result(10)
        asyncio.run_coroutine_threadsafe(self.publisher.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


def test_jobs_relay_and_tokens_travel_api_to_meter_and_back(aws: None, services: Any) -> None:
    from chalice.test import Client

    from app import app
    from chalicelib.domain.models import MeterCreate
    from chalicelib.services.context import SYSTEM
    from tests.api.conftest import Http, login, make_user

    services.meters.create(SYSTEM, MeterCreate(meter_number=METER, concentrator_id="D", meter_type="S"))
    with LiveEdge(services, "frames-jobs-test") as live:
        settle = live.settle
        with Client(app, stage_name="local") as client:
            make_user(services, "ops", "operator")
            make_user(services, "looker", "viewer")
            op, viewer = login(Http(client), "ops"), login(Http(client), "looker")
            assert viewer.post(f"/meters/{METER}/relay", {"action": "disconnect"}).status == 403
            job = op.post(f"/meters/{METER}/relay", {"action": "disconnect"})
            assert job.status == 202
            settle()
            done = op.get(f"/jobs/{job.json['id']}").json
            assert done["status"] == "done" and done["progress"] == {"done": 1, "total": 1}
            assert [i["ok"] for i in done["results"][0]["items"]] == [True, True, True]
            assert op.get(f"/meters/{METER}/status").json["relay_state"] == "disconnected"
            op.post(f"/meters/{METER}/relay", {"action": "reconnect"})
            token = make_token(METER, 2_000, 99)
            bad = op.post(f"/meters/{METER}/tokens", {"token": "1234"})
            assert bad.status == 422 and "20 digits" in bad.json["error"]["message"]
            assert op.post(f"/meters/{METER}/tokens", {"token": token}).status == 202
            assert op.post(f"/meters/{METER}/tokens", {"token": token}).status == 202
            settle()
            assert op.get(f"/meters/{METER}/status").json["relay_state"] == "connected"
            history = op.get(f"/meters/{METER}/tokens").json["items"]
            assert [h["status"] for h in history] == ["rejected", "accepted"]
            assert history[0]["detail"] == "rejected: already used or no credit"
            assert history[1]["token"].endswith(token[-4:]) and history[1]["token"].startswith("****")
            read = op.post("/jobs", {"kind": "read", "meters": [METER], "items": [
                {"obis": "1.0.32.7.0.255"}, {"obis": "0.0.1.0.0.255"}]})
            assert read.status == 202
            settle()
            items = op.get(f"/jobs/{read.json['id']}").json["results"][0]["items"]
            assert items[0]["name"] == "Voltage L1" and items[0]["ok"] and items[1]["ok"]
            refused = op.post("/jobs", {"kind": "write", "meters": [METER, "nope"], "items": [
                {"obis": "1.0.32.7.0.255", "value": 5}]})
            assert refused.status == 422
            messages = [d["message"] for d in refused.json["error"]["details"]]
            assert "unknown meter 'nope'" in messages and any("not writable" in m for m in messages)
            assert viewer.get(f"/jobs/{read.json['id']}").status == 200
            assert len(op.get("/jobs").json["items"]) == 5  # relay x2, token x2, read
            profile = op.get("/device-profiles").json["items"][0]["id"]
            assert op.post(f"/device-profiles/{profile}/discover").status == 400
            discovery = op.post(f"/device-profiles/{profile}/discover?meter={METER}")
            assert discovery.status == 202
            settle()
            found = op.get(f"/device-profiles/{profile}/discover/{discovery.json['id']}").json
            assert found["status"] == "done" and found["error"] is None
            by_key = {(o["obis"], o["kind"], o["index"]): o for o in found["objects"]}
            voltage = by_key[("1.0.32.7.0.255", "attribute", 2)]
            assert voltage["class_id"] == 3 and voltage["access"] == "R" and voltage["in_profile"]
            assert "Voltage" in voltage["name"]
            assert by_key[("0.0.96.3.10.255", "method", 1)]["access"] == "X"


def test_the_hes_dials_a_meter_without_a_live_socket_through_its_sim_address() -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any], int]:
        meter = SimulatedMeter(plan_fleet([METER], {}, {}, seed=9)[0])
        fleet = Fleet([meter], FleetOptions(push_interval_s=3600))
        modem = await asyncio.start_server(lambda r, w: fleet.serve(meter, r, w), "127.0.0.1", 0)
        modem_port = modem.sockets[0].getsockname()[1]
        sent: list[dict[str, Any]] = []
        publisher = Publisher(sent.extend, interval_s=0.05)
        publisher.start()
        edge = EdgeServer(publisher, idle_timeout_s=30, max_connections=10)
        await edge.start("127.0.0.1", 0)
        runner = CommandRunner(edge, CommandOptions(timeout_s=5))
        dialled = await runner.execute({"job": "d", "meter": METER, "items": [get("0.0.96.1.0.255", 1)],
                                        "dial": {"host": "127.0.0.1", "port": modem_port}})
        free = 0
        for port in range(modem_port + 1, modem_port + 50):  # a port nobody listens on
            try:
                (await asyncio.open_connection("127.0.0.1", port))[1].close()
            except OSError:
                free = port
                break
        failed = await runner.execute({"job": "e", "meter": "00000000001", "items": [get("0.0.96.1.0.255", 1)],
                                       "dial": {"host": "127.0.0.1", "port": free}})
        await edge.stop()
        await publisher.stop()
        modem.close()
        return dialled, failed, sum(1 for r in sent if r["type"] == "online")

    dialled, failed, online_events = asyncio.run(scenario())
    assert dialled["results"][0]["ok"] and dialled["results"][0]["value"] == METER
    assert online_events == 1
    assert failed["results"][0]["ok"] is False and "dialling 127.0.0.1" in failed["results"][0]["detail"]


def test_commands_to_a_secured_meter_use_hls_gmac_with_its_sealed_keys() -> None:
    from chalicelib.domain.secrets_box import SecretBox
    from simulator.meter import derive_key, system_title

    box = SecretBox("edge-test-master-secret")
    security = {"authentication": "hls-gmac", "system_title": system_title(METER).hex(), "password": None,
                "block_cipher_key": box.seal(derive_key("EK", METER).hex().encode(), f"{METER}|block_cipher_key"),
                "authentication_key": box.seal(derive_key("AK", METER).hex().encode(), f"{METER}|authentication_key")}

    async def scenario() -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []
        publisher = Publisher(sent.extend, interval_s=0.05)
        publisher.start()
        edge = EdgeServer(publisher, idle_timeout_s=30, max_connections=10)
        port = await edge.start("127.0.0.1", 0)
        configs = plan_fleet([METER], {}, {}, seed=4, overrides={METER: {"scenario": "secured"}})
        task = asyncio.create_task(Fleet([SimulatedMeter(c) for c in configs],
                                         FleetOptions(port=port, push_interval_s=30, ramp_s=0)).run())
        ident = f"st:{system_title(METER).hex()}"
        for _ in range(100):
            if ident in edge.by_meter:
                break
            await asyncio.sleep(0.05)
        runner = CommandRunner(edge, CommandOptions(timeout_s=5, box=box))
        records: list[dict[str, Any]] = []
        for attempt in range(2):  # a second session needs a fresh invocation counter
            records.append(await runner.execute({"job": f"s{attempt}", "meter": METER, "security": security,
                                                 "items": [action(RELAY, 70, 1), get(RELAY, 70, 2)],
                                                 "counters": records[-1]["counters"] if records else None}))
        # kept counters: ours far above what the meter last accepted (we go on from ours), the meter's above
        # anything it will send (its replies are replays)
        records.append(await runner.execute({"job": "k", "meter": METER, "security": security,
                                             "items": [get(RELAY, 70, 2)], "counters": {"hes": 70_000}}))
        records.append(await runner.execute({"job": "r", "meter": METER, "security": security,
                                             "items": [get(RELAY, 70, 2)], "counters": {"meter": 0xFFFFFFF0}}))
        wrong = {**security, "block_cipher_key": SecretBox("another-secret").seal(b"00" * 16,
                                                                                  f"{METER}|block_cipher_key")}
        records.append(await runner.execute({"job": "w", "meter": METER, "security": wrong,
                                             "items": [get(RELAY, 70, 2)]}))
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await edge.stop()
        await publisher.stop()
        return records

    first, second, kept, replayed, wrong = asyncio.run(scenario())
    assert [r["ok"] for r in first["results"]] == [True, True] and first["results"][1]["value"] is False
    assert [r["ok"] for r in second["results"]] == [True, True]
    # each session reports the counters it ended with, and they only rise
    assert second["counters"]["hes"] > first["counters"]["hes"] >= 0
    assert second["counters"]["meter"] > first["counters"]["meter"] >= 0
    assert kept["results"][0]["ok"] and kept["counters"]["hes"] > 70_000
    assert replayed["results"][0]["ok"] is False and "replayed" in replayed["results"][0]["detail"]
    assert replayed["counters"]["meter"] == 0xFFFFFFF0  # nothing the meter sent was taken
    assert wrong["results"][0]["ok"] is False and "could not be opened" in wrong["results"][0]["detail"]
    assert "counters" not in wrong  # no session was opened


def test_event_logs_become_events_and_tamper_events_active_alerts(aws: None, services: Any) -> None:
    from chalicelib.domain.models import MeterCreate
    from chalicelib.services.context import SYSTEM
    from functions import poll_events

    services.meters.create(SYSTEM, MeterCreate(meter_number=METER, concentrator_id="D", meter_type="S"))
    with LiveEdge(services, "frames-events-test", {"tamper": 1.0}) as live:
        settle = live.settle
        settle()  # the push marks the meter online
        poll_job = poll_events.handler({}, None)["job"]
        assert poll_job
        settle()
        events = list(services.db["events"].find({"meter": METER}))
        tamper = [e for e in events if e["tamper"]]
        assert tamper and {e["type"] for e in tamper} <= {"terminal_cover_opened", "magnetic_field",
                                                           "meter_cover_opened", "neutral_missing", "reverse_current"}
        alerts = list(services.db["alerts"].find({"meter": METER, "active": True}))
        assert sum(a["count"] for a in alerts) == len(tamper)
        assert len(alerts) == len({e["type"] for e in tamper})  # one active alert per type, counting repeats
        assert poll_events.handler({}, None)["job"]  # polling again adds nothing already seen
        settle()
        assert services.db["events"].count_documents({"meter": METER}) == len(events)
        from chalice.test import Client

        from app import app
        from tests.api.conftest import Http, login, make_user

        with Client(app, stage_name="local") as client:
            make_user(services, "evt", "viewer")
            viewer = login(Http(client), "evt")
            listed = viewer.get(f"/meters/{METER}/events?page_size=500").json
            assert listed["total"] == len(events) and listed["items"][0]["at"] >= listed["items"][-1]["at"]
            poll = viewer.get(f"/jobs/{poll_job}")  # a poll's range reads show like any job's items
            assert poll.status == 200, poll.json
            assert poll.json["results"][0]["items"][0]["op"] == "get_range"
            fraud_log = poll.json["results"][0]["items"][1]
            assert fraud_log["obis"] == "0.0.99.98.1.255" and isinstance(fraud_log["value"], list)
            make_user(services, "evt2", "operator")
            started = login(Http(client), "evt2").post(f"/meters/{METER}/diagnostics")
            assert started.status == 202 and viewer.post(f"/meters/{METER}/diagnostics").status == 403
            settle()
            found = viewer.get(f"/jobs/{started.json['id']}").json["results"][0]["items"][0]
            assert found["op"] == "diagnostics" and found["ok"], found
            frames = found["value"]["frames"]
            assert found["value"]["meter"] == METER and frames and {d for d, _ in frames} <= {"in", "out"}
            assert all(bytes.fromhex(h) for _, h in frames)  # the last frames of the socket, in hex


def test_hls_frame_counters_are_kept_from_one_command_session_to_the_next(aws: None, services: Any) -> None:
    from chalicelib.domain.models import MeterCreate, MeterSecurityInput
    from chalicelib.services.context import SYSTEM
    from simulator.meter import derive_key, system_title

    security = MeterSecurityInput(authentication="hls-gmac", system_title=system_title(METER).hex(),
                                  block_cipher_key=derive_key("EK", METER).hex(),
                                  authentication_key=derive_key("AK", METER).hex())
    services.meters.create(SYSTEM, MeterCreate(meter_number=METER, concentrator_id="D", meter_type="S",
                                               security=security))
    sent: list[dict[str, Any]] = []
    send = services.jobs.send
    services.jobs.send = lambda command: (sent.append(command), send(command))
    with LiveEdge(services, "frames-hls-test", overrides={METER: {"scenario": "secured"}}) as live:
        kept = []
        for action in ("disconnect", "reconnect"):
            job = services.jobs.relay(SYSTEM, METER, action)["id"]
            live.settle()
            assert [i["ok"] for i in services.jobs.get(job)["results"][0]["items"]] == [True, True, True]
            kept.append(services.meters.meters.get(METER)["invocation_counters"])
    assert sent[0]["counters"] is None and sent[1]["counters"] == kept[0]  # the second session starts from them
    assert kept[1]["hes"] > kept[0]["hes"] > 0 and kept[1]["meter"] > kept[0]["meter"] > 0
    assert services.meters.meters.get(METER)["relay_state"] == "connected"
    assert services.telemetry.status(SYSTEM, METER)["invocation_counters"] == kept[1]  # shown on the meter pages


def test_a_late_or_repeated_relay_result_never_overwrites_a_newer_relay_state(aws: None, services: Any) -> None:
    from chalicelib.adapters.queues import ensure_queue
    from chalicelib.domain.models import MeterCreate
    from chalicelib.services.context import SYSTEM

    ensure_queue(services.settings.commands_queue)
    services.meters.create(SYSTEM, MeterCreate(meter_number=METER, concentrator_id="D", meter_type="S"))

    def result(state: bool, at: str) -> list[dict[str, Any]]:
        return [{"op": "get", "obis": RELAY, "class_id": 70, "index": 2, "ok": True, "value": state,
                 "reason": None, "detail": None, "at": at}]

    older = services.jobs.relay(SYSTEM, METER, "disconnect")["id"]
    newer = services.jobs.relay(SYSTEM, METER, "reconnect")["id"]
    services.jobs.record(newer, METER, result(True, "2026-11-26T10:00:05.000+00:00"))
    services.jobs.record(older, METER, result(False, "2026-11-26T10:00:01.000+00:00"))  # arrives late
    assert services.meters.meters.get(METER)["relay_state"] == "connected"
    services.jobs.record(older, METER, result(False, "2026-11-26T10:00:01.000+00:00"))  # delivered twice
    assert services.meters.meters.get(METER)["relay_state"] == "connected"
    again = services.jobs.relay(SYSTEM, METER, "disconnect")["id"]
    services.jobs.record(again, METER, result(False, "2026-11-26T10:00:10.000+00:00"))
    assert services.meters.meters.get(METER)["relay_state"] == "disconnected"


def test_with_two_edge_tasks_each_meter_s_commands_reach_the_edge_holding_its_socket(
        aws: None, services: Any) -> None:
    """Each edge task (HES_EDGE_ID) names itself on the meters it holds and takes their commands from its own
    queue; a meter no edge holds goes to the shared queue. A socket closing on an edge the meter has left does
    not mark it offline."""
    import threading

    from chalicelib.adapters.queues import Queue, edge_commands_queue, ensure_queue, queue_url, sqs_client
    from chalicelib.domain.models import MeterCreate
    from chalicelib.services.context import SYSTEM
    from edge_listener.command_queue import CommandConsumer
    from functions import decode_frames
    from local.lambda_runner import run_once

    frames, shared = "frames-two-edges", services.settings.commands_queue
    numbers = {"a": METER, "b": "04318000043"}
    for name in (frames, shared, *(edge_commands_queue(shared, e) for e in numbers)):
        ensure_queue(name)
    for number in numbers.values():
        services.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="D", meter_type="S"))
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()

    async def start(edge_id: str, number: str) -> tuple[EdgeServer, Publisher, asyncio.Task[None]]:
        publisher = Publisher(lambda batch: Queue(frames).send_batched("frames", batch, v=1), interval_s=0.05)
        publisher.start()
        edge = EdgeServer(publisher, idle_timeout_s=30, max_connections=10, edge_id=edge_id)
        port = await edge.start("127.0.0.1", 0)
        meters = [SimulatedMeter(c) for c in plan_fleet([number], {}, {}, seed=6)]
        task = asyncio.create_task(Fleet(meters, FleetOptions(port=port, push_interval_s=30, ramp_s=0)).run())
        for _ in range(100):
            if number in edge.by_meter:
                break
            await asyncio.sleep(0.05)
        return edge, publisher, task

    edges = {e: asyncio.run_coroutine_threadsafe(start(e, n), loop).result(10) for e, n in numbers.items()}
    consumers = {e: [CommandConsumer(q, CommandRunner(edge, CommandOptions(timeout_s=5)), loop, threading.Event())
                     for q in (shared, edge_commands_queue(shared, e))] for e, (edge, _, _) in edges.items()}

    def waiting(name: str) -> int:
        attributes = sqs_client().get_queue_attributes(QueueUrl=queue_url(name),
                                                       AttributeNames=["ApproximateNumberOfMessages"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])

    def settle() -> None:
        for _, publisher, _ in edges.values():
            asyncio.run_coroutine_threadsafe(publisher.flush(), loop).result(10)
        while run_once(frames, decode_frames.handler, "decode_frames", wait_s=0):
            pass

    try:
        settle()
        sqs_client().purge_queue(QueueUrl=queue_url(shared))  # what earlier tests left there
        assert {e: services.meters.meters.get(n)["edge"] for e, n in numbers.items()} == {"a": "a", "b": "b"}
        job = services.jobs.create(SYSTEM, JobCreate(kind="read", meters=list(numbers.values()),
                                                     items=[JobItem(obis="0.0.96.1.0.255")]))["id"]
        assert [waiting(q) for q in (shared, *(edge_commands_queue(shared, e) for e in numbers))] == [0, 1, 1]
        for e in numbers:  # each edge takes from the shared queue and its own
            for consumer in consumers[e]:
                consumer.poll_once(wait_s=0)
        settle()
        results = {r["meter_number"]: r["items"][0] for r in services.jobs.get(job)["results"]}
        assert {n: (r["ok"], r["value"]) for n, r in results.items()} == {n: (True, n) for n in numbers.values()}
        # edge a reports a socket of meter b closing (b had been there before): b stays online, on edge b
        services.ingest.handle({"frames": [{"type": "offline", "meter": numbers["b"], "peer": "10.0.0.9:1",
                                            "edge": "a", "at": datetime.now(UTC).isoformat()}]})
        b = services.meters.meters.get(numbers["b"])
        assert (b["online"], b["edge"]) == (True, "b")
        assert services.telemetry.status(SYSTEM, numbers["b"])["edge"] == "b"
        edge_b = edges["b"][0]
        asyncio.run_coroutine_threadsafe(edge_b.stop(), loop).result(10)  # b's own edge closes its socket
        settle()
        assert services.meters.meters.get(numbers["b"])["online"] is False
        services.jobs.create(SYSTEM, JobCreate(kind="read", meters=[numbers["b"]],
                                               items=[JobItem(obis="0.0.96.1.0.255")]))
        assert [waiting(q) for q in (shared, edge_commands_queue(shared, "b"))] == [1, 0]  # no edge holds it
    finally:
        for edge, publisher, task in edges.values():
            task.cancel()
            asyncio.run_coroutine_threadsafe(edge.stop(), loop).result(10)
            asyncio.run_coroutine_threadsafe(publisher.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)

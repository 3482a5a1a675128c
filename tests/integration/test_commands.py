"""Commands on a live socket: the edge listener reads, switches the relay and loads a token on a simulated meter."""
from __future__ import annotations

import asyncio
import contextlib
from typing import Any

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

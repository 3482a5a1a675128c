"""The edge publisher: batches records and never lets a flush overtake a send in flight."""
from __future__ import annotations

import asyncio
import threading
from typing import Any

from edge_listener.publisher import Publisher, frame_record


def test_flush_returns_only_after_a_send_already_in_flight_has_finished() -> None:
    sent: list[list[dict[str, Any]]] = []
    release = threading.Event()

    def slow_send(batch: list[dict[str, Any]]) -> None:
        release.wait(5)
        sent.append(batch)

    async def scenario() -> list[int]:
        publisher = Publisher(slow_send, interval_s=0.01)
        publisher.start()
        publisher.publish(frame_record("result", "m1", "", job="j1"))
        await asyncio.sleep(0.1)  # the periodic flush has taken the record and is blocked sending it
        assert publisher.pending == [] and sent == []
        flushing = asyncio.create_task(publisher.flush())
        await asyncio.sleep(0.05)
        assert not flushing.done()  # an early return here would let a caller think the record was sent
        release.set()
        await flushing
        delivered = [len(b) for b in sent]
        await publisher.stop()
        return delivered

    assert asyncio.run(scenario()) == [1]


def test_records_published_together_go_out_in_one_batch_and_stop_sends_the_rest() -> None:
    sent: list[list[dict[str, Any]]] = []

    async def scenario() -> None:
        publisher = Publisher(sent.append, interval_s=60)
        publisher.start()
        for n in range(3):
            publisher.publish(frame_record("push", f"m{n}", "127.0.0.1:1", b"\x0f"))
        await publisher.stop()

    asyncio.run(scenario())
    assert [[r["meter"] for r in b] for b in sent] == [["m0", "m1", "m2"]]
    assert sent[0][0]["apdu"] == "Dw=="

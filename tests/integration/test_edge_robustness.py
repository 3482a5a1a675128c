"""The edge listener against bad input on the socket: it closes that session and keeps serving the rest."""
from __future__ import annotations

import asyncio
from typing import Any

from chalicelib.dlms import wrapper
from edge_listener.publisher import Publisher
from edge_listener.server import EdgeServer
from simulator.meter import MeterConfig, SimulatedMeter


async def closed_by_edge(port: int, payload: bytes) -> bool:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    try:
        data = await asyncio.wait_for(reader.read(100), 3)
    except (TimeoutError, ConnectionError):
        return False
    finally:
        writer.close()
    return data == b""


def test_garbage_oversized_and_truncated_frames_close_only_their_session() -> None:
    async def scenario() -> tuple[list[bool], list[dict[str, Any]], bool, int]:
        sent: list[dict[str, Any]] = []
        publisher = Publisher(sent.extend, interval_s=0.05)
        publisher.start()
        edge = EdgeServer(publisher, idle_timeout_s=1.0, max_connections=100)
        port = await edge.start("127.0.0.1", 0)
        good_meter = SimulatedMeter(MeterConfig("04317000001"))
        _, good_writer = await asyncio.open_connection("127.0.0.1", port)
        good_writer.write(good_meter.push_frame())
        await good_writer.drain()
        bad_inputs = [
            b"\x99" * 64,  # not WRAPPER at all: bad version
            wrapper.encode(1, 1, b"")[:6] + (60_000).to_bytes(2, "big"),  # announces an oversized payload
            good_meter.push_frame()[:12],  # truncated, then silent: idle timeout
            bytes(range(256)) * 300,  # a flood without one valid frame
        ]
        async def keep_pushing() -> None:  # the well-behaved meter pushes all along
            while True:
                good_writer.write(good_meter.push_frame())
                await good_writer.drain()
                await asyncio.sleep(0.3)

        pusher = asyncio.create_task(keep_pushing())
        outcomes = [await closed_by_edge(port, bad) for bad in bad_inputs]
        pusher.cancel()
        await asyncio.sleep(0.3)
        still_online = "04317000001" in edge.by_meter
        good_writer.close()
        await edge.stop()
        await publisher.stop()
        return outcomes, sent, still_online, len(edge.connections)

    outcomes, sent, still_online, open_sockets = asyncio.run(scenario())
    assert outcomes == [True, True, True, True]
    assert still_online and open_sockets == 0  # stop() closed the last ones
    pushes = [r for r in sent if r["type"] == "push" and r["meter"] == "04317000001"]
    assert len(pushes) >= 4 and all(r["meter"] for r in sent if r["type"] == "push")


def test_a_meter_that_does_not_push_is_identified_by_reading_its_serial_number() -> None:
    from edge_listener.commands import CommandOptions, CommandRunner
    from simulator.fleet import Fleet, FleetOptions

    async def scenario() -> tuple[list[dict[str, Any]], bool]:
        sent: list[dict[str, Any]] = []
        publisher = Publisher(sent.extend, interval_s=0.05)
        publisher.start()
        edge = EdgeServer(publisher, idle_timeout_s=10, max_connections=10, identify_after_s=0.2)
        edge.identify = CommandRunner(edge, CommandOptions(timeout_s=3)).identify
        port = await edge.start("127.0.0.1", 0)
        meter = SimulatedMeter(MeterConfig("04317000099"))
        fleet = Fleet([meter], FleetOptions())
        reader, writer = await asyncio.open_connection("127.0.0.1", port)

        async def answer_only() -> None:  # a meter that never pushes, only answers
            buffer = bytearray()
            while data := await reader.read(4096):
                buffer += data
                await fleet._answer(meter, buffer, writer)

        answering = asyncio.create_task(answer_only())
        await asyncio.sleep(1.0)
        identified = "04317000099" in edge.by_meter
        answering.cancel()
        writer.close()
        await edge.stop()
        await publisher.stop()
        return sent, identified

    sent, identified = asyncio.run(scenario())
    assert identified
    assert [r["meter"] for r in sent if r["type"] == "online"] == ["04317000099"]


def test_meter_sockets_get_tcp_keep_alive_so_a_vanished_modem_is_noticed() -> None:
    import socket

    async def scenario() -> list[tuple[int, int, int, int]]:
        publisher = Publisher(lambda batch: None, interval_s=0.05)
        publisher.start()
        found = []
        for keepalive in (40, 0):
            edge = EdgeServer(publisher, idle_timeout_s=30, max_connections=5, keepalive_s=keepalive)
            port = await edge.start("127.0.0.1", 0)
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(100):
                if edge.connections:
                    break
                await asyncio.sleep(0.01)
            sock = next(iter(edge.connections)).writer.get_extra_info("socket")
            found.append((sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
                          sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
                          sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
                          sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT)))
            writer.close()
            await edge.stop()
        await publisher.stop()
        return found

    on, off = asyncio.run(scenario())
    assert on == (1, 40, 10, 4)
    assert off[0] == 0  # HES_EDGE_KEEPALIVE_S=0 leaves the socket as the kernel made it

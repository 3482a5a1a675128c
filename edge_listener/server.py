"""The edge listener: accepts meter sockets, tracks which meter is on which, publishes what arrives."""
from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.dlms import wrapper
from edge_listener.connection import Connection
from edge_listener.identify import is_ciphered, is_push
from edge_listener.publisher import Publisher, frame_record

log = logging.getLogger("hes.edge")


@dataclass
class EdgeStats:
    accepted: int = 0
    refused: int = 0
    frames: int = 0
    pushes: int = 0


class EdgeServer:
    def __init__(self, publisher: Publisher, idle_timeout_s: float, max_connections: int,
                 identify_after_s: float = 10.0, keepalive_s: int = 60, edge_id: str = "") -> None:
        self.identify_after_s = identify_after_s
        # with several edge tasks: this one's name, on each "online" record, so the HES sends the meter's
        # commands to this task's own queue
        self.edge: dict[str, Any] = {"edge": edge_id} if edge_id else {}
        self.keepalive_s = keepalive_s
        # set by whoever owns the command runner: reads the serial number of a meter that does not push
        self.identify: Callable[[Connection], Awaitable[str | None]] | None = None
        self.publisher = publisher
        self.idle_timeout_s = idle_timeout_s
        self.max_connections = max_connections
        self.connections: set[Connection] = set()
        self.by_meter: dict[str, Connection] = {}
        self.stats = EdgeStats()
        self._server: asyncio.Server | None = None
        self._dialled: set[asyncio.Task[None]] = set()

    async def start(self, host: str, port: int) -> int:
        self._server = await asyncio.start_server(self._accept, host, port, limit=64 * 1024, backlog=1024)
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server:
            self._server.close()
        for conn in list(self.connections):
            conn.writer.close()
        if self._server:
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if len(self.connections) >= self.max_connections:
            self.stats.refused += 1
            writer.close()
            return
        keep_alive(writer, self.keepalive_s)
        conn = Connection(reader, writer, self.idle_timeout_s, self._on_frame)
        self.stats.accepted += 1
        watcher = asyncio.create_task(self._identify_if_silent(conn))
        try:
            await self._serve(conn)
        finally:
            watcher.cancel()

    async def _identify_if_silent(self, conn: Connection) -> None:
        await asyncio.sleep(self.identify_after_s)
        if conn.meter is not None or self.identify is None or conn not in self.connections:
            return
        meter = await self.identify(conn)
        if meter and conn.meter is None and conn in self.connections:
            conn.meter = meter
            self._register(conn)

    async def dial(self, meter: str, host: str, port: int, timeout_s: float = 15.0) -> Connection:
        """HES-initiated: open a socket to the meter's modem (its SIM's IP:port) and serve it like a dial-in."""
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(host, port)
        keep_alive(writer, self.keepalive_s)
        conn = Connection(reader, writer, self.idle_timeout_s, self._on_frame)
        conn.meter = meter
        self.by_meter[meter] = conn
        self.publisher.publish(frame_record("online", meter, conn.peer, initiated_by="hes", **self.edge))
        task = asyncio.create_task(self._serve(conn), name=f"dialled-{meter}")
        self._dialled.add(task)  # keep a reference until it ends
        task.add_done_callback(self._dialled.discard)
        return conn

    async def _serve(self, conn: Connection) -> None:
        self.connections.add(conn)
        try:
            await conn.serve()
        finally:
            self.connections.discard(conn)
            if conn.meter and self.by_meter.get(conn.meter) is conn:
                del self.by_meter[conn.meter]
                self.publisher.publish(frame_record("offline", conn.meter, conn.peer, reason=conn.close_reason,
                                                    **self.edge))
            log.debug("%s (%s) closed: %s", conn.meter, conn.peer, conn.close_reason)

    def _on_frame(self, conn: Connection, frame: wrapper.WrapperFrame) -> None:
        self.stats.frames += 1
        secured_push = is_ciphered(frame.payload) and not conn.lock.locked()  # no command waits for it
        if not is_push(frame.payload) and not secured_push:
            conn.deliver_reply(wrapper.encode(frame.source, frame.destination, frame.payload))
            return
        self.stats.pushes += 1
        if conn.meter and self.by_meter.get(conn.meter) is not conn:
            self._register(conn)
        self.publisher.publish(frame_record("push", conn.meter, conn.peer, frame.payload))

    def _register(self, conn: Connection) -> None:
        assert conn.meter is not None
        older = self.by_meter.get(conn.meter)
        self.by_meter[conn.meter] = conn
        if older is not None:  # the meter redialled; the old socket is stale
            older.writer.close()
        self.publisher.publish(frame_record("online", conn.meter, conn.peer, **self.edge))

    def diagnostics(self, meter: str) -> dict[str, object] | None:
        """The live session of a meter with its last frames in hex."""
        conn = self.by_meter.get(meter)
        if conn is None:
            return None
        return {"meter": meter, "peer": conn.peer, "opened_at": conn.opened_at.isoformat(),
                "last_frame_at": conn.last_frame_at.isoformat(), "frames": list(conn.ring)}


def keep_alive(writer: asyncio.StreamWriter, idle_s: int) -> None:
    """TCP keep-alive on a meter socket: after `idle_s` of silence the kernel probes the peer (every idle_s / 4,
    4 times), so a modem that vanished (GPRS coverage, NAT timeout) is noticed and its socket closed instead
    of being held until the idle timeout. 0 turns it off."""
    sock = writer.get_extra_info("socket")
    if sock is None or idle_s <= 0:
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in (("TCP_KEEPIDLE", idle_s), ("TCP_KEEPINTVL", max(1, idle_s // 4)), ("TCP_KEEPCNT", 4)):
        option = getattr(socket, name, None)  # Linux names; other systems keep their defaults
        if option is not None:
            sock.setsockopt(socket.IPPROTO_TCP, option, value)

"""One meter socket: bytes in, WRAPPER frames out, the session state kept per connection."""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

from chalicelib.dlms import wrapper
from chalicelib.dlms.errors import FramingError
from edge_listener.identify import identifier_from_ciphered, identifier_from_push, is_ciphered, is_push

log = logging.getLogger("hes.edge.connection")
RING = 32  # last frames kept in hex per connection, for diagnosing a misbehaving meter
READ_SIZE = 4096
MAX_BUFFER = 64 * 1024


class Connection:
    """State of one socket; the server wires its callbacks."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, idle_timeout_s: float,
                 on_frame: Callable[[Connection, wrapper.WrapperFrame], None]) -> None:
        self.reader, self.writer = reader, writer
        peer = writer.get_extra_info("peername") or ("?", 0)
        self.peer = f"{peer[0]}:{peer[1]}"
        self.idle_timeout_s = idle_timeout_s
        self.on_frame = on_frame
        self.meter: str | None = None
        self.opened_at = self.last_frame_at = datetime.now(UTC)
        self.ring: deque[tuple[str, str]] = deque(maxlen=RING)
        self.buffer = bytearray()
        self.replies: asyncio.Queue[bytes] = asyncio.Queue(maxsize=64)
        self.lock = asyncio.Lock()  # one command exchange at a time on this socket
        self.close_reason = ""

    async def serve(self) -> None:
        try:
            while True:
                try:
                    chunk = await asyncio.wait_for(self.reader.read(READ_SIZE), self.idle_timeout_s)
                except TimeoutError:
                    self.close_reason = f"idle for {self.idle_timeout_s:.0f} s"
                    return
                if not chunk:
                    self.close_reason = "closed by the meter"
                    return
                self.buffer += chunk
                if len(self.buffer) > MAX_BUFFER:
                    self.close_reason = "buffer overflow"
                    return
                self._drain()
        except FramingError as exc:
            self.close_reason = f"framing error: {exc}"
        except ConnectionError as exc:
            self.close_reason = f"connection error: {exc}"
        finally:
            self.writer.close()

    def _drain(self) -> None:
        while True:
            consumed, frame = wrapper.parse(self.buffer)
            if frame is None:
                return
            del self.buffer[:consumed]
            self.last_frame_at = datetime.now(UTC)
            self.ring.append(("in", frame.payload.hex()))
            if self.meter is None and is_push(frame.payload):
                self.meter = identifier_from_push(frame.payload)
            elif self.meter is None and is_ciphered(frame.payload) and not self.lock.locked():
                self.meter = identifier_from_ciphered(frame.payload)
            self.on_frame(self, frame)

    async def send(self, frame: bytes) -> None:
        self.ring.append(("out", frame[8:].hex()))
        self.writer.write(frame)
        await self.writer.drain()

    def deliver_reply(self, frame: bytes) -> None:
        """A frame that is not a push answers the command running on this socket (whole WRAPPER frame)."""
        try:
            self.replies.put_nowait(frame)
        except asyncio.QueueFull:
            log.warning("%s (%s): dropped an unexpected reply", self.meter, self.peer)

"""Frames to the FRAMES queue in size-bounded batches, without blocking the event loop."""
from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger("hes.edge.publisher")
Send = Callable[[list[dict[str, Any]]], Any]


def frame_record(kind: str, meter: str | None, peer: str, apdu: bytes | None = None, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"type": kind, "meter": meter, "peer": peer,
                              "at": datetime.now(UTC).isoformat(timespec="milliseconds")}
    if apdu is not None:
        record["apdu"] = base64.b64encode(apdu).decode("ascii")
    record.update(extra)
    return record


class Publisher:
    """Collects records and sends them every `interval_s` (or sooner when `max_pending` is reached)."""

    def __init__(self, send: Send, interval_s: float = 0.2, max_pending: int = 2000) -> None:
        self.send = send
        self.interval_s = interval_s
        self.max_pending = max_pending
        self.pending: list[dict[str, Any]] = []
        self.sent = 0
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._sending = asyncio.Lock()

    def publish(self, record: dict[str, Any]) -> None:
        self.pending.append(record)
        if len(self.pending) >= self.max_pending:
            self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="publisher")

    async def stop(self) -> None:
        """Send what is pending; a send in flight is finished, never cut off (it would lose its frames)."""
        self._stopping = True
        self._wake.set()
        if self._task:
            await self._task
        await self.flush()

    async def flush(self) -> None:
        """Send what is pending; when it returns, every record published before the call has been sent
        (a send already in flight, e.g. the periodic one, is waited for rather than overtaken)."""
        async with self._sending:
            await self._send_pending()

    async def _send_pending(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        try:
            await asyncio.get_running_loop().run_in_executor(None, self.send, batch)
            self.sent += len(batch)
        except Exception:
            log.exception("sending %d frames failed; keeping them for the next try", len(batch))
            self.pending[:0] = batch

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval_s)
            self._wake.clear()
            await self.flush()

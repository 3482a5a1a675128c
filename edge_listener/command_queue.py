"""Takes commands off the COMMANDS queue and runs them on the event loop that owns the sockets.

A single edge takes every command from the COMMANDS queue. With several edge processes, each is named
(`HES_EDGE_ID`), says so on the meters it holds, and runs two consumers: its own queue, where the HES
sends the commands of those meters, and the shared one, for meters no edge holds (it dials their modems).
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
from concurrent.futures import Future
from typing import Any

from chalicelib.adapters.queues import queue_url, sqs_client
from edge_listener.commands import CommandRunner

log = logging.getLogger("hes.edge.command_queue")


class CommandConsumer(threading.Thread):
    def __init__(self, queue: str, runner: CommandRunner, loop: asyncio.AbstractEventLoop,
                 stop: threading.Event, max_wait_s: float = 120) -> None:
        super().__init__(name="commands", daemon=True)
        self.queue, self.runner, self.loop, self.stop_event, self.max_wait_s = queue, runner, loop, stop, max_wait_s

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                self.poll_once()
            except Exception:
                log.exception("polling %s failed", self.queue)
                self.stop_event.wait(1)

    def poll_once(self, wait_s: int = 1) -> int:
        url = queue_url(self.queue)
        messages = sqs_client().receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                WaitTimeSeconds=wait_s).get("Messages", [])
        running: list[tuple[dict[str, Any], Future[dict[str, Any]] | None]] = []
        for message in messages:
            try:
                command = json.loads(message["Body"])
                future = asyncio.run_coroutine_threadsafe(self.runner.execute(command), self.loop)
            except (ValueError, KeyError, TypeError):
                log.warning("dropping a malformed command: %s", message["Body"][:200])
                future = None
            running.append((message, future))
        for _, future in running:
            if future is not None:
                try:
                    future.result(self.max_wait_s)
                except Exception:
                    log.exception("a command failed")
        if messages:
            sqs_client().delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, (m, _) in enumerate(running)])
        return len(messages)

"""python -m edge_listener: the meter-facing TCP service (IEC 62056-47 WRAPPER on port 4059)."""
from __future__ import annotations

import asyncio
import logging
import signal
import threading
from typing import Any

from chalicelib.adapters.queues import Queue, edge_commands_queue
from chalicelib.domain.secrets_box import SecretBox
from chalicelib.settings import get_settings
from edge_listener.command_queue import CommandConsumer
from edge_listener.commands import CommandOptions, CommandRunner
from edge_listener.publisher import Publisher
from edge_listener.server import EdgeServer

log = logging.getLogger("hes.edge")


async def serve(ready: asyncio.Event | None = None, stop: asyncio.Event | None = None) -> None:
    settings = get_settings()
    queue = Queue(settings.frames_queue)

    def send(batch: list[dict[str, Any]]) -> None:
        queue.send_batched("frames", batch, v=1)

    publisher = Publisher(send)
    publisher.start()
    server = EdgeServer(publisher, settings.edge_idle_timeout_s, settings.edge_max_connections,
                        keepalive_s=settings.edge_keepalive_s, edge_id=settings.edge_id)
    port = await server.start(settings.edge_host, settings.edge_port)
    log.info("edge listener on %s:%d", settings.edge_host, port)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    consumer_stop = threading.Event()
    runner = CommandRunner(server, CommandOptions(password=settings.meter_password.encode(),
                                                  box=SecretBox(settings.meter_key_secret)))
    server.identify = runner.identify
    # the shared queue (meters no edge holds: dial their modems), and with several edges this one's own
    consumers = [CommandConsumer(name, runner, loop, consumer_stop) for name in dict.fromkeys(
        (settings.commands_queue, edge_commands_queue(settings.commands_queue, settings.edge_id)))]
    for consumer in consumers:
        consumer.start()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if ready:
        ready.set()
    await stop.wait()
    consumer_stop.set()
    for consumer in consumers:
        await loop.run_in_executor(None, consumer.join, 5)
    await server.stop()
    await publisher.stop()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    asyncio.run(serve())


if __name__ == "__main__":
    main()

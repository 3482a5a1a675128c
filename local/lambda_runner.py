"""Runs the Lambda handlers in `functions/` locally: polls SQS like the event source mapping does.

Each batch becomes a Lambda-shaped SQS event; messages the handler names in
`batchItemFailures` (or all of them, when it raises) stay on the queue and come
back after the visibility timeout, exactly as in AWS.
"""
from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from chalicelib.adapters.queues import queue_url, sqs_client

log = logging.getLogger("hes.local.lambda")
Handler = Callable[[dict[str, Any], Any], dict[str, Any] | None]


class LambdaContext:
    def __init__(self, name: str) -> None:
        self.function_name = name
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def sqs_event(queue: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    arn = f"arn:aws:sqs:local:000000000000:{queue}"
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m.get("MD5OfBody", ""),
        "eventSource": "aws:sqs", "eventSourceARN": arn, "awsRegion": "local",
    } for m in messages]}


def run_once(queue: str, handler: Handler, name: str, wait_s: int = 1, batch_size: int = 10) -> int:
    """Receive one batch, invoke the handler, delete what succeeded; returns messages handled."""
    url = queue_url(queue)
    messages = sqs_client().receive_message(
        QueueUrl=url, MaxNumberOfMessages=batch_size, WaitTimeSeconds=wait_s, AttributeNames=["All"]
    ).get("Messages", [])
    if not messages:
        return 0
    try:
        result = handler(sqs_event(queue, messages), LambdaContext(name)) or {}
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
    except Exception:
        log.exception("%s failed on a batch of %d", name, len(messages))
        return 0
    done = [m for m in messages if m["MessageId"] not in failed]
    if done:
        sqs_client().delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
    return len(done)


class SqsPoller(threading.Thread):
    def __init__(self, queue: str, handler: Handler, name: str, stop: threading.Event) -> None:
        super().__init__(name=f"lambda-{name}", daemon=True)
        self.queue, self.handler, self.function, self.stop_event = queue, handler, name, stop

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                run_once(self.queue, self.handler, self.function)
            except Exception:
                log.exception("polling %s failed", self.queue)
                self.stop_event.wait(1)


class Schedule(threading.Thread):
    """Calls a scheduled handler every `every_s` seconds, as an EventBridge rule would."""

    def __init__(self, handler: Handler, name: str, every_s: float, stop: threading.Event,
                 at_start: bool = False) -> None:
        super().__init__(name=f"schedule-{name}", daemon=True)
        self.handler, self.function, self.every_s, self.stop_event = handler, name, every_s, stop
        self.at_start = at_start  # also once right away (in this thread, so start-up does not wait for it)

    def run(self) -> None:
        if self.at_start:
            self.call()
        while not self.stop_event.wait(self.every_s):
            self.call()

    def call(self) -> None:
        try:
            self.handler({"source": "aws.events", "detail-type": "Scheduled Event"}, LambdaContext(self.function))
        except Exception:
            log.exception("scheduled %s failed", self.function)

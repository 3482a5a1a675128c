"""The local Lambda runner against moto's SQS: batches, partial failures, crashes."""
from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.adapters.queues import Queue, batches, ensure_queue, queue_url, sqs_client
from local.lambda_runner import run_once


@pytest.fixture
def moto(aws: None) -> None:
    """SQS through the session's moto server."""


@pytest.fixture
def queue(moto: None, request: pytest.FixtureRequest) -> str:
    name = f"runner-{request.node.name[:60]}"
    ensure_queue(name)
    return name


def remaining(name: str) -> int:
    attrs = sqs_client().get_queue_attributes(QueueUrl=queue_url(name), AttributeNames=["All"])["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


def test_messages_named_in_batch_item_failures_stay_on_the_queue(queue: str) -> None:
    for n in range(4):
        Queue(queue).send({"n": n})
    seen: list[int] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        assert context.function_name == "decode_frames"
        failures = []
        for record in event["Records"]:
            assert record["eventSource"] == "aws:sqs"
            n = json.loads(record["body"])["n"]
            seen.append(n)
            if n == 2:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    handled = 0
    while len(seen) < 4:
        handled += run_once(queue, handler, "decode_frames", wait_s=0)
    assert sorted(seen) == [0, 1, 2, 3] and handled == 3
    assert remaining(queue) == 1


def test_a_crashing_handler_deletes_nothing(queue: str) -> None:
    Queue(queue).send({"n": 9})

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    assert run_once(queue, handler, "decode_frames", wait_s=0) == 0
    assert remaining(queue) == 1


def test_batches_stay_under_the_size_bound() -> None:
    items = [{"hex": "ab" * 500} for _ in range(1000)]
    groups = batches(items, max_bytes=50_000)
    assert sum(len(g) for g in groups) == 1000
    assert all(len(json.dumps(g, separators=(",", ":"))) <= 50_000 for g in groups)

"""SQS queues through boto3 (moto locally: AWS_ENDPOINT_URL points boto3 at it; the code is the same)."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from functools import cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

MAX_MESSAGE_BYTES = 200_000  # SQS allows 256 KiB; keep headroom for attributes
_lock = threading.Lock()


@cache
def sqs_client() -> Any:
    with _lock:
        return boto3.client("sqs")


@cache
def queue_url(name: str) -> str:
    return str(sqs_client().get_queue_url(QueueName=name)["QueueUrl"])


def ensure_queue(name: str) -> str:
    url = str(sqs_client().create_queue(QueueName=name, Attributes={"VisibilityTimeout": "60"})["QueueUrl"])
    queue_url.cache_clear()
    return url


def batches(items: Iterable[dict[str, Any]], max_bytes: int = MAX_MESSAGE_BYTES) -> list[list[dict[str, Any]]]:
    """Group items into lists whose JSON stays under max_bytes (an item larger than that travels alone)."""
    out: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    size = 2
    for item in items:
        item_size = len(json.dumps(item, separators=(",", ":"))) + 1
        if current and size + item_size > max_bytes:
            out.append(current)
            current, size = [], 2
        current.append(item)
        size += item_size
    if current:
        out.append(current)
    return out


class Queue:
    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, body: dict[str, Any]) -> None:
        sqs_client().send_message(QueueUrl=queue_url(self.name), MessageBody=json.dumps(body, separators=(",", ":")))

    def send_batched(self, key: str, items: list[dict[str, Any]], **envelope: Any) -> int:
        """Send items in as few size-bounded messages as possible: `{**envelope, key: [...]}` each."""
        groups = batches(items)
        for group in groups:
            self.send({**envelope, key: group})
        return len(groups)


def edge_commands_queue(commands_queue: str, edge: str | None) -> str:
    """The queue of the commands for the meters one edge task holds (`HES_EDGE_ID` there); without an edge name,
    the shared queue that every edge takes from (and that a single edge takes everything from)."""
    return f"{commands_queue}-{edge}" if edge else commands_queue


class CommandQueues:
    """Sends a command where its meter's socket is: the queue of the edge that holds it (`command["edge"]`), or
    the shared queue for a meter no edge holds (any edge may dial its modem)."""

    def __init__(self, commands_queue: str) -> None:
        self.commands_queue = commands_queue

    def send(self, command: dict[str, Any]) -> None:
        name = edge_commands_queue(self.commands_queue, command.get("edge"))
        if name != self.commands_queue:
            try:
                queue_url(name)
            except ClientError:  # that edge is gone (fewer edge tasks now): its meters are redialling elsewhere
                name = self.commands_queue
        Queue(name).send(command)

"""SQS-triggered: store what the edge listener received. Partial failures go back to the queue."""
from __future__ import annotations

import json
import logging
from typing import Any

from chalicelib.bootstrap import services

log = logging.getLogger("hes.functions.decode_frames")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    ingest = services().ingest
    failures = []
    for record in event.get("Records", []):
        try:
            body = json.loads(record["body"])
        except (KeyError, TypeError, ValueError):
            ingest.quarantine(None, "the queue message is not JSON", str(record.get("body"))[:500])
            continue  # retrying a message that can never parse would only loop
        try:
            ingest.handle(body)
        except Exception:
            log.exception("message %s failed; it will be retried", record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}

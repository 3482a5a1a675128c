"""Report files into S3.

Two triggers, one handler: the EXPORTS queue (SQS: `{"report": id}` per background or scheduled
report, `{"reading_import": id}` per large interval file uploaded to S3; `batchItemFailures` for the
ones that failed) and a daily schedule (EventBridge)
that queues the scheduled exports that are due.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from chalicelib.bootstrap import services

log = logging.getLogger("hes.export_reports")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    svc = services().exports
    if "Records" not in event:
        started = svc.due()
        return {"queued": [s["id"] for s in started]}
    runners = {"report": svc.run, "reading_import": services().import_uploads.run}
    failures = []
    for record in event["Records"]:
        try:
            message = json.loads(record["body"])
            kind = next(k for k in runners if k in message)
            item_id = str(message[kind])
        except (ValueError, TypeError, StopIteration):
            log.warning("dropping a malformed export message: %s", str(record.get("body"))[:200])
            continue
        try:
            runners[kind](item_id)
        except Exception:
            log.exception("%s %s failed", kind, item_id)
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}

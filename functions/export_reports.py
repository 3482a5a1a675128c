"""Report files into S3.

Two triggers, one handler: the EXPORTS queue (SQS: `{"report": id}` per background or scheduled
report; `batchItemFailures` for the ones that failed to build) and a daily schedule (EventBridge)
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
    failures = []
    for record in event["Records"]:
        try:
            report_id = json.loads(record["body"])["report"]
        except (ValueError, KeyError, TypeError):
            log.warning("dropping a malformed export message: %s", str(record.get("body"))[:200])
            continue
        try:
            svc.run(str(report_id))
        except Exception:
            log.exception("building report %s failed", report_id)
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}

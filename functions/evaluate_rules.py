"""Theft detection: the rules and the anomaly model over every meter's history.

Two triggers, one handler: the RULES queue (SQS: `{"theft_run": id}` per on-demand run from
POST /theft/run; `batchItemFailures` for the ones that failed) and a daily schedule (EventBridge) that
scores yesterday for every area once and checks the areas' energy balances for non-technical loss alerts.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from chalicelib.bootstrap import services

log = logging.getLogger("hes.evaluate_rules")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    svc = services().theft
    if "Records" not in event:
        started = svc.scheduled()
        losses = services().energy_balance.evaluate_alerts()  # idempotent: one alert per episode
        return {"queued": [started["id"]] if started else [], "loss_alerts": losses["raised"]}
    failures = []
    for record in event["Records"]:
        try:
            run_id = json.loads(record["body"])["theft_run"]
        except (ValueError, KeyError, TypeError):
            log.warning("dropping a malformed rules message: %s", str(record.get("body"))[:200])
            continue
        try:
            svc.run(str(run_id))
        except Exception:
            log.exception("theft detection run %s failed", run_id)
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}

"""Meter events from their event logs, and tamper events as active alerts.

Events are idempotent (`_id` "<meter>|<log>|<time>|<code>"); only a new tamper event raises or
repeats an alert: one active alert per meter and type, whose counter grows while it stays
unacknowledged.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from chalicelib.adapters.repositories import MeterRepository, now
from chalicelib.domain.events import EVENT_LOGS, SEVERITY_RANK, classify, log_row
from chalicelib.services.context import SYSTEM
from chalicelib.services.jobs import JobService


class EventService:
    def __init__(self, db: Database, meters: MeterRepository, jobs: JobService) -> None:
        self.events, self.alerts = db["events"], db["alerts"]
        self.meters = meters
        self.jobs = jobs

    def poll(self, lookback: timedelta = timedelta(days=2)) -> dict[str, Any] | None:
        """A read job fetching the event logs of every meter online now, since each one's last read."""
        moment = now()
        plans = {}
        for meter in self.meters.col.find({"online": True}):
            since = meter.get("events_read_to") or moment - lookback
            plans[meter["_id"]] = [{"op": "get_range", "obis": log, "class_id": 7, "index": 2, "name": "Event log",
                                    "unit": None, "from": since.isoformat(), "to": moment.isoformat()}
                                   for log in EVENT_LOGS]
        if not plans:
            return None
        return self.jobs.submit(SYSTEM, "read", plans, f"event logs of {len(plans)} meter(s)", audited=False)

    def from_results(self, meter: dict[str, Any], items: list[dict[str, Any]]) -> int:
        """Store the rows of event-log reads; answers how many events were new."""
        new = 0
        read_to = None
        for item in items:
            if item.get("op") != "get_range" or item["obis"] not in EVENT_LOGS or not item.get("ok"):
                continue
            read_to = max(read_to or item["to"], item["to"])
            for row in item.get("value") or []:
                new += self._event(meter, item["obis"], row)
        if read_to:
            self.meters.col.update_one({"_id": meter["_id"]},
                                       {"$max": {"events_read_to": datetime.fromisoformat(read_to)}})
        return new

    def _event(self, meter: dict[str, Any], log: str, row: Any) -> int:
        parsed = log_row(row)
        if parsed is None:
            return 0
        at, code = parsed[0] or datetime.now(UTC), parsed[1]
        kind = classify(log, code)
        event = {"_id": f"{meter['_id']}|{log}|{at.isoformat()}|{code}", "meter": meter["_id"],
                 "area_id": meter.get("area_id"), "at": at, "type": kind.type, "code": code, "log": log,
                 "severity": kind.severity, "tamper": kind.tamper, "recorded_at": now()}
        try:
            self.events.insert_one(event)
        except DuplicateKeyError:
            return 0
        if kind.tamper:
            self.raise_alert(meter, kind.type, kind.severity, at)
        return 1

    def raise_alert(self, meter: dict[str, Any], kind: str, severity: str, at: datetime) -> None:
        self.alerts.update_one(
            {"meter": meter["_id"], "type": kind, "active": True},
            {"$inc": {"count": 1}, "$max": {"last_at": at}, "$min": {"first_at": at},
             "$setOnInsert": {"_id": uuid.uuid4().hex, "area_id": meter.get("area_id"), "severity": severity,
                              "rank": SEVERITY_RANK.get(severity, 1), "source": "meter", "created_at": now()}},
            upsert=True)

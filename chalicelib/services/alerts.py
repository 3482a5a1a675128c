"""The active alerts inbox: tamper and other triggering meter alerts, and rule alerts.

One active alert per meter and type; a repeat while it is active only grows its counter (see
EventService.raise_alert). Acknowledging sets it inactive with who, when and a note, and writes an
`alert_acknowledged` event, so the event log shows it. Nothing is deleted.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pymongo.database import Database

from chalicelib.adapters.repositories import AreaRepository, now
from chalicelib.domain.events import SEVERITY_RANK
from chalicelib.errors import BadRequest, NotFound
from chalicelib.services.common import ListQuery, and_, page_of
from chalicelib.services.context import Principal

AlertStatus = Literal["active", "acknowledged", "all"]
MAX_ACK = 500


class AlertService:
    def __init__(self, db: Database) -> None:
        self.alerts, self.events, self.areas = db["alerts"], db["events"], AreaRepository(db)

    def ensure_ranks(self) -> None:
        """Alerts written before severity ranks existed get theirs (idempotent, cheap when done)."""
        for severity, rank in SEVERITY_RANK.items():
            self.alerts.update_many({"severity": severity, "rank": {"$exists": False}}, {"$set": {"rank": rank}})

    def _query(self, query: ListQuery) -> dict[str, Any]:
        status = query.filter("status") or "active"
        if status not in ("active", "acknowledged", "all"):
            raise BadRequest(f"unknown status '{status}'",
                             [{"field": "status", "message": "active, acknowledged or all"}])
        severity, meter, kind = query.filter("severity"), query.filter("meter"), query.filter("type")
        if severity and severity not in SEVERITY_RANK:
            raise BadRequest(f"unknown severity '{severity}'",
                             [{"field": "severity", "message": "one of " + ", ".join(SEVERITY_RANK)}])
        return and_(
            {"active": status == "active"} if status != "all" else {},
            {"area_id": query.area} if query.area else {},
            {"severity": severity} if severity else {},
            {"meter": meter} if meter else {},
            {"type": kind} if kind else {},
        )

    def find(self, query: ListQuery) -> dict[str, Any]:
        """Critical first, then the most recent; acknowledged ones newest acknowledgement first."""
        criteria = self._query(query)
        status = query.filter("status") or "active"
        order = [("acknowledged_at", -1)] if status == "acknowledged" else [("rank", -1), ("last_at", -1)]
        total = self.alerts.count_documents(criteria)
        docs = list(self.alerts.find(criteria).sort(order).skip((query.page - 1) * query.page_size)
                    .limit(query.page_size))
        return page_of(self._views(docs), total, query)

    def active_count(self, area: str | None) -> dict[str, int]:
        criteria = and_({"active": True}, {"area_id": area} if area else {})
        return {"active": self.alerts.count_documents(criteria),
                "critical": self.alerts.count_documents({**criteria, "severity": "critical"})}

    def _views(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        areas = self.areas.get_many(d["area_id"] for d in docs if d.get("area_id"))
        return [{
            "id": d["_id"], "meter_number": d["meter"], "area_id": d.get("area_id"),
            "area_name": areas.get(d.get("area_id") or "", {}).get("name"), "type": d["type"],
            "severity": d.get("severity", "info"),
            "source": d.get("source", "meter"), "count": d.get("count", 1), "first_at": d.get("first_at"),
            "last_at": d.get("last_at"), "active": bool(d.get("active")), "details": d.get("details"),
            "acknowledged_at": d.get("acknowledged_at"), "acknowledged_by": d.get("acknowledged_by"),
            "note": d.get("note"),
        } for d in docs]

    def acknowledge(self, who: Principal, ids: list[str], note: str | None) -> dict[str, Any]:
        """Acknowledge alerts by id; all or nothing: an unknown or already acknowledged id refuses the lot."""
        unique = list(dict.fromkeys(ids))
        if not unique:
            raise BadRequest("name at least one alert", [{"field": "ids", "message": "is empty"}])
        if len(unique) > MAX_ACK:
            raise BadRequest(f"acknowledge at most {MAX_ACK} alerts at a time",
                             [{"field": "ids", "message": f"more than {MAX_ACK}"}])
        found = {d["_id"]: d for d in self.alerts.find({"_id": {"$in": unique}})}
        details = [{"field": f"ids[{i}]", "message": f"unknown alert '{a}'"}
                   for i, a in enumerate(unique) if a not in found]
        details += [{"field": f"ids[{i}]", "message": f"alert '{a}' is already acknowledged"}
                    for i, a in enumerate(unique) if a in found and not found[a].get("active")]
        if details:
            if len(unique) == 1 and not found:
                raise NotFound(f"alert '{unique[0]}' does not exist")
            raise BadRequest("; ".join(d["message"] for d in details), details)
        moment = now()
        text = (note or "").strip() or None
        done = []
        for alert_id in unique:
            updated = self.alerts.find_one_and_update(
                {"_id": alert_id, "active": True},
                {"$set": {"active": False, "acknowledged_at": moment, "acknowledged_by": who.username, "note": text}},
                return_document=True)
            if updated is None:
                continue  # acknowledged concurrently by someone else
            alert = found[alert_id]
            self.events.insert_one({
                "_id": uuid.uuid4().hex, "meter": alert["meter"], "area_id": alert.get("area_id"), "at": moment,
                "type": "alert_acknowledged", "severity": "info", "tamper": False, "recorded_at": moment,
                "details": {"alert": alert_id, "alert_type": alert["type"], "count": alert.get("count", 1),
                            "by": who.username, "note": text}})
            done.append(updated)
        return {"acknowledged": len(done), "items": self._views(done)}

    def raise_rule(self, alert_id: str, meter: str, area_id: str | None, kind: str, severity: str, at: datetime,
                   details: dict[str, Any]) -> bool:
        """A rule's alert under a stable id (one per episode of what the rule found): raised once; while it stays
        active a repeat updates its details and time; once acknowledged it is never reopened. Answers whether
        it is new."""
        made = self.alerts.update_one({"_id": alert_id}, {"$setOnInsert": {
            "meter": meter, "area_id": area_id, "type": kind, "severity": severity,
            "rank": SEVERITY_RANK.get(severity, 1), "source": "rule", "count": 1, "first_at": at, "last_at": at,
            "active": True, "details": details, "created_at": now()}}, upsert=True)
        if made.upserted_id is None:
            self.alerts.update_one({"_id": alert_id, "active": True}, {"$set": {"details": details},
                                                                      "$max": {"last_at": at}})
        return made.upserted_id is not None

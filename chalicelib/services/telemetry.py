"""What meters reported: presence, the latest values and interval readings, unregistered devices."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.database import Database

from chalicelib.adapters.repositories import contains, now
from chalicelib.errors import BadRequest
from chalicelib.services.common import ListQuery, page_of
from chalicelib.services.context import Principal
from chalicelib.services.meters import MeterService

MAX_DAYS = 31


def _obis(key: str) -> str:
    return key.replace("-", ".")


class TelemetryService:
    def __init__(self, db: Database, meters: MeterService, timezone: str) -> None:
        self.db = db
        self.meters = meters
        self.tz = ZoneInfo(timezone)

    def status(self, who: Principal, meter_number: str) -> dict[str, Any]:
        doc = self.meters.visible(who, meter_number)
        view = self.meters.view(doc)
        return {
            "meter_number": meter_number, "online": view["online"], "first_seen": view["first_seen"],
            "last_seen": view["last_seen"], "peer": doc.get("peer"), "relay_state": doc.get("relay_state"),
            "device_profile": view["device_profile"], "last_reading_at": doc.get("last_reading_at"),
            "edge": doc.get("edge") if view["online"] else None, "invocation_counters": doc.get("invocation_counters"),
        }

    def readings(self, who: Principal, meter_number: str, start: str | None, end: str | None) -> dict[str, Any]:
        doc = self.meters.visible(who, meter_number)
        today = now().astimezone(self.tz).date()
        first, last = _day(start, "from", today - timedelta(days=1)), _day(end, "to", today)
        if last < first:
            raise BadRequest("'to' is before 'from'", [{"field": "to", "message": "before 'from'"}])
        if (last - first).days >= MAX_DAYS:
            raise BadRequest(f"ask for at most {MAX_DAYS} days at a time",
                             [{"field": "to", "message": "range too long"}])
        # the meter's hour buckets of those days (and the day buckets older versions kept; day markers hold none)
        points: dict[tuple[str, str], dict[str, Any]] = {}
        for bucket in self.db["readings"].find({"meter": meter_number,
                                                "day": {"$gte": first.isoformat(), "$lte": last.isoformat()}}):
            for slot, values in (bucket.get("points") or {}).items():
                points[(bucket["day"], slot)] = values
        series = []
        for (day, slot), values in sorted(points.items()):
            at = datetime.strptime(slot[1:], "%H%M%S").time()
            stamp = datetime.combine(date.fromisoformat(day), at, self.tz).astimezone(UTC)
            series.append({"at": stamp, "values": {_obis(k): v for k, v in values.items()}})
        latest = [{"obis": _obis(k), "value": v.get("value"), "unit": v.get("unit")}
                  for k, v in (doc.get("latest") or {}).items()]
        return {"meter_number": meter_number, "from": first.isoformat(), "to": last.isoformat(),
                "latest_at": doc.get("last_reading_at"), "latest": latest, "series": series}

    def events(self, who: Principal, meter_number: str, query: ListQuery) -> dict[str, Any]:
        self.meters.visible(who, meter_number)
        filters = {"meter": meter_number}
        total = self.db["events"].count_documents(filters)
        docs = self.db["events"].find(filters).sort([("at", -1)]).skip((query.page - 1) * query.page_size).limit(
            query.page_size)
        items = [{k: d[k] for k in ("at", "type", "code", "severity", "tamper", "log", "details")
                  if d.get(k) is not None} for d in docs]
        return page_of(items, total, query)

    def unregistered(self, query: ListQuery) -> dict[str, Any]:
        filters = {"_id": contains(query.q)} if query.q else {}
        col = self.db["unregistered_devices"]
        total = col.count_documents(filters)
        docs = col.find(filters).sort([("last_seen", -1)]).skip((query.page - 1) * query.page_size).limit(
            query.page_size)
        items = [{"address": d["_id"], "peer": d.get("peer"), "first_seen": d.get("first_seen"),
                  "last_seen": d.get("last_seen"), "frames": d.get("frames", 0)} for d in docs]
        return page_of(items, total, query)


def _day(text: str | None, field: str, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise BadRequest(f"'{field}' must be a date like 2026-11-26",
                         [{"field": field, "message": "not a date"}]) from None

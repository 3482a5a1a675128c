"""The event report (every meter event, filtered and paged, exportable) and its analysis."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.database import Database

from chalicelib.adapters.repositories import AreaRepository
from chalicelib.domain.events import SEVERITY_RANK
from chalicelib.errors import BadRequest
from chalicelib.services.common import ListQuery, and_, page_of

EXPORT_HEADERS = ["Time", "Meter Number", "Area", "Type", "Severity", "Tamper", "Details"]
MAX_EXPORT_ROWS = 100_000


def parse_moment(raw: str | None, field: str, tz: ZoneInfo, end: bool = False) -> datetime | None:
    """A local day ("2026-10-05": its start, or the next day's start for an end bound) or an ISO time."""
    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw) + (timedelta(days=1) if end else timedelta())
            return datetime.combine(day, time(), tz).astimezone(UTC)
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"{field} must be a date (YYYY-MM-DD) or an ISO 8601 time",
                         [{"field": field, "message": "not a date or time"}]) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


NEWEST = [("at", -1), ("_id", 1)]


def newest_first(criteria: dict[str, Any]) -> dict[str, Any]:
    """The criteria for a NEWEST sort: every event has a date, and saying so lets a server walk its `at`
    index from the newest and stop at the page (the embedded database checks types before it does)."""
    return and_(criteria, {"at": {"$type": "date"}})


class EventLogService:
    def __init__(self, db: Database, timezone: str) -> None:
        self.events, self.areas = db["events"], AreaRepository(db)
        self.tz = ZoneInfo(timezone)

    def criteria(self, query: ListQuery) -> dict[str, Any]:
        start = parse_moment(query.filter("from"), "from", self.tz)
        end = parse_moment(query.filter("to"), "to", self.tz, end=True)
        if start and end and end <= start:
            raise BadRequest("'to' is before 'from'", [{"field": "to", "message": "before 'from'"}])
        severity = query.filter("severity")
        if severity and severity not in SEVERITY_RANK:
            raise BadRequest(f"unknown severity '{severity}'",
                             [{"field": "severity", "message": "one of " + ", ".join(SEVERITY_RANK)}])
        kind, meter, tamper = query.filter("type"), query.filter("meter"), query.filter("tamper")
        at: dict[str, Any] = {}
        if start:
            at["$gte"] = start
        if end:
            at["$lt"] = end
        return and_(
            {"at": at} if at else {},
            {"area_id": query.area} if query.area else {},
            {"meter": meter.strip()} if meter and meter.strip() else {},
            {"type": kind} if kind else {},
            {"severity": severity} if severity else {},
            {"tamper": tamper in ("true", "1")} if tamper else {},
        )

    def find(self, query: ListQuery, with_total: bool = True) -> dict[str, Any]:
        criteria = self.criteria(query)
        start = (query.page - 1) * query.page_size
        docs = list(self.events.find(newest_first(criteria)).sort(NEWEST).skip(start).limit(query.page_size))
        total = self.events.count_documents(criteria) if with_total else -1
        return page_of(self._views(docs), total, query)

    def types(self) -> list[str]:
        return sorted(t for t in self.events.distinct("type") if t)

    def export_rows(self, query: ListQuery) -> Iterator[list[Any]]:
        criteria = self.criteria(query)
        if self.events.count_documents(criteria) > MAX_EXPORT_ROWS:
            raise BadRequest(f"more than {MAX_EXPORT_ROWS} events match; narrow the dates or start a background "
                             "export (POST /api/v1/reports)", [{"field": "from", "message": "range too large"}])
        batch: list[dict[str, Any]] = []
        for doc in self.events.find(newest_first(criteria)).sort(NEWEST):
            batch.append(doc)
            if len(batch) == 1000:
                yield from self._rows(batch)
                batch = []
        yield from self._rows(batch)

    def _rows(self, docs: list[dict[str, Any]]) -> Iterator[list[Any]]:
        for v in self._views(docs):
            yield [v["at"].astimezone(self.tz).isoformat(timespec="seconds"), v["meter_number"], v["area_name"] or "",
                   v["type"], v["severity"], "yes" if v["tamper"] else "", describe(v["details"])]

    def _names(self, area_ids: set[Any]) -> dict[str, str]:
        return {k: a.get("name", k) for k, a in self.areas.get_many(a for a in area_ids if a).items()}

    def _views(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        names = self._names({d.get("area_id") for d in docs})
        out = []
        for d in docs:
            details = dict(d.get("details") or {})
            if d.get("code") is not None:
                details.setdefault("code", d["code"])
            out.append({"id": d["_id"], "at": d["at"], "meter_number": d.get("meter"), "area_id": d.get("area_id"),
                        "area_name": names.get(d.get("area_id") or ""), "type": d.get("type", "event"),
                        "severity": d.get("severity", "info"), "tamper": bool(d.get("tamper")),
                        "details": details})
        return out

    def analysis(self, query: ListQuery) -> dict[str, Any]:
        """Events by type per day, by area, the top meters, and the daily tamper trend, over the filtered events."""
        criteria = self.criteria(query)
        by_day_type: Counter[tuple[str, str]] = Counter()
        by_area: Counter[str | None] = Counter()
        by_meter: Counter[str] = Counter()
        tamper_by_meter: Counter[str] = Counter()
        tamper_by_day: Counter[str] = Counter()
        by_type: Counter[str] = Counter()
        total = 0
        fields = {"at": 1, "type": 1, "area_id": 1, "meter": 1, "tamper": 1}
        for doc in self.events.find(criteria, fields):
            total += 1
            day = doc["at"].astimezone(self.tz).date().isoformat()
            kind = doc.get("type", "event")
            by_day_type[(day, kind)] += 1
            by_type[kind] += 1
            by_area[doc.get("area_id")] += 1
            if doc.get("meter"):
                by_meter[doc["meter"]] += 1
            if doc.get("tamper"):
                tamper_by_day[day] += 1
                if doc.get("meter"):
                    tamper_by_meter[doc["meter"]] += 1
        names = self._names(set(by_area))
        days = sorted({d for d, _ in by_day_type})
        return {
            "total": total,
            "by_type": [{"type": t, "count": n} for t, n in by_type.most_common()],
            "by_day": [{"day": d, "counts": {t: n for (dd, t), n in by_day_type.items() if dd == d}} for d in days],
            "by_area": [{"area_id": a, "area_name": names.get(a) if a else "No area", "count": n}
                        for a, n in by_area.most_common()],
            "top_meters": [{"meter_number": m, "count": n, "tamper": tamper_by_meter.get(m, 0)}
                           for m, n in by_meter.most_common(10)],
            "tamper_trend": [{"day": d, "count": tamper_by_day.get(d, 0)} for d in days],
        }


def describe(details: dict[str, Any] | None) -> str:
    if not details:
        return ""
    return "; ".join(f"{k}={v}" for k, v in details.items() if v not in (None, ""))

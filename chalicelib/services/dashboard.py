"""The operator's overview: meter presence counts, alerts, last-hour energy, top areas, latest events;
and the online-rate report (every meter's visibility and the fleet's daily online rate)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.cursor import Cursor
from pymongo.database import Database

from chalicelib.adapters.repositories import STRING_IDS, now
from chalicelib.domain.periods import days, five_minute_key, local_today
from chalicelib.domain.presence import hours_online, is_online, online_filter
from chalicelib.errors import BadRequest
from chalicelib.services.alerts import AlertService
from chalicelib.services.common import ListQuery, and_, page_of
from chalicelib.services.event_log import EventLogService

ONLINE_HEADERS = ["Meter Number", "Area", "Customer", "Status", "Online Now", "First Seen", "Last Seen",
                  "Days With Data", "Hours Online (30 d)", "Never Online"]
CONNECTION_EVENTS = {"communication_restored": True, "communication_lost": False}
TREND_DAYS = 30
PRESENCE_FIELDS = {"online": 1, "last_seen": 1, "first_seen": 1, "area_id": 1, "status": 1, "customer_id": 1}


class DashboardService:
    def __init__(self, db: Database, alerts: AlertService, events: EventLogService, timezone: str,
                 online_window_s: Callable[[], int]) -> None:
        self.db = db
        self.meters, self.rollups, self.areas = db["meters"], db["rollups"], db["areas"]
        self.alerts, self.events = alerts, events
        self.tz = ZoneInfo(timezone)
        self.online_window_s = online_window_s

    # --- presence --------------------------------------------------------------------------------
    def counts(self, area: str | None, moment: datetime | None = None) -> dict[str, Any]:
        """Presence counts, each one count on the server (indexed fields: area, online, last seen)."""
        moment = moment or now()
        window, day_ago = self.online_window_s(), moment - timedelta(hours=24)
        scope: dict[str, Any] = {"area_id": area} if area else {}
        total = self.meters.count_documents(scope)
        never = self.meters.count_documents({**scope, "first_seen": None})
        online = self.meters.count_documents({**scope, "first_seen": {"$ne": None}, **online_filter(window, moment)})
        last_24h = self.meters.count_documents({**scope, "last_seen": {"$gte": day_ago}})
        return {"total": total, "online": online, "offline": total - online - never, "never_online": never,
                "online_last_24h": last_24h, "online_rate": round(100 * online / total, 1) if total else None}

    # --- dashboard -------------------------------------------------------------------------------
    def summary(self, area: str | None) -> dict[str, Any]:
        moment = now()
        scope = f"a|{area}" if area else "f|all"
        end = moment.replace(second=0, microsecond=0)
        end -= timedelta(minutes=end.minute % 5)
        slots = [end - timedelta(minutes=5 * n) for n in range(11, -1, -1)]
        keys = [five_minute_key(s, self.tz) for s in slots]
        found = {d["period"]: d for d in self.rollups.find({"_id": {"$in": [f"{scope}|q|{k}" for k in keys]}})}
        series: list[dict[str, Any]] = [{"at": s, "import_kwh": _kwh(found[k].get("import_wh")) if k in found else None,
                   "export_kwh": _kwh(found[k].get("export_wh")) if k in found else None}
                  for s, k in zip(slots, keys, strict=True)]
        return {
            "area": area, "generated_at": moment, "meters": self.counts(area, moment),
            "alerts": self.alerts.active_count(area),
            "energy_last_hour": series,
            "energy_last_hour_kwh": round(sum(p["import_kwh"] or 0.0 for p in series), 3),
            "top_areas": self.top_areas(local_today(self.tz, moment).isoformat()) if not area else [],
            "latest_events": self.events.find(ListQuery(area=area, page=1, page_size=8), with_total=False)["items"],
        }

    def top_areas(self, day: str, limit: int = 5) -> list[dict[str, Any]]:
        areas = list(self.areas.find({}, {"name": 1}))
        ids = [f"a|{a['_id']}|d|{day}" for a in areas]
        found = {d["key"]: d for d in self.rollups.find({"_id": {"$in": ids}})} if ids else {}
        rows = [{"area_id": a["_id"], "area_name": a.get("name"),
                 "import_kwh": _kwh(found[a["_id"]].get("import_wh"))} for a in areas if a["_id"] in found]
        rows.sort(key=lambda r: -(r["import_kwh"] or 0))
        return rows[:limit]

    # --- online rate -----------------------------------------------------------------------------
    def online_rate(self, query: ListQuery) -> dict[str, Any]:
        criteria = self._online_criteria(query)
        start = (query.page - 1) * query.page_size
        docs = list(self._by_number(criteria).skip(start).limit(query.page_size))
        return {**page_of(self._online_rows(docs), self.meters.count_documents(criteria), query),
                "summary": self.counts(query.area), "trend": self.trend(query.area)}

    @staticmethod
    def check_filter(which: str | None) -> None:
        if which and which not in ("never", "online"):
            raise BadRequest(f"unknown filter '{which}'", [{"field": "filter", "message": "never or online"}])

    def _by_number(self, criteria: dict[str, Any]) -> Cursor:
        """The matching meters' presence fields by meter number (every number is a string: saying so lets a
        server page them from its own index)."""
        return self.meters.find(and_(criteria, STRING_IDS), PRESENCE_FIELDS).sort("_id", 1)

    def _online_criteria(self, query: ListQuery) -> dict[str, Any]:
        which = query.filter("filter")
        self.check_filter(which)
        needle = (query.q or "").strip()
        return and_({"_id": {"$regex": re.escape(needle)}} if needle else {},
                    {"area_id": query.area} if query.area else {},
                    {"first_seen": None if which == "never" else {"$ne": None}} if which else {})

    def _online_rows(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        moment, window = now(), self.online_window_s()
        names = {a["_id"]: a.get("name") for a in self.areas.find({}, {"name": 1})}
        customer_ids = sorted({d["customer_id"] for d in docs if d.get("customer_id")})
        customers = {c["_id"]: c.get("name") for c in self.db["customers"].find({"_id": {"$in": customer_ids}},
                                                                                 {"name": 1})} if customer_ids else {}
        since = local_today(self.tz, moment) - timedelta(days=TREND_DAYS - 1)
        seen = self._days_with_data([d["_id"] for d in docs], since) if docs else {}
        start = moment - timedelta(days=TREND_DAYS)
        transitions = self._transitions([d["_id"] for d in docs], start) if docs else {}
        return [{"meter_number": d["_id"], "area_id": d.get("area_id"), "area_name": names.get(d.get("area_id")),
                 "customer_name": customers.get(d.get("customer_id")), "status": d.get("status"),
                 "online": is_online(d, window, moment), "first_seen": d.get("first_seen"),
                 "last_seen": d.get("last_seen"), "days_with_data": seen.get(d["_id"], 0),
                 "hours_online": hours_online(transitions.get(d["_id"], []), bool(d.get("online")), start, moment),
                 "never_online": d.get("first_seen") is None} for d in docs]

    def _transitions(self, meters: list[str], since: datetime) -> dict[str, list[tuple[datetime, bool]]]:
        """Each meter's connection events since `since`, in time order."""
        out: dict[str, list[tuple[datetime, bool]]] = {}
        for n in range(0, len(meters), 500):
            for e in self.db["events"].find({"meter": {"$in": meters[n:n + 500]}, "at": {"$gte": since},
                                             "type": {"$in": list(CONNECTION_EVENTS)}},
                                            {"meter": 1, "type": 1, "at": 1}).sort([("at", 1), ("_id", 1)]):
                out.setdefault(e["meter"], []).append((e["at"], CONNECTION_EVENTS[e["type"]]))
        return out

    def _days_with_data(self, meters: list[str], since: Any) -> dict[str, int]:
        """Days (of the trend window) on which each meter sent at least one reading."""
        ids = [f"{m}|{day.isoformat()}" for m in meters for day in days(since, local_today(self.tz))]
        out: dict[str, int] = {}
        for n in range(0, len(ids), 4000):
            for doc in self.db["readings"].find({"_id": {"$in": ids[n:n + 4000]}}, {"meter": 1}):
                out[doc["meter"]] = out.get(doc["meter"], 0) + 1
        return out

    def trend(self, area: str | None) -> list[dict[str, Any]]:
        """Daily online rate: meters that sent data that day over the meters in the archive now."""
        total = self.meters.count_documents({"area_id": area} if area else {})
        today = local_today(self.tz)
        period = list(days(today - timedelta(days=TREND_DAYS - 1), today))
        scope = f"a|{area}" if area else "f|all"
        found = {d["period"]: d.get("seen", 0)
                 for d in self.rollups.find({"_id": {"$in": [f"{scope}|d|{d.isoformat()}" for d in period]}})}
        return [{"day": d.isoformat(), "meters_seen": found.get(d.isoformat(), 0),
                 "online_rate": round(100 * found.get(d.isoformat(), 0) / total, 1) if total else None}
                for d in period]

    def online_export_rows(self, query: ListQuery) -> Iterator[list[Any]]:
        for r in self._online_rows(list(self._by_number(self._online_criteria(query)))):
            yield [r["meter_number"], r["area_name"] or "", r["customer_name"] or "", r["status"] or "",
                   "yes" if r["online"] else "no", _local(r["first_seen"], self.tz), _local(r["last_seen"], self.tz),
                   r["days_with_data"], r["hours_online"], "yes" if r["never_online"] else "no"]


def _kwh(wh: Any) -> float | None:
    return None if wh is None else round(float(wh) / 1000, 3)


def _local(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).isoformat(timespec="seconds") if moment else ""

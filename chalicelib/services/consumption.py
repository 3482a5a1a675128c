"""Energy consumption from the rollups: per meter, per area or for all areas, by hour, day, ISO week or month.

Rollups hold register differences (see IngestService), so a total is never a sum of cumulative values.
A period without any reading is a gap (None), not zero. Register resets are flagged from their events.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from pymongo.database import Database

from chalicelib.adapters.repositories import find_ids
from chalicelib.domain.periods import (
    GRANULARITIES,
    MAX_PERIODS,
    Granularity,
    day_to_period,
    days,
    local_today,
    month_start,
    next_month,
    periods,
    week_start,
)
from chalicelib.errors import BadRequest, NotFound
from chalicelib.services.context import Principal
from chalicelib.services.meters import MeterService

CSV_HEADERS = ["Meter Number", "Customer", "Area", "Period", "Period Start", "Import kWh", "Export kWh", "Readings"]
DEFAULT_SPAN = {"hourly": 1, "daily": 30, "weekly": 7 * 12, "monthly": 365}
# large documents (a meter's month holds its days) are looked up this many chunks at a time
LOOKUPS_AT_ONCE = 4
Values = dict[str, float]


class ConsumptionService:
    def __init__(self, db: Database, meters: MeterService, timezone: str) -> None:
        self.db, self.meters = db, meters
        self.rollups, self.areas = db["rollups"], db["areas"]
        self.tz = ZoneInfo(timezone)

    # --- request parsing -------------------------------------------------------------------------
    def request(self, who: Principal, params: dict[str, str]) -> dict[str, Any]:
        granularity = params.get("granularity") or "daily"
        if granularity not in GRANULARITIES:
            raise BadRequest(f"unknown granularity '{granularity}'",
                             [{"field": "granularity", "message": "one of " + ", ".join(GRANULARITIES)}])
        gran = cast(Granularity, granularity)
        meter, area = (params.get("meter") or "").strip() or None, params.get("area") or None
        if meter and area:
            raise BadRequest("give a meter or an area, not both", [{"field": "area", "message": "with meter"}])
        meter_doc = self.meters.visible(who, meter) if meter else None
        if area and self.areas.find_one({"_id": area}, {"_id": 1}) is None:
            raise NotFound(f"area '{area}' does not exist")
        last = _day(params.get("to"), "to") or local_today(self.tz)
        first = _day(params.get("from"), "from") or last - timedelta(days=DEFAULT_SPAN[gran] - 1)
        if last < first:
            raise BadRequest("'to' is before 'from'", [{"field": "to", "message": "before 'from'"}])
        if gran == "weekly":
            first, last = week_start(first), week_start(last) + timedelta(days=6)
        elif gran == "monthly":
            first, last = month_start(first), next_month(last) - timedelta(days=1)
        count = len(periods(gran, first, last, self.tz))
        if count > MAX_PERIODS[gran]:
            raise BadRequest(f"at most {MAX_PERIODS[gran]} {granularity} periods at a time (asked for {count})",
                             [{"field": "from", "message": "range too long"}])
        return {"granularity": gran, "meter": meter_doc, "area": area, "from": first, "to": last}

    # --- the report ------------------------------------------------------------------------------
    def report(self, who: Principal, params: dict[str, str], rows: bool = True) -> dict[str, Any]:
        req = self.request(who, params)
        gran, first, last = req["granularity"], req["from"], req["to"]
        scope = ("m", req["meter"]["_id"]) if req["meter"] else ("a", req["area"]) if req["area"] else ("f", "all")
        values = self.values([scope], gran, first, last)
        series = []
        for key, start in periods(gran, first, last, self.tz):
            v = values.get((scope[1], key))
            series.append({"period": key, "start": start, "import_kwh": _kwh(v, "import_wh"),
                           "export_kwh": _kwh(v, "export_wh"), "readings": int(v["readings"]) if v else 0})
        out: dict[str, Any] = {
            "scope": {"m": "meter", "a": "area", "f": "all"}[scope[0]], "meter_number": scope[1] if scope[0] == "m"
            else None, "area_id": req["area"], "granularity": gran, "from": first.isoformat(), "to": last.isoformat(),
            "timezone": str(self.tz), "unit": "kWh", "series": series,
            "totals": {"import_kwh": _total(series, "import_kwh"), "export_kwh": _total(series, "export_kwh"),
                       "periods_with_data": sum(1 for p in series if p["import_kwh"] is not None),
                       "periods": len(series)},
            "flags": [], "rows": [],
        }
        flags: list[dict[str, Any]] = []
        if scope[0] == "m":
            self.values_many([scope[1]], "daily", first, last, flags)
        elif rows:
            out["rows"] = self.meter_rows(req, flags)
        out["flags"] = sorted(flags, key=lambda f: (f["at"], f["meter_number"]))[:200]
        return out

    def values(self, scopes: list[tuple[str, str]], gran: Granularity, first: date, last: date
               ) -> dict[tuple[str, str], Values]:
        """(key, period) -> summed import_wh / export_wh / readings for those scopes, from the stored grain.
        A meter's hours live inside its daily documents; areas and the fleet have hourly documents."""
        out: dict[tuple[str, str], Values] = {}
        day_keys = [d.isoformat() for d in days(first, last)]
        for scope, key in scopes:
            if gran == "hourly" and scope != "m":
                ids = [f"{scope}|{key}|h|{p}" for p, _ in periods("hourly", first, last, self.tz)]
            elif gran == "monthly":
                ids = [f"{scope}|{key}|m|{p}" for p, _ in periods("monthly", first, last, self.tz)]
            else:
                ids = [f"{scope}|{key}|d|{d}" for d in day_keys]
            self._collect(ids, gran, scope, out)
        return out

    def _collect(self, ids: list[str], gran: Granularity, scope: str, out: dict[tuple[str, str], Values]) -> None:
        for doc in find_ids(self.rollups, ids, parallel=LOOKUPS_AT_ONCE if len(ids) > 100 else 1):
            if gran == "hourly" and scope == "m":
                for hour, v in (doc.get("hours") or {}).items():
                    _add(out, (doc["key"], f"{doc['period']}T{hour[1:]}"), v)
            else:
                period = day_to_period(doc["period"], gran) if gran == "weekly" else doc["period"]
                _add(out, (doc["key"], period), doc)

    def values_many(self, meters: list[str], gran: Granularity, first: date, last: date,
                    flags: list[dict[str, Any]] | None = None) -> dict[tuple[str, str], Values]:
        """values() for many meters at once, from their monthly documents (which hold their days), so a month
        of 500 meters is 500 documents; hours come from the daily ones. Flags (register resets, implausible
        jumps) within [first, last] are added to `flags` when given."""
        out: dict[tuple[str, str], Values] = {}
        if gran == "hourly":
            ids = [f"m|{m}|d|{d.isoformat()}" for m in meters for d in days(first, last)]
            self._collect(ids, gran, "m", out)
            if flags is not None:
                self.values_many(meters, "daily", first, last, flags)
            return out
        months = [p for p, _ in periods("monthly", first, last, self.tz)]
        ids = [f"m|{m}|m|{p}" for m in meters for p in months]
        low, high = first.isoformat(), last.isoformat()
        for doc in find_ids(self.rollups, ids, parallel=LOOKUPS_AT_ONCE):
            if flags is not None:
                flags.extend({"meter_number": doc["key"], **f} for f in doc.get("flags") or []
                             if low <= f["at"].astimezone(self.tz).date().isoformat() <= high)
            if gran == "monthly":
                _add(out, (doc["key"], doc["period"]), doc)
                continue
            for day_key, v in (doc.get("days") or {}).items():
                day = f"{doc['period']}-{day_key[1:]}"
                if low <= day <= high:
                    _add(out, (doc["key"], day_to_period(day, gran)), v)
        return out

    def _meters_in(self, req: dict[str, Any]) -> list[dict[str, Any]]:
        """The meters whose energy makes up the area's (or the fleet's): check meters measure its input instead."""
        criteria = {"area_id": req["area"]} if req["area"] else {}
        docs = self.db["meters"].find(criteria, {"customer_id": 1, "area_id": 1, "check_meter_of": 1})
        return sorted((d for d in docs if not d.get("check_meter_of")), key=lambda d: d["_id"])

    def _names(self, meters: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
        customer_ids = sorted({m["customer_id"] for m in meters if m.get("customer_id")})
        customers = {c["_id"]: c.get("name", "") for c in self.db["customers"].find(
            {"_id": {"$in": customer_ids}}, {"name": 1})} if customer_ids else {}
        areas = {a["_id"]: a.get("name", "") for a in self.areas.find({}, {"name": 1})}
        return customers, areas

    def meter_rows(self, req: dict[str, Any], flags: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """One row per meter: kWh import / export over the range and the days with data."""
        meters = self._meters_in(req)
        customers, areas = self._names(meters)
        daily = self.values_many([m["_id"] for m in meters], "daily", req["from"], req["to"], flags)
        totals: dict[str, dict[str, float]] = {}
        for (meter, _), v in daily.items():
            acc = totals.setdefault(meter, {"import_wh": 0.0, "export_wh": 0.0, "days": 0})
            acc["import_wh"] += v["import_wh"]
            acc["export_wh"] += v["export_wh"]
            acc["days"] += 1
        return [{"meter_number": m["_id"], "customer_name": customers.get(m.get("customer_id") or ""),
                 "area_name": areas.get(m.get("area_id") or ""),
                 "import_kwh": _kwh(totals.get(m["_id"]), "import_wh"),
                 "export_kwh": _kwh(totals.get(m["_id"]), "export_wh"),
                 "days_with_data": int(totals.get(m["_id"], {}).get("days", 0))} for m in meters]

    # --- exports ---------------------------------------------------------------------------------
    def csv_rows(self, who: Principal, params: dict[str, str]) -> Iterator[list[Any]]:
        """One row per meter per period; a gap has empty kWh cells."""
        req = self.request(who, params)
        gran, first, last = req["granularity"], req["from"], req["to"]
        meters = [req["meter"]] if req["meter"] else self._meters_in(req)
        customers, areas = self._names(meters)
        keys = periods(gran, first, last, self.tz)
        for n in range(0, len(meters), 200):
            chunk = meters[n:n + 200]
            values = self.values_many([m["_id"] for m in chunk], gran, first, last)
            for m in chunk:
                for key, start in keys:
                    v = values.get((m["_id"], key))
                    yield [m["_id"], customers.get(m.get("customer_id") or "", ""), areas.get(m.get("area_id") or "",
                                                                                              ""),
                           key, start.isoformat(), _kwh(v, "import_wh"), _kwh(v, "export_wh"),
                           int(v["readings"]) if v else 0]


def _day(raw: str | None, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise BadRequest(f"{field} must be a date (YYYY-MM-DD)", [{"field": field, "message": "not a date"}]) from None


def _add(out: dict[tuple[str, str], Values], key: tuple[str, str], doc: dict[str, Any]) -> None:
    if not doc.get("readings"):
        return  # a day only counted as "seen" holds no energy
    acc = out.setdefault(key, {"import_wh": 0.0, "export_wh": 0.0, "readings": 0.0})
    for name in acc:
        acc[name] += float(doc.get(name) or 0)


def _kwh(values: dict[str, float] | None, name: str) -> float | None:
    if not values:
        return None
    return round(values.get(name, 0.0) / 1000, 6)


def _total(series: list[dict[str, Any]], name: str) -> float | None:
    present = [p[name] for p in series if p[name] is not None]
    return round(sum(present), 6) if present else None


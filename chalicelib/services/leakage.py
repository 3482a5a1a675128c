"""Revenue leakage monitoring: five indicators per area and overall, each count backed by its list of meters,
every table downloadable (the rules are in domain/leakage.py).

Energy comes from the rollups through ConsumptionService (a missing hour or day is a gap, never zero); relay
history is kept at ingest in `relay_changes` (one document per observed state, from relay read-backs and the
meters' own disconnect / reconnect events), a small collection that is scanned, unlike the meters' energy
which is read by `_id`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo import UpdateOne
from pymongo.database import Database

from chalicelib.adapters.repositories import AreaRepository, now
from chalicelib.domain import leakage as rules
from chalicelib.domain.leakage import INDICATORS, TITLES
from chalicelib.domain.pdf_report import Chart
from chalicelib.domain.periods import days, local_today
from chalicelib.domain.presence import is_online
from chalicelib.errors import BadRequest, NotFound
from chalicelib.services.common import ListQuery
from chalicelib.services.consumption import ConsumptionService
from chalicelib.services.exports import Rendered, packaged

DEFAULT_DAYS = 30
MAX_DAYS = 366
DEFAULT_OFFLINE_DAYS = 3
MAX_OFFLINE_DAYS = 365
ZERO_LOOKBACK_DAYS = 7  # how far back "zero since" is looked for
EXPORT_NOISE_WH = 1.0  # an area's export left after its generating meters' (sums of the same deltas)
METER_FIELDS = {"area_id": 1, "customer_id": 1, "online": 1, "last_seen": 1, "first_seen": 1, "last_reading_at": 1,
                "first_reading_at": 1, "latest": 1, "relay_state": 1, "generating": 1, "status": 1,
                "check_meter_of": 1}
Row = dict[str, Any]


class LeakageService:
    def __init__(self, db: Database, consumption: ConsumptionService, timezone: str,
                 online_window_s: Callable[[], int]) -> None:
        self.db, self.consumption = db, consumption
        self.meters, self.alerts, self.relay = db["meters"], db["alerts"], db["relay_changes"]
        self.areas = AreaRepository(db)
        self.tz = ZoneInfo(timezone)
        self.online_window_s = online_window_s

    # --- ingest: relay history ---------------------------------------------------------------------
    def from_results(self, meter: dict[str, Any], items: list[dict[str, Any]]) -> None:
        """Keep every relay state a command result shows (idempotent), and the meter's latest relay state."""
        seen = rules.relay_observations(items, now())
        if not seen:
            return
        self.relay.bulk_write([UpdateOne(
            {"_id": f"{meter['_id']}|{at.isoformat()}|{state}"},
            {"$setOnInsert": {"meter": meter["_id"], "at": at, "state": state}}, upsert=True)
            for at, state in seen], ordered=False)
        at, state = max(seen)
        self.meters.update_one(  # only a newer observation moves the state (results arrive late or twice)
            {"_id": meter["_id"], "$or": [{"relay_state_at": {"$exists": False}}, {"relay_state_at": {"$lt": at}}]},
            {"$set": {"relay_state": state, "relay_state_at": at}})

    # --- requests ----------------------------------------------------------------------------------
    def request(self, params: dict[str, str]) -> dict[str, Any]:
        area = params.get("area") or None
        if area and self.areas.get(area) is None:
            raise NotFound(f"area '{area}' does not exist")
        last = _day(params.get("to"), "to") or local_today(self.tz)
        first = _day(params.get("from"), "from") or last - timedelta(days=DEFAULT_DAYS - 1)
        if last < first:
            raise BadRequest("'to' is before 'from'", [{"field": "to", "message": "before 'from'"}])
        if (last - first).days >= MAX_DAYS:
            raise BadRequest(f"at most {MAX_DAYS} days at a time", [{"field": "from", "message": "range too long"}])
        offline = _whole(params.get("offline_days"), "offline_days", DEFAULT_OFFLINE_DAYS, 1, MAX_OFFLINE_DAYS)
        return {"area": area, "from": first, "to": last, "offline_days": offline}

    def indicator(self, name: str) -> str:
        if name not in INDICATORS:
            raise NotFound(f"unknown leakage indicator '{name}' (one of {', '.join(INDICATORS)})")
        return name

    # --- summary -----------------------------------------------------------------------------------
    def summary(self, params: dict[str, str]) -> dict[str, Any]:
        return self._summary(self.request(params))

    def _summary(self, req: dict[str, Any]) -> dict[str, Any]:
        first, last, moment = req["from"], req["to"], now()
        meters = self._meters(req["area"])
        alerts = self._tamper_alerts(meters, first, last)
        found: dict[str, list[Row]] = {name: self._rows(name, req, meters, moment, alerts) for name in INDICATORS}
        start, end = self._bounds(first, last)
        names = {a["_id"]: a.get("name") for a in self.areas.col.find({"_id": req["area"]} if req["area"] else {},
                                                                        {"name": 1})}
        areas: dict[str | None, dict[str, Any]] = {key: _counts() for key in names}
        overall = _counts()

        def add(area_id: str | None, field: str, value: float = 1) -> None:
            overall[field] += value
            areas.setdefault(area_id, _counts())[field] += value

        for name, field, energy, total in (
                ("zero-consumption", "zero_consumption", None, None), ("tamper", "tamper_meters", None, None),
                ("reverse-flow", "reverse_flow", "export_kwh", "reverse_export_kwh"),
                ("bypass", "bypass", "import_kwh", "bypass_kwh"),
                ("energy-at-risk", "energy_at_risk", "estimated_kwh", "at_risk_kwh")):
            for row in found[name]:
                area_id = meters[row["meter_number"]].get("area_id")
                add(area_id, field)
                if energy and total:
                    add(area_id, total, row[energy] or 0.0)
                if name == "energy-at-risk" and row["estimated_kwh"] is None:
                    add(area_id, "at_risk_no_history")
        for alert in alerts:
            area_id = meters[alert["meter"]].get("area_id")
            if rules.touches(alert, start, end):
                add(area_id, "tamper")
            if rules.touches(alert, start - (end - start), start):
                add(area_id, "tamper_previous")
        trend = []
        for day in days(first, last):
            day_start, day_end = self._bounds(day, day)
            trend.append({"day": day.isoformat(), "count": sum(rules.touches(a, day_start, day_end) for a in alerts)})
        rows = [{"area_id": key, "area_name": names.get(key) if key else None, **_rounded(counts)}
                for key, counts in areas.items()]
        rows.sort(key=lambda r: (r["area_id"] is None, (r["area_name"] or "").lower()))
        return {"area": req["area"], "from": first.isoformat(), "to": last.isoformat(),
                "previous_from": (first - (last - first) - timedelta(days=1)).isoformat(),
                "previous_to": (first - timedelta(days=1)).isoformat(), "timezone": str(self.tz),
                "generated_at": moment, "zero_hours": rules.ZERO_HOURS, "offline_days": req["offline_days"],
                "overall": _rounded(overall), "areas": rows, "tamper_trend": trend}

    # --- lists -------------------------------------------------------------------------------------
    def meters_behind(self, name: str, params: dict[str, str], query: ListQuery) -> dict[str, Any]:
        name = self.indicator(name)
        req = self.request(params)
        rows = self._list(name, req)
        start = (query.page - 1) * query.page_size
        return {"indicator": name, "title": TITLES[name], "from": req["from"].isoformat(),
                "to": req["to"].isoformat(), "items": rows[start:start + query.page_size], "total": len(rows),
                "page": query.page, "page_size": query.page_size}

    def _list(self, name: str, req: dict[str, Any]) -> list[Row]:
        meters = self._meters(req["area"])
        alerts = self._tamper_alerts(meters, req["from"], req["to"]) if name == "tamper" else []
        return self._named(self._rows(name, req, meters, now(), alerts), meters)

    def export(self, name: str, params: dict[str, str]) -> Rendered:
        name = self.indicator(name)
        req = self.request(params)
        table = [rules.table_row(name, r, self._local) for r in self._list(name, req)]
        return packaged(TITLES[name], f"leakage-{name}", params.get("format"), rules.COMMON_HEADERS
                        + rules.HEADERS[name], table, None, self._filters(req, name), self.tz)

    def export_summary(self, params: dict[str, str]) -> Rendered:
        req = self.request(params)
        summary = self._summary(req)
        table: list[list[Any]] = [[r["area_name"] or "No area"] + [r[f] for f in rules.SUMMARY_FIELDS]
                                  for r in summary["areas"]]
        table.append(["Total"] + [summary["overall"][f] for f in rules.SUMMARY_FIELDS])
        trend = summary["tamper_trend"]
        chart = Chart("bar", [t["day"] for t in trend], {"Tamper alerts": [float(t["count"]) for t in trend]},
                      "alerts")
        return packaged("Revenue leakage", "leakage-summary", params.get("format"), rules.SUMMARY_HEADERS, table,
                        chart, self._filters(req, None), self.tz)

    def _filters(self, req: dict[str, Any], name: str | None) -> list[tuple[str, str]]:
        area = self.areas.get(req["area"]) if req["area"] else None
        out = [("Area", area["name"] if area else "all areas")]
        if name in (None, "reverse-flow", "tamper", "bypass"):
            out += [("From", req["from"].isoformat()), ("To", req["to"].isoformat())]
        if name in (None, "zero-consumption"):
            out.append(("Zero consumption", f"the last {rules.ZERO_HOURS} h"))
        if name in (None, "energy-at-risk"):
            out.append(("Offline for more than", f"{req['offline_days']} days"))
        return [*out, ("Time zone", str(self.tz))]

    # --- the indicators ----------------------------------------------------------------------------
    def _meters(self, area: str | None) -> dict[str, dict[str, Any]]:
        return {d["_id"]: d for d in self.meters.find({"area_id": area} if area else {}, METER_FIELDS)}

    def _rows(self, name: str, req: dict[str, Any], meters: dict[str, dict[str, Any]], moment: datetime,
              alerts: list[dict[str, Any]]) -> list[Row]:
        if name == "zero-consumption":
            return self.zero_consumption(meters, moment)
        if name == "reverse-flow":
            return self.reverse_flow(meters, req["from"], req["to"])
        if name == "tamper":
            return self.tamper(alerts, req["from"], req["to"])
        if name == "bypass":
            return self.bypass(meters, req["from"], req["to"], moment)
        return self.energy_at_risk(meters, req["offline_days"], moment)

    def zero_consumption(self, meters: dict[str, dict[str, Any]], moment: datetime) -> list[Row]:
        window = self.online_window_s()
        start = (moment - timedelta(hours=rules.ZERO_HOURS)).astimezone(self.tz).replace(minute=0, second=0,
                                                                                          microsecond=0)
        candidates = [m["_id"] for m in meters.values() if is_online(m, window, moment) and rules.supplied(m)
                      and m.get("first_reading_at") is not None and m["first_reading_at"] <= start]
        # yesterday and today lie inside the 48 h: import on either rules a meter out, from one (monthly)
        # document per meter; only the rest are read by the hour
        today = local_today(self.tz, moment)
        consumed = {m for (m, _), v in self.consumption.values_many(candidates, "daily", today - timedelta(days=1),
                                                                    today).items() if v["import_wh"] > 0}
        candidates = [m for m in candidates if m not in consumed]
        hourly = self._hourly(candidates, start.date(), today)
        rows = []
        for m in candidates:
            hours = {at: v for at, v in hourly.get(m, {}).items() if at >= start}
            if hours and sum(v["import_wh"] for v in hours.values()) == 0:
                voltage = ((meters[m].get("latest") or {}).get("1-0-32-7-0-255") or {}).get("value")
                rows.append({"meter_number": m, "import_kwh": 0.0, "hours": len(hours),
                             "voltage_v": voltage if isinstance(voltage, int | float) else None, "since": None})
        # when consumption stopped: the end of the last hour with import, looked for in the week before
        before = self._hourly([r["meter_number"] for r in rows], today - timedelta(days=ZERO_LOOKBACK_DAYS), today)
        for row in rows:
            used = [at for at, v in before.get(row["meter_number"], {}).items() if v["import_wh"] > 0]
            row["since"] = (max(used) + rules.HOUR).astimezone(UTC) if used else None
        return sorted(rows, key=lambda r: r["meter_number"])

    def reverse_flow(self, meters: dict[str, dict[str, Any]], first: date, last: date) -> list[Row]:
        candidates = [m for m in self._exporting_areas_meters(meters, first, last) if not meters[m].get("generating")]
        daily = self.consumption.values_many(candidates, "daily", first, last)
        totals: dict[str, dict[str, Any]] = {}
        for (meter, day), v in daily.items():
            acc = totals.setdefault(meter, {"export_wh": 0.0, "import_wh": 0.0, "first": None})
            acc["export_wh"] += v["export_wh"]
            acc["import_wh"] += v["import_wh"]
            if v["export_wh"] > 0 and (acc["first"] is None or day < acc["first"]):
                acc["first"] = day
        rows = [{"meter_number": meter, "export_kwh": _kwh(acc["export_wh"]), "import_kwh": _kwh(acc["import_wh"]),
                 "since": self._start(date.fromisoformat(acc["first"]))}
                for meter, acc in totals.items() if acc["export_wh"] > 0]
        return sorted(rows, key=lambda r: (-r["export_kwh"], r["meter_number"]))

    def _exporting_areas_meters(self, meters: dict[str, dict[str, Any]], first: date, last: date) -> list[str]:
        """The meters worth reading for reverse flow: those of areas whose months around the period show export
        that their generating meters do not account for (usually none), of no area, and check meters (whose
        energy is not in their area's rollups). A meter moved to another area takes no history along, so its
        old export is looked for among its new area's meters only when that area shows some too."""
        areas = sorted({d["area_id"] for d in meters.values() if d.get("area_id")})
        exported: dict[str, float] = defaultdict(float)
        for (area, _), v in self.consumption.values([("a", a) for a in areas], "monthly", first, last).items():
            exported[area] += v["export_wh"]
        generating = [m for m, d in meters.items() if d.get("generating") and d.get("area_id")]
        for (meter, _), v in self.consumption.values_many(generating, "monthly", first, last).items():
            exported[meters[meter]["area_id"]] -= v["export_wh"]
        suspect = {a for a, wh in exported.items() if wh > EXPORT_NOISE_WH}
        return [m for m, d in meters.items()
                if not d.get("area_id") or d.get("check_meter_of") or d["area_id"] in suspect]

    def _tamper_alerts(self, meters: dict[str, dict[str, Any]], first: date, last: date) -> list[dict[str, Any]]:
        """Tamper alerts of these meters touching the period or the previous one of equal length."""
        start, end = self._bounds(first, last)
        criteria = {"first_at": {"$lt": end}, "last_at": {"$gte": start - (end - start)}}
        fields = {"meter": 1, "type": 1, "source": 1, "first_at": 1, "last_at": 1, "count": 1}
        return [a for a in self.alerts.find(criteria, fields) if a.get("meter") in meters and rules.is_tamper(a)]

    def tamper(self, alerts: list[dict[str, Any]], first: date, last: date) -> list[Row]:
        start, end = self._bounds(first, last)
        by_meter: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for alert in alerts:
            if rules.touches(alert, start, end):
                by_meter[alert["meter"]].append(alert)
        rows = [{"meter_number": meter, "alerts": len(found), "occurrences": sum(a.get("count", 1) for a in found),
                 "alert_types": sorted({a["type"] for a in found}), "since": min(a["first_at"] for a in found),
                 "last_at": max(a.get("last_at") or a["first_at"] for a in found)}
                for meter, found in by_meter.items()]
        return sorted(rows, key=lambda r: (-r["occurrences"], r["meter_number"]))

    def bypass(self, meters: dict[str, dict[str, Any]], first: date, last: date, moment: datetime) -> list[Row]:
        start, end = self._bounds(first, last)
        end = min(end, moment)
        seen: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        for doc in self.relay.find({"at": {"$lt": end}}, {"meter": 1, "at": 1, "state": 1}):
            if doc.get("meter") in meters:
                seen[doc["meter"]].append((doc["at"], doc["state"]))
        windows = {m: w for m, obs in seen.items() if (w := rules.disconnected_windows(obs, start, end))}
        spans: dict[tuple[date, date], list[str]] = defaultdict(list)  # read only the days the stretches cover
        for meter, stretches in windows.items():
            low, high = stretches[0][0], stretches[-1][1] - timedelta(microseconds=1)
            spans[(low.astimezone(self.tz).date(), high.astimezone(self.tz).date())].append(meter)
        hourly: dict[str, dict[datetime, dict[str, float]]] = {}
        for (low_day, high_day), group in spans.items():
            hourly.update(self._hourly(group, low_day, high_day))
        rows = []
        for meter, stretches in windows.items():
            energy = {at: v["import_wh"] for at, v in hourly.get(meter, {}).items()}
            wh, hours, window = rules.energy_in_windows(energy, stretches)
            if wh > 0 and window is not None:
                rows.append({"meter_number": meter, "import_kwh": _kwh(wh), "hours": hours,
                             "relay_state": meters[meter].get("relay_state"), "since": window[0]})
        return sorted(rows, key=lambda r: (-r["import_kwh"], r["meter_number"]))

    def energy_at_risk(self, meters: dict[str, dict[str, Any]], offline_days: int, moment: datetime) -> list[Row]:
        cutoff = moment - timedelta(days=offline_days)
        silent = {m: since for m, doc in meters.items()
                  if doc.get("status") != "decommissioned" and (since := rules.silent_since(doc)) and since < cutoff}
        # one consumption read per pair of months the history windows span (most meters share a few)
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        windows = {m: rules.history_days(since.astimezone(self.tz).date()) for m, since in silent.items()}
        for meter, (low, high) in windows.items():
            groups[(low.strftime("%Y-%m"), high.strftime("%Y-%m"))].append(meter)
        daily: dict[str, dict[date, float]] = defaultdict(dict)
        for group in groups.values():
            low, high = min(windows[m][0] for m in group), max(windows[m][1] for m in group)
            for (meter, day), v in self.consumption.values_many(group, "daily", low, high).items():
                when = date.fromisoformat(day)
                if windows[meter][0] <= when <= windows[meter][1]:
                    daily[meter][when] = v["import_wh"]
        rows = []
        for meter, since in silent.items():
            estimate = rules.unbilled(daily.get(meter, {}), since, moment)
            rows.append({"meter_number": meter, "since": since, "days_silent": estimate.days_silent,
                         "avg_daily_kwh": estimate.avg_daily_kwh, "estimated_kwh": estimate.unbilled_kwh})
        return sorted(rows, key=lambda r: (-(r["estimated_kwh"] or 0), -r["days_silent"], r["meter_number"]))

    # --- helpers -----------------------------------------------------------------------------------
    def _hourly(self, meters: list[str], first: date, last: date) -> dict[str, dict[datetime, dict[str, float]]]:
        """Each meter's hours with readings, by their local start."""
        out: dict[str, dict[datetime, dict[str, float]]] = defaultdict(dict)
        if not meters:
            return out
        for (meter, key), v in self.consumption.values_many(meters, "hourly", first, last).items():
            out[meter][datetime.strptime(key, "%Y-%m-%dT%H").replace(tzinfo=self.tz)] = v
        return out

    def _named(self, rows: list[Row], meters: dict[str, dict[str, Any]]) -> list[Row]:
        """Rows with the meter's customer and area names."""
        docs = [meters[r["meter_number"]] for r in rows]
        areas = self.areas.get_many(d["area_id"] for d in docs if d.get("area_id"))
        customer_ids = sorted({d["customer_id"] for d in docs if d.get("customer_id")})
        customers = {c["_id"]: c.get("name") for c in self.db["customers"].find(
            {"_id": {"$in": customer_ids}}, {"name": 1})} if customer_ids else {}
        for row, doc in zip(rows, docs, strict=True):
            row.update(area_id=doc.get("area_id"), area_name=areas.get(doc.get("area_id") or "", {}).get("name"),
                       customer_name=customers.get(doc.get("customer_id")))
        return rows

    def _start(self, day: date) -> datetime:
        return datetime.combine(day, time(), self.tz).astimezone(UTC)

    def _bounds(self, first: date, last: date) -> tuple[datetime, datetime]:
        return self._start(first), self._start(last + timedelta(days=1))

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).isoformat(timespec="seconds")


def _counts() -> dict[str, Any]:
    return rules.LeakageCounts.model_validate({}).model_dump()


def _rounded(counts: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in counts.items()}


def _kwh(wh: float) -> float:
    return round(wh / 1000, 3)


def _day(raw: str | None, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"{field} must be a date (YYYY-MM-DD)", [{"field": field, "message": "not a date"}]) from None


def _whole(raw: str | None, field: str, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{field} must be a whole number", [{"field": field, "message": "not a whole number"}]) \
            from None
    if not low <= value <= high:
        raise BadRequest(f"{field} must be between {low} and {high}", [{"field": field, "message": f"{low}-{high}"}])
    return value

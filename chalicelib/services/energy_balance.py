"""Technical loss monitoring: each area's daily energy balance from its check meter and customer meters,
the non-technical loss alert, and the check meter's place in the rollups.

Energy comes from the meters' daily rollups (ConsumptionService.values_many): a meter without a key for a
day has no data that day (a gap, never zero). The customer meters are the area's meters in service
(installed, active or faulty), the check meter left out. The arithmetic is chalicelib.domain.energy_balance.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.database import Database

from chalicelib.adapters import bulk
from chalicelib.adapters.repositories import AreaRepository
from chalicelib.domain import energy_balance as eb
from chalicelib.domain.csv_export import write_csv
from chalicelib.domain.pdf_report import Chart, build_pdf
from chalicelib.domain.periods import days, local_today
from chalicelib.errors import BadRequest, NotFound
from chalicelib.services.alerts import AlertService
from chalicelib.services.consumption import ConsumptionService
from chalicelib.services.exports import Rendered
from chalicelib.services.ingest import group_scopes, rollup_changes

IN_SERVICE = ("installed", "active", "faulty")
ALERT_TYPE = "non_technical_loss"
ALERT_SEVERITY = "high"
DEFAULT_DAYS = 30
MAX_DAYS = 366
ALERT_LOOKBACK_DAYS = 31
CSV_HEADERS = ["Area", "Check Meter", "Day", "Input kWh", "Billed kWh", "Loss kWh", "Loss %", "Technical kWh",
               "Technical %", "Non-technical kWh", "Non-technical %", "Meters", "Meters With Data", "Reliable",
               "Reason"]


def supply_of(area: dict[str, Any]) -> eb.Supply | None:
    stored = area.get("supply")
    if not stored or not stored.get("check_meter"):
        return None
    return eb.Supply(**{k: v for k, v in stored.items() if k in eb.Supply.__dataclass_fields__})


class EnergyBalanceService:
    def __init__(self, db: Database, consumption: ConsumptionService, alerts: AlertService, timezone: str) -> None:
        self.db, self.consumption, self.alerts = db, consumption, alerts
        self.areas = AreaRepository(db)
        self.tz = ZoneInfo(timezone)

    # --- request parsing -------------------------------------------------------------------------
    def request(self, params: dict[str, str], area_id: str | None = None) -> tuple[list[dict[str, Any]], date, date]:
        """The areas asked for (one, or every area by name) and the day range; yesterday back 30 days unless
        told otherwise."""
        area_id = area_id or params.get("area") or None
        if area_id:
            area = self.areas.get(area_id)
            if area is None:
                raise NotFound(f"area '{area_id}' does not exist", [{"field": "area", "message": "unknown area"}])
            areas = [area]
        else:
            areas = self.areas.all()
        last = _day(params.get("to"), "to") or local_today(self.tz) - timedelta(days=1)
        first = _day(params.get("from"), "from") or last - timedelta(days=DEFAULT_DAYS - 1)
        if last < first:
            raise BadRequest("'to' is before 'from'", [{"field": "to", "message": "before 'from'"}])
        if (last - first).days + 1 > MAX_DAYS:
            raise BadRequest(f"at most {MAX_DAYS} days at a time", [{"field": "from", "message": "range too long"}])
        return areas, first, last

    # --- the balance ------------------------------------------------------------------------------
    def overview(self, params: dict[str, str]) -> dict[str, Any]:
        areas, first, last = self.request(params)
        return {"from": first.isoformat(), "to": last.isoformat(), "timezone": str(self.tz),
                "items": self.balances(areas, first, last)}

    def area(self, area_id: str, params: dict[str, str]) -> dict[str, Any]:
        areas, first, last = self.request(params, area_id)
        return {"from": first.isoformat(), "to": last.isoformat(), "timezone": str(self.tz),
                **self.balances(areas, first, last)[0]}

    def customer_meters(self, areas: list[dict[str, Any]]) -> dict[str, list[str]]:
        """Area id -> its meters in service, without its check meter, in number order."""
        checks = {(a.get("supply") or {}).get("check_meter") for a in areas}
        out: dict[str, list[str]] = {a["_id"]: [] for a in areas}
        for doc in self.db["meters"].find({"area_id": {"$in": list(out)}}, {"area_id": 1, "status": 1}):
            if doc.get("status") in IN_SERVICE and doc["_id"] not in checks:
                out[doc["area_id"]].append(doc["_id"])
        return {k: sorted(v) for k, v in out.items()}

    def balances(self, areas: list[dict[str, Any]], first: date, last: date) -> list[dict[str, Any]]:
        customers = self.customer_meters(areas)
        supplies = {a["_id"]: supply_of(a) for a in areas}
        checks = {a["_id"]: a["supply"]["check_meter"] for a in areas if supplies[a["_id"]]}
        wanted = [m for a in areas if supplies[a["_id"]] for m in customers[a["_id"]]] + list(checks.values())
        daily = self.consumption.values_many(wanted, "daily", first, last) if wanted else {}
        hourly = self.consumption.values_many(list(checks.values()), "hourly", first, last) if checks else {}
        today = local_today(self.tz)
        out = []
        for area in areas:
            supply, meters = supplies[area["_id"]], customers[area["_id"]]
            balance = [] if supply is None else [
                eb.balance_day(d.isoformat(), _net(daily.get((checks[area["_id"]], d.isoformat()))),
                               self._hours(hourly, checks[area["_id"]], d),
                               [_net(daily.get((m, d.isoformat()))) for m in meters], supply, self._length(d),
                               d >= today)
                for d in days(first, last)]
            out.append({
                "area_id": area["_id"], "area_name": area["name"], "check_meter": checks.get(area["_id"]),
                "supply": area.get("supply") if supply else None, "meters": len(meters),
                "totals": asdict(eb.totals(balance)),
                "days": [{**asdict(b), "complete": b.complete,
                          "over_threshold": supply is not None and eb.over_threshold(b, supply)} for b in balance],
                "episodes": [] if supply is None else [
                    {"from": e.first, "to": e.last, "days": e.days, "peak_pct": e.peak_pct}
                    for e in eb.episodes(balance, supply)],
            })
        return out

    def _length(self, day: date) -> float:
        """Hours in the local day (23 or 25 on a daylight-saving change)."""
        start = datetime(day.year, day.month, day.day, tzinfo=self.tz).astimezone(UTC)
        following = day + timedelta(days=1)
        end = datetime(following.year, following.month, following.day, tzinfo=self.tz).astimezone(UTC)
        return (end - start).total_seconds() / 3600

    def _hours(self, hourly: dict[tuple[str, str], dict[str, float]], meter: str, day: date) -> list[float] | None:
        """The check meter's net kWh per hour of the day, when every hour has data."""
        values = [_net(hourly.get((meter, f"{day.isoformat()}T{h:02d}"))) for h in range(24)]
        present = [v for v in values if v is not None]
        return present if len(present) == len(values) else None

    # --- the alert ---------------------------------------------------------------------------------
    def evaluate_alerts(self, as_of: datetime | date | None = None) -> dict[str, Any]:
        """Raise a `non_technical_loss` alert (on the area, meter = its check meter) for every episode of
        `ntl_alert_days` reliable days in a row above the area's threshold, among the days before `as_of`'s local
        day (default: today, so up to yesterday), looking back ALERT_LOOKBACK_DAYS. Once per episode: a run that
        goes on updates its alert while it is active and never reopens an acknowledged one. Run it daily."""
        if isinstance(as_of, datetime):
            as_of = as_of.astimezone(self.tz).date()
        last = (as_of or local_today(self.tz)) - timedelta(days=1)
        first = last - timedelta(days=ALERT_LOOKBACK_DAYS - 1)
        areas = [a for a in self.areas.all() if supply_of(a)]
        raised, ongoing = [], 0
        for item in self.balances(areas, first, last) if areas else []:
            if not item["episodes"]:
                continue
            known = list(self.db["alerts"].find({"type": ALERT_TYPE, "area_id": item["area_id"]},
                                                {"details": 1}))
            for episode in item["episodes"]:
                alert_id = next((a["_id"] for a in known if _overlaps(a.get("details") or {}, episode)),
                                f"ntl-{item['area_id']}-{episode['from']}")
                supply = item["supply"]
                details = {**episode, "threshold_pct": supply["ntl_alert_pct"],
                           "min_days": supply["ntl_alert_days"], "area_name": item["area_name"]}
                end = date.fromisoformat(episode["to"]) + timedelta(days=1)
                at = datetime(end.year, end.month, end.day, tzinfo=self.tz).astimezone(UTC)
                if self.alerts.raise_rule(alert_id, item["check_meter"], item["area_id"], ALERT_TYPE, ALERT_SEVERITY,
                                          at, details):
                    raised.append(alert_id)
                else:
                    ongoing += 1
        return {"from": first.isoformat(), "to": last.isoformat(), "areas": len(areas), "raised": raised,
                "ongoing": ongoing}

    # --- the check meter in the rollups ------------------------------------------------------------
    def move_check_meter(self, area_id: str, old: str | None, new: str | None) -> None:
        """An area's check meter changed: the old one's energy goes back into its area's and the fleet's rollups,
        the new one's comes out of them (ingest adds a check meter's energy to neither from now on)."""
        if old == new:
            return
        if old:
            self._regroup(old, None)
        if new:
            self._regroup(new, area_id)

    def _regroup(self, number: str, check_of: str | None) -> None:
        update = {"$set": {"check_meter_of": check_of}} if check_of else {"$unset": {"check_meter_of": ""}}
        meter = self.db["meters"].find_one_and_update({"_id": number}, update)
        if meter is None or meter.get("first_reading_at") is None or meter.get("last_reading_at") is None:
            return
        first = (meter["first_reading_at"] - timedelta(seconds=1)).astimezone(self.tz).date()
        last = meter["last_reading_at"].astimezone(self.tz).date()
        sign = -1 if check_of else 1
        deltas = []
        for (_, hour), v in self.consumption.values_many([number], "hourly", first, last).items():
            start = datetime.strptime(hour, "%Y-%m-%dT%H").replace(tzinfo=self.tz)
            deltas.append((start.astimezone(UTC) + timedelta(hours=1),
                           {"import_wh": sign * v["import_wh"], "export_wh": sign * v["export_wh"]},
                           sign * int(v["readings"])))
        changes = rollup_changes(meter, deltas, self.tz, five_minute=False, groups=group_scopes(meter), own=False)
        bulk.write(self.db["rollups"], bulk.merge(changes))

    # --- exports -----------------------------------------------------------------------------------
    def render(self, fmt: str | None, params: dict[str, str]) -> Rendered:
        """Every area's days as CSV; as PDF one area's days with its loss trend, or every area's totals."""
        fmt = (fmt or "csv").lower()
        if fmt not in ("csv", "pdf"):
            raise BadRequest(f"unknown format '{fmt}'", [{"field": "format", "message": "csv or pdf"}])
        report = self.overview(params)
        moment = datetime.now(UTC).astimezone(self.tz)
        name = f"losses-{moment.strftime('%Y%m%d-%H%M')}.{fmt}"
        if fmt == "csv":
            rows = [_day_row(item, d) for item in report["items"] for d in item["days"]]
            return Rendered(write_csv(CSV_HEADERS, rows), name, "text/csv; charset=utf-8")
        filters = [("From", report["from"]), ("To", report["to"]), ("Time zone", report["timezone"])]
        if params.get("area"):
            content = _area_pdf(report["items"][0], filters, moment)
        else:
            content = _areas_pdf(report["items"], filters, moment)
        return Rendered(content, name, "application/pdf")


def _day(raw: str | None, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"{field} must be a date (YYYY-MM-DD)", [{"field": field, "message": "not a date"}]) from None


def _net(values: dict[str, float] | None) -> float | None:
    """kWh delivered: import minus export; None without data."""
    if not values:
        return None
    return (values.get("import_wh", 0.0) - values.get("export_wh", 0.0)) / 1000


def _overlaps(details: dict[str, Any], episode: dict[str, Any]) -> bool:
    return bool(details.get("from")) and details["from"] <= episode["to"] and details.get("to", "") >= episode["from"]


def _day_row(item: dict[str, Any], d: dict[str, Any]) -> list[Any]:
    return [item["area_name"], item["check_meter"], d["day"], d["input_kwh"], d["billed_kwh"], d["loss_kwh"],
            d["loss_pct"], d["technical_kwh"], d["technical_pct"], d["non_technical_kwh"], d["non_technical_pct"],
            d["meters"], d["meters_with_data"], "yes" if d["complete"] else "no", d["reason"]]


def _area_pdf(item: dict[str, Any], filters: list[tuple[str, str]], moment: datetime) -> bytes:
    """One area: its loss trend and its days."""
    days_ = item["days"]
    chart = Chart("line", [d["day"] for d in days_], {"Loss": [d["loss_pct"] for d in days_],
                                                      "Technical": [d["technical_pct"] for d in days_],
                                                      "Non-technical": [d["non_technical_pct"] for d in days_]}, "%")
    totals = item["totals"]
    filters = [("Area", item["area_name"]), *filters, ("Check meter", item["check_meter"] or "none"),
               ("Reliable days", f"{totals['complete_days']} of {totals['days']}"),
               ("Loss %", _text(totals["loss_pct"])), ("Non-technical %", _text(totals["non_technical_pct"]))]
    return build_pdf("Technical losses", filters, CSV_HEADERS[2:], [_day_row(item, d)[2:] for d in days_], moment,
                     chart)


def _areas_pdf(items: list[dict[str, Any]], filters: list[tuple[str, str]], moment: datetime) -> bytes:
    """Every area's totals, technical and non-technical loss side by side."""
    chart = Chart("bar", [i["area_name"] for i in items], {
        "Technical": [i["totals"]["technical_pct"] for i in items],
        "Non-technical": [i["totals"]["non_technical_pct"] for i in items]}, "%")
    headers = ["Area", "Check Meter", "Input kWh", "Billed kWh", "Loss %", "Technical %", "Non-technical %",
               "Reliable Days"]
    rows = [[i["area_name"], i["check_meter"], i["totals"]["input_kwh"], i["totals"]["billed_kwh"],
             i["totals"]["loss_pct"], i["totals"]["technical_pct"], i["totals"]["non_technical_pct"],
             f"{i['totals']['complete_days']} of {i['totals']['days']}" if i["check_meter"] else "no check meter"]
            for i in items]
    return build_pdf("Technical losses", [("Areas", "all"), *filters], headers, rows, moment, chart)


def _text(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


"""Meters' load histories for theft scoring, read from the rollups.

Days come from each meter's monthly documents (one per meter and month, its days inside: cheap), hours from
its daily documents for the last `hourly_days` only (one document per meter and day: reading 180 of them for
thousands of meters is minutes on the embedded database). Tamper events come from the events collection.
A day or hour without a reading is NaN, never zero.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from pymongo.database import Database

from chalicelib.domain.theft import MeterHistory
from chalicelib.services.consumption import ConsumptionService

CHECK_METER = "check"  # in a meter type: an area's supply (check) meter; not a customer, not scored (nor are the
                       # meters named as an area's supply.check_meter)
CHUNK = 500


def load_histories(db: Database, consumption: ConsumptionService, meter_numbers: list[str] | None,
                   area: str | None, as_of: date, days: int = 180, hourly_days: int = 28,
                   labels: Mapping[str, str] | None = None, area_losses: Mapping[str, float] | None = None
                   ) -> list[MeterHistory]:
    """Histories of the given meters, or of an area's, or of every meter, over the `days` days ending at as_of
    (local days). `labels`: confirmed case outcomes by meter; `area_losses`: non-technical loss % by area."""
    criteria: dict[str, Any] = {}
    if meter_numbers is not None:
        criteria["_id"] = {"$in": meter_numbers}
    if area is not None:
        criteria["area_id"] = area
    supply = {(a.get("supply") or {}).get("check_meter") for a in db["areas"].find({}, {"supply": 1})}
    meters = sorted((m for m in db["meters"].find(criteria, {"area_id": 1, "meter_type": 1})
                     if m["_id"] not in supply and CHECK_METER not in str(m.get("meter_type") or "").lower()),
                    key=lambda m: m["_id"])
    first = as_of - timedelta(days=days - 1)
    hour_first = as_of - timedelta(days=min(hourly_days, days) - 1)
    tamper = _tamper_events(db, {m["_id"] for m in meters}, first, as_of, consumption)
    out: list[MeterHistory] = []
    for n in range(0, len(meters), CHUNK):
        chunk = meters[n:n + CHUNK]
        numbers = [m["_id"] for m in chunk]
        daily = consumption.values_many(numbers, "daily", first, as_of)
        hourly = consumption.values_many(numbers, "hourly", hour_first, as_of) if hourly_days > 0 else {}
        for m in chunk:
            energy, readings = _days(daily, m["_id"], first, days)
            out.append(MeterHistory(
                meter_number=m["_id"], area_id=m.get("area_id"), meter_type=m.get("meter_type"), first_day=first,
                daily_kwh=energy, daily_readings=readings,
                hourly_kwh=_hours(hourly, m["_id"], hour_first, (as_of - hour_first).days + 1) if hourly_days > 0
                else None,
                tamper_events=tamper.get(m["_id"], []), label=(labels or {}).get(m["_id"]),
                area_nontechnical_loss_pct=(area_losses or {}).get(m.get("area_id") or "")))
    return out


def _days(values: dict[tuple[str, str], dict[str, float]], meter: str, first: date, days: int
          ) -> tuple[np.ndarray, np.ndarray]:
    energy, readings = np.full(days, np.nan), np.zeros(days)
    for d in range(days):
        v = values.get((meter, (first + timedelta(days=d)).isoformat()))
        if v is not None:
            energy[d], readings[d] = v["import_wh"] / 1000, v["readings"]
    return energy, readings


def _hours(values: dict[tuple[str, str], dict[str, float]], meter: str, first: date, days: int) -> np.ndarray:
    out = np.full((days, 24), np.nan)
    for d in range(days):
        day = (first + timedelta(days=d)).isoformat()
        for h in range(24):
            v = values.get((meter, f"{day}T{h:02d}"))
            if v is not None:
                out[d, h] = v["import_wh"] / 1000
    return out


def _tamper_events(db: Database, meters: set[str], first: date, last: date, consumption: ConsumptionService
                   ) -> dict[str, list[tuple[datetime, str]]]:
    """Tamper events by meter within [first, last] (one read of the collection's tamper events)."""
    start = datetime.combine(first, time(), consumption.tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), consumption.tz).astimezone(UTC)
    out: dict[str, list[tuple[datetime, str]]] = {}
    for e in db["events"].find({"tamper": True, "at": {"$gte": start, "$lt": end}}, {"meter": 1, "at": 1,
                                                                                    "type": 1}):
        if e.get("meter") in meters:
            out.setdefault(e["meter"], []).append((e["at"].astimezone(consumption.tz), e["type"]))
    for events in out.values():
        events.sort()
    return out

"""Interval data import: history migrations and manual reads, through the same buckets and rollups as
live pushes.

The file is read and checked whole before anything is written (all or nothing). A reading already
stored with the same values is skipped, so importing a file twice changes nothing; one stored with
different values is refused. Energy goes into the rollups as register differences: the readings of
each meter around the new ones are loaded, the energy of that stretch is computed before and after
inserting the new points, and the rollups receive the difference. So a point that lands between two
stored ones splits their energy instead of counting it twice, and totals always equal the register
differences.
"""
from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo import UpdateOne
from pymongo.database import Database

from chalicelib.adapters import bulk
from chalicelib.adapters.bulk import Change
from chalicelib.adapters.repositories import now
from chalicelib.domain.csv_import import decode, normalise_header
from chalicelib.domain.energy import energy_between
from chalicelib.errors import PayloadTooLarge, ValidationFailed
from chalicelib.services.context import Auditor, Principal
from chalicelib.services.ingest import (
    EXPORT,
    IMPORT,
    REGISTERS,
    bucket_id,
    day_marker,
    flag_op,
    obis_key,
    rollup_changes,
    seen_changes,
)

REQUIRED = {"meternumber": "Meter Number", "timestamp": "Timestamp", "importkwh": "Import kWh"}
OPTIONAL = {"exportkwh": "Export kWh"}
OBIS = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")
MAX_ERRORS = 200
LOOK_AROUND_DAYS = 45
IMPORT_KEY, EXPORT_KEY = obis_key(IMPORT), obis_key(EXPORT)


@dataclass
class Point:
    at: datetime
    imp: float | None
    exp: float | None
    extra: dict[str, float] = field(default_factory=dict)
    row: int = 0


@dataclass
class Plan:
    """What a checked file would change."""
    rows: int = 0
    meters: int = 0
    new_points: int = 0
    unchanged_points: int = 0
    first: datetime | None = None
    last: datetime | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    by_meter: dict[str, list[Point]] = field(default_factory=dict)
    flags: int = 0

    def error(self, row: int, column: str | None, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"row": row, "field": column, "message": message})
        else:
            self.errors_left_off += 1

    errors_left_off: int = 0


class ReadingImportService:
    def __init__(self, db: Database, timezone: str, audit: Auditor, max_bytes: int) -> None:
        self.db = db
        self.tz = ZoneInfo(timezone)
        self.audit = audit
        self.max_bytes = max_bytes

    # --- entry ---------------------------------------------------------------------------------
    def run(self, who: Principal, data: bytes, dry_run: bool) -> dict[str, Any]:
        if len(data) > self.max_bytes:
            raise PayloadTooLarge(f"the file is {len(data) / 1_048_576:.1f} MiB; interval imports are limited to "
                                  f"{self.max_bytes / 1_048_576:.0f} MiB — split it into smaller files")
        plan = self.parse(data)
        meters = self.check_meters(plan) if not plan.errors else {}
        existing: dict[str, dict[datetime, dict[str, float]]] = {}
        if not plan.errors:
            existing = self.compare_with_stored(plan)
        report = self.report(plan, dry_run)
        if plan.errors:
            if dry_run:
                return report
            raise ValidationFailed(self._summary(plan), plan.errors)
        if dry_run:
            return report
        self.write(plan, meters, existing)
        self.audit.record(who, "import", "readings", None, after={
            "rows": plan.rows, "meters": plan.meters, "new_points": plan.new_points,
            "unchanged_points": plan.unchanged_points})
        return {**report, "written": plan.new_points, "flags": plan.flags}

    def _summary(self, plan: Plan) -> str:
        bad = len({e["row"] for e in plan.errors}) + plan.errors_left_off
        first = plan.errors[0]
        where = f"row {first['row']}" + (f", {first['field']}" if first["field"] else "")
        return f"{bad} problem(s); nothing was imported. First: {where}: {first['message']}"

    def report(self, plan: Plan, dry_run: bool) -> dict[str, Any]:
        return {"dry_run": dry_run, "rows": plan.rows, "meters": plan.meters, "new_points": plan.new_points,
                "unchanged_points": plan.unchanged_points, "from": plan.first, "to": plan.last,
                "errors": plan.errors, "errors_left_off": plan.errors_left_off, "written": 0, "flags": 0}

    # --- parsing -------------------------------------------------------------------------------
    def parse(self, data: bytes) -> Plan:
        plan = Plan()
        reader = csv.reader(io.StringIO(decode(data), newline=""))
        try:
            header = next(reader)
        except StopIteration:
            raise ValidationFailed("the file is empty; expected a header row") from None
        positions = {normalise_header(h): i for i, h in enumerate(header) if h.strip()}
        missing = [label for key, label in REQUIRED.items() if key not in positions]
        if missing:
            raise ValidationFailed("required columns are missing: " + ", ".join(missing),
                                   [{"row": 1, "field": m, "message": "required column is missing"} for m in missing])
        known = set(REQUIRED) | set(OPTIONAL)
        extra: list[tuple[int, str]] = []
        for i, h in enumerate(header):
            name = h.strip()
            if not name or normalise_header(name) in known:
                continue
            if not OBIS.match(name):
                raise ValidationFailed(f"column '{name}' is neither a known column nor an OBIS code (a.b.c.d.e.f)",
                                       [{"row": 1, "field": name, "message": "unknown column"}])
            extra.append((i, name))
        im, ts, mn = positions["importkwh"], positions["timestamp"], positions["meternumber"]
        ex = positions.get("exportkwh")
        seen: dict[tuple[str, datetime], Point] = {}
        horizon = datetime.now(UTC) + timedelta(days=1)
        row_no = 1
        try:
            for record in reader:
                row_no += 1
                if not any(c.strip() for c in record):
                    continue
                plan.rows += 1
                parsed = self._row(record, row_no, plan, horizon, (mn, ts, im, ex), extra)
                if parsed is None:
                    continue
                meter, point = parsed
                twin = seen.get((meter, point.at))
                if twin is not None:
                    if (twin.imp, twin.exp, twin.extra) != (point.imp, point.exp, point.extra):
                        plan.error(row_no, "Timestamp", f"meter '{meter}' has another reading at this time with "
                                                        f"different values (row {twin.row})")
                    continue
                seen[(meter, point.at)] = point
                plan.by_meter.setdefault(meter, []).append(point)
        except csv.Error as exc:
            raise ValidationFailed(f"row {row_no} is not valid CSV: {exc}",
                                   [{"row": row_no, "field": None, "message": str(exc)}]) from None
        if not plan.rows:
            raise ValidationFailed("the file has a header but no data rows")
        for points in plan.by_meter.values():
            points.sort(key=lambda p: p.at)
        plan.meters = len(plan.by_meter)
        every = [p.at for ps in plan.by_meter.values() for p in (ps[0], ps[-1])]
        plan.first, plan.last = (min(every), max(every)) if every else (None, None)
        return plan

    def _row(self, record: list[str], row_no: int, plan: Plan, horizon: datetime,
             columns: tuple[int, int, int, int | None], extra: list[tuple[int, str]]) -> tuple[str, Point] | None:
        """One data row as (meter, point), or None after noting its problems."""
        def cell(pos: int | None) -> str:
            return record[pos].strip() if pos is not None and pos < len(record) else ""

        mn, ts, im, ex = columns
        meter = cell(mn).lstrip("'")
        if not meter:
            plan.error(row_no, "Meter Number", "is required")
        errors = len(plan.errors) + plan.errors_left_off
        at = self._timestamp(cell(ts), row_no, plan, horizon)
        imp = self._number(cell(im), row_no, "Import kWh", plan, required=True)
        exp = self._number(cell(ex), row_no, "Export kWh", plan) if ex is not None else None
        values = {name: self._number(cell(pos), row_no, name, plan) for pos, name in extra}
        if not meter or at is None or imp is None or len(plan.errors) + plan.errors_left_off > errors:
            return None
        return meter, Point(at, imp * 1000, None if exp is None else exp * 1000,
                            {k: v for k, v in values.items() if v is not None}, row_no)

    def _timestamp(self, raw: str, row: int, plan: Plan, horizon: datetime) -> datetime | None:
        if not raw:
            plan.error(row, "Timestamp", "is required")
            return None
        try:
            at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            plan.error(row, "Timestamp", f"'{raw}' is not an ISO 8601 time (e.g. 2026-09-01T00:00:00+01:00)")
            return None
        if at.tzinfo is None:
            plan.error(row, "Timestamp", f"'{raw}' has no UTC offset (e.g. +01:00)")
            return None
        at = at.astimezone(UTC).replace(microsecond=0)
        if at > horizon:
            plan.error(row, "Timestamp", f"'{raw}' is in the future")
            return None
        return at

    def _number(self, raw: str, row: int, column: str, plan: Plan, required: bool = False) -> float | None:
        if raw == "":
            if required:
                plan.error(row, column, "is required")
            return None
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            plan.error(row, column, f"'{raw}' is not a number")
            return None
        if not math.isfinite(value) or value < 0:
            plan.error(row, column, f"'{raw}' must be a number of 0 or more")
            return None
        return value

    # --- checks against the database -------------------------------------------------------------
    def check_meters(self, plan: Plan) -> dict[str, dict[str, Any]]:
        numbers = sorted(plan.by_meter)
        found: dict[str, dict[str, Any]] = {}
        for n in range(0, len(numbers), 4000):
            fields = {"area_id": 1, "last_reading_at": 1, "first_reading_at": 1, "check_meter_of": 1}
            for doc in self.db["meters"].find({"_id": {"$in": numbers[n:n + 4000]}}, fields):
                found[doc["_id"]] = doc
        for meter in numbers:
            if meter not in found:
                plan.error(plan.by_meter[meter][0].row, "Meter Number", f"unknown meter '{meter}'")
        return found

    def _slot(self, at: datetime) -> tuple[str, str]:
        local = at.astimezone(self.tz)
        return local.strftime("%Y-%m-%d"), "t" + local.strftime("%H%M%S")

    def _stored(self, meter: str, first: datetime, last: datetime) -> dict[datetime, dict[str, float]]:
        """The meter's stored points from LOOK_AROUND_DAYS before `first` to as many after `last`."""
        start = first.astimezone(self.tz).date() - timedelta(days=LOOK_AROUND_DAYS)
        end = last.astimezone(self.tz).date() + timedelta(days=LOOK_AROUND_DAYS)
        return self._points({"meter": meter, "day": {"$gte": start.isoformat(), "$lte": end.isoformat()}})

    def _points(self, query: dict[str, Any]) -> dict[datetime, dict[str, float]]:
        """The points of the buckets matching `query` (hour buckets, and day buckets of older versions), by time."""
        out: dict[datetime, dict[str, float]] = {}
        for bucket in self.db["readings"].find(query):
            for slot, values in (bucket.get("points") or {}).items():
                out[self._time(bucket["day"], slot)] = values
        return out

    def _time(self, day: str, slot: str) -> datetime:
        local = datetime.strptime(f"{day} {slot[1:]}", "%Y-%m-%d %H%M%S").replace(tzinfo=self.tz)
        return local.astimezone(UTC)

    def compare_with_stored(self, plan: Plan) -> dict[str, dict[datetime, dict[str, float]]]:
        """Drop points already stored with the same values; refuse ones stored with other values."""
        stored_by_meter = {}
        for meter, points in plan.by_meter.items():
            stored = self._stored(meter, points[0].at, points[-1].at)
            stored_by_meter[meter] = stored
            fresh = []
            for p in points:
                old = stored.get(p.at)
                if old is None:
                    fresh.append(p)
                    continue
                if _close(old.get(IMPORT_KEY), p.imp) and (p.exp is None or _close(old.get(EXPORT_KEY), p.exp)):
                    plan.unchanged_points += 1
                else:
                    plan.error(p.row, "Import kWh", f"meter '{meter}' already has a reading at this time with "
                                                    f"Import kWh {_fmt(old.get(IMPORT_KEY))}; remove or correct "
                                                    "the row")
            plan.by_meter[meter] = fresh
            plan.new_points += len(fresh)
        return stored_by_meter

    # --- writing -------------------------------------------------------------------------------
    def write(self, plan: Plan, meters: dict[str, dict[str, Any]],
              stored: dict[str, dict[datetime, dict[str, float]]]) -> None:
        buckets: list[Change] = []
        rollup_deltas: list[tuple[dict[str, Any], list[tuple[datetime, dict[str, float], int]]]] = []
        seen_days: list[tuple[dict[str, Any], str]] = []  # (meter, day) of the days a meter has data on now
        events: list[dict[str, Any]] = []
        flag_ops: list[UpdateOne] = []
        for meter_id, points in plan.by_meter.items():
            if not points:
                continue
            meter = meters[meter_id]
            old = stored[meter_id]
            before = self._prior(meter, old, points[0].at)
            merged = dict(old)
            by_day: dict[str, dict[str, Any]] = defaultdict(dict)
            for p in points:
                values: dict[str, float] = {**{obis_key(k): v for k, v in p.extra.items()}}
                if p.imp is not None:
                    values[IMPORT_KEY] = p.imp
                if p.exp is not None:
                    values[EXPORT_KEY] = p.exp
                merged[p.at] = values
                day, slot = self._slot(p.at)
                by_day[day][slot] = values
            existing_days = {self._slot(t)[0] for t in old}
            for day, slots in by_day.items():
                by_hour: dict[str, dict[str, Any]] = defaultdict(dict)
                for slot, v in slots.items():
                    by_hour[bucket_id(meter_id, day, slot)][slot] = v
                for bid, hour in by_hour.items():
                    buckets.append(Change(bid, set={
                        **{f"points.{s}": v for s, v in hour.items()}, "meter": meter_id,
                        "area_id": meter.get("area_id"), "day": day},
                        max={"last_at": max(self._time(day, s) for s in hour)}))
                buckets.append(day_marker(meter, day))
                if day not in existing_days:
                    seen_days.append((meter, day))
            gained, flags = _energy(merged, before)
            lost, _ = _energy(old, before)
            new_times = {p.at for p in points}
            for at, kind, detail in flags:
                if at in new_times:
                    flag_ops.append(flag_op(meter, at, kind, {**detail, "source": "import"}, self.tz))
                    events.append({"_id": f"{meter_id}|import|{kind}|{at.isoformat()}", "meter": meter_id,
                                   "area_id": meter.get("area_id"), "at": at, "type": kind, "severity": "warning",
                                   "tamper": False, "details": {**detail, "source": "import"}, "recorded_at": now()})
            rollup_deltas.append((meter, _difference(gained, lost)))
            self._latest(meter, points[-1], merged)
        plan.flags = len(events)
        bulk.write(self.db["readings"], buckets)
        rollups: list[Change] = []
        for meter, deltas in rollup_deltas:
            rollups.extend(rollup_changes(meter, deltas, self.tz, five_minute=False))
        rollups.extend(seen_changes(seen_days))
        bulk.write(self.db["rollups"], bulk.merge(rollups))
        if flag_ops:
            self.db["rollups"].bulk_write(flag_ops, ordered=False)
        for event in events:
            self.db["events"].update_one({"_id": event["_id"]}, {"$setOnInsert": event}, upsert=True)

    def _prior(self, meter: dict[str, Any], stored: dict[datetime, dict[str, float]], first: datetime
               ) -> tuple[datetime, dict[str, float]] | None:
        """The stored reading just before the loaded stretch, when the stretch itself has none before `first`."""
        if any(t < first for t in stored):
            return None  # the stretch holds it
        earliest = meter.get("first_reading_at")
        if earliest is not None and earliest >= first:
            return None  # nothing stored before the new points
        start = first.astimezone(self.tz).date() - timedelta(days=LOOK_AROUND_DAYS)
        if earliest is None and meter.get("last_reading_at") is None:
            return None
        latest = next(iter(self.db["readings"].find({"meter": meter["_id"], "day": {"$lt": start.isoformat()}},
                                                    {"day": 1}).sort("day", -1).limit(1)), None)
        if not latest:
            return None
        points = self._points({"meter": meter["_id"], "day": latest["day"]})  # that day's buckets
        return max(points.items()) if points else None

    def _latest(self, meter: dict[str, Any], last: Point, merged: dict[datetime, dict[str, float]]) -> None:
        """Live pushes diff against the meter's latest registers: move them on when the file reaches further."""
        self.db["meters"].update_one(
            {"_id": meter["_id"], "$or": [{"last_reading_at": None}, {"last_reading_at": {"$lt": last.at}}]},
            {"$set": {"last_reading_at": last.at, "registers": {"import": last.imp, "export": last.exp}}})
        self.db["meters"].update_one({"_id": meter["_id"]}, {"$min": {"first_reading_at": min(merged)}})


def _energy(points: dict[datetime, dict[str, float]], before: tuple[datetime, dict[str, float]] | None
            ) -> tuple[dict[datetime, dict[str, float]], list[tuple[datetime, str, dict[str, Any]]]]:
    """Energy per point (from its predecessor) over a stretch of readings, and the flagged pairs."""
    ordered = sorted(points.items())
    if before is not None:
        ordered.insert(0, before)
    out: dict[datetime, dict[str, float]] = {}
    flags: list[tuple[datetime, str, dict[str, Any]]] = []
    for (t0, v0), (t1, v1) in itertools.pairwise(ordered):
        out[t1], pair_flags = energy_between({n: v0.get(obis_key(o)) for n, o in REGISTERS.items()}, t0,
                                             {n: v1.get(obis_key(o)) for n, o in REGISTERS.items()}, t1, REGISTERS)
        flags.extend((t1, kind, details) for kind, details in pair_flags)
    return out, flags


def _difference(new: dict[datetime, dict[str, float]], old: dict[datetime, dict[str, float]]
                ) -> list[tuple[datetime, dict[str, float], int]]:
    """What the rollups must gain (or lose) to go from the old stretch's energy to the new one's."""
    out = []
    for at in sorted(set(new) | set(old)):
        a, b = old.get(at), new.get(at)
        names = set(a or {}) | set(b or {})
        delta = {n: (b or {}).get(n, 0.0) - (a or {}).get(n, 0.0) for n in names}
        count = (b is not None) - (a is not None)
        if count or any(abs(v) > 1e-9 for v in delta.values()):
            out.append((at, delta, count))
    return out


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) < 1e-6


def _fmt(wh: float | None) -> str:
    return "none" if wh is None else f"{wh / 1000:g}"

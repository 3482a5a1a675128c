"""The demo data `make run` starts with on an empty database: the sample areas, meters, SIMs, customers.

The files are the utility-shaped samples kept in tests/fixtures; the first DEMO_METERS of them get a
simulated meter each, so the dashboard is alive from the first minute.
"""
from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalicelib.bootstrap import Services
from chalicelib.domain.models import AreaCreate
from chalicelib.services.context import SYSTEM
from simulator.consumption import SHAPES
from simulator.fleet import parse_fractions, plan_fleet
from simulator.history import hourly_registers
from simulator.scenarios import SCENARIOS

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
DEMO_METERS = 50
# roughly what a utility's fleet shows: a few tampered, bypassed, exporting, failing and silent meters
DEMO_SCENARIOS = "tamper=0.06,bypass=0.04,reverse_flow=0.02,outage=0.04,never_online=0.04"
DEMO_SHAPES = "commercial=0.15,industrial=0.05"
DEMO_SEED = 1
DEMO_HISTORY_DAYS = 35  # imported as interval data at first start; the fleet starts with the same span


def seed(svc: Services) -> bool:
    """Load the samples when the archive is empty; answers whether it did."""
    if svc.meters.meters.col.count_documents({}) > 0:
        return False
    with (SAMPLES / "meters.csv").open(encoding="utf-8-sig", newline="") as handle:
        areas = sorted({row["Area"] for row in csv.DictReader(handle) if row.get("Area")})
    for name in areas:
        if svc.areas.areas.by_name(name) is None:
            svc.areas.create(SYSTEM, AreaCreate(name=name))
    for kind in ("meters", "sims", "customers"):
        svc.imports.run(SYSTEM, kind, (SAMPLES / f"{kind}.csv").read_bytes(), dry_run=False)
    return True


def demo_numbers(svc: Services) -> list[str]:
    return [d["_id"] for d in svc.meters.meters.col.find({}, {"_id": 1}).sort("_id", 1).limit(DEMO_METERS)]


def import_history(svc: Services, now: datetime | None = None) -> dict[str, Any]:
    """The demo meters' hourly registers of the last DEMO_HISTORY_DAYS days, from the simulator's own model,
    through the interval data import (the path a utility's migration takes)."""
    now = now or datetime.now(UTC)
    configs = plan_fleet(demo_numbers(svc), parse_fractions(DEMO_SCENARIOS, SCENARIOS),
                         parse_fractions(DEMO_SHAPES, SHAPES), DEMO_SEED)
    lines = ["Meter Number,Timestamp,Import kWh,Export kWh"]
    for config in configs:
        for at, imp, exp in hourly_registers(config, now, DEMO_HISTORY_DAYS):
            lines.append(f"{config.meter_number},{at.isoformat()},{imp / 1000:.3f},{exp / 1000:.3f}")
    return svc.reading_import.run(SYSTEM, ("\n".join(lines) + "\n").encode(), dry_run=False)


def fleet_file(svc: Services, path: Path) -> Path:
    """A simulator meters file with the first DEMO_METERS archived meters."""
    numbers = demo_numbers(svc)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(numbers) + "\n", encoding="utf-8")
    return path

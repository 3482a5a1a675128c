"""The demo data `make run` starts with on an empty database: the sample areas, meters, SIMs, customers.

The files are the utility-shaped samples kept in tests/fixtures; the first DEMO_METERS of them get a
simulated meter each, so the dashboard is alive from the first minute.
"""
from __future__ import annotations

import csv
from pathlib import Path

from chalicelib.bootstrap import Services
from chalicelib.domain.models import AreaCreate
from chalicelib.services.context import SYSTEM

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
DEMO_METERS = 50
# roughly what a utility's fleet shows: a few tampered, bypassed, exporting, failing and silent meters
DEMO_SCENARIOS = "tamper=0.06,bypass=0.04,reverse_flow=0.02,outage=0.04,never_online=0.04"


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


def fleet_file(svc: Services, path: Path) -> Path:
    """A simulator meters file with the first DEMO_METERS archived meters."""
    numbers = [d["_id"] for d in svc.meters.meters.col.find({}).sort("_id", 1).limit(DEMO_METERS)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(numbers) + "\n", encoding="utf-8")
    return path

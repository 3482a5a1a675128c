"""The demo data `make run` starts with on an empty database: the sample areas, meters, SIMs, customers.

The files are the utility-shaped samples kept in tests/fixtures; the first DEMO_METERS of them get a
simulated meter each, so the dashboard is alive from the first minute. Each area gets a check meter
(a simulated one too) measuring what its demo meters in service really draw plus the transformer's and
the lines' losses, so the technical loss page has real balances. DEMO_SECURED ordinary meters talk
HLS-GMAC (security suite 0), with their keys sealed in the archive, so secured sessions are seen too.
"""
from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalicelib.bootstrap import Services
from chalicelib.domain.models import (
    AreaCreate,
    AreaSupply,
    AreaUpdate,
    MeterCreate,
    MeterSecurityInput,
    MeterUpdate,
)
from chalicelib.domain.revenue import TheftSettings
from chalicelib.services.context import SYSTEM
from chalicelib.services.energy_balance import IN_SERVICE
from simulator.consumption import SHAPES, Consumer
from simulator.feeder import transformer_for
from simulator.fleet import parse_fractions, plan_fleet
from simulator.history import hourly_registers
from simulator.meter import MeterConfig, system_title
from simulator.scenarios import NORMAL, SCENARIOS, SECURED

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
DEMO_METERS = 50
# roughly what a utility's fleet shows: a few tampered, bypassed, exporting, failing and silent meters
DEMO_SCENARIOS = "tamper=0.06,bypass=0.04,reverse_flow=0.02,outage=0.04,never_online=0.04"
DEMO_SHAPES = "commercial=0.15,industrial=0.05"
DEMO_SEED = 1
DEMO_SECURED = 2  # the last ordinary demo meters use HLS-GMAC
DEMO_HISTORY_DAYS = 35  # imported as interval data at first start; the fleet starts with the same span
CHECK_METER_PREFIX = "0990000"  # + area number: 09900000001, 09900000002, ...
CHECK_METER_TYPE = "Check Meter"
LINE_LOSS_PCT = 3.0
NTL_ALERT_PCT = 1.5  # the demo's small feeders lose nothing else, so a bypassed household shows above this
CHECK_COLUMNS = ("feeds", "rating_kva", "no_load_loss_kw", "load_loss_kw", "line_loss_pct")


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
    add_check_meters(svc)
    # a demo fleet of 50 is too small for the model to be sure of anyone: medium risk raises an Investigation alert
    svc.theft.put_settings(SYSTEM, TheftSettings(alert_min_risk="medium"))
    return True


def demo_numbers(svc: Services) -> list[str]:
    """The customer meters that get a simulated meter (check meters come on top)."""
    return [d["_id"] for d in svc.meters.meters.col.find({"meter_type": {"$ne": CHECK_METER_TYPE}}, {"_id": 1})
            .sort("_id", 1).limit(DEMO_METERS)]


def _demo_fleet(svc: Services) -> list[MeterConfig]:
    return plan_fleet(demo_numbers(svc), parse_fractions(DEMO_SCENARIOS, SCENARIOS),
                      parse_fractions(DEMO_SHAPES, SHAPES), DEMO_SEED)


def _secured(svc: Services) -> list[MeterConfig]:
    """The demo meters that talk HLS-GMAC: the last DEMO_SECURED of the ordinary ones (same consumption)."""
    return [c for c in _demo_fleet(svc) if c.scenario == NORMAL][-DEMO_SECURED:]


def secure(svc: Services) -> list[str]:
    """Seal the secured demo meters' HLS-GMAC keys (the simulated meters' own) and system titles into the
    archive, where they are not there yet; answers the meters changed."""
    changed = []
    for config in _secured(svc):
        number = config.meter_number
        meter = svc.meters.meters.get(number)
        if meter is None or (meter.get("security") or {}).get("authentication") == "hls-gmac":
            continue
        block_key, auth_key = config.keys
        svc.meters.update(SYSTEM, number, MeterUpdate(security=MeterSecurityInput(
            authentication="hls-gmac", system_title=system_title(number).hex(), block_cipher_key=block_key.hex(),
            authentication_key=auth_key.hex())))
        changed.append(number)
    return changed


def _members(svc: Services, area_id: str, demo: set[str]) -> list[str]:
    """The area's demo meters in service: what its check meter measures."""
    return sorted(d["_id"] for d in svc.meters.meters.col.find({"area_id": area_id}, {"status": 1})
                  if d["_id"] in demo and d.get("status") in IN_SERVICE)


def add_check_meters(svc: Services) -> None:
    """A check meter for every area with demo meters in service, and the area's transformer sized for them."""
    fleet = {c.meter_number: c for c in _demo_fleet(svc)}
    areas = [a for a in svc.areas.areas.all() if _members(svc, a["_id"], set(fleet))]
    for n, area in enumerate(areas, start=1):
        number = f"{CHECK_METER_PREFIX}{n:04d}"
        svc.meters.create(SYSTEM, MeterCreate.model_validate({
            "meter_number": number, "concentrator_id": "DCU-CHECK", "meter_type": CHECK_METER_TYPE,
            "area_id": area["_id"], "status": "installed"}))
        consumers = [Consumer(SHAPES[fleet[m].shape], fleet[m].seed) for m in _members(svc, area["_id"], set(fleet))]
        peak_kw = sum(c.shape.mean_w * c.scale * max(c.shape.hourly) for c in consumers) / 1000
        size = transformer_for(peak_kw, LINE_LOSS_PCT)
        svc.areas.update(SYSTEM, area["_id"], AreaUpdate(supply=AreaSupply(
            check_meter=number, transformer_kva=size.rating_kva, no_load_loss_kw=size.no_load_loss_kw,
            load_loss_kw=size.load_loss_kw, line_loss_pct=size.line_loss_pct, ntl_alert_pct=NTL_ALERT_PCT)))


def check_meters(svc: Services) -> dict[str, dict[str, str]]:
    """The simulator settings (meters-file columns) of the areas' check meters: whom they feed, the transformer."""
    demo = set(demo_numbers(svc))
    out = {}
    for area in svc.areas.areas.all():
        supply = area.get("supply") or {}
        if supply.get("check_meter"):
            out[supply["check_meter"]] = {
                "feeds": " ".join(_members(svc, area["_id"], demo)), "rating_kva": str(supply["transformer_kva"]),
                "no_load_loss_kw": str(supply["no_load_loss_kw"]), "load_loss_kw": str(supply["load_loss_kw"]),
                "line_loss_pct": str(supply["line_loss_pct"])}
    return out


def import_history(svc: Services, now: datetime | None = None) -> dict[str, Any]:
    """The demo meters' and check meters' hourly registers of the last DEMO_HISTORY_DAYS days, from the
    simulator's own model, through the interval data import (the path a utility's migration takes)."""
    now = now or datetime.now(UTC)
    checks = check_meters(svc)
    configs = plan_fleet(demo_numbers(svc) + sorted(checks), parse_fractions(DEMO_SCENARIOS, SCENARIOS),
                         parse_fractions(DEMO_SHAPES, SHAPES), DEMO_SEED, checks)
    lines = ["Meter Number,Timestamp,Import kWh,Export kWh"]
    for config in configs:
        for at, imp, exp in hourly_registers(config, now, DEMO_HISTORY_DAYS):
            lines.append(f"{config.meter_number},{at.isoformat()},{imp / 1000:.3f},{exp / 1000:.3f}")
    return svc.reading_import.run(SYSTEM, ("\n".join(lines) + "\n").encode(), dry_run=False)


def fleet_file(svc: Services, path: Path) -> Path:
    """A simulator meters file with the first DEMO_METERS archived meters and the areas' check meters."""
    checks, secured = check_meters(svc), {c.meter_number for c in _secured(svc)}
    rows = [[n, SECURED if n in secured else ""] + [""] * len(CHECK_COLUMNS) for n in demo_numbers(svc)]
    rows += [[n, ""] + [checks[n][c] for c in CHECK_COLUMNS] for n in sorted(checks)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["meter_number", "scenario", *CHECK_COLUMNS], *rows])
    return path

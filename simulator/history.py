"""Hourly register history of a simulated meter, from the same model its live DLMS server runs.

`make run` imports it through the HES's interval data import, so the consumption pages have
weeks of data from the first minute; the fleet then starts with the same history span, so its
live registers continue from where the imported ones stop.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from simulator.meter import MeterConfig
from simulator.model import MeterModel
from simulator.scenarios import Scenario


def hourly_registers(config: MeterConfig, now: datetime, days: float, stop_before: timedelta = timedelta(hours=1)
                     ) -> list[tuple[datetime, int, int]]:
    """(time, import Wh, export Wh) on every hour from `now - days` until `stop_before` ahead of now, as the
    meter's registers stood; hours the meter was without supply are missing (it records nothing then). A meter
    that never dials has no history."""
    scenario = Scenario(config.scenario, config.seed, now)
    if not scenario.dials:
        return []
    start = now - timedelta(days=days)
    model = MeterModel(config.meter_number, config.consumer(now), scenario, start, timedelta(0))
    out: list[tuple[datetime, int, int]] = []
    t = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while t <= now - stop_before:
        model.advance(t)
        if not scenario.in_outage(t):
            out.append((t, int(model.import_wh), int(model.export_wh)))
        t += timedelta(hours=1)
    return out

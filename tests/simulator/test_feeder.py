"""Check meters: the energy into an area is what its customers really draw plus the supply's losses."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.energy_balance import Supply, technical_loss_kwh
from simulator.feeder import Transformer, input_w, transformer_for
from simulator.fleet import plan_fleet
from simulator.history import hourly_registers
from simulator.meter import MeterConfig, SimulatedMeter
from simulator.scenarios import BYPASS_IMPORT
from tests.simulator.link import FakeClock

NOW = datetime(2024, 5, 9, 12, tzinfo=UTC)
MEMBERS = [f"0431200000{i}" for i in range(6)]
TRANSFORMER = {"rating_kva": "50", "no_load_loss_kw": "0.09", "load_loss_kw": "1.1", "line_loss_pct": "3"}


def fleet(scenarios: dict[str, str] | None = None) -> dict[str, MeterConfig]:
    overrides: dict[str, dict[str, str]] = {n: {"scenario": s} for n, s in (scenarios or {}).items()}
    overrides["09900000001"] = {"feeds": " ".join(MEMBERS), **TRANSFORMER}
    configs = plan_fleet([*MEMBERS, "09900000001"], {}, {}, seed=1, overrides=overrides)
    return {c.meter_number: c for c in configs}


def daily_kwh(config: MeterConfig, day: int) -> tuple[float, list[float]]:
    """A whole UTC day of the meter's history: its kWh and its hours' kWh."""
    points = {at: imp for at, imp, _ in hourly_registers(config, NOW, 4)}
    start = (NOW - timedelta(days=day)).replace(hour=0)
    hours = [(points[start + timedelta(hours=h + 1)] - points[start + timedelta(hours=h)]) / 1000 for h in range(24)]
    return sum(hours), hours


def test_the_input_carries_the_losses_that_grow_with_it() -> None:
    assert input_w(1000.0, Transformer()) == pytest.approx(1000.0)
    assert input_w(1000.0, Transformer(no_load_loss_kw=0.2)) == pytest.approx(1200.0)
    assert input_w(970.0, Transformer(line_loss_pct=3)) == pytest.approx(1000.0)  # 3 % of the input is lost
    loaded = input_w(45_000.0, Transformer(rating_kva=50, load_loss_kw=1.1))
    assert loaded - 45_000.0 == pytest.approx(1100.0 * (loaded / 45_000.0) ** 2, rel=1e-3)  # full load: rated loss
    assert transformer_for(30.0).rating_kva == 50 and transformer_for(100.0).rating_kva == 160


def test_a_check_meter_sees_its_meters_plus_what_the_hes_estimates_as_technical_loss() -> None:
    configs = fleet()
    check, hours = daily_kwh(configs["09900000001"], 2)
    billed = sum(daily_kwh(configs[n], 2)[0] for n in MEMBERS)
    supply = Supply(transformer_kva=50, no_load_loss_kw=0.09, load_loss_kw=1.1, line_loss_pct=3)
    technical = technical_loss_kwh(supply, check, hours, 24)
    assert check - billed == pytest.approx(technical, rel=0.1)  # no theft: the loss is technical
    assert abs(check - billed - technical) < 0.005 * check  # within the check meter's accuracy


def test_energy_a_bypassed_meter_does_not_record_still_flows_through_the_check_meter() -> None:
    honest, thief = fleet(), fleet({MEMBERS[0]: "bypass"})
    (check_before, _), (check_after, _) = daily_kwh(honest["09900000001"], 1), daily_kwh(thief["09900000001"], 1)
    assert check_after == pytest.approx(check_before, rel=1e-9)  # the supply does not care who pays
    true_use = daily_kwh(honest[MEMBERS[0]], 1)[0]
    recorded = daily_kwh(thief[MEMBERS[0]], 1)[0]
    assert recorded == pytest.approx(BYPASS_IMPORT * true_use, rel=0.01)  # the bypass began days before NOW


def test_check_meters_take_no_share_and_must_feed_meters_of_the_fleet() -> None:
    plain = plan_fleet(MEMBERS, {"tamper": 0.5}, {"commercial": 0.5}, seed=3)
    with_check = plan_fleet([*MEMBERS, "09900000001"], {"tamper": 0.5}, {"commercial": 0.5}, seed=3,
                            overrides={"09900000001": {"feeds": " ".join(MEMBERS), **TRANSFORMER}})
    assert [(c.scenario, c.shape) for c in plain] == [(c.scenario, c.shape) for c in with_check[:-1]]
    assert [m.meter_number for m in with_check[-1].feeds] == MEMBERS
    with pytest.raises(ValueError, match="not customer meters"):
        plan_fleet(MEMBERS, {}, {}, seed=3, overrides={MEMBERS[0]: {"feeds": "12345"}})
    with pytest.raises(ValueError, match="rating_kva"):
        plan_fleet(MEMBERS, {}, {}, seed=3, overrides={MEMBERS[0]: {"feeds": MEMBERS[1]}})


def test_a_live_check_meter_pushes_registers_that_follow_its_areas_supply() -> None:
    configs = fleet()
    clock = FakeClock(NOW)
    check = SimulatedMeter(configs["09900000001"], epoch=NOW, now=clock)
    members = [SimulatedMeter(configs[n], epoch=NOW, now=clock) for n in MEMBERS]
    assert b"09900000001" in check.push_frame()  # it pushes like any meter, its number first
    before = check.model.import_wh, sum(m.model.import_wh for m in members)
    clock.advance(hours=6)
    check.refresh()
    for meter in members:
        meter.refresh()
    supplied = check.model.import_wh - before[0]
    used = sum(m.model.import_wh for m in members) - before[1]
    assert used < supplied < used * 1.15  # the customers' energy plus a few % of losses
    assert check.model.measurements(clock.now).power_w > sum(m.model.measurements(clock.now).power_w for m in members)

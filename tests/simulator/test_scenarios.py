"""Scenarios as the meter's measurements show them (the model, without DLMS)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from simulator import scenarios as sc
from simulator.consumption import SHAPES, SLOT, Consumer
from simulator.model import MeterModel
from simulator.scenarios import Scenario

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)


def model(name: str, seed: int = 3, now: datetime = NOW, history: timedelta = timedelta(days=2)) -> MeterModel:
    return MeterModel("04312000001", Consumer(SHAPES["residential"], seed), Scenario(name, seed, NOW), now, history)


def increments(m: MeterModel, column: int = 1) -> list[tuple[datetime, int]]:
    rows = list(m.load_profile)
    return [(b[0], b[column] - a[column]) for a, b in pairwise(rows)]


def test_load_profile_has_a_row_every_fifteen_minutes_with_rising_energy() -> None:
    m = model(sc.NORMAL)
    stamps = [row[0] for row in m.load_profile]
    assert len(stamps) == 2 * 96 and stamps[-1] == NOW
    assert all(b - a == SLOT for a, b in pairwise(stamps))
    assert all(delta >= 0 for _, delta in increments(m)) and sum(d for _, d in increments(m)) > 0
    assert all(row[2] == 0 for row in m.load_profile)  # no export without a reverse flow


def test_the_same_seed_gives_the_same_meter() -> None:
    assert list(model(sc.NORMAL).load_profile) == list(model(sc.NORMAL).load_profile)
    assert list(model(sc.NORMAL).load_profile) != list(model(sc.NORMAL, seed=4).load_profile)


def test_advancing_in_small_steps_equals_one_big_step() -> None:
    stepped, jumped = model(sc.NORMAL), model(sc.NORMAL)
    for minute in range(1, 181):
        stepped.advance(NOW + timedelta(minutes=minute))
    jumped.advance(NOW + timedelta(hours=3))
    assert stepped.import_wh == pytest.approx(jumped.import_wh)
    assert list(stepped.load_profile) == list(jumped.load_profile)


def test_bypass_makes_registered_consumption_drop_after_its_onset() -> None:
    onset = model(sc.BYPASS).scenario.onset
    assert NOW - timedelta(days=9) <= onset <= NOW - timedelta(days=6)
    before = [d for _, d in increments(model(sc.BYPASS, now=onset))]  # the two days up to the onset
    after = [d for t, d in increments(model(sc.BYPASS)) if t - SLOT >= onset]  # the last days, all bypassed
    assert before and after
    assert sum(after) / len(after) < 0.3 * sum(before) / len(before)


def test_reverse_flow_moves_consumption_to_export_and_logs_reverse_current() -> None:
    m = model(sc.REVERSE_FLOW)
    onset = m.scenario.onset
    assert all(d == 0 for t, d in increments(m, 2) if t <= onset)
    assert sum(d for t, d in increments(m, 2) if t - SLOT >= onset) > 1000
    assert list(m.fraud_events) == [(onset, sc.REVERSE_CURRENT)]


def test_outage_leaves_gaps_logs_power_down_and_up_and_reads_zero() -> None:
    m = model(sc.OUTAGE)
    stamps = [row[0] for row in m.load_profile]
    gaps = [b - a for a, b in pairwise(stamps) if b - a > SLOT]
    assert len(gaps) >= 10  # two days of 20-minute outages every 4 hours
    codes = [code for _, code in m.standard_events]
    assert codes[:2] in ([sc.POWER_DOWN, sc.POWER_UP], [sc.POWER_UP, sc.POWER_DOWN])
    assert codes.count(sc.POWER_DOWN) >= 10 and abs(codes.count(sc.POWER_DOWN) - codes.count(sc.POWER_UP)) <= 1
    down = next(t for t, code in m.standard_events if code == sc.POWER_DOWN)
    assert m.scenario.in_outage(down) and m.measurements(down).power_w == 0
    assert not m.scenario.in_outage(down - timedelta(seconds=1))


def test_tamper_writes_fraud_events_every_few_hours() -> None:
    m = model(sc.TAMPER)
    codes = {code for _, code in m.fraud_events}
    assert 12 <= len(m.fraud_events) <= 20  # about one per 3 hours over two days
    assert codes <= set(sc.FRAUD_CODES) and len(codes) >= 3
    assert model(sc.NORMAL).fraud_events == type(m.fraud_events)()


def test_relay_open_stops_energy_and_power() -> None:
    m = model(sc.NORMAL)
    m.set_relay(False, NOW)
    energy = m.import_wh
    m.advance(NOW + timedelta(hours=2))
    assert m.import_wh == energy and m.measurements(NOW + timedelta(hours=2)).power_w == 0
    m.set_relay(True, NOW + timedelta(hours=2))
    m.advance(NOW + timedelta(hours=3))
    assert m.import_wh > energy
    assert [code for _, code in m.standard_events][-2:] == [sc.REMOTE_DISCONNECT, sc.REMOTE_RECONNECT]


def test_setting_the_clock_moves_profile_stamps_and_logs_both_times() -> None:
    m = model(sc.NORMAL)
    m.set_clock(NOW + timedelta(hours=1), NOW)
    m.advance(NOW + timedelta(minutes=30))
    assert [row[0] for row in m.load_profile][-2:] == [NOW + timedelta(hours=1, minutes=15),
                                                       NOW + timedelta(hours=1, minutes=30)]
    assert list(m.standard_events)[-2:] == [(NOW, sc.CLOCK_ADJUSTED_OLD),
                                           (NOW + timedelta(hours=1), sc.CLOCK_ADJUSTED_NEW)]


def test_maximum_demand_is_the_highest_quarter_hour_of_the_month() -> None:
    m = model(sc.NORMAL)
    quarter_hours = [(t, d * 4) for t, d in increments(m)]
    assert m.max_demand_w == pytest.approx(max(d for _, d in quarter_hours), abs=4)
    assert m.max_demand_at in {t for t, _ in quarter_hours}


def test_credit_runs_down_with_imported_energy() -> None:
    m = model(sc.NORMAL)
    credit, energy = m.credit_wh, m.import_wh
    m.advance(NOW + timedelta(hours=6))
    assert credit - m.credit_wh == pytest.approx(m.import_wh - energy)


def test_unknown_scenarios_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown scenario 'flood'"):
        Scenario("flood", 1, NOW)

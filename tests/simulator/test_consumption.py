from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simulator.consumption import SHAPES, SLOT, Consumer, unit_random

MONDAY = datetime(2024, 5, 6, tzinfo=UTC)
SATURDAY = MONDAY + timedelta(days=5)


def consumer(shape: str = "residential", seed: int = 5, **kwargs: timedelta) -> Consumer:
    return Consumer(SHAPES[shape], seed, **kwargs)


def daily_mean(c: Consumer, day: datetime) -> float:
    return sum(c.expected_w(day + SLOT * i) for i in range(96)) / 96


def test_demand_is_a_pure_function_of_seed_and_time() -> None:
    at = MONDAY + timedelta(hours=19, minutes=7)
    assert consumer().demand_w(at) == consumer().demand_w(at)
    assert consumer(seed=5).demand_w(at) != consumer(seed=6).demand_w(at)


def test_demand_is_constant_within_a_fifteen_minute_slot() -> None:
    c = consumer()
    start = MONDAY + timedelta(hours=10)
    assert c.demand_w(start) == c.demand_w(start + timedelta(minutes=14, seconds=59))
    assert c.demand_w(start) != c.demand_w(start + SLOT)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_weekday_shapes_average_the_customer_size(shape: str) -> None:
    c = consumer(shape)
    assert daily_mean(c, MONDAY) == pytest.approx(SHAPES[shape].mean_w * c.scale, rel=0.02)


def test_residential_peaks_in_the_evening_and_sleeps_at_night() -> None:
    c = consumer()
    evening, night = c.expected_w(MONDAY + timedelta(hours=19)), c.expected_w(MONDAY + timedelta(hours=3))
    assert evening > 4 * night
    assert daily_mean(c, SATURDAY) > daily_mean(c, MONDAY)


def test_commercial_works_weekday_office_hours() -> None:
    c = consumer("commercial")
    assert c.expected_w(MONDAY + timedelta(hours=11)) > 4 * c.expected_w(MONDAY + timedelta(hours=2))
    assert c.expected_w(SATURDAY + timedelta(hours=11)) < 0.5 * c.expected_w(MONDAY + timedelta(hours=11))


def test_industrial_runs_day_and_night_and_dwarfs_a_household() -> None:
    c = consumer("industrial")
    assert c.expected_w(MONDAY + timedelta(hours=2)) > 0.4 * c.expected_w(MONDAY + timedelta(hours=12))
    assert daily_mean(c, MONDAY) > 20 * daily_mean(consumer(), MONDAY)


def test_shape_follows_the_customers_local_time() -> None:
    utc, east = consumer(), consumer(utc_offset=timedelta(hours=3))
    assert east.expected_w(MONDAY + timedelta(hours=16)) == pytest.approx(utc.expected_w(MONDAY + timedelta(hours=19)))


def test_per_meter_scale_and_noise_stay_in_bounds() -> None:
    scales = [consumer(seed=seed).scale for seed in range(200)]
    assert 0.5 <= min(scales) < 0.6 and 1.4 < max(scales) <= 1.5
    c = consumer()
    ratios = [c.demand_w(MONDAY + SLOT * i) / c.expected_w(MONDAY + SLOT * i) for i in range(96 * 7)]
    assert min(ratios) >= 0.05 and max(ratios) <= 1.45
    assert sum(ratios) / len(ratios) == pytest.approx(1.0, abs=0.05)


def test_supply_quantities_look_like_a_230_volt_50_hertz_grid() -> None:
    c = consumer()
    for i in range(0, 96 * 60, 37):
        at = MONDAY + timedelta(minutes=i)
        assert 224 <= c.voltage_v(at) <= 234
        assert 49.95 <= c.frequency_hz(at) <= 50.05
        assert 0.9 <= c.power_factor(at) < 1


def test_unit_random_is_uniform_enough() -> None:
    values = [unit_random(1, i) for i in range(10_000)]
    assert min(values) >= 0 and max(values) < 1
    assert sum(values) / len(values) == pytest.approx(0.5, abs=0.02)
    assert sum(v < 0.1 for v in values) == pytest.approx(1000, abs=150)

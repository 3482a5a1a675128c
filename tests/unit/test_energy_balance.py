"""The energy balance arithmetic: loss, its technical and non-technical parts, and days that cannot be trusted."""
from __future__ import annotations

import pytest

from chalicelib.domain.energy_balance import (
    LOAD_POWER_FACTOR,
    DayBalance,
    Supply,
    balance_day,
    episodes,
    technical_loss_kwh,
    totals,
)

TRANSFORMER = Supply(transformer_kva=100.0, no_load_loss_kw=0.25, load_loss_kw=1.8, line_loss_pct=3.0)


def test_a_complete_day_splits_the_loss_into_technical_and_non_technical() -> None:
    hourly = [5.0] * 24  # a flat 5 kW all day: 120 kWh in
    day = balance_day("2026-05-04", 120.0, hourly, [40.0, 30.0, 35.0], TRANSFORMER)
    rating_kw = 100.0 * LOAD_POWER_FACTOR
    technical = 0.25 * 24 + 1.8 * 24 * (5.0 / rating_kw) ** 2 + 0.03 * 120.0
    assert day.complete and day.reason is None
    assert day.billed_kwh == pytest.approx(105.0)
    assert day.loss_kwh == pytest.approx(15.0) and day.loss_pct == pytest.approx(12.5)
    assert day.technical_kwh == pytest.approx(technical, abs=1e-3)
    assert day.non_technical_kwh == pytest.approx(15.0 - technical, abs=1e-3)
    assert day.technical_pct + day.non_technical_pct == pytest.approx(day.loss_pct, abs=0.02)


def test_meters_missing_data_make_the_day_unreliable_with_no_loss_at_all() -> None:
    day = balance_day("2026-05-04", 120.0, None, [40.0, None, 35.0, None], TRANSFORMER)
    assert not day.complete
    assert day.reason == "unreliable: 2 of 4 meters without data"
    assert day.meters == 4 and day.meters_with_data == 2
    assert day.billed_kwh == pytest.approx(75.0)  # what the meters with data used, shown as such
    assert (day.loss_kwh, day.loss_pct, day.technical_kwh, day.non_technical_kwh, day.non_technical_pct) == (
        None, None, None, None, None)


def test_a_missing_check_meter_or_an_unfinished_day_gives_no_balance() -> None:
    assert balance_day("d", None, None, [1.0, 2.0], TRANSFORMER).reason == "the check meter has no data"
    assert balance_day("d", 10.0, None, [1.0, 2.0], TRANSFORMER, in_progress=True).reason == "the day is not over"
    assert balance_day("d", 10.0, None, [], TRANSFORMER).reason == "no customer meters in the area"
    assert balance_day("d", 0.0, None, [0.0], TRANSFORMER).reason == "no energy into the area"


def test_the_completeness_threshold_is_the_areas_to_choose() -> None:
    billed = [10.0] * 49 + [None]  # 98 % of the meters
    assert balance_day("d", 600.0, None, billed, TRANSFORMER).complete  # default: at least 98 %
    stricter = Supply(min_completeness_pct=99.0)
    assert balance_day("d", 600.0, None, billed, stricter).reason == "unreliable: 1 of 50 meters without data"
    lenient = Supply(min_completeness_pct=60.0)
    day = balance_day("d", 100.0, None, [50.0, 20.0, None], lenient)  # 2 of 3 = 67 %
    assert day.complete and day.loss_kwh == pytest.approx(30.0)


def test_the_load_loss_grows_with_the_square_of_the_load() -> None:
    supply = Supply(transformer_kva=50.0, load_loss_kw=1.0)
    flat = technical_loss_kwh(supply, 240.0, [10.0] * 24, 24)
    peaky = technical_loss_kwh(supply, 240.0, [0.0] * 12 + [20.0] * 12, 24)
    assert peaky == pytest.approx(2 * flat)  # half the hours at twice the load: (2x)^2 / 2
    assert technical_loss_kwh(supply, 240.0, None, 24) == pytest.approx(flat)  # the daily average stands in
    assert technical_loss_kwh(Supply(no_load_loss_kw=0.5), 99.0, None, 25) == pytest.approx(12.5)  # 25-hour day


def test_energy_exported_by_customers_counts_against_what_they_used() -> None:
    day = balance_day("d", 50.0, None, [30.0, -10.0], Supply())  # a prosumer sent 10 kWh back
    assert day.billed_kwh == pytest.approx(20.0) and day.loss_kwh == pytest.approx(30.0)


def _day(name: str, ntl_pct: float | None) -> DayBalance:
    if ntl_pct is None:
        return DayBalance(name, 100.0, 50.0, 10, 5, "unreliable: 5 of 10 meters without data")
    return DayBalance(name, 100.0, 100.0 - ntl_pct, 10, 10, None, ntl_pct, ntl_pct, 0.0, 0.0, ntl_pct, ntl_pct)


def test_totals_add_up_the_reliable_days_only() -> None:
    days = [_day("2026-05-01", 10.0), _day("2026-05-02", None), _day("2026-05-03", 20.0)]
    got = totals(days)
    assert (got.days, got.complete_days) == (3, 2)
    assert got.input_kwh == pytest.approx(200.0) and got.billed_kwh == pytest.approx(170.0)
    assert got.loss_pct == pytest.approx(15.0) and got.non_technical_pct == pytest.approx(15.0)
    nothing = totals([_day("2026-05-02", None)])
    assert nothing.complete_days == 0 and nothing.input_kwh is None and nothing.loss_pct is None


def test_an_episode_needs_n_reliable_days_above_the_threshold_and_unknown_days_do_not_break_it() -> None:
    supply = Supply(ntl_alert_pct=10.0, ntl_alert_days=3)
    days = [_day("2026-05-01", 12.0), _day("2026-05-02", 15.0), _day("2026-05-03", None), _day("2026-05-04", 11.0),
            _day("2026-05-05", 10.0),  # at the threshold: not above it, the run ends
            _day("2026-05-06", 30.0), _day("2026-05-07", 30.0)]  # two days only: no episode
    found = episodes(days, supply)
    assert [(e.first, e.last, e.days, e.peak_pct) for e in found] == [("2026-05-01", "2026-05-04", 3, 15.0)]
    assert episodes(days, Supply(ntl_alert_pct=10.0, ntl_alert_days=2))[-1].first == "2026-05-06"

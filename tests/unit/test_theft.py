"""Theft scoring on crafted histories: the MVP rules and their edges (new meters, gaps, zero averages), the
model's determinism, its reasons in words, and that missing data neither makes a thief nor hides one."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from bench.theft.population import generate
from chalicelib.domain import theft_features as tf
from chalicelib.domain.theft import MeterHistory, TheftConfig, area_means, evaluate, rule_hits

AS_OF = date(2026, 6, 30)
DAYS = 180


def history(number: str, daily: np.ndarray | list[float], area: str | None = "A", kind: str | None = "Single Phase",
            hourly: np.ndarray | None = None, **extra: object) -> MeterHistory:
    values = np.asarray(daily, dtype=float)
    return MeterHistory(number, area, kind, AS_OF - timedelta(days=values.size - 1), values, hourly, **extra)


def steady(level: float = 10.0, days: int = 60, seed: int = 0) -> np.ndarray:
    return level * np.exp(np.random.default_rng(seed).normal(0, 0.05, days))


def population(meters: int = 160, days: int = 120, seed: int = 3) -> tuple[list[MeterHistory], np.ndarray]:
    """Histories straight from the benchmark's generator (whole days and hours, no database); the thieves."""
    pop = generate(meters, days, 0.1, areas=2, seed=seed, last_day=AS_OF, attack_days=(40, 14))
    out = []
    for n, number in enumerate(pop.meters):
        hours = np.where(pop.read[n], pop.metered_kwh[n], np.nan)
        out.append(MeterHistory(number, pop.areas[n], pop.meter_type(n), pop.first_day, hours.sum(axis=1),
                                hours[-42:], tamper_events=[], daily_readings=pop.read[n].sum(axis=1)))
    return out, pop.thief


def plain_meter(meters: int, days: int, seed: int = 3) -> int:
    """An honest meter with nothing unusual in its history."""
    pop = generate(meters, days, 0.1, areas=2, seed=seed, last_day=AS_OF, attack_days=(40, 14))
    return next(n for n in range(meters) if not pop.thief[n] and not pop.notes[n] and pop.kinds[n] == "residential")


# --- rule 1: consumption drop ------------------------------------------------------------------------------
def test_a_drop_of_more_than_the_threshold_is_a_hit_with_the_numbers_in_words() -> None:
    daily = np.r_[np.full(30, 10.0), np.full(30, 1.5)]  # 85 % down
    hits, values = rule_hits(history("m1", daily), None, AS_OF)
    assert [h.rule for h in hits] == ["consumption_drop"]
    assert values["consumption_drop"] == pytest.approx(85.0)
    assert "85 %" in hits[0].message and "1.5 kWh/day" in hits[0].message and "10.0 kWh/day" in hits[0].message
    assert hits[0].since == AS_OF - timedelta(days=29)


def test_a_drop_at_or_below_the_threshold_is_no_hit_and_the_threshold_is_configurable() -> None:
    daily = np.r_[np.full(30, 10.0), np.full(30, 2.0)]  # exactly 80 %
    assert rule_hits(history("m1", daily), None, AS_OF)[0] == []
    hits, _ = rule_hits(history("m1", daily), None, AS_OF, TheftConfig(drop_pct=70))
    assert [h.rule for h in hits] == ["consumption_drop"]


def test_a_new_meter_without_a_month_before_gets_no_drop_hit() -> None:
    daily = np.r_[np.full(35, np.nan), np.full(25, 0.5)]
    hits, values = rule_hits(history("new", daily), None, AS_OF)
    assert hits == [] and values["consumption_drop"] is None


def test_a_month_made_of_gaps_is_not_a_drop() -> None:
    daily = np.r_[np.full(30, 10.0), np.full(26, np.nan), np.full(4, 0.2)]  # 4 days of data: too few to judge
    hits, values = rule_hits(history("gappy", daily), None, AS_OF)
    assert hits == [] and values["consumption_drop"] is None


def test_the_day_a_reading_resumes_after_a_gap_does_not_count() -> None:
    # 10 kWh/day, a 10-day gap whose energy lands on the day readings resume (110 kWh), then 10 kWh/day
    daily = np.r_[np.full(35, 10.0), np.full(10, np.nan), [110.0], np.full(14, 10.0)]
    _, values = rule_hits(history("m1", daily), None, AS_OF)
    assert values["consumption_drop"] == pytest.approx(0.0)


def test_a_zero_average_last_month_is_no_drop_and_no_division_by_zero() -> None:
    daily = np.r_[np.zeros(30), np.zeros(30)]
    hits, values = rule_hits(history("idle", daily), None, AS_OF)
    assert hits == [] and values["consumption_drop"] is None


# --- rule 2: below the area's average ----------------------------------------------------------------------
def test_below_the_threshold_of_the_area_average_for_the_same_type_is_a_hit() -> None:
    peers = [history(f"p{n}", steady(10.0, seed=n)) for n in range(4)]
    other_type = history("big", steady(500.0), kind="Three Phase CT")
    low = history("low", steady(2.0))
    yardsticks = area_means([*peers, other_type, low], AS_OF)
    assert yardsticks["low"] == pytest.approx(10.0, rel=0.05)  # the other type's 500 kWh/day does not count
    hits, values = rule_hits(low, yardsticks["low"], AS_OF)
    assert [h.rule for h in hits] == ["below_area_average"]
    assert values["below_area_average"] == pytest.approx(20.0, rel=0.1)
    assert "Single Phase" in hits[0].message


def test_area_rule_needs_an_area_enough_peers_and_a_non_zero_average() -> None:
    peers = [history(f"p{n}", steady(10.0, seed=n)) for n in range(2)]
    lonely = history("low", steady(1.0))
    assert area_means([*peers, lonely], AS_OF)["low"] is None  # 2 comparable meters: too few
    no_area = history("x", steady(1.0), area=None)
    assert area_means([*peers, history("p3", steady(10.0)), no_area], AS_OF)["x"] is None
    idle = [history(f"z{n}", np.zeros(60)) for n in range(4)]
    yardsticks = area_means([*idle, lonely], AS_OF)
    assert yardsticks["low"] == 0.0
    assert rule_hits(lonely, yardsticks["low"], AS_OF)[0] == []


# --- cleaning ----------------------------------------------------------------------------------------------
def test_partial_days_and_catch_up_days_are_left_out() -> None:
    daily = np.array([10.0, 10.0, 4.0, np.nan, np.nan, 30.0, 10.0])
    readings = np.array([24, 24, 9, 0, 0, 24, 24])
    cleaned = tf.clean_days(daily, readings)
    assert np.isnan(cleaned[[2, 3, 4, 5]]).all() and cleaned[[0, 1, 6]].tolist() == [10.0, 10.0, 10.0]
    without_counts = tf.clean_days(daily, None)  # then the day a gap starts is dropped too
    assert np.isnan(without_counts[[2, 5]]).all()


# --- the model ---------------------------------------------------------------------------------------------
def test_the_model_is_deterministic_given_a_seed() -> None:
    histories, _ = population(meters=80, days=90)
    first = evaluate(histories, AS_OF, seed=7)
    again = evaluate(histories, AS_OF, seed=7)
    assert [(s.meter_number, s.score, s.model_score, s.reasons) for s in first] == \
           [(s.meter_number, s.score, s.model_score, s.reasons) for s in again]


def test_thieves_rank_above_honest_meters_and_scores_are_bounded_and_sorted() -> None:
    histories, thief = population()
    scores = evaluate(histories, AS_OF, seed=1)
    assert [s.score for s in scores] == sorted((s.score for s in scores), reverse=True)
    assert all(0.0 <= s.score <= 1.0 and (s.model_score is None or 0.0 <= s.model_score <= 1.0) for s in scores)
    config = TheftConfig()
    for s in scores:
        assert s.risk == ("high" if s.score >= config.high_score else "medium" if s.score >= config.medium_score
                          else "low")
    by_meter = {s.meter_number: s.score for s in scores}
    auc = roc_auc_score(thief, [by_meter[h.meter_number] for h in histories])
    assert auc > 0.85


def test_a_level_drop_is_explained_with_its_date_and_size() -> None:
    histories, _ = population(meters=120, days=120)
    n = plain_meter(120, 120)
    daily = histories[n].daily_kwh.copy()
    daily[-40:] *= 0.15
    hourly = histories[n].hourly_kwh.copy() * 0.15
    histories[n] = replace(histories[n], daily_kwh=daily, hourly_kwh=hourly, meter_number="DROP")
    score = next(s for s in evaluate(histories, AS_OF) if s.meter_number == "DROP")
    assert score.model_score is not None and score.model_score > 0.5
    words = " ".join(score.reasons)
    change = (AS_OF - timedelta(days=39)).strftime("%d %b")
    assert re.search(r"fell 8\d %", words) and change in words, score.reasons


def test_a_flattened_load_curve_is_found_though_the_daily_energy_is_unchanged() -> None:
    histories, _ = population(meters=120, days=120)
    n = plain_meter(120, 120)
    victim = histories[n]
    hourly = victim.hourly_kwh.copy()
    hourly[-20:] = np.nanmean(hourly[-20:], axis=1, keepdims=True)
    histories[n] = replace(victim, hourly_kwh=hourly, meter_number="FLAT")
    scores = evaluate(histories, AS_OF)
    flat = next(s for s in scores if s.meter_number == "FLAT")
    assert flat.rule_hits == []
    assert [s.meter_number for s in scores].index("FLAT") < 12
    assert any("flat" in r or "shape of the daily load curve changed" in r for r in flat.reasons), flat.reasons


def test_missing_data_alone_does_not_make_a_thief() -> None:
    histories, _ = population(meters=120, days=120)
    honest = plain_meter(120, 120)
    before = next(s for s in evaluate(histories, AS_OF) if s.meter_number == histories[honest].meter_number)
    daily = histories[honest].daily_kwh.copy()
    lost = np.nansum(daily[-25:-15])
    daily[-25:-15] = np.nan  # a comms gap: the register kept counting, the next reading holds it all
    daily[-15] += lost
    readings = histories[honest].daily_readings.copy()
    readings[-25:-15] = 0
    hourly = histories[honest].hourly_kwh.copy()
    hourly[-25:-15] = np.nan
    histories[honest] = replace(histories[honest], daily_kwh=daily, daily_readings=readings, hourly_kwh=hourly)
    after = next(s for s in evaluate(histories, AS_OF) if s.meter_number == histories[honest].meter_number)
    assert after.model_score is not None and before.model_score is not None
    assert after.model_score < max(0.3, before.model_score + 0.1)
    assert after.rule_hits == [] and after.data_days < before.data_days


def test_missing_data_does_not_hide_a_thief() -> None:
    histories, thief = population(meters=120, days=120)
    scores = {s.meter_number: s for s in evaluate(histories, AS_OF)}
    caught = max((n for n, t in enumerate(thief) if t), key=lambda n: scores[histories[n].meter_number].score)
    h = histories[caught]
    daily, hourly = h.daily_kwh.copy(), h.hourly_kwh.copy()
    daily[-6:], hourly[-6:] = np.nan, np.nan  # its readings stop 6 days before as_of
    histories[caught] = replace(h, daily_kwh=daily, hourly_kwh=hourly, daily_readings=None)
    again = {s.meter_number: s for s in evaluate(histories, AS_OF)}
    ranked = sorted(again.values(), key=lambda s: -s.score)
    assert [s.meter_number for s in ranked].index(h.meter_number) < 15


def test_tamper_events_and_the_area_loss_raise_the_score_with_reasons() -> None:
    histories, _ = population(meters=80, days=90)
    n = plain_meter(80, 90)
    base = next(s for s in evaluate(histories, AS_OF) if s.meter_number == histories[n].meter_number)
    events = [(datetime(2026, 6, d, 10), "magnetic_field") for d in (20, 22, 26)]
    histories[n] = replace(histories[n], tamper_events=events, area_nontechnical_loss_pct=15.0)
    got = next(s for s in evaluate(histories, AS_OF) if s.meter_number == histories[n].meter_number)
    assert got.score > base.score + 0.3
    assert "3 magnetic tamper events in 7 days" in got.reasons
    assert any("loses 15 %" in r for r in got.reasons)


def test_too_few_meters_leave_the_model_silent_but_the_rules_work() -> None:
    few = [history(f"p{n}", steady(10.0, seed=n)) for n in range(4)]
    few.append(history("drop", np.r_[np.full(30, 10.0), np.full(30, 1.0)]))
    scores = evaluate(few, AS_OF)
    assert all(s.model_score is None for s in scores)
    assert scores[0].meter_number == "drop" and scores[0].rule_hits
    assert scores[0].score == pytest.approx(TheftConfig().weight_drop_rule + TheftConfig().weight_area_rule
                                            - TheftConfig().weight_drop_rule * TheftConfig().weight_area_rule)


def test_confirmed_outcomes_are_used_when_there_are_enough() -> None:
    histories, thief = population(meters=120, days=120)
    labelled = [replace(h, label=("theft_confirmed" if t else "no_theft") if n % 2 == 0 else None)
                for n, (h, t) in enumerate(zip(histories, thief, strict=True))]
    plain = {s.meter_number: s.model_score for s in evaluate(histories, AS_OF, seed=2)}
    taught = evaluate(labelled, AS_OF, seed=2)
    assert any(plain[s.meter_number] != s.model_score for s in taught)
    unlabelled = [n for n in range(len(histories)) if n % 2]
    by_meter = {s.meter_number: s.model_score or 0.0 for s in taught}
    truth = [thief[n] for n in unlabelled]
    assert roc_auc_score(truth, [by_meter[histories[n].meter_number] for n in unlabelled]) > 0.8

"""Theft scoring: the MVP rules, an anomaly model over each meter's load history, and one ranked list.

Pure: numpy and scikit-learn, no database. `evaluate` scores a population of meters together (the model
judges each meter against its own past and against its peers: same area and meter type), so give it every
meter of an area or of the fleet and filter afterwards; with fewer than `min_population` meters with data the
model stays silent and only the rules, tamper events and the energy balance count.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.linear_model import LogisticRegression

from chalicelib.domain import theft_features as tf

RULES = ("consumption_drop", "below_area_average")
THEFT, NOT_THEFT = "theft_confirmed", ("no_theft", "meter_fault", "data_problem")
TAMPER_NAMES = {"magnetic_field": "magnetic tamper", "meter_cover_opened": "meter cover opened",
                "terminal_cover_opened": "terminal cover opened", "neutral_missing": "neutral missing",
                "reverse_current": "reverse current"}


@dataclass(frozen=True)
class TheftConfig:
    drop_pct: float = 80.0            # rule 1: the last month's daily average fell more than this vs the month before
    area_ratio_pct: float = 30.0      # rule 2: below this % of the area's average for the same meter type
    high_score: float = 0.7
    medium_score: float = 0.4
    month_days: int = 30              # a rule "month": the last 30 days against the 30 before
    min_rule_days: int = 7            # days with data each rule month needs
    min_area_peers: int = 3           # comparable meters rule 2 needs
    window_days: int = 180            # history judged
    min_population: int = 30          # meters with data the model needs to compare them
    tamper_days: int = 30             # tamper events counted this far back
    weight_drop_rule: float = 0.5     # what each piece of evidence adds (noisy-OR with the model's score)
    weight_area_rule: float = 0.15
    weight_tamper_event: float = 0.25
    weight_tamper_max: float = 0.6
    weight_area_loss: float = 0.15    # at area_loss_full_pct non-technical loss in the meter's area
    area_loss_full_pct: float = 20.0
    area_loss_min_pct: float = 5.0    # below this the area's loss is no evidence (nor a reason)
    model_z_mid: float = 4.0          # the model's raw score this many robust SDs above the fleet's median -> 0.5
    model_z_width: float = 1.5
    trees: int = 200


@dataclass
class MeterHistory:
    meter_number: str
    area_id: str | None
    meter_type: str | None
    first_day: date                   # day of daily_kwh[0]; the last element is as_of
    daily_kwh: np.ndarray             # (days,), NaN = no data that day (not zero!)
    hourly_kwh: np.ndarray | None     # (days, 24) for the last days up to as_of, NaN where missing; may be None
    tamper_events: list[tuple[datetime, str]] = field(default_factory=list)
    label: str | None = None          # "theft_confirmed" | "no_theft" | "meter_fault" | "data_problem"
    area_nontechnical_loss_pct: float | None = None
    daily_readings: np.ndarray | None = None  # (days,) readings per day, to tell partial days; may be None


@dataclass
class RuleHit:
    rule: str                         # "consumption_drop" | "below_area_average"
    message: str
    value: float                      # the drop % or the ratio %
    since: date | None = None


@dataclass
class MeterScore:
    meter_number: str
    score: float
    risk: str                         # "high" | "medium" | "low"
    reasons: list[str]
    rule_hits: list[RuleHit]
    model_score: float | None
    data_days: int
    rule_values: dict[str, float | None] = field(default_factory=dict)  # drop % and area ratio %, hit or not


# --- the rules ---------------------------------------------------------------------------------------------
def aligned_daily(history: MeterHistory, as_of: date, days: int) -> np.ndarray:
    """The history's daily kWh on the `days` days ending at as_of (NaN where it has none)."""
    out = np.full(days, np.nan)
    offset = (history.first_day - (as_of - timedelta(days=days - 1))).days
    values = np.asarray(history.daily_kwh, dtype=float)
    lo, hi = max(0, offset), min(days, offset + values.size)
    if lo < hi:
        out[lo:hi] = values[lo - offset:hi - offset]
    return out


def _aligned_readings(history: MeterHistory, as_of: date, days: int) -> np.ndarray | None:
    if history.daily_readings is None:
        return None
    shaped = MeterHistory(history.meter_number, None, None, history.first_day, history.daily_readings, None)
    return aligned_daily(shaped, as_of, days)


def month_averages(daily: np.ndarray, config: TheftConfig) -> tuple[float | None, float | None]:
    """(last month's, the month before's) average kWh per day with data, None with too few days."""
    def mean(block: np.ndarray) -> float | None:
        have = block[~np.isnan(block)]
        return float(have.mean()) if have.size >= config.min_rule_days else None

    m = config.month_days
    return mean(daily[-m:]), mean(daily[-2 * m:-m])


def area_means(histories: list[MeterHistory], as_of: date, config: TheftConfig = TheftConfig()
               ) -> dict[str, float | None]:
    """Each meter's rule-2 yardstick: the average daily kWh, over the last month, of the other meters of the
    same area and type (None without an area, a type or enough of them)."""
    recent: dict[str, float] = {}
    for h in histories:
        cleaned = tf.clean_days(aligned_daily(h, as_of, 2 * config.month_days), _aligned_readings(
            h, as_of, 2 * config.month_days))
        last, _ = month_averages(cleaned, config)
        if last is not None:
            recent[h.meter_number] = last
    groups: dict[tuple[str, str], list[str]] = {}
    for h in histories:
        if h.area_id and h.meter_type and h.meter_number in recent:
            groups.setdefault((h.area_id, h.meter_type), []).append(h.meter_number)
    out: dict[str, float | None] = {}
    for h in histories:
        others = [recent[m] for m in groups.get((h.area_id or "", h.meter_type or ""), []) if m != h.meter_number]
        out[h.meter_number] = float(np.mean(others)) if len(others) >= config.min_area_peers else None
    return out


def rule_hits(history: MeterHistory, area_mean: float | None, as_of: date, config: TheftConfig = TheftConfig()
              ) -> tuple[list[RuleHit], dict[str, float | None]]:
    """The MVP rules on one meter: (hits, {rule: its value whether or not it hit}). `area_mean` is the average
    daily kWh of comparable meters (see area_means). Days without data (and the catch-up day after a gap) are
    left out of the averages; a meter without a month of history before, or whose yardstick is zero, gets
    no hit."""
    days = 2 * config.month_days
    daily = tf.clean_days(aligned_daily(history, as_of, days), _aligned_readings(history, as_of, days))
    last, before = month_averages(daily, config)
    hits: list[RuleHit] = []
    values: dict[str, float | None] = {"consumption_drop": None, "below_area_average": None}
    since = as_of - timedelta(days=config.month_days - 1)
    if last is not None and before is not None and before > 0:
        drop = (1 - last / before) * 100
        values["consumption_drop"] = drop
        if drop > config.drop_pct:
            hits.append(RuleHit("consumption_drop", f"consumption fell {drop:.0f} % to {last:.1f} kWh/day over the "
                                f"last {config.month_days} days (from {before:.1f} kWh/day the {config.month_days} "
                                "days before)", round(drop, 1), since))
    if last is not None and area_mean is not None and area_mean > 0:
        ratio = last / area_mean * 100
        values["below_area_average"] = ratio
        if ratio < config.area_ratio_pct:
            kind = history.meter_type or "meter"
            hits.append(RuleHit("below_area_average", f"{last:.1f} kWh/day over the last {config.month_days} days "
                                f"is {ratio:.0f} % of the area's average for {kind} meters ({area_mean:.1f} kWh/day)",
                                round(ratio, 1), since))
    return hits, values


# --- the model ---------------------------------------------------------------------------------------------
def features(histories: list[MeterHistory], as_of: date, config: TheftConfig = TheftConfig()
             ) -> tuple[np.ndarray, list[tf.Found]]:
    """(meters, len(NAMES)) feature matrix (0 = nothing seen) and what the reasons quote."""
    days = config.window_days
    x = np.vstack([tf.clean_days(aligned_daily(h, as_of, days), _aligned_readings(h, as_of, days))
                   for h in histories]) if histories else np.empty((0, days))
    counts = (~np.isnan(x)).sum(axis=1)
    levels = np.full(len(histories), np.nan)
    enough = counts >= tf.MIN_LEVEL_DAYS
    levels[enough] = np.nanmedian(x[enough], axis=1)
    groups = tf.peer_groups([(h.area_id, h.meter_type) for h in histories])
    peers = tf.peer_index(x, levels, groups)
    recent = np.array([np.median(row[~np.isnan(row)][-tf.RECENT_DAYS:]) if c >= tf.MIN_LEVEL_DAYS else np.nan
                       for row, c in zip(x, counts, strict=True)])
    found = [tf.Found() for _ in histories]
    stats = [_hourly_stats(h, x[n]) for n, h in enumerate(histories)]
    peer_cache: dict[tuple[int, ...], tuple[float, dict | None]] = {}
    for n, group in enumerate(groups):
        key = tuple(group)
        if key not in peer_cache:
            typical = float(np.nanmedian(recent[group])) if np.any(~np.isnan(recent[group])) else 0.0
            peer_cache[key] = (typical, _peer_stats([stats[m][0] for m in group]))
        typical, peer = peer_cache[key]
        tf.daily_features(x[n], float(levels[n]), peers[n], typical, found[n])
        tf.hourly_features(stats[n][0], stats[n][1], peer, found[n])
    matrix = np.array([[f.values.get(name, 0.0) for name in tf.NAMES] for f in found]).reshape(-1, len(tf.NAMES))
    return np.nan_to_num(matrix, nan=0.0, posinf=0.0), found


def _hourly_stats(history: MeterHistory, clean: np.ndarray) -> tuple[dict | None, dict | None]:
    """(recent, before) shape statistics from whole, clean days of the hourly block (its last row is as_of)."""
    if history.hourly_kwh is None or len(history.hourly_kwh) == 0:
        return None, None
    hours = np.asarray(history.hourly_kwh, dtype=float)
    span = hours.shape[0]
    ok = ~np.isnan(hours).any(axis=1) & ~np.isnan(clean[-span:]) if span <= clean.size else ~np.isnan(hours).any(1)
    whole = hours[ok]
    recent = tf.profile_stats(whole[-tf.RECENT_DAYS:])
    before = tf.profile_stats(whole[:-tf.RECENT_DAYS]) if whole.shape[0] >= tf.RECENT_DAYS + 7 else None
    return recent, before


def _peer_stats(members: list[dict | None]) -> dict | None:
    have = [m for m in members if m is not None]
    if len(have) < 5:
        return None
    out: dict = {k: float(np.median([m[k] for m in have])) for k in have[0] if k != "profile"}
    profile = np.median(np.vstack([m["profile"] for m in have]), axis=0)
    out["profile"] = profile / profile.sum()
    return out


def tail_scores(matrix: np.ndarray) -> np.ndarray:
    """-log of each value's right-tail probability in its column (0 where the value is 0: nothing seen)."""
    n = matrix.shape[0]
    order = np.argsort(np.argsort(-matrix, axis=0, kind="stable"), axis=0)  # 0 = largest
    p = (order + 1) / (n + 1)
    return np.where(matrix > 0, -np.log(p), 0.0)


def model_scores(matrix: np.ndarray, labels: list[str | None], config: TheftConfig, seed: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """([0,1] scores, per-feature contributions). Unsupervised: an isolation forest over the features, its
    raw score calibrated on the fleet's spread; with confirmed outcomes (5+ of each kind) a logistic regression
    on the features' tail scores is averaged in. Contributions: each feature's tail score (how rare its value)."""
    tails = tail_scores(matrix)
    forest = IsolationForest(n_estimators=config.trees, random_state=seed).fit(matrix)
    raw = -forest.score_samples(matrix)
    med = float(np.median(raw))
    mad = float(np.median(np.abs(raw - med))) * 1.4826 or 1e-6
    score = 1 / (1 + np.exp(-((raw - med) / mad - config.model_z_mid) / config.model_z_width))
    y = np.array([1 if lab == THEFT else 0 if lab in NOT_THEFT else -1 for lab in labels])
    if (y == 1).sum() >= 5 and (y == 0).sum() >= 5:
        clf = LogisticRegression(class_weight="balanced", max_iter=1000, random_state=seed)
        clf.fit(tails[y >= 0], y[y >= 0])
        score = (score + clf.predict_proba(tails)[:, 1]) / 2
    return score, tails


# --- everything together ----------------------------------------------------------------------------------
def evaluate(histories: list[MeterHistory], as_of: date, config: TheftConfig = TheftConfig(), seed: int = 0
             ) -> list[MeterScore]:
    """Every meter's score in [0, 1] with its reasons, highest first."""
    if not histories:
        return []
    yardsticks = area_means(histories, as_of, config)
    matrix, found = features(histories, as_of, config)
    with_data = sum(1 for f in found if f.clean_days >= tf.MIN_LEVEL_DAYS + 7)
    model: np.ndarray | None = None
    tails = np.zeros_like(matrix)
    if with_data >= config.min_population:
        model, tails = model_scores(matrix, [h.label for h in histories], config, seed)
    first = as_of - timedelta(days=config.window_days - 1)
    out = []
    for n, h in enumerate(histories):
        hits, values = rule_hits(h, yardsticks[h.meter_number], as_of, config)
        enough = found[n].clean_days >= tf.MIN_LEVEL_DAYS + 7
        m = float(model[n]) if model is not None and enough else None
        # (weight, words, counted on its own): the model's reasons are already inside its score
        evidence: list[tuple[float, str, bool]] = []
        if m is not None:
            evidence.extend((w, text, False) for w, text in _feature_reasons(tails[n], found[n], first, m))
        weights = {"consumption_drop": config.weight_drop_rule, "below_area_average": config.weight_area_rule}
        evidence.extend((weights[hit.rule], hit.message, True) for hit in hits)
        tamper = _tamper(h, as_of, config)
        if tamper:
            evidence.append((*tamper, True))
        loss = h.area_nontechnical_loss_pct
        if loss is not None and loss >= config.area_loss_min_pct:
            evidence.append((config.weight_area_loss * min(1.0, loss / config.area_loss_full_pct),
                             f"its area loses {loss:.0f} % of its energy unaccounted for (energy balance)", True))
        parts = [m or 0.0] + [w for w, _, own in evidence if own]
        score = 1 - float(np.prod([1 - min(max(p, 0.0), 1.0) for p in parts]))
        reasons = [text for _, text, _ in sorted(evidence, key=lambda e: -e[0])][:4]
        if not enough:
            reasons.append(f"only {found[n].clean_days} days with complete data in the last "
                           f"{config.window_days}: too few for the model")
        risk = "high" if score >= config.high_score else "medium" if score >= config.medium_score else "low"
        out.append(MeterScore(h.meter_number, round(score, 6), risk, reasons, hits,
                              None if m is None else round(m, 6), found[n].clean_days, values))
    out.sort(key=lambda s: (-s.score, s.meter_number))
    return out


def _tamper(h: MeterHistory, as_of: date, config: TheftConfig) -> tuple[float, str] | None:
    since = as_of - timedelta(days=config.tamper_days - 1)
    recent = [(at, kind) for at, kind in h.tamper_events if at.date() >= since]
    if not recent:
        return None
    kinds = Counter(kind for _, kind in recent)
    kind, count = kinds.most_common(1)[0]
    times = sorted(at for at, _ in recent)
    span = max(1, (times[-1].date() - times[0].date()).days + 1)
    text = f"{count} {TAMPER_NAMES.get(kind, kind.replace('_', ' '))} event{'s' if count > 1 else ''}"
    text += f" in {span} days" if count > 1 else f" on {times[0]:%d %b}"
    others = len(recent) - count
    if others:
        text += f" (and {others} other tamper event{'s' if others > 1 else ''})"
    weight = min(config.weight_tamper_max, config.weight_tamper_event * len(recent))
    return weight, text


def _feature_reasons(tails: np.ndarray, f: tf.Found, first: date, model: float) -> list[tuple[float, str]]:
    """The features that drove the model's score, in words, weighted just below the score itself."""
    out: list[tuple[float, str]] = []
    for rank, j in enumerate(np.argsort(-tails)[:3]):
        if tails[j] <= 0 or (rank and tails[j] < np.log(50)):  # the strongest, then those in the fleet's top 2 %
            break
        text = _describe(tf.NAMES[j], f, first)
        if text and all(text != t for _, t in out):
            out.append((model * (0.99 - 0.01 * len(out)), text))
    return out


def _day(first: date, index: float | None) -> str:
    return "" if index is None else (first + timedelta(days=int(index))).strftime("%d %b")


# below these a feature may still rank first in a calm fleet, but it is no reason to suspect anyone
MATERIAL = {"level_drop": 0.2, "change_t": 0.2, "decline": 0.2, "zero_days": 0.1, "below_peers": 0.3,
            "night_drop": 0.2, "flat_own": 0.2, "flat_peer": 0.2, "shape_own": 0.02, "shape_peer": 0.02,
            "erratic_own": 0.3, "erratic_peer": 0.3, "zero_hours": 0.05, "zero_hours_peer": 0.05,
            "plateau": 0.0, "peak_drop": 0.2, "peak_peer": 0.2}


def _material(name: str, f: tf.Found) -> bool:
    v, facts = f.values, f.facts
    if name in ("level_drop", "change_t"):
        return facts.get("drop", 0.0) >= MATERIAL[name]
    if name == "decline":
        return facts.get("decline_pct", 0.0) >= MATERIAL[name] * 100
    if name == "below_peers":
        return v.get(name, 0.0) > 0 and facts.get("peer_ratio", 1.0) <= 1 - MATERIAL[name]
    if name in ("flat_own", "flat_peer"):
        ref = facts.get("flat_before") if name == "flat_own" else facts.get("flat_peer")
        if not ref:
            return False
        return facts.get("flat", ref) <= (1 - MATERIAL[name]) * ref
    return v.get(name, 0.0) > MATERIAL.get(name, 0.0)


def _describe(name: str, f: tf.Found, first: date) -> str | None:
    v, facts = f.values, f.facts
    if not _material(name, f):
        return None
    since = _day(first, facts.get("change_day")) if "change_day" in facts else None
    if name in ("level_drop", "change_t") and since:
        peers = facts.get("peers_change", 0.0) * 100
        moved = f"{facts['before_kwh']:.1f} → {facts['after_kwh']:.1f} kWh/day"
        if abs(peers) < 10:
            return (f"daily consumption fell {facts['drop'] * 100:.0f} % from {since} ({moved}) while comparable "
                    "meters in the area stayed flat")
        return (f"daily consumption fell from {since} ({moved}), {facts['drop'] * 100:.0f} % more than comparable "
                f"meters in the area ({peers:+.0f} %)")
    if name == "decline":
        return f"consumption declined steadily, {facts.get('decline_pct', 0):.0f} % over the last 60 days"
    if name == "zero_days":
        return f"{facts.get('zero_days', 0):.0f} of the last 28 days with data show almost no consumption"
    if name == "below_peers":
        return (f"recent consumption is {facts.get('peer_ratio', 0) * 100:.0f} % of what comparable meters in the "
                "area draw")
    if name == "night_drop" and "night_before" in facts:
        return (f"night-time (00-06) share of the load fell {v[name] * 100:.0f} % in the last {tf.RECENT_DAYS} "
                f"days ({facts['night_before'] * 100:.0f} % → {facts['night'] * 100:.0f} % of the day)")
    if name in ("flat_own", "flat_peer"):
        ref = facts.get("flat_before") if name == "flat_own" else facts.get("flat_peer")
        whose = "before" if name == "flat_own" else "for comparable meters"
        return (f"the daily load curve went flat: hour-to-hour variation {facts['flat'] * 100:.0f} % against "
                f"{(ref or 0) * 100:.0f} % {whose}")
    if name in ("shape_own", "shape_peer"):
        whose = "its own earlier weeks" if name == "shape_own" else "comparable meters"
        return (f"the shape of the daily load curve changed in the last {tf.RECENT_DAYS} days against {whose} "
                f"(correlation {1 - v[name]:.2f}, unusually low for this fleet)")
    if name in ("erratic_own", "erratic_peer"):
        return f"hour-to-hour load became erratic ({1 + v[name]:.1f} times the usual scatter)"
    if name in ("zero_hours", "zero_hours_peer"):
        whose = "before" if name == "zero_hours" else "for comparable meters"
        return (f"{facts.get('zeros', 0) * 100:.0f} % of hours in the last {tf.RECENT_DAYS} days record no load "
                f"({(facts.get('zeros', 0) - v[name]) * 100:.0f} % {whose})")
    if name == "plateau":
        return (f"load never exceeds {facts.get('top', 0):.2f} kWh in an hour and "
                f"{facts.get('plateau_share', 0) * 100:.0f} % of hours sit at that ceiling (capped?)")
    if name in ("peak_drop", "peak_peer"):
        whose = "before" if name == "peak_drop" else "for comparable meters"
        return (f"load peaks relative to the day's average are {v[name] * 100:.0f} % lower in the last "
                f"{tf.RECENT_DAYS} days than {whose}")
    return None

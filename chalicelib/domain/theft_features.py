"""Theft features of each meter: how its recent load compares with its own past and with its peers.

Pure numpy. Every feature is oriented so that larger means more theft-like and 0 means "nothing seen",
so a meter whose consumption rose, or whose data is too thin to judge, is not an outlier for that reason.
Missing days stay missing: they are excluded, never read as zero. The day a reading resumes after a gap
holds the whole gap's energy (registers are cumulative), and a day with fewer readings than usual holds
only part of a day's, so both are excluded too.
"""
from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

RECENT_DAYS = 14       # the window judged
MIN_BEFORE_DAYS = 21   # days before a change point needed to call it one
MIN_LEVEL_DAYS = 14    # clean days needed for a meter's own level
MIN_PEERS = 8          # a peer group smaller than this falls back to the meter type, then to everyone
NIGHT = slice(0, 6)
EPS = 1e-3

DAILY = ("level_drop", "change_t", "decline", "zero_days", "below_peers")
HOURLY = ("shape_own", "shape_peer", "flat_own", "flat_peer", "erratic_own", "erratic_peer", "zero_hours",
          "zero_hours_peer", "night_drop", "plateau", "peak_drop", "peak_peer")
NAMES = DAILY + HOURLY


@dataclass
class Found:
    """One meter's features, plus what the reasons quote (values, dates as day indexes)."""
    values: dict[str, float] = field(default_factory=dict)
    facts: dict[str, float] = field(default_factory=dict)
    clean_days: int = 0


def clean_days(daily: np.ndarray, readings: np.ndarray | None) -> np.ndarray:
    """Daily kWh with partial days and catch-up days (the first one after a gap) set to NaN."""
    x = np.array(daily, dtype=float)
    have = ~np.isnan(x)
    if readings is not None and have.any():
        counts = np.where(have, np.asarray(readings, dtype=float), np.nan)
        # usual readings per day around each day (meters may go from daily to hourly reads)
        padded = np.pad(counts, 7, constant_values=np.nan)
        windows = np.lib.stride_tricks.sliding_window_view(padded, 15)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            typical = np.nanmedian(windows, axis=1)
        x[have & (counts < 0.75 * typical)] = np.nan
    resumed = have & ~np.concatenate(([True], have[:-1]))
    x[resumed] = np.nan
    if readings is None:  # no counts to tell a partial day: drop the day a gap starts too
        x[have & ~np.concatenate((have[1:], [True]))] = np.nan
    x[x < 0] = np.nan
    return x


def peer_groups(keys: Sequence[tuple[str | None, str | None]]) -> list[list[int]]:
    """Members of each meter's comparison group: same area and type, else same type, else everyone."""
    by_pair: dict[tuple[str | None, str | None], list[int]] = defaultdict(list)
    by_type: dict[str | None, list[int]] = defaultdict(list)
    for n, (area, kind) in enumerate(keys):
        by_pair[(area, kind)].append(n)
        by_type[kind].append(n)
    everyone = list(range(len(keys)))
    out = []
    for area, kind in keys:
        group = by_pair[(area, kind)]
        if len(group) < MIN_PEERS or area is None:
            group = by_type[kind] if len(by_type[kind]) >= MIN_PEERS else everyone
        out.append(group)
    return out


def peer_index(x: np.ndarray, levels: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """(meters, days): how each meter's peers drew that day relative to their own usual level (1 = as usual),
    so an area-wide drop (load shedding, a holiday, weather) does not count against anyone."""
    rel = x / levels[:, None]
    cache: dict[tuple[int, ...], np.ndarray] = {}
    out = np.ones_like(x)
    for n, group in enumerate(groups):
        key = tuple(group)
        if key not in cache:
            members = rel[group]
            counts = (~np.isnan(members)).sum(axis=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # days nobody has data for stay NaN
                med = np.nanmedian(members, axis=0) if members.size else np.full(x.shape[1], np.nan)
            med = np.where(counts >= min(5, len(group)), med, np.nan)
            cache[key] = np.where(np.isnan(med) | (med <= 0), 1.0, med)
        out[n] = cache[key]
    return out


def change_point(y: np.ndarray, min_before: int = MIN_BEFORE_DAYS, min_after: int = 7) -> tuple[int, float]:
    """The split of y (clean values in time order) whose later part, running to the end, sits lowest below
    the earlier part: (index of the first later value, Welch-style t). (-1, 0) when y is too short."""
    n = y.size
    if n < min_before + min_after:
        return -1, 0.0
    cs, cs2 = np.cumsum(y), np.cumsum(y * y)
    k = np.arange(min_before, n - min_after + 1)
    m1 = cs[k - 1] / k
    m2 = (cs[-1] - cs[k - 1]) / (n - k)
    ss = (cs2[k - 1] - k * m1 ** 2) + (cs2[-1] - cs2[k - 1] - (n - k) * m2 ** 2)
    s2 = np.maximum(ss / max(n - 2, 1), 1e-4)
    t = (m1 - m2) / np.sqrt(s2 * (1 / k + 1 / (n - k)))
    best = int(np.argmax(t))
    return int(k[best]), float(t[best])


def daily_features(x: np.ndarray, level: float, peers: np.ndarray, group_recent: float, found: Found) -> None:
    """Level features from clean daily kWh `x` (NaN = none), the meter's usual level and its peers' index."""
    days = np.flatnonzero(~np.isnan(x))
    found.clean_days = int(days.size)
    if days.size < MIN_LEVEL_DAYS + 7 or not level > 0:
        return
    rel = x[days] / (level * peers[days])
    y = np.log(np.maximum(rel, 0.02))
    k, t = change_point(y)
    if k > 0:
        before = float(np.median(y[:k]))
        # a change inside the recent window is judged on the days since it, not on a window half before it
        since = slice(k, None) if y.size - k < RECENT_DAYS else slice(-RECENT_DAYS, None)
        drop = 1 - float(np.exp(np.median(y[since]) - before))
        found.values["level_drop"] = max(0.0, drop)
        found.values["change_t"] = max(0.0, t)
        found.facts.update(change_day=float(days[k]), drop=drop,
                           before_kwh=float(np.median(x[days[:k]])), after_kwh=float(np.median(x[days[since]])),
                           peers_change=float(np.median(peers[days[k:]]) / np.median(peers[days[:k]]) - 1))
    last = days[days >= days[-1] - 59]
    if last.size >= 21:
        slope = float(np.polyfit(last.astype(float), np.log(np.maximum(rel[-last.size:], 0.02)), 1)[0])
        found.values["decline"] = max(0.0, -slope * 60)
        found.facts["decline_pct"] = (1 - float(np.exp(slope * 60))) * 100
    zero = x[days[-28:]] < 0.05 * level
    found.values["zero_days"] = float(zero.mean())
    found.facts["zero_days"] = float(zero.sum())
    if group_recent > 0:
        ratio = float(np.median(x[days[-RECENT_DAYS:]])) / group_recent
        found.values["below_peers"] = max(0.0, -np.log(max(ratio, 0.01)))
        found.facts["peer_ratio"] = ratio


def profile_stats(hours: np.ndarray) -> dict[str, float | np.ndarray] | None:
    """Shape of a block of whole days (days, 24): mean share per hour, flatness, noise, zeros, night share,
    and the hourly load's upper quantiles."""
    if hours.shape[0] < 5:
        return None
    totals = hours.sum(axis=1)
    ok = totals > 0
    if ok.sum() < 5:
        return None
    h, totals = hours[ok], totals[ok]
    shares = h / totals[:, None]
    profile = shares.mean(axis=0)
    resid = np.log((h + EPS * totals.mean() / 24) / (profile[None, :] * totals[:, None] + EPS * totals.mean() / 24))
    top = float(np.quantile(h, 0.99))
    return {"profile": profile, "flat": float(profile.std() / profile.mean()),
            "erratic": float(np.median(resid.std(axis=1))), "zeros": float((h < 0.02 * h.mean()).mean()),
            "night": float(profile[NIGHT].sum()), "peak": float(np.quantile(h, 0.95) / h.mean()),
            "plateau": float((h >= 0.97 * top).mean()) if top > 0 else 0.0, "top": top}


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def hourly_features(recent: dict | None, before: dict | None, peer: dict | None, found: Found) -> None:
    """Shape features: the recent block against the meter's earlier block and against its peers' typical
    recent shape (`peer`: medians of the peers' recent stats)."""
    if recent is None:
        return
    v, f = found.values, found.facts
    f.update(flat=recent["flat"], night=recent["night"], top=recent["top"], plateau_share=recent["plateau"])
    v["plateau"] = max(0.0, recent["plateau"] - (before["plateau"] if before else peer["plateau"] if peer else 0.0))
    if before is not None:
        v["shape_own"] = 1 - correlation(recent["profile"], before["profile"])
        v["flat_own"] = max(0.0, 1 - recent["flat"] / max(before["flat"], 1e-6))
        v["erratic_own"] = max(0.0, recent["erratic"] / max(before["erratic"], 1e-6) - 1)
        v["zero_hours"] = max(0.0, recent["zeros"] - before["zeros"])
        v["night_drop"] = max(0.0, 1 - recent["night"] / max(before["night"], 1e-6))
        v["peak_drop"] = max(0.0, 1 - recent["peak"] / max(before["peak"], 1e-6))
        f.update(flat_before=before["flat"], night_before=before["night"], erratic_ratio=recent["erratic"] / max(
            before["erratic"], 1e-6), zeros=recent["zeros"], zeros_before=before["zeros"],
            peak_ratio=recent["peak"] / max(before["peak"], 1e-6))
    if peer is not None:
        v["shape_peer"] = 1 - correlation(recent["profile"], peer["profile"])
        v["flat_peer"] = max(0.0, 1 - recent["flat"] / max(peer["flat"], 1e-6))
        v["erratic_peer"] = max(0.0, recent["erratic"] / max(peer["erratic"], 1e-6) - 1)
        v["zero_hours_peer"] = max(0.0, recent["zeros"] - peer["zeros"])
        v["peak_peer"] = max(0.0, 1 - recent["peak"] / max(peer["peak"], 1e-6))
        f.update(flat_peer=peer["flat"], peer_corr=1 - v["shape_peer"], zeros=recent["zeros"])

"""A seeded population of meters with realistic hourly load, honest irregularities and injected theft.

Load: the simulator's residential / commercial / industrial shapes (`simulator.consumption.SHAPES`), each meter
with its own size, a shifted and perturbed daily curve, weekend factor, day-to-day (AR(1)) and hour-to-hour noise,
plus what its area shares: seasonal drift, weather, outages and, in a few areas, sustained load shedding.

Honest meters also do what makes theft detection hard: vacations (a low, flat load for 5-21 days), lasting level
changes (a household moves, an appliance is added), late installation, communication gaps (no readings for days,
the register keeps counting so the next reading holds the whole gap's energy), outages (no supply, no readings),
readings that stop before the end, and the odd spurious tamper event.

Theft follows the six false-data-injection families of Jokar, Arianpoo & Leung, "Electricity Theft Detection in
AMI Using Customers' Consumption Patterns", IEEE Trans. Smart Grid 7(1), 2016 (h1-h6), plus capping and gradual
decline. An attack starts on some day inside the window and lasts to its end.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from simulator.consumption import SHAPES

TYPES = {"residential": "Single Phase", "commercial": "Three Phase", "industrial": "Three Phase CT"}
TYPE_SHARES = {"residential": 0.75, "commercial": 0.20, "industrial": 0.05}
HOUR_NOISE = {"residential": 0.35, "commercial": 0.20, "industrial": 0.12}
ATTACKS = ("scale", "zero_window", "random_scale", "mean_scaled", "flatten", "reverse", "cap", "gradual")
MAGNETIC_FIELD, METER_COVER_OPENED, TERMINAL_COVER_OPENED = 42, 44, 40


@dataclass
class Population:
    first_day: date
    meters: list[str]
    areas: list[str]                 # area id of each meter
    kinds: list[str]                 # residential | commercial | industrial
    true_kwh: np.ndarray             # (meters, days, 24) what the customer drew, per local hour
    metered_kwh: np.ndarray          # (meters, days, 24) what the meter counted
    read: np.ndarray                 # (meters, days, 24) bool: a register reading exists at the end of this hour
    attack: list[str | None]
    attack_start: list[int | None]   # day index
    tamper: list[list[tuple[datetime, int]]] = field(default_factory=list)  # (UTC time, fraud log code)
    notes: list[list[str]] = field(default_factory=list)  # honest irregularities, for reading the results

    @property
    def days(self) -> int:
        return int(self.true_kwh.shape[1])

    @property
    def thief(self) -> np.ndarray:
        return np.array([a is not None for a in self.attack])

    def meter_type(self, n: int) -> str:
        return TYPES[self.kinds[n]]


def generate(meters: int = 2000, days: int = 180, theft_share: float = 0.08, areas: int = 10, seed: int = 1,
             last_day: date | None = None, attack_days: tuple[int, int] = (45, 14), tz: str = "Africa/Lagos"
             ) -> Population:
    """`attack_days` = (earliest start day, fewest days of attack before the end)."""
    rng = np.random.default_rng(seed)
    last_day = last_day or date.today() - timedelta(days=1)
    first_day = last_day - timedelta(days=days - 1)
    area_ids = [f"area-{a + 1:02d}" for a in range(areas)]
    kinds = list(rng.choice(list(TYPE_SHARES), size=meters, p=list(TYPE_SHARES.values())))
    area_of = rng.integers(0, areas, size=meters)
    weekday = np.array([(first_day + timedelta(days=d)).weekday() >= 5 for d in range(days)])
    area_day, area_off = _area_effects(rng, areas, days)
    true = np.empty((meters, days, 24))
    notes: list[list[str]] = [[] for _ in range(meters)]
    for n in range(meters):
        true[n] = _honest_load(rng, kinds[n], weekday, area_day[area_of[n]], notes[n])
        true[n][area_off[area_of[n]]] = 0.0  # area outage: no supply
    read = ~area_off[area_of]
    tamper: list[list[tuple[datetime, int]]] = [[] for _ in range(meters)]
    _irregularities(rng, true, read, notes, tamper, first_day, ZoneInfo(tz))
    metered = true.copy()
    attack: list[str | None] = [None] * meters
    start: list[int | None] = [None] * meters
    weights = rng.uniform(0.3, 1.7, size=areas)[area_of]  # theft clusters in some areas
    count = round(theft_share * meters)
    thieves = rng.choice(meters, size=count, replace=False, p=weights / weights.sum())
    earliest, fewest = attack_days
    for k, n in enumerate(sorted(thieves)):
        installed = int(np.argmax(read[n].any(axis=1)))
        low = max(earliest, installed + 30)
        day = int(rng.integers(min(low, days - fewest), days - fewest + 1))
        kind = ATTACKS[(k + seed) % len(ATTACKS)]
        metered[n, day:] = _attack(rng, kind, true[n], day)
        attack[n], start[n] = kind, day
        if rng.random() < 0.3:
            for _ in range(int(rng.integers(1, 5))):
                at = _utc(first_day, day + rng.uniform(-3, 10), ZoneInfo(tz))
                tamper[n].append((at, int(rng.choice([MAGNETIC_FIELD, METER_COVER_OPENED, TERMINAL_COVER_OPENED]))))
    metered[~read & (true == 0)] = 0.0  # without supply a meter counts nothing, whatever the attack
    numbers = [f"0437{n:07d}" for n in range(meters)]
    return Population(first_day, numbers, [area_ids[a] for a in area_of], kinds, true, metered, read, attack, start,
                      tamper, notes)


def _area_effects(rng: np.random.Generator, areas: int, days: int) -> tuple[np.ndarray, np.ndarray]:
    """(areas, days) load factor and (areas, days, 24) outage mask."""
    d = np.arange(days)
    factor = np.empty((areas, days))
    off = np.zeros((areas, days, 24), dtype=bool)
    for a in range(areas):
        weather = np.zeros(days)
        for i in range(1, days):
            weather[i] = 0.8 * weather[i - 1] + rng.normal(0, 0.04)
        factor[a] = (1 + 0.1 * np.sin(2 * np.pi * (d / 365 + rng.uniform(0, 1)))) * np.exp(weather)
        if a % 4 == 1:  # sustained load shedding in some areas: everyone there draws less
            begin = int(rng.integers(days // 2, days - 10))
            factor[a, begin:] *= rng.uniform(0.55, 0.75)
        for _ in range(int(rng.integers(2, 6))):
            hour = int(rng.integers(0, days * 24 - 12))
            off[a].reshape(-1)[hour:hour + int(rng.integers(2, 11))] = True
    return factor, off


def _honest_load(rng: np.random.Generator, kind: str, weekend: np.ndarray, area_day: np.ndarray,
                 notes: list[str]) -> np.ndarray:
    shape = SHAPES[kind]
    base = np.array(shape.hourly)
    shift = rng.uniform(-1.5, 1.5)
    hours = np.arange(24)
    curve = np.interp((hours - shift) % 24, np.arange(25), np.append(base, base[0]))
    curve *= np.exp(rng.normal(0, 0.12, 24))
    curve /= curve.mean()
    size = shape.mean_w / 1000 * float(np.exp(rng.normal(0, 0.45)))
    days = len(weekend)
    level = np.ones(days)
    noise = np.zeros(days)
    for i in range(1, days):
        noise[i] = 0.5 * noise[i - 1] + rng.normal(0, 0.1)
    level *= np.exp(noise) * area_day * np.where(weekend, shape.weekend * np.exp(rng.normal(0, 0.1)), 1.0)
    if rng.random() < 0.04:  # a lasting change: people move in or out, an appliance is added or removed
        at = int(rng.integers(30, days - 10))
        change = rng.uniform(0.45, 0.75) if rng.random() < 0.5 else rng.uniform(1.3, 1.8)
        level[at:] *= change
        notes.append(f"level x{change:.2f} from day {at}")
    load = size * level[:, None] * curve[None, :] * np.exp(rng.normal(0, HOUR_NOISE[kind], (days, 24)))
    if rng.random() < 0.06:  # vacation: only the fridge and standby, a low flat load
        at = int(rng.integers(0, days - 5))
        length = int(rng.integers(5, 22))
        load[at:at + length] = size * rng.uniform(0.1, 0.35) * np.exp(rng.normal(0, 0.1, load[at:at + length].shape))
        notes.append(f"vacation days {at}-{min(days, at + length) - 1}")
    return load


def _irregularities(rng: np.random.Generator, true: np.ndarray, read: np.ndarray, notes: list[list[str]],
                    tamper: list[list[tuple[datetime, int]]], first_day: date, tz: ZoneInfo) -> None:
    meters, days, _ = true.shape
    for n in range(meters):
        flat = read[n].reshape(-1)
        if rng.random() < 0.03:  # installed late: nothing before
            at = int(rng.integers(20, 150 * days // 180))
            true[n, :at] = 0.0
            read[n, :at] = False
            notes[n].append(f"installed day {at}")
        if rng.random() < 0.15:  # communication gaps: the register keeps counting, readings are missing
            for _ in range(int(rng.integers(1, 4))):
                hour = int(rng.integers(0, days * 24 - 24))
                length = int(rng.integers(24, 24 * 10))
                flat[hour:hour + length] = False
                notes[n].append(f"comms gap from day {hour // 24} for {length} h")
        if rng.random() < 0.02:  # readings stop before the end
            at = days - int(rng.integers(3, 13))
            read[n, at:] = False
            notes[n].append(f"no readings after day {at}")
        if rng.random() < 0.06:  # outages at the customer: no supply, no readings
            for _ in range(int(rng.integers(1, 5))):
                hour = int(rng.integers(0, days * 24 - 36))
                length = int(rng.integers(2, 37))
                flat[hour:hour + length] = False
                true[n].reshape(-1)[hour:hour + length] = 0.0
                notes[n].append(f"outage from day {hour // 24} for {length} h")
        if rng.random() < 0.02:  # a spurious tamper event (a magnet near the meter, a careless technician)
            tamper[n].append((_utc(first_day, rng.uniform(0, days), tz), int(rng.choice([MAGNETIC_FIELD,
                                                                                         METER_COVER_OPENED]))))
            notes[n].append("spurious tamper event")


def _attack(rng: np.random.Generator, kind: str, load: np.ndarray, start: int) -> np.ndarray:
    """What the meter counts from `start` to the end under this attack (Jokar et al. h1-h6, capping, decline)."""
    x = load[start:].copy()
    days = x.shape[0]
    mean = x.mean(axis=1, keepdims=True)
    if kind == "scale":  # h1: a constant factor
        return x * rng.uniform(0.1, 0.8)
    if kind == "zero_window":  # h2: nothing counted in one window of hours every day
        begin = int(rng.integers(0, 20))
        x[:, begin:begin + int(rng.integers(4, 13))] = 0.0
        return x
    if kind == "random_scale":  # h3: a random factor every hour
        return x * rng.uniform(0.1, 0.8, x.shape)
    if kind == "mean_scaled":  # h4: the day's mean times a random factor every hour
        return mean * rng.uniform(0.1, 0.8, x.shape)
    if kind == "flatten":  # h5: the day's mean every hour
        return np.repeat(mean, 24, axis=1)
    if kind == "reverse":  # h6: the day reversed
        return x[:, ::-1].copy()
    if kind == "cap":  # a current limiter on the meter side: never more than a fraction of the usual peak
        peak = np.quantile(load[max(0, start - 60):start], 0.95)
        return np.minimum(x, peak * rng.uniform(0.2, 0.5))
    if kind == "gradual":  # a growing share bypassed, then held
        ramp = int(rng.integers(20, 61))
        end = rng.uniform(0.1, 0.6)
        factor = np.maximum(end, 1 - (1 - end) * np.arange(1, days + 1) / ramp)
        return x * factor[:, None]
    raise ValueError(f"unknown attack {kind!r}")


def _utc(first_day: date, day: float, tz: ZoneInfo) -> datetime:
    local = datetime.combine(first_day, time(), tz) + timedelta(days=max(0.0, day))
    return local.astimezone(UTC).replace(microsecond=0)


def register_rows(pop: Population, n: int, tz: ZoneInfo, hourly_from: int = 0, coarse_hours: int = 4
                  ) -> list[tuple[datetime, float]]:
    """(UTC time, import register kWh) of meter n: a reading at the end of each read hour from day `hourly_from`
    on, every `coarse_hours` before (the register is cumulative, so day totals stay exact either way)."""
    metered, read = pop.metered_kwh[n], pop.read[n]
    if not read.any():
        return []
    counted = np.cumsum(metered.reshape(-1))
    start = datetime.combine(pop.first_day, time(), tz)
    first = int(np.argmax(read.reshape(-1)))
    register = 1000.0 + (n % 97) * 37.0
    rows = [((start + timedelta(hours=first)).astimezone(UTC), register + (counted[first - 1] if first else 0.0))]
    flat = read.reshape(-1)
    for hour in range(first, flat.size):
        if not flat[hour] or (hour < hourly_from * 24 and (hour + 1) % coarse_hours):
            continue
        rows.append(((start + timedelta(hours=hour + 1)).astimezone(UTC), register + float(counted[hour])))
    return rows


def cosem_datetime(at: datetime) -> str:
    """A COSEM date-time (12 octets, UTC, deviation 0) in hex, as event-log reads carry it."""
    u = at.astimezone(UTC)
    return bytes([u.year >> 8, u.year & 0xFF, u.month, u.day, 0xFF, u.hour, u.minute, u.second, 0, 0, 0, 0]).hex()

"""Deterministic consumption model: what a simulated customer draws at any instant.

Everything here is a pure function of (seed, time): no state, no clock reads, no global RNG.
Demand is constant within a 15-minute slot (the slot's noise is keyed on its index), so the
energy of a slot is simply demand x duration and a load profile can be recomputed exactly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

SLOT = timedelta(minutes=15)
_MASK = (1 << 64) - 1


def _normalised(hourly: tuple[float, ...]) -> tuple[float, ...]:
    mean = sum(hourly) / len(hourly)
    return tuple(value / mean for value in hourly)


@dataclass(frozen=True)
class LoadShape:
    """A customer class: relative demand per local hour (mean 1 over a weekday) and its size."""

    name: str
    hourly: tuple[float, ...]
    weekend: float  # demand factor on Saturday and Sunday
    mean_w: float  # average weekday demand of a typical customer
    phases: int
    power_factor: float


SHAPES: dict[str, LoadShape] = {
    shape.name: shape
    for shape in (
        LoadShape("residential", _normalised((
            0.45, 0.40, 0.38, 0.37, 0.38, 0.50, 0.85, 1.25, 1.15, 0.85, 0.75, 0.75,
            0.80, 0.75, 0.72, 0.78, 0.95, 1.35, 1.85, 2.00, 1.85, 1.55, 1.05, 0.65)),
            weekend=1.15, mean_w=450.0, phases=1, power_factor=0.95),
        LoadShape("commercial", _normalised((
            0.30, 0.30, 0.30, 0.30, 0.30, 0.35, 0.50, 0.90, 1.40, 1.65, 1.70, 1.70,
            1.65, 1.70, 1.70, 1.65, 1.55, 1.30, 0.90, 0.60, 0.45, 0.38, 0.33, 0.30)),
            weekend=0.40, mean_w=6_000.0, phases=3, power_factor=0.90),
        LoadShape("industrial", _normalised((
            0.60, 0.58, 0.58, 0.58, 0.60, 0.75, 1.15, 1.25, 1.25, 1.25, 1.25, 1.20,
            1.15, 1.25, 1.25, 1.25, 1.25, 1.20, 1.15, 1.10, 1.05, 0.95, 0.70, 0.62)),
            weekend=0.65, mean_w=40_000.0, phases=3, power_factor=0.88),
    )
}


def unit_random(seed: int, index: int, salt: int = 0) -> float:
    """A uniform number in [0, 1) from (seed, index, salt): splitmix64, fast and stable."""
    z = (seed * 0x9E3779B97F4A7C15 + index * 0xBF58476D1CE4E5B9 + salt * 0x94D049BB133111EB) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return ((z ^ (z >> 31)) >> 11) / float(1 << 53)


def slot_index(t: datetime) -> int:
    return int(t.timestamp()) // int(SLOT.total_seconds())


def slot_start(t: datetime) -> datetime:
    return datetime.fromtimestamp(slot_index(t) * SLOT.total_seconds(), UTC)


@dataclass(frozen=True)
class Consumer:
    """One customer: a load shape, a per-meter size and noise drawn from the seed."""

    shape: LoadShape
    seed: int
    utc_offset: timedelta = timedelta(0)  # local time of the customer, for the daily shape

    @property
    def scale(self) -> float:
        """Per-meter size relative to the typical customer: 0.5 to 1.5."""
        return 0.5 + unit_random(self.seed, 0, salt=1)

    def expected_w(self, t: datetime) -> float:
        """Demand without noise: the shape at local time t (interpolated between hours) x size."""
        local = t.astimezone(UTC) + self.utc_offset
        hour = local.hour + local.minute / 60
        low = self.shape.hourly[int(hour) % 24]
        high = self.shape.hourly[(int(hour) + 1) % 24]
        factor = low + (high - low) * (hour - int(hour))
        if local.weekday() >= 5:
            factor *= self.shape.weekend
        return self.shape.mean_w * self.scale * factor

    def demand_w(self, t: datetime) -> float:
        """Demand during t's 15-minute slot: expected demand at the slot start x slot noise."""
        index = slot_index(t)
        spread = sum(unit_random(self.seed, index, salt) for salt in (2, 3, 4)) - 1.5  # ~N(0, 0.5)
        start = datetime.fromtimestamp(index * SLOT.total_seconds(), UTC)
        return self.expected_w(start) * max(0.05, 1 + 0.3 * spread)

    def voltage_v(self, t: datetime) -> float:
        """Supply voltage: 230 V nominal, a little lower under load, minute-to-minute ripple."""
        minute = int(t.timestamp()) // 60
        sag = 6 * min(1.0, self.expected_w(t) / (self.shape.mean_w * 2.5))
        return 232.0 - sag + 4 * (unit_random(self.seed, minute, salt=5) - 0.5)

    def frequency_hz(self, t: datetime) -> float:
        return 50.0 + 0.1 * (unit_random(self.seed, int(t.timestamp()) // 10, salt=6) - 0.5)

    def power_factor(self, t: datetime) -> float:
        return min(0.999, self.shape.power_factor + 0.04 * (unit_random(self.seed, slot_index(t), salt=7) - 0.5))

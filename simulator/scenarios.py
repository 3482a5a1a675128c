"""What each scenario does to a meter, as pure functions of (seed, fleet epoch, time).

The fleet epoch is when the simulation started; scenario onsets sit before it so that a
freshly started fleet already shows the anomaly in its (backfilled) load profile.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from simulator.consumption import unit_random

NORMAL, TAMPER, BYPASS, REVERSE_FLOW, OUTAGE, NEVER_ONLINE, SECURED = (
    "normal", "tamper", "bypass", "reverse_flow", "outage", "never_online", "secured")
SCENARIOS = (NORMAL, TAMPER, BYPASS, REVERSE_FLOW, OUTAGE, NEVER_ONLINE, SECURED)

# Standard event log (0.0.99.98.0.255) codes.
POWER_DOWN, POWER_UP, CLOCK_ADJUSTED_OLD, CLOCK_ADJUSTED_NEW = 1, 2, 4, 5
REMOTE_DISCONNECT, REMOTE_RECONNECT = 49, 50
TOKEN_ACCEPTED, TOKEN_REJECTED = 210, 211
# Fraud event log (0.0.99.98.1.255) codes.
TERMINAL_COVER_OPENED, MAGNETIC_FIELD, METER_COVER_OPENED, NEUTRAL_MISSING, REVERSE_CURRENT = 40, 42, 44, 201, 202
FRAUD_CODES = (METER_COVER_OPENED, TERMINAL_COVER_OPENED, MAGNETIC_FIELD, NEUTRAL_MISSING, REVERSE_CURRENT)

ONSET_BEFORE_EPOCH = timedelta(hours=12)  # reverse flow starts 12-18 h before the fleet epoch
# a bypass starts 6-9 days before it, so the demo's daily history shows the drop the theft rules look for
BYPASS_ONSET_BEFORE_EPOCH, BYPASS_ONSET_SPREAD = timedelta(days=6), timedelta(days=3)
BYPASS_IMPORT = 0.15  # share of the demand a bypassed meter still registers
REVERSE_IMPORT, REVERSE_EXPORT = 0.05, 0.80  # shares registered as import / export when wired backwards
OUTAGE_CYCLE, OUTAGE_LENGTH = timedelta(hours=4), timedelta(minutes=20)  # one outage per cycle
TAMPER_CYCLE = timedelta(hours=3)  # one fraud event per cycle
_EPOCH0 = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Scenario:
    name: str
    seed: int
    epoch: datetime

    def __post_init__(self) -> None:
        if self.name not in SCENARIOS:
            raise ValueError(f"unknown scenario {self.name!r}; expected one of {', '.join(SCENARIOS)}")

    @property
    def dials(self) -> bool:
        return self.name != NEVER_ONLINE

    @property
    def secured(self) -> bool:
        return self.name == SECURED

    @property
    def onset(self) -> datetime:
        """When bypass or reverse flow began."""
        if self.name == BYPASS:
            return self.epoch - BYPASS_ONSET_BEFORE_EPOCH - BYPASS_ONSET_SPREAD * unit_random(self.seed, 0, salt=20)
        return self.epoch - ONSET_BEFORE_EPOCH - timedelta(hours=6) * unit_random(self.seed, 0, salt=20)

    def registered(self, t: datetime) -> tuple[float, float]:
        """Shares of the customer's demand the meter registers as (import, export) at t."""
        if self.name == BYPASS and t >= self.onset:
            return BYPASS_IMPORT, 0.0
        if self.name == REVERSE_FLOW and t >= self.onset:
            return REVERSE_IMPORT, REVERSE_EXPORT
        return 1.0, 0.0

    def _outage_window(self, cycle: int) -> tuple[datetime, datetime]:
        offset = (OUTAGE_CYCLE - OUTAGE_LENGTH) * unit_random(self.seed, cycle, salt=21)
        begin = _EPOCH0 + OUTAGE_CYCLE * cycle + timedelta(seconds=int(offset.total_seconds()))
        return begin, begin + OUTAGE_LENGTH

    def in_outage(self, t: datetime) -> bool:
        if self.name != OUTAGE:
            return False
        begin, end = self._outage_window((t - _EPOCH0) // OUTAGE_CYCLE)
        return begin <= t < end

    def next_change(self, t: datetime) -> datetime | None:
        """The first instant after t at which the outage state or the registered shares change."""
        changes: list[datetime] = []
        if self.name == OUTAGE:
            cycle = (t - _EPOCH0) // OUTAGE_CYCLE
            changes = [edge for c in (cycle, cycle + 1) for edge in self._outage_window(c) if edge > t]
        if self.name in (BYPASS, REVERSE_FLOW) and self.onset > t:
            changes.append(self.onset)
        return min(changes, default=None)

    def fraud_events(self, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
        """Fraud events the meter detects in [start, end), oldest first."""
        events: list[tuple[datetime, int]] = []
        if self.name == REVERSE_FLOW and start <= self.onset < end:
            events.append((self.onset, REVERSE_CURRENT))
        if self.name == TAMPER:
            for cycle in range((start - _EPOCH0) // TAMPER_CYCLE, (end - _EPOCH0) // TAMPER_CYCLE + 1):
                offset = TAMPER_CYCLE * unit_random(self.seed, cycle, salt=22)
                at = _EPOCH0 + TAMPER_CYCLE * cycle + timedelta(seconds=int(offset.total_seconds()))
                if start <= at < end:
                    events.append((at, FRAUD_CODES[int(unit_random(self.seed, cycle, salt=23) * len(FRAUD_CODES))]))
        return events

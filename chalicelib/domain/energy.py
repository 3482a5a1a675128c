"""Energy between two readings of a cumulative register, with the checks that keep reports honest.

A register that goes down (reset, meter replacement) or jumps faster than any meter could count
(a replacement by a meter with a higher register, a corrupt value) yields no energy and a flag; the
caller records the flag as an event, so the report shows a flagged gap instead of negative or giant
consumption.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAX_PLAUSIBLE_KW = 2_000.0  # far above any low-voltage or CT meter's reach; a higher rate is not energy


@dataclass(frozen=True)
class Delta:
    wh: float | None
    flag: str | None = None  # "register_reset" | "implausible_jump"


def register_delta(before: float, before_at: datetime, after: float, after_at: datetime) -> Delta:
    if after < before:
        return Delta(None, "register_reset")
    wh = after - before
    hours = max((after_at - before_at).total_seconds(), 1.0) / 3600
    if wh / 1000 / hours > MAX_PLAUSIBLE_KW and wh > MAX_PLAUSIBLE_KW * 1000 / 60:  # >2 MW, and > a minute's worth
        return Delta(None, "implausible_jump")
    return Delta(wh)


Flag = tuple[str, dict[str, Any]]  # (register_reset | implausible_jump, {"register", "before", "after"})


def energy_between(before: Mapping[str, float | None], before_at: datetime, after: Mapping[str, float | None],
                   after_at: datetime, registers: Mapping[str, str]) -> tuple[dict[str, float], list[Flag]]:
    """Energy between two readings for each register present in both (`registers`: energy name -> OBIS code,
    e.g. import_wh -> 1.0.1.8.0.255; the readings are keyed by energy name), and the flags of those that gave
    none."""
    deltas: dict[str, float] = {}
    flags: list[Flag] = []
    for name, obis in registers.items():
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            continue
        delta = register_delta(old, before_at, new, after_at)
        if delta.wh is None:
            flags.append((delta.flag or "register_reset", {"register": obis, "before": old, "after": new}))
        else:
            deltas[name] = delta.wh
    return deltas, flags

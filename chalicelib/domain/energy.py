"""Energy between two readings of a cumulative register, with the checks that keep reports honest.

A register that goes down (reset, meter replacement) or jumps faster than any meter could count
(a replacement by a meter with a higher register, a corrupt value) yields no energy and a flag; the
caller records the flag as an event, so the report shows a flagged gap instead of negative or giant
consumption.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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

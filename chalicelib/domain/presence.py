"""Whether a meter counts as online: its socket is up and it was heard from within the window."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any


def is_online(meter: dict[str, Any], window_s: int, moment: datetime) -> bool:
    last_seen = meter.get("last_seen")
    return bool(meter.get("online")) and last_seen is not None and moment - last_seen <= timedelta(seconds=window_s)


def online_filter(window_s: int, moment: datetime) -> dict[str, Any]:
    """The MongoDB filter for :func:`is_online` at ``moment``."""
    return {"online": True, "last_seen": {"$gte": moment - timedelta(seconds=window_s)}}


def hours_online(transitions: list[tuple[datetime, bool]], online_now: bool, since: datetime,
                 until: datetime) -> float:
    """Hours a meter's connection was up in [since, until], from its connection events in that period in time
    order (True: communication restored, False: lost; one is recorded at each change). Before the first event
    the state was the opposite of it; with no event in the period the state never changed, so it is
    `online_now` throughout."""
    if not transitions:
        return round((until - since).total_seconds() / 3600, 1) if online_now else 0.0
    up, start, total = not transitions[0][1], since, 0.0
    for at, state in transitions:
        at = min(max(at, since), until)
        if up:
            total += (at - start).total_seconds()
        up, start = state, at
    if up:
        total += (until - start).total_seconds()
    return round(total / 3600, 1)

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

"""Meter event codes and which of them are tamper alerts (IDIS codes up to 50; 201+ are our simulator's)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.dlms.cosem_values import parse_datetime

SEVERITY_RANK = {"critical": 4, "high": 3, "warning": 2, "info": 1}
STANDARD_LOG, FRAUD_LOG = "0.0.99.98.0.255", "0.0.99.98.1.255"
EVENT_LOGS = (STANDARD_LOG, FRAUD_LOG)


@dataclass(frozen=True)
class EventKind:
    type: str
    severity: str  # info | warning | high | critical
    tamper: bool = False


STANDARD_EVENTS = {
    1: EventKind("power_down", "warning"), 2: EventKind("power_up", "info"),
    4: EventKind("clock_adjusted_old_time", "info"), 5: EventKind("clock_adjusted_new_time", "info"),
    49: EventKind("relay_disconnected", "info"), 50: EventKind("relay_reconnected", "info"),
    210: EventKind("token_accepted", "info"), 211: EventKind("token_rejected", "warning"),
}
FRAUD_EVENTS = {
    40: EventKind("terminal_cover_opened", "critical", True), 42: EventKind("magnetic_field", "critical", True),
    44: EventKind("meter_cover_opened", "critical", True), 201: EventKind("neutral_missing", "high", True),
    202: EventKind("reverse_current", "high", True),
}


def classify(log: str, code: int) -> EventKind:
    table = FRAUD_EVENTS if log == FRAUD_LOG else STANDARD_EVENTS
    default = EventKind(f"fraud_event_{code}", "high", True) if log == FRAUD_LOG else EventKind(
        f"event_{code}", "info")
    return table.get(code, default)


def log_row(row: Any) -> tuple[datetime | None, int] | None:
    """An event-log row as read (hex COSEM date-time, code): its time (None when the meter gave none) and code;
    None for a row that is not one."""
    try:
        at = parse_datetime(bytes.fromhex(row[0])) if isinstance(row[0], str) else None
        return at, int(row[1])
    except (TypeError, ValueError, IndexError):
        return None

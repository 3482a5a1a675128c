"""Revenue leakage indicators: the pure rules and the response schemas.

Five indicators, each a list of meters:
- zero-consumption: online, supplied (relay not disconnected, voltage present when known), read for the last
  48 hours, and the import register did not move;
- reverse-flow: the export register rose in the period on a meter not registered as generating;
- tamper: tamper alerts whose occurrences (first..last) touch the period, against the previous equal period;
- bypass: import energy recorded in whole hours after a relay disconnect and before the next reconnect;
- energy-at-risk: no reading for more than N days; unbilled kWh estimated from the 30 days before.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from chalicelib.domain.events import FRAUD_EVENTS, STANDARD_LOG, log_row

Indicator = Literal["zero-consumption", "reverse-flow", "tamper", "bypass", "energy-at-risk"]
INDICATORS: tuple[Indicator, ...] = ("zero-consumption", "reverse-flow", "tamper", "bypass", "energy-at-risk")
TITLES: dict[str, str] = {
    "zero-consumption": "Zero consumption while online", "reverse-flow": "Reverse energy flow",
    "tamper": "Tamper alerts", "bypass": "Consumption while disconnected", "energy-at-risk": "Energy at risk",
}
ZERO_HOURS = 48
HISTORY_DAYS = 30  # days before a meter went silent that its unbilled estimate is based on
RELAY = "0.0.96.3.10.255"
RELAY_EVENTS = {49: "disconnected", 50: "connected"}  # standard event log codes (domain/events.py)
TAMPER_TYPES = frozenset(kind.type for kind in FRAUD_EVENTS.values())
HOUR = timedelta(hours=1)

Window = tuple[datetime, datetime]


# --- relay state -------------------------------------------------------------------------------
def relay_observations(items: Iterable[Mapping[str, Any]], read_at: datetime) -> list[tuple[datetime, str]]:
    """(time, "connected" | "disconnected") seen in one meter's command results: read-backs of the relay's
    output state, and relay disconnect / reconnect rows of its standard event log."""
    out: list[tuple[datetime, str]] = []
    for item in items:
        if not item.get("ok"):
            continue
        if item.get("op") == "get" and item.get("obis") == RELAY and item.get("index") == 2 \
                and isinstance(item.get("value"), bool):
            out.append((_time(item.get("at")) or read_at, "connected" if item["value"] else "disconnected"))
        elif item.get("op") == "get_range" and item.get("obis") == STANDARD_LOG:
            for row in item.get("value") or []:
                parsed = log_row(row)
                if parsed and parsed[1] in RELAY_EVENTS:
                    out.append((parsed[0] or read_at, RELAY_EVENTS[parsed[1]]))
    return out


def _time(raw: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def disconnected_windows(observations: Iterable[tuple[datetime, str]], start: datetime, end: datetime
                         ) -> list[Window]:
    """Stretches of [start, end) during which the relay was disconnected: from an observed disconnect to the
    next observed connected state (or `end`)."""
    windows: list[Window] = []
    opened: datetime | None = None
    for at, state in sorted(observations):
        if state == "disconnected" and opened is None:
            opened = at
        elif state == "connected" and opened is not None:
            windows.append((opened, at))
            opened = None
    if opened is not None:
        windows.append((opened, end))
    return [(max(a, start), min(b, end)) for a, b in windows if b > start and a < end]


def energy_in_windows(hourly_wh: Mapping[datetime, float], windows: list[Window]) -> tuple[float, int, Window | None]:
    """Import Wh of the hours (by their start) lying wholly inside a window, how many of them held energy, and
    the first window that did. An hour's energy is read within it, so a part-hour may hold energy from before
    the disconnect: only whole hours count."""
    total, hours, first = 0.0, 0, None
    for window in windows:
        inside = [wh for hour, wh in hourly_wh.items() if hour >= window[0] and hour + HOUR <= window[1] and wh > 0]
        if inside:
            total += sum(inside)
            hours += len(inside)
            first = first or window
    return total, hours, first


# --- tamper alerts -----------------------------------------------------------------------------
def is_tamper(alert: Mapping[str, Any]) -> bool:
    """An alert a tamper event raised (rule alerts of other features are not tamper alerts)."""
    kind = str(alert.get("type") or "")
    return alert.get("source", "meter") == "meter" and (kind in TAMPER_TYPES or kind.startswith("fraud_event_"))


def touches(alert: Mapping[str, Any], start: datetime, end: datetime) -> bool:
    """Whether an alert's occurrences (first..last) touch [start, end)."""
    first, last = alert.get("first_at"), alert.get("last_at") or alert.get("first_at")
    return first is not None and last is not None and first < end and last >= start


# --- zero consumption --------------------------------------------------------------------------
def supplied(meter: Mapping[str, Any]) -> bool:
    """Supply present as far as the HES knows: the relay is not disconnected and the last voltage was not zero."""
    voltage = ((meter.get("latest") or {}).get("1-0-32-7-0-255") or {}).get("value")
    return meter.get("relay_state") != "disconnected" and not (isinstance(voltage, int | float) and voltage <= 0)


# --- energy at risk ----------------------------------------------------------------------------
def silent_since(meter: Mapping[str, Any]) -> datetime | None:
    """The meter's last reading, or when it was last heard of when it never sent one."""
    moment: datetime | None = meter.get("last_reading_at") or meter.get("last_seen")
    return moment


def history_days(silent_day: date) -> tuple[date, date]:
    """The local days an unbilled estimate averages: the HISTORY_DAYS whole days before the silent one."""
    return silent_day - timedelta(days=HISTORY_DAYS), silent_day - timedelta(days=1)


@dataclass(frozen=True)
class Estimate:
    days_silent: float
    avg_daily_kwh: float | None  # None: no history
    unbilled_kwh: float | None


def unbilled(daily_wh: Mapping[date, float], since: datetime, moment: datetime) -> Estimate:
    """Average daily import over the history days with data (from the first to the last such day, so energy
    read after a gap is spread over it) times the days without a reading."""
    days_silent = max(0.0, (moment - since).total_seconds() / 86400)
    if not daily_wh:
        return Estimate(round(days_silent, 1), None, None)
    span = (max(daily_wh) - min(daily_wh)).days + 1
    average = sum(daily_wh.values()) / span / 1000
    return Estimate(round(days_silent, 1), round(average, 3), round(average * days_silent, 3))


# --- schemas -----------------------------------------------------------------------------------
class LeakageCounts(BaseModel):
    zero_consumption: int = Field(0, description="online meters whose import did not move in the last 48 h")
    reverse_flow: int = Field(0, description="meters not registered as generating whose export rose")
    reverse_export_kwh: float = 0.0
    tamper: int = Field(0, description="tamper alerts with occurrences in the period")
    tamper_previous: int = Field(0, description="the same in the previous period of equal length")
    tamper_meters: int = 0
    bypass: int = Field(0, description="meters that recorded import while their relay was disconnected")
    bypass_kwh: float = 0.0
    energy_at_risk: int = Field(0, description="meters without a reading for more than offline_days days")
    at_risk_kwh: float = Field(0.0, description="estimated unbilled kWh of those with history")
    at_risk_no_history: int = Field(0, description="meters at risk without history to estimate from")


class LeakageArea(LeakageCounts):
    area_id: str | None = Field(description="none: meters without an area")
    area_name: str | None


class TamperDay(BaseModel):
    day: str
    count: int = Field(description="tamper alerts with occurrences that day")


class LeakageSummary(BaseModel):
    area: str | None
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    previous_from: str
    previous_to: str
    timezone: str
    generated_at: datetime
    zero_hours: int
    offline_days: int
    overall: LeakageCounts
    areas: list[LeakageArea]
    tamper_trend: list[TamperDay]


class LeakageMeter(BaseModel):
    meter_number: str
    customer_name: str | None = None
    area_id: str | None = None
    area_name: str | None = None
    since: datetime | None = Field(None, description="zero-consumption: end of the last hour with import; "
                                   "reverse-flow: start of the first day with export; tamper: first alert; "
                                   "bypass: the disconnect; energy-at-risk: the last reading")
    import_kwh: float | None = None
    export_kwh: float | None = None
    hours: int | None = Field(None, description="zero-consumption: hours with readings; bypass: hours with import")
    alerts: int | None = None
    occurrences: int | None = None
    alert_types: list[str] = []
    last_at: datetime | None = None
    relay_state: str | None = None
    voltage_v: float | None = None
    days_silent: float | None = None
    avg_daily_kwh: float | None = Field(None, description="energy-at-risk: none = no history")
    estimated_kwh: float | None = Field(None, description="energy-at-risk: unbilled estimate; none = no history")


class LeakageMeterPage(BaseModel):
    indicator: Indicator
    title: str
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    items: list[LeakageMeter]
    total: int
    page: int
    page_size: int


# --- tables (CSV / PDF) ------------------------------------------------------------------------
COMMON_HEADERS = ["Meter Number", "Customer", "Area"]
HEADERS: dict[str, list[str]] = {
    "zero-consumption": ["Import kWh (48 h)", "Hours With Readings", "Voltage V", "Zero Since"],
    "reverse-flow": ["Export kWh", "Import kWh", "Exporting Since"],
    "tamper": ["Alerts", "Occurrences", "Types", "First Alert", "Last Alert"],
    "bypass": ["Import kWh While Disconnected", "Hours", "Relay Now", "Disconnected Since"],
    "energy-at-risk": ["Last Reading", "Days Silent", "Average Daily kWh", "Estimated Unbilled kWh"],
}
FIELDS: dict[str, list[str]] = {
    "zero-consumption": ["import_kwh", "hours", "voltage_v", "since"],
    "reverse-flow": ["export_kwh", "import_kwh", "since"],
    "tamper": ["alerts", "occurrences", "alert_types", "since", "last_at"],
    "bypass": ["import_kwh", "hours", "relay_state", "since"],
    "energy-at-risk": ["since", "days_silent", "avg_daily_kwh", "estimated_kwh"],
}
SUMMARY_HEADERS = ["Area", "Zero Consumption", "Reverse Flow", "Reverse Export kWh", "Tamper Alerts",
                   "Tamper Alerts Previous", "Bypass", "Bypass kWh", "Energy At Risk", "Estimated Unbilled kWh",
                   "At Risk Without History"]
SUMMARY_FIELDS = ["zero_consumption", "reverse_flow", "reverse_export_kwh", "tamper", "tamper_previous", "bypass",
                  "bypass_kwh", "energy_at_risk", "at_risk_kwh", "at_risk_no_history"]


def table_row(indicator: str, row: Mapping[str, Any], local: Any) -> list[Any]:
    """One meter as CSV / PDF cells; `local` formats a time in the utility's zone."""
    cells: list[Any] = [row["meter_number"], row.get("customer_name") or "", row.get("area_name") or ""]
    for name in FIELDS[indicator]:
        value = row.get(name)
        if isinstance(value, datetime):
            value = local(value)
        elif name == "estimated_kwh" and value is None:
            value = "no history"
        cells.append("" if value is None else value)
    return cells

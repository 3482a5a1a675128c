"""Reporting periods in the utility's time zone: hours, days, ISO weeks (Monday) and months.

Rollups are keyed by local period strings written at ingest time ("2026-10-05T14", "2026-10-05",
"2026-10"); weeks are built from days. Everything here is pure and tested on its own.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Granularity = Literal["hourly", "daily", "weekly", "monthly"]
GRANULARITIES: tuple[Granularity, ...] = ("hourly", "daily", "weekly", "monthly")
MAX_PERIODS = {"hourly": 24 * 93, "daily": 3 * 366, "weekly": 3 * 53, "monthly": 10 * 12}


def hour_key(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%dT%H")


def five_minute_key(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%Y-%m-%dT%H:") + f"{local.minute // 5 * 5:02d}"


def days(first: date, last: date) -> Iterator[date]:
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def periods(granularity: Granularity, first: date, last: date, tz: ZoneInfo) -> list[tuple[str, datetime]]:
    """Every period touching [first, last] (local days, inclusive), as (key, local start) pairs in order."""
    out: list[tuple[str, datetime]] = []
    if granularity == "hourly":
        for day in days(first, last):
            for hour in range(24):
                start = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
                out.append((start.strftime("%Y-%m-%dT%H"), start))
    elif granularity == "daily":
        out = [(d.isoformat(), datetime(d.year, d.month, d.day, tzinfo=tz)) for d in days(first, last)]
    elif granularity == "weekly":
        monday = week_start(first)
        while monday <= last:
            out.append((week_key(monday), datetime(monday.year, monday.month, monday.day, tzinfo=tz)))
            monday += timedelta(days=7)
    else:
        month = month_start(first)
        while month <= last:
            out.append((month.strftime("%Y-%m"), datetime(month.year, month.month, 1, tzinfo=tz)))
            month = next_month(month)
    return out


def day_to_period(day_key: str, granularity: Granularity) -> str:
    """The period a local day ("2026-10-05") belongs to."""
    day = date.fromisoformat(day_key)
    if granularity == "weekly":
        return week_key(day)
    if granularity == "monthly":
        return day_key[:7]
    return day_key


def local_today(tz: ZoneInfo, moment: datetime | None = None) -> date:
    return (moment or datetime.now(UTC)).astimezone(tz).date()


def last_month(tz: ZoneInfo, moment: datetime | None = None) -> tuple[date, date]:
    first_of_this = month_start(local_today(tz, moment))
    last = first_of_this - timedelta(days=1)
    return month_start(last), last

"""Plain-Python forms of COSEM values, shared by the gurux path, the fast path and the push layout.

Date-time rule (COSEM date-time, 12 octets, IEC 62056-6-2 §4.1.6.1):
- year 0xFFFF, month or day 0xFD/0xFE/0xFF, hour or minute 0xFF: not a point in time -> None;
- second 0xFF and hundredths 0xFF count as 0;
- deviation is minutes UTC - local (so local = UTC - deviation, gurux's default reading);
  0x8000 (not specified) means the wall clock is in the meter's zone, `local_tz` (UTC by default);
- the result is always an aware datetime in UTC; an impossible date (31 February) raises ValueError.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any

from gurux_dlms import GXBitString, GXDate, GXDateTime, GXTime
from gurux_dlms.enums import DateTimeSkips

NOT_A_TIMESTAMP = (
    DateTimeSkips.YEAR | DateTimeSkips.MONTH | DateTimeSkips.DAY | DateTimeSkips.HOUR | DateTimeSkips.MINUTE
)
DEVIATION_NOT_SPECIFIED = -0x8000
_PRINTABLE = frozenset(range(0x20, 0x7F))


@lru_cache(maxsize=64)
def fixed_offset(deviation: int) -> timezone:
    """The zone of a COSEM deviation (minutes UTC - local)."""
    return timezone(timedelta(minutes=-deviation))


def parse_datetime(raw: bytes, local_tz: tzinfo = UTC) -> datetime | None:
    """A 12-octet COSEM date-time as an aware UTC datetime, or None when it names no instant (see module doc)."""
    if len(raw) != 12:
        raise ValueError(f"a COSEM date-time has 12 octets, not {len(raw)}")
    year = raw[0] << 8 | raw[1]
    month, day, _weekday, hour, minute, second, hundredths = raw[2:9]
    if year == 0xFFFF or month >= 0xFD or day >= 0xFD or hour == 0xFF or minute == 0xFF:
        return None
    deviation = int.from_bytes(raw[9:11], "big", signed=True)
    zone = local_tz if deviation == DEVIATION_NOT_SPECIFIED else fixed_offset(deviation)
    stamp = datetime(
        year, month, day, hour, minute,
        0 if second == 0xFF else second,
        0 if hundredths == 0xFF else hundredths * 10_000,
        tzinfo=zone,
    )
    return stamp.astimezone(UTC)


def datetime_from_gurux(value: GXDateTime, local_tz: tzinfo = UTC) -> datetime | None:
    """The same rule applied to a date-time gurux has already decoded."""
    if value.skip & NOT_A_TIMESTAMP or value.extra or value.value is None:
        return None
    stamp: datetime = value.value
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=local_tz)
    return stamp.astimezone(UTC)


def is_printable(raw: bytes) -> bool:
    return all(b in _PRINTABLE for b in raw)


def octets_to_text(raw: bytes) -> str:
    """Serial numbers and logical device names: ASCII when every octet is printable, else upper-case hex."""
    return raw.decode("ascii") if is_printable(raw) else raw.hex().upper()


def logical_name_text(raw: bytes) -> str:
    """A 6-octet logical name as an OBIS code, e.g. b'\\x00\\x00\\x19\\x09\\x00\\xff' -> '0.0.25.9.0.255'."""
    if len(raw) != 6:
        raise ValueError(f"a logical name has 6 octets, not {len(raw)}")
    return ".".join(str(b) for b in raw)


def plain(value: Any, local_tz: tzinfo = UTC) -> Any:
    """Turn what gurux decoded into plain Python: int, float, bool, bytes, str, list, datetime, None."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, list):
        return [plain(item, local_tz) for item in value]
    if isinstance(value, GXDate):
        return None if value.skip & (DateTimeSkips.YEAR | DateTimeSkips.MONTH | DateTimeSkips.DAY) else date(
            value.value.year, value.value.month, value.value.day)
    if isinstance(value, GXTime):
        return None if value.skip & (DateTimeSkips.HOUR | DateTimeSkips.MINUTE) else time(
            value.value.hour, value.value.minute, value.value.second, value.value.microsecond)
    if isinstance(value, GXDateTime):
        return datetime_from_gurux(value, local_tz)
    if isinstance(value, GXBitString):
        return str(value)
    raise TypeError(f"no plain form for {type(value).__name__}")

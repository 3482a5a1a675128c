"""A hand-rolled A-XDR decoder for the common small push, answering exactly what `decode_notification` answers.

It knows one shape: Data-Notification, no or a fully specified date-time, body a flat structure of
octet-strings, null-data and fixed-size numbers (integers, enum, boolean, float32/64). Anything else,
including every malformed APDU, goes to the gurux path, which also supplies the DecodeError reason.
"""
from __future__ import annotations

import struct
from datetime import UTC, datetime, tzinfo

from chalicelib.dlms.cosem_values import parse_datetime
from chalicelib.dlms.notify import DATA_NOTIFICATION, Notification, decode_notification

_STRUCTURE, _OCTET_STRING, _NULL = 0x02, 0x09, 0x00
_FIXED = {  # A-XDR tag -> (size, unpack_from)
    0x03: (1, struct.Struct(">?").unpack_from),  # boolean
    0x05: (4, struct.Struct(">i").unpack_from),  # double-long
    0x06: (4, struct.Struct(">I").unpack_from),  # double-long-unsigned
    0x0F: (1, struct.Struct(">b").unpack_from),  # integer
    0x10: (2, struct.Struct(">h").unpack_from),  # long
    0x11: (1, struct.Struct(">B").unpack_from),  # unsigned
    0x12: (2, struct.Struct(">H").unpack_from),  # long-unsigned
    0x14: (8, struct.Struct(">q").unpack_from),  # long64
    0x15: (8, struct.Struct(">Q").unpack_from),  # long64-unsigned
    0x16: (1, struct.Struct(">B").unpack_from),  # enum
    0x17: (4, struct.Struct(">f").unpack_from),  # float32
    0x18: (8, struct.Struct(">d").unpack_from),  # float64
}
_UNKNOWN = object()


def decode_notification_fast(apdu: bytes, local_tz: tzinfo = UTC) -> Notification:
    """Same contract as notify.decode_notification, several times faster on the common shape."""
    data = bytes(apdu)
    try:
        notification = _decode(data, local_tz)
    except IndexError:  # ran off the end: malformed, let gurux explain
        notification = None
    return notification if notification is not None else decode_notification(data, local_tz)


def _decode(data: bytes, local_tz: tzinfo) -> Notification | None:
    size = len(data)
    if size < 8 or data[0] != DATA_NOTIFICATION:
        return None
    invoke_id = data[2] << 16 | data[3] << 8 | data[4]
    time_length = data[5]
    if time_length == 0:
        time, pos = None, 6
    elif time_length == 12 and size >= 20:
        time = _header_time(data[6:18], local_tz)
        if time is _UNKNOWN:
            return None
        pos = 18
    else:
        return None
    if data[pos] != _STRUCTURE:
        return None
    count = data[pos + 1]
    pos += 2
    if count >= 0x80:
        if count == 0x81:
            count, pos = data[pos], pos + 1
        elif count == 0x82:
            count, pos = data[pos] << 8 | data[pos + 1], pos + 2
        else:
            return None
    values: list[object] = []
    append = values.append
    fixed = _FIXED
    for _ in range(count):
        tag = data[pos]
        if tag == _OCTET_STRING:
            length = data[pos + 1]
            if length >= 0x80:
                return None
            end = pos + 2 + length
            if end > size:
                return None
            append(data[pos + 2:end])
        elif tag == _NULL:
            end = pos + 1
            append(None)
        else:
            spec = fixed.get(tag)
            if spec is None:
                return None
            end = pos + 1 + spec[0]
            if end > size:
                return None
            append(spec[1](data, pos + 1)[0])
        pos = end
    if pos != size:
        return None
    return Notification(invoke_id, time, values)  # type: ignore[arg-type]


def _header_time(raw: bytes, local_tz: tzinfo) -> datetime | object | None:
    # Only fully specified, in-range stamps: gurux has its own ideas about the odd ones, so those fall back.
    year = raw[0] << 8 | raw[1]
    month, day, _weekday, hour, minute, second, hundredths = raw[2:9]
    deviation = int.from_bytes(raw[9:11], "big", signed=True)
    if not (1900 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59
            and (second <= 59 or second == 0xFF) and (hundredths <= 99 or hundredths == 0xFF)
            and (-840 <= deviation <= 840 or deviation == -0x8000)):
        return _UNKNOWN
    try:
        return parse_datetime(raw, local_tz)
    except ValueError:
        return _UNKNOWN

"""Push Data-Notification APDUs (tag 0x0F) decoded through gurux, and mapped to readings by a push layout.

A push carries values without OBIS codes; the device profile's push layout says which position
(1-based, as in the profile) is which COSEM attribute, with its unit and scaler (a multiplier).
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from typing import Any

from gurux_dlms import GXByteBuffer, GXDate, GXDateTime, GXDLMSNotify, GXReplyData, GXTime
from gurux_dlms.enums import InterfaceType
from gurux_dlms.internal._GXCommon import _GXCommon
from gurux_dlms.internal._GXDataInfo import _GXDataInfo

from chalicelib.dlms.cosem_values import (
    datetime_from_gurux,
    is_printable,
    logical_name_text,
    octets_to_text,
    parse_datetime,
    plain,
)
from chalicelib.dlms.errors import DecodeError
from chalicelib.dlms.security import is_ciphered

DATA_NOTIFICATION = 0x0F
INVOKE_ID_MASK = 0x00FFFFFF
_local = threading.local()


@dataclass(frozen=True, slots=True)
class Notification:
    invoke_id: int  # the 24-bit invoke id; priority and service-class bits are dropped
    time: datetime | None  # aware UTC, see cosem_values for the rule
    values: list[Any]  # body structure/array elements in plain Python; octet strings stay bytes


def decode_notification(apdu: bytes, local_tz: tzinfo = UTC) -> Notification:
    """Decode a plaintext Data-Notification with gurux; raise DecodeError with a reason for anything else."""
    _check_tag(apdu)
    reply = GXReplyData()
    try:
        complete = _notifier().getData(GXByteBuffer(bytes(apdu)), reply)
    except Exception as exc:
        raise DecodeError(f"malformed Data-Notification: {type(exc).__name__} {exc}".strip()) from exc
    if not complete or not reply.complete:
        raise DecodeError("incomplete Data-Notification")
    _check_body_consumed(reply)
    body = reply.value
    if body is None:
        values: list[Any] = []
    elif isinstance(body, list):
        values = plain(body, local_tz)
    else:
        values = [plain(body, local_tz)]
    try:
        time = datetime_from_gurux(reply.time, local_tz) if _is_date_time(reply.time) else None
    except ValueError as exc:
        raise DecodeError(f"invalid date-time in the Data-Notification header: {exc}") from exc
    return Notification(int(reply.invokeId) & INVOKE_ID_MASK, time, values)


def _is_date_time(value: object) -> bool:
    # A 4- or 5-octet header is a time or a date only: no instant to report.
    return isinstance(value, GXDateTime) and not isinstance(value, GXDate | GXTime)


def _notifier() -> GXDLMSNotify:
    # One per thread: gurux settings are mutable, and building them costs a quarter of a decode.
    notifier = getattr(_local, "notifier", None)
    if notifier is None:
        notifier = _local.notifier = GXDLMSNotify(True, 1, 1, InterfaceType.PDU)
    return notifier


def _check_tag(apdu: bytes) -> None:
    if not apdu:
        raise DecodeError("empty APDU")
    tag = apdu[0]
    if is_ciphered(apdu):
        raise DecodeError(f"ciphered APDU (tag 0x{tag:02X}); decipher it with security.decrypt first")
    if tag != DATA_NOTIFICATION:
        raise DecodeError(f"not a Data-Notification: tag 0x{tag:02X}")
    if len(apdu) < 6:
        raise DecodeError(f"Data-Notification header truncated ({len(apdu)} bytes)")
    if len(apdu) < 6 + apdu[5]:
        raise DecodeError(f"Data-Notification date-time truncated ({len(apdu) - 6} of {apdu[5]} octets)")


def _check_body_consumed(reply: GXReplyData) -> None:
    # gurux marks a cut-short body complete (returning a partial structure) and appends values found
    # after the body to it, so compare with the declared element count and the bytes actually read.
    body = bytes(reply.data.array())
    if not body:
        raise DecodeError("Data-Notification has no notification body")
    if not isinstance(reply.value, list) or body[0] not in (0x01, 0x02):
        _check_single_value(body)
        return
    declared = _declared_count(body)
    if len(reply.value) < declared:
        raise DecodeError("notification body is truncated")
    if len(reply.value) > declared:
        raise DecodeError(f"{len(reply.value) - declared} unexpected values after the notification body")
    if reply.readPosition < len(body):
        raise DecodeError(f"{len(body) - reply.readPosition} unexpected bytes after the notification body")


def _check_single_value(body: bytes) -> None:
    buffer, info = GXByteBuffer(body), _GXDataInfo()
    try:
        _GXCommon.getData(_notifier().settings, buffer, info)
    except Exception as exc:
        raise DecodeError(f"malformed notification body: {type(exc).__name__} {exc}".strip()) from exc
    if not info.complete:
        raise DecodeError("notification body is truncated")
    if buffer.position != len(body):
        raise DecodeError(f"{len(body) - buffer.position} unexpected bytes after the notification body")


def _declared_count(body: bytes) -> int:
    first = body[1] if len(body) > 1 else 0
    if first < 0x80:
        return first
    size = first & 0x7F
    return int.from_bytes(body[2:2 + size], "big")


@dataclass(frozen=True, slots=True)
class PushField:
    """One push layout entry: which attribute sits at a 1-based position, and how to scale it."""

    position: int
    obis: str
    class_id: int
    index: int = 2
    scaler: float | None = None
    unit: str | None = None
    data_type: str | None = None  # profile data type, e.g. "date-time" or "octet-string"


@dataclass(frozen=True, slots=True)
class Reading:
    obis: str
    class_id: int
    index: int
    value: Any
    unit: str | None


def apply_push_layout(values: list[Any], layout: Iterable[PushField | Mapping[str, Any]],
                      local_tz: tzinfo = UTC) -> list[Reading]:
    """Readings for every layout entry, in layout order; values the layout does not name are ignored.

    Numbers with a scaler become float (value x scaler, decimal-exact); without one they stay as sent.
    Octet strings become a datetime for the clock (class 8 attribute 2), for data type "date-time", or
    when, untyped, they are 12 non-printable octets forming a valid date-time; an OBIS code for attribute 1
    (logical_name); otherwise text (ASCII when printable, else hex).
    """
    readings = []
    for field in (_as_field(entry) for entry in layout):
        if not 1 <= field.position <= len(values):
            raise DecodeError(f"push layout position {field.position} ({field.obis}) is missing: "
                              f"the push has {len(values)} values")
        try:
            value = _typed(values[field.position - 1], field, local_tz)
        except ValueError as exc:
            raise DecodeError(f"push layout position {field.position} ({field.obis}): {exc}") from exc
        readings.append(Reading(field.obis, field.class_id, field.index, value, field.unit))
    return readings


def _as_field(entry: PushField | Mapping[str, Any]) -> PushField:
    if isinstance(entry, PushField):
        return entry
    names = PushField.__slots__
    # A mapping, or any object with the same attribute names, e.g. a device profile's PushEntry.
    data = dict(entry) if isinstance(entry, Mapping) else {n: getattr(entry, n) for n in names if hasattr(entry, n)}
    missing = [n for n in ("position", "obis", "class_id") if data.get(n) is None]
    if missing:
        raise ValueError(f"push layout entry {data!r} lacks {', '.join(missing)}")
    return PushField(position=int(data["position"]), obis=str(data["obis"]), class_id=int(data["class_id"]),
                     index=int(data.get("index") or 2), scaler=data.get("scaler"), unit=data.get("unit") or None,
                     data_type=data.get("data_type"))


def _typed(value: Any, field: PushField, local_tz: tzinfo) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        if field.scaler is None:
            return value
        if isinstance(value, float):
            return value * field.scaler
        return float(Decimal(value) * Decimal(str(field.scaler)))
    if isinstance(value, bytes):
        return _typed_octets(value, field, local_tz)
    return value


def _typed_octets(raw: bytes, field: PushField, local_tz: tzinfo) -> Any:
    wants_datetime = field.data_type == "date-time" or (field.class_id == 8 and field.index == 2)
    if wants_datetime:
        return parse_datetime(raw, local_tz)
    if field.data_type is None and len(raw) == 12 and not is_printable(raw):
        try:
            stamp = parse_datetime(raw, local_tz)
        except ValueError:
            stamp = None
        if stamp is not None and 1970 < stamp.year < 2100:
            return stamp
    if field.index == 1 and len(raw) == 6:
        return logical_name_text(raw)
    return octets_to_text(raw)

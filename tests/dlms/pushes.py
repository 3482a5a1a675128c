"""Push Data-Notifications encoded by gurux's own encoder, for tests and the decode benchmark."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from gurux_dlms import GXByteBuffer, GXDateTime, GXDLMSNotify
from gurux_dlms.enums import DataType, DateTimeSkips, InterfaceType
from gurux_dlms.internal._GXCommon import _GXCommon

FAST_TYPES = {  # DataType -> random value factory; the shapes the fast path knows
    DataType.UINT32: lambda r: r.randrange(2**32),
    DataType.INT32: lambda r: r.randrange(-(2**31), 2**31),
    DataType.UINT16: lambda r: r.randrange(2**16),
    DataType.INT16: lambda r: r.randrange(-(2**15), 2**15),
    DataType.UINT8: lambda r: r.randrange(256),
    DataType.INT8: lambda r: r.randrange(-128, 128),
    DataType.UINT64: lambda r: r.randrange(2**64),
    DataType.INT64: lambda r: r.randrange(-(2**63), 2**63),
    DataType.FLOAT32: lambda r: r.uniform(-1e6, 1e6),
    DataType.FLOAT64: lambda r: r.uniform(-1e12, 1e12),
    DataType.ENUM: lambda r: r.randrange(256),
    DataType.BOOLEAN: lambda r: r.random() < 0.5,
    DataType.NONE: lambda r: None,
}
OFFSETS = (0, 60, -300, 330, 120, -600)


def encode_push(elements: list[tuple[int, Any]], time: GXDateTime | None = None, invoke_id: int = 1) -> bytes:
    """A Data-Notification APDU whose body is a structure of (DataType, value) pairs, encoded by gurux."""
    notify = GXDLMSNotify(True, 1, 1, InterfaceType.PDU)
    notify.settings.setLongInvokeID(invoke_id)
    body = GXByteBuffer()
    body.setUInt8(DataType.STRUCTURE)
    _GXCommon.setObjectCount(len(elements), body)
    for data_type, value in elements:
        _GXCommon.setData(notify.settings, body, data_type, value)
    (apdu,) = notify.generateDataNotificationMessages(time, body)
    return bytes(apdu)


def cosem_time(stamp: datetime, skip: int = DateTimeSkips.NONE) -> GXDateTime:
    value = GXDateTime(stamp)
    value.skip = skip
    return value


def random_time(rng: random.Random) -> GXDateTime:
    zone = timezone(timedelta(minutes=rng.choice(OFFSETS)))
    stamp = datetime(2020, 1, 1, tzinfo=zone) + timedelta(seconds=rng.randrange(10 * 365 * 86400),
                                                          microseconds=rng.randrange(100) * 10_000)
    skip = rng.choice((DateTimeSkips.NONE, DateTimeSkips.DEVITATION, DateTimeSkips.MILLISECOND,
                       DateTimeSkips.SECOND | DateTimeSkips.MILLISECOND, DateTimeSkips.YEAR))
    return cosem_time(stamp, skip)


def random_element(rng: random.Random, fast_only: bool) -> tuple[int, Any]:
    roll = rng.random()
    if roll < 0.15:
        return DataType.OCTET_STRING, f"SN{rng.randrange(10**8):08d}".encode()
    if roll < 0.25:
        return DataType.OCTET_STRING, random_time(rng)
    if roll < 0.3:
        return DataType.OCTET_STRING, bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
    if roll < 0.4 and not fast_only:
        return rng.choice((
            (DataType.STRING, "visible"),
            (DataType.STRUCTURE, [1, 2]),
            (DataType.DATETIME, random_time(rng)),
            (DataType.OCTET_STRING, bytes(200)),
        ))
    data_type = rng.choice(list(FAST_TYPES))
    return data_type, FAST_TYPES[data_type](rng)


def random_push(rng: random.Random, fast_only: bool = False) -> bytes:
    elements = [random_element(rng, fast_only) for _ in range(rng.randrange(1, 13))]
    if fast_only:
        elements = [(t, v) for t, v in elements if t != DataType.STRUCTURE]
    time = None if rng.random() < 0.3 else random_time(rng)
    return encode_push(elements, time, invoke_id=rng.randrange(1, 2**24))


def typical_push(serial: str = "SN00012345", energy_wh: int = 12_345_678) -> bytes:
    """The common small push: serial, clock, energy import/export, voltage, current, power, PF, frequency."""
    clock = cosem_time(datetime(2024, 5, 1, 12, 30, tzinfo=timezone(timedelta(hours=1))), DateTimeSkips.MILLISECOND)
    return encode_push([
        (DataType.OCTET_STRING, serial.encode()),
        (DataType.OCTET_STRING, clock),
        (DataType.UINT32, energy_wh),
        (DataType.UINT32, 4_321),
        (DataType.UINT16, 2_301),
        (DataType.UINT16, 512),
        (DataType.INT32, 1_175),
        (DataType.INT16, 987),
        (DataType.UINT16, 5_002),
    ], clock, invoke_id=42)

"""Who is dialling: the meter's identifier from its push, without decoding application data further."""
from __future__ import annotations

from typing import Any

from chalicelib.dlms.errors import DecodeError
from chalicelib.dlms.fastpath import decode_notification_fast

DATA_NOTIFICATION = 0x0F
GENERAL_GLO_CIPHERING = 0xDB


def is_push(apdu: bytes) -> bool:
    return bool(apdu) and apdu[0] == DATA_NOTIFICATION


def is_ciphered(apdu: bytes) -> bool:
    return len(apdu) > 10 and apdu[0] == GENERAL_GLO_CIPHERING and apdu[1] == 8


def identifier_from_ciphered(apdu: bytes) -> str:
    """A secured meter's push carries its system title in the clear; decode_frames maps it to the meter."""
    return "st:" + apdu[2:10].hex()


def identifier_from_push(apdu: bytes) -> str | None:
    """The first printable octet string of the push: the serial number or logical device name.

    Push layouts put the meter's identity first (IDIS, and our default profile); a push without
    one leaves the meter unidentified until a command reads 0.0.96.1.0.255.
    """
    try:
        values = decode_notification_fast(apdu).values
    except DecodeError:
        return None
    return _first_text(values)


def _first_text(values: Any) -> str | None:
    for value in values if isinstance(values, list | tuple) else [values]:
        if isinstance(value, bytes | bytearray) and value and all(0x20 < b < 0x7F for b in value):
            return bytes(value).decode("ascii")
        if isinstance(value, list | tuple):
            found = _first_text(value)
            if found:
                return found
    return None

"""The few AARE fields the session needs before gurux parses it: the meter's system title, and
the ciphered user-information (glo-initiate-response) swapped for its plaintext, deciphered by us."""
from __future__ import annotations

from collections.abc import Callable

from chalicelib.dlms.errors import DecodeError

AARE = 0x61
RESPONDING_AP_TITLE = 0xA4
USER_INFORMATION = 0xBE
OCTET_STRING = 0x04


def responding_system_title(aare: bytes) -> bytes | None:
    """The meter's system title from responding-AP-title (A4 len 04 len title), if present."""
    for tag, value in _elements(aare):
        if tag == RESPONDING_AP_TITLE and len(value) >= 2 and value[0] == OCTET_STRING:
            return value[2:2 + value[1]]
    return None


def user_information(aare: bytes) -> bytes | None:
    """The xDLMS APDU inside user-information (BE len 04 len apdu), if present."""
    for tag, value in _elements(aare):
        if tag == USER_INFORMATION and len(value) >= 2 and value[0] == OCTET_STRING:
            return value[2:2 + value[1]]
    return None


def replace_user_information(aare: bytes, convert: Callable[[bytes], bytes]) -> bytes:
    """The AARE with its user-information APDU replaced by `convert(apdu)`, lengths rebuilt."""
    parts = []
    for tag, value in _elements(aare):
        if tag == USER_INFORMATION and len(value) >= 2 and value[0] == OCTET_STRING:
            value = bytes([OCTET_STRING]) + _length(len(inner := convert(value[2:2 + value[1]]))) + inner
        parts.append(bytes([tag]) + _length(len(value)) + value)
    body = b"".join(parts)
    return bytes([AARE]) + _length(len(body)) + body


def _elements(aare: bytes) -> list[tuple[int, bytes]]:
    if not aare or aare[0] != AARE:
        raise DecodeError(f"not an AARE: tag 0x{aare[0]:02X}" if aare else "empty AARE")
    length, pos = _read_length(aare, 1)
    end = pos + length
    if end > len(aare):
        raise DecodeError("AARE is truncated")
    elements = []
    while pos < end:
        tag = aare[pos]
        size, pos = _read_length(aare, pos + 1)
        if pos + size > end:
            raise DecodeError(f"AARE element 0x{tag:02X} is truncated")
        elements.append((tag, aare[pos:pos + size]))
        pos += size
    return elements


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise DecodeError("AARE is truncated")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    if not 1 <= size <= 2 or pos + 1 + size > len(data):
        raise DecodeError("AARE has a malformed length")
    return int.from_bytes(data[pos + 1:pos + 1 + size], "big"), pos + 1 + size


def _length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    if length < 0x100:
        return bytes([0x81, length])
    return bytes([0x82]) + length.to_bytes(2, "big")

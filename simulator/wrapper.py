"""IEC 62056-47 WRAPPER framing: version 0x0001, source wPort, destination wPort, length, APDU."""
from __future__ import annotations

HEADER_LENGTH = 8
VERSION = 1


def frame(source: int, destination: int, apdu: bytes) -> bytes:
    return (VERSION.to_bytes(2, "big") + source.to_bytes(2, "big") + destination.to_bytes(2, "big")
            + len(apdu).to_bytes(2, "big") + bytes(apdu))


def split(buffer: bytes | bytearray) -> tuple[int, bytes | None]:
    """Take one frame off the front of buffer: (bytes consumed, frame or None).

    Returns (0, None) while the frame is incomplete; skips one byte of a header that is not a
    WRAPPER header, so the stream resynchronises after garbage."""
    if len(buffer) < HEADER_LENGTH:
        return 0, None
    if int.from_bytes(buffer[0:2], "big") != VERSION:
        return 1, None
    end = HEADER_LENGTH + int.from_bytes(buffer[6:8], "big")
    if len(buffer) < end:
        return 0, None
    return end, bytes(buffer[:end])

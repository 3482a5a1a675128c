"""IEC 62056-47 WRAPPER framing as pure functions: `parse` bytes into frames, `encode` frames into bytes.

Header (8 bytes, big endian): version 0x0001, source wPort, destination wPort, payload length.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from chalicelib.dlms.errors import FramingError

VERSION = 0x0001
HEADER_SIZE = 8
MAX_PAYLOAD = 0xFFFF
_HEADER = struct.Struct(">HHHH")


@dataclass(frozen=True, slots=True)
class WrapperFrame:
    source: int
    destination: int
    payload: bytes


def parse(buffer: bytes | bytearray | memoryview, max_payload: int = 4096) -> tuple[int, WrapperFrame | None]:
    """Answer (bytes consumed, frame) for the first frame in `buffer`, or (0, None) while more bytes are needed.

    Raises FramingError for a wrong version or a payload longer than `max_payload`: the stream
    cannot be resynchronised, so the caller should close the session.
    """
    if len(buffer) < HEADER_SIZE:
        return 0, None
    version, source, destination, length = _HEADER.unpack_from(buffer, 0)
    if version != VERSION:
        raise FramingError(f"WRAPPER version is 0x{version:04X}, expected 0x{VERSION:04X}")
    if length > max_payload:
        raise FramingError(f"WRAPPER payload length {length} exceeds the limit of {max_payload} bytes")
    end = HEADER_SIZE + length
    if len(buffer) < end:
        return 0, None
    return end, WrapperFrame(source, destination, bytes(buffer[HEADER_SIZE:end]))


def encode(source: int, destination: int, payload: bytes) -> bytes:
    """The WRAPPER frame carrying `payload` from wPort `source` to wPort `destination`."""
    for name, port in (("source", source), ("destination", destination)):
        if not 0 <= port <= 0xFFFF:
            raise ValueError(f"{name} wPort {port} is outside 0..65535")
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"payload of {len(payload)} bytes does not fit a WRAPPER frame (max {MAX_PAYLOAD})")
    return _HEADER.pack(VERSION, source, destination, len(payload)) + bytes(payload)

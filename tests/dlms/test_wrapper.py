"""WRAPPER framing over byte vectors, including frames produced by gurux's own client."""
from __future__ import annotations

import pytest
from gurux_dlms import GXDLMSClient
from gurux_dlms.enums import Authentication, InterfaceType

from chalicelib.dlms.errors import FramingError
from chalicelib.dlms.wrapper import WrapperFrame, encode, parse

GET_CLOCK = bytes.fromhex("0001 0010 0001 000d c001c100080000010000ff0200")
GET_CLOCK_APDU = GET_CLOCK[8:]


@pytest.mark.parametrize(
    ("buffer", "consumed", "frame"),
    [
        pytest.param(GET_CLOCK, 21, WrapperFrame(16, 1, GET_CLOCK_APDU), id="exact frame"),
        pytest.param(GET_CLOCK[:5], 0, None, id="partial header"),
        pytest.param(GET_CLOCK[:8], 0, None, id="header only"),
        pytest.param(GET_CLOCK[:-1], 0, None, id="partial payload"),
        pytest.param(GET_CLOCK + GET_CLOCK[:3], 21, WrapperFrame(16, 1, GET_CLOCK_APDU), id="frame then partial"),
        pytest.param(bytes.fromhex("0001 0001 0010 0000"), 8, WrapperFrame(1, 16, b""), id="zero length"),
        pytest.param(b"", 0, None, id="empty buffer"),
    ],
)
def test_parse_answers_bytes_consumed_and_frame(buffer: bytes, consumed: int, frame: WrapperFrame | None) -> None:
    assert parse(buffer) == (consumed, frame)


def test_two_frames_in_one_buffer_come_out_one_at_a_time() -> None:
    second = encode(1, 16, b"\x0f\x00\x00\x00\x01\x00\x00")
    buffer = bytearray(GET_CLOCK + second)
    frames = []
    while True:
        consumed, frame = parse(buffer)
        if frame is None:
            break
        frames.append(frame)
        del buffer[:consumed]
    assert frames == [WrapperFrame(16, 1, GET_CLOCK_APDU), WrapperFrame(1, 16, second[8:])]
    assert buffer == b""


@pytest.mark.parametrize("version", [b"\x00\x00", b"\x00\x02", b"\x7e\xa0"])
def test_a_wrong_version_is_a_framing_error(version: bytes) -> None:
    with pytest.raises(FramingError, match="version"):
        parse(version + GET_CLOCK[2:])


def test_a_wrong_version_is_caught_from_the_header_alone() -> None:
    with pytest.raises(FramingError):
        parse(b"\x00\x02\x00\x10\x00\x01\x00\x0d")


def test_an_oversized_length_is_a_framing_error_before_the_payload_arrives() -> None:
    with pytest.raises(FramingError, match="exceeds the limit of 4096"):
        parse(bytes.fromhex("0001 0010 0001 1001"))
    assert parse(bytes.fromhex("0001 0010 0001 1001"), max_payload=0x1001) == (0, None)


def test_encode_round_trips_and_matches_gurux_client_bytes() -> None:
    client = GXDLMSClient(True, 16, 1, Authentication.NONE, None, InterfaceType.WRAPPER)
    (request,) = client.aarqRequest()
    _, frame = parse(bytes(request))
    assert frame is not None
    assert encode(frame.source, frame.destination, frame.payload) == bytes(request)


@pytest.mark.parametrize(
    ("source", "destination", "payload"), [(-1, 1, b""), (1, 0x10000, b""), (1, 1, bytes(0x10000))]
)
def test_encode_refuses_what_a_header_cannot_carry(source: int, destination: int, payload: bytes) -> None:
    with pytest.raises(ValueError):
        encode(source, destination, payload)

"""HLS-GMAC associations: gurux ciphers on both sides, we decipher the meter's replies with `cryptography`."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from gurux_dlms.enums import DataType

from chalicelib.dlms import wrapper
from chalicelib.dlms.client import ClientSession, SessionConfig
from chalicelib.dlms.errors import SecurityError
from chalicelib.dlms.outcomes import Result
from chalicelib.dlms.security import SecurityKeys, encrypt
from tests.dlms.meter_replies import AUTHENTICATION_KEY, BLOCK_CIPHER_KEY, METER_TITLE, MeterReplies
from tests.dlms.pushes import encode_push
from tests.dlms.test_client import KEYS, run

HLS = SessionConfig(client_address=1, authentication="hls-gmac", keys=KEYS, invocation_counter=500)


def hls_meter(**kwargs: int) -> MeterReplies:
    return MeterReplies(client_address=1, keys=True, **kwargs)


def associate(session: ClientSession, meter: MeterReplies) -> tuple[Result, list[bytes]]:
    def answer(frame: bytes) -> list[bytes]:
        return [meter.aare(frame)] if wrapper.parse(frame)[1].payload[0] == 0x60 else [meter.hls_answer(frame)]  # type: ignore[union-attr]
    return run(session, session.associate(), answer)


def test_hls_gmac_associates_in_two_round_trips_and_counts_frames() -> None:
    session, meter = ClientSession(HLS), hls_meter()
    result, sent = associate(session, meter)
    assert result == Result.success() and session.associated
    assert len(sent) == 2  # AARQ, then reply_to_HLS_authentication
    assert session.meter_system_title == METER_TITLE
    assert session.invocation_counter == 503  # AARQ 500, f(StoC) 501, the ACTION carrying it 502


def test_ciphered_get_replies_are_deciphered_without_gurux_printing(capsys: pytest.CaptureFixture[str]) -> None:
    session, meter = ClientSession(HLS), hls_meter()
    associate(session, meter)
    result, _ = run(session, session.get("1.0.1.8.0.255", 3, 2), lambda frame: meter.get(frame, DataType.UINT32, 77))
    assert result == Result.success(77)
    assert session.invocation_counter == 504
    assert capsys.readouterr().out == ""


def test_ciphered_block_transfer() -> None:
    session, meter = ClientSession(HLS), hls_meter(max_pdu_size=128)
    associate(session, meter)
    value = bytes(range(256)) * 2
    request = session.get("0.0.99.98.0.255", 7, 2)
    blocks: Iterator[bytes] = iter(meter.get(request, DataType.OCTET_STRING, value))
    result, sent = run(session, request, lambda frame: [next(blocks)])
    assert result == Result.success(value)
    assert all(wrapper.parse(frame)[1].payload[0] in (0xC8, 0xDB) for frame in sent)  # type: ignore[union-attr]


def test_a_replayed_reply_is_refused() -> None:
    session, meter = ClientSession(HLS), hls_meter()
    associate(session, meter)
    (reply,) = meter.get(session.get("1.0.1.8.0.255", 3, 2), DataType.UINT32, 1)
    session.receive(reply)
    session.get("1.0.1.8.0.255", 3, 2)
    with pytest.raises(SecurityError, match="replayed"):
        session.receive(reply)


def test_a_reply_at_or_below_the_counter_kept_from_earlier_sessions_is_refused() -> None:
    meter = hls_meter(invocation_counter=9000)  # the meter's next frame counter
    old = ClientSession(replace(HLS, meter_counter=9000))  # the HES has seen 9000 already
    old.associate()
    with pytest.raises(SecurityError, match="9000 is not above 9000: replayed"):
        old.receive(meter.aare(ClientSession(HLS).associate()))
    fresh = ClientSession(replace(HLS, meter_counter=8999))
    result, _ = associate(fresh, meter)
    assert result.ok and fresh.meter_invocation_counter > 9000  # what to keep for the next session


def test_the_meter_counter_must_fit_in_32_bits() -> None:
    with pytest.raises(ValueError, match="32 bits"):
        replace(HLS, meter_counter=1 << 32)


def test_a_tampered_reply_is_refused() -> None:
    session, meter = ClientSession(HLS), hls_meter()
    associate(session, meter)
    (reply,) = meter.get(session.get("1.0.1.8.0.255", 3, 2), DataType.UINT32, 1)
    with pytest.raises(SecurityError, match="tag does not match"):
        session.receive(reply[:-1] + bytes([reply[-1] ^ 0x80]))


def test_a_meter_with_other_keys_fails_at_the_aare() -> None:
    other = SessionConfig(client_address=1, authentication="hls-gmac",
                          keys=SecurityKeys(bytes(16), AUTHENTICATION_KEY, b"HES00001"))
    aare = hls_meter().aare(ClientSession(HLS).associate())
    session = ClientSession(other)
    session.associate()
    with pytest.raises(SecurityError, match="tag does not match"):
        session.receive(aare)
    assert not session.associated


def test_a_meter_refusing_our_hls_answer_is_access_denied() -> None:
    session, meter = ClientSession(HLS), hls_meter()
    step = session.receive(meter.aare(session.associate()))
    assert step.send is not None
    outcome = session.receive(meter.action(step.send, result=13)).result
    assert outcome == Result.failure("access denied", "the meter refused our HLS answer")
    assert not session.associated


def test_a_meter_answer_that_does_not_authenticate_is_access_denied() -> None:
    session, meter = ClientSession(HLS), hls_meter()
    step = session.receive(meter.aare(session.associate()))
    assert step.send is not None
    forged = meter.action(step.send, DataType.OCTET_STRING, bytes.fromhex("10000023ff") + bytes(12))
    outcome = session.receive(forged).result
    assert outcome is not None and (outcome.ok, outcome.reason) == (False, "access denied")
    assert not session.associated


def test_a_ciphered_push_during_an_exchange_is_deciphered_and_handed_back() -> None:
    session, meter = ClientSession(HLS), hls_meter()
    associate(session, meter)
    session.get("1.0.1.8.0.255", 3, 2)
    push = encode_push([(DataType.UINT32, 5)])
    ciphered = encrypt(push, SecurityKeys(BLOCK_CIPHER_KEY, AUTHENTICATION_KEY, METER_TITLE), 99_999)
    assert ciphered[0] == 0xDB  # general-glo-ciphering, as gurux sends pushes (see test_security)
    assert session.receive(meter.push(ciphered)).push == push


def test_keys_are_needed_for_meters_that_cipher() -> None:
    plain_session = ClientSession(SessionConfig(client_address=1))
    aarq = plain_session.associate()
    assert wrapper.parse(aarq)[1].payload[0] == 0x60  # type: ignore[union-attr]
    assert BLOCK_CIPHER_KEY.hex() not in repr(HLS)

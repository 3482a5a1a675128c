"""The sans-IO client session: request bytes against gurux's own client, replies from gurux's server-side encoders."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from gurux_dlms import GXDLMSClient, GXReplyData
from gurux_dlms.enums import AssociationResult, Authentication, DataType, InterfaceType, ObjectType, SourceDiagnostic
from gurux_dlms.objects import GXDLMSProfileGeneric

from chalicelib.dlms import wrapper
from chalicelib.dlms.client import ClientSession, SessionConfig, Step
from chalicelib.dlms.errors import DecodeError, DlmsError, SecurityError
from chalicelib.dlms.outcomes import Result, data_type_of
from chalicelib.dlms.security import SecurityKeys
from tests.dlms.meter_replies import AUTHENTICATION_KEY, BLOCK_CIPHER_KEY, MeterReplies
from tests.dlms.pushes import typical_push

HES_TITLE = b"HES00001"
KEYS = SecurityKeys(BLOCK_CIPHER_KEY, AUTHENTICATION_KEY, HES_TITLE)
Answer = Callable[[bytes], list[bytes]]


def run(session: ClientSession, request: bytes, answer: Answer) -> tuple[Result, list[bytes]]:
    """Drive one exchange: every frame the session sends is answered; answers the result and the frames sent."""
    sent, outgoing = [request], request
    while True:
        step = Step()
        for frame in answer(outgoing):
            step = session.receive(frame)
        if step.send is None:
            assert step.result is not None
            return step.result, sent
        outgoing = step.send
        sent.append(outgoing)


def associated(config: SessionConfig, meter: MeterReplies) -> ClientSession:
    session = ClientSession(config)
    result, _ = run(session, session.associate(), lambda frame: [meter.aare(frame)])
    assert result.ok and session.associated
    return session


def gurux_client(authentication: int = Authentication.NONE, password: bytes | None = None) -> GXDLMSClient:
    return GXDLMSClient(True, 16, 1, authentication, password, InterfaceType.WRAPPER)


@pytest.fixture
def meter() -> MeterReplies:
    return MeterReplies()


@pytest.fixture
def session(meter: MeterReplies) -> ClientSession:
    return associated(SessionConfig(), meter)


# --- requests are byte for byte what gurux's own client sends -------------------------------------------------------


@pytest.mark.parametrize(
    ("authentication", "password"), [("none", None), ("low", b"12345678")], ids=["no security", "low-level"]
)
def test_the_aarq_is_gurux_clients_aarq(authentication: str, password: bytes | None) -> None:
    ours = ClientSession(SessionConfig(authentication=authentication, password=password))  # type: ignore[arg-type]
    theirs = gurux_client(Authentication.LOW if password else Authentication.NONE, password)
    assert ours.associate() == bytes(theirs.aarqRequest()[0])


def test_get_set_action_and_release_requests_are_gurux_clients_requests() -> None:
    theirs = gurux_client()
    theirs.settings.connected = 2  # associated, as after parsing an AARE

    def ours() -> ClientSession:
        return associated(SessionConfig(), MeterReplies())

    assert ours().get("0.0.1.0.0.255", 8, 2) == bytes(theirs._read("0.0.1.0.0.255", ObjectType.CLOCK, 2)[0])
    assert ours().set("1.0.1.8.0.255", 3, 2, 5, DataType.UINT32) == bytes(
        theirs._GXDLMSClient__write("1.0.1.8.0.255", 5, DataType.UINT32, ObjectType.REGISTER, 2)[0])
    assert ours().action("0.0.96.3.10.255", 70, 1) == bytes(
        theirs._GXDLMSClient__method("0.0.96.3.10.255", ObjectType.DISCONNECT_CONTROL, 1, 0, DataType.INT8)[0])
    assert ours().release() == bytes(theirs.releaseRequest()[0])


def test_a_range_read_is_gurux_clients_range_read(session: ClientSession) -> None:
    start = datetime(2024, 5, 1, tzinfo=UTC)
    end = start + timedelta(days=1)
    theirs = gurux_client()
    expected = theirs.readRowsByRange(GXDLMSProfileGeneric("1.0.99.1.0.255"), start, end)[0]
    with pytest.raises(ValueError, match="aware"):
        session.get_range("1.0.99.1.0.255", datetime(2024, 5, 1), datetime(2024, 5, 2))
    assert session.get_range("1.0.99.1.0.255", start, end) == bytes(expected)


# --- association ---------------------------------------------------------------------------------------------------


def test_low_level_security_sends_the_password_the_meter_reads() -> None:
    meter = MeterReplies()
    session = associated(SessionConfig(authentication="low", password=b"12345678"), meter)
    assert bytes(meter.settings.password) == b"12345678"
    assert session.associated


@pytest.mark.parametrize(
    ("result", "diagnostic", "reason"),
    [
        (AssociationResult.PERMANENT_REJECTED, SourceDiagnostic.AUTHENTICATION_FAILURE, "access denied"),
        (AssociationResult.PERMANENT_REJECTED, SourceDiagnostic.NOT_RECOGNISED, "access denied"),
        (AssociationResult.PERMANENT_REJECTED, SourceDiagnostic.NO_REASON_GIVEN, "other"),
        (AssociationResult.TRANSIENT_REJECTED, SourceDiagnostic.NO_REASON_GIVEN, "temporary failure"),
    ],
)
def test_a_rejected_association_is_a_failure_with_a_reason(result: int, diagnostic: int, reason: str) -> None:
    meter, session = MeterReplies(), ClientSession(SessionConfig(authentication="low", password=b"wrong"))
    outcome, _ = run(session, session.associate(), lambda frame: [meter.aare(frame, result, diagnostic)])
    assert (outcome.ok, outcome.reason) == (False, reason)
    assert "association rejected" in outcome.detail
    assert not session.associated


# --- GET, with block transfer ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data_type", "value", "expected"),
    [
        (DataType.UINT32, 12_345_678, 12_345_678),
        (DataType.INT16, -5, -5),
        (DataType.OCTET_STRING, b"SN00012345", b"SN00012345"),
        (DataType.BOOLEAN, True, True),
        (DataType.ENUM, 2, 2),
        (DataType.STRUCTURE, [5, "Wh"], [5, "Wh"]),
    ],
)
def test_get_answers_the_value_in_plain_python(session: ClientSession, meter: MeterReplies,
                                               data_type: int, value: object, expected: object) -> None:
    if data_type == DataType.STRUCTURE:
        value = _scaler_unit()
    result, _ = run(session, session.get("1.0.1.8.0.255", 3, 2), lambda frame: meter.get(frame, data_type, value))
    assert result == Result.success(expected if data_type != DataType.STRUCTURE else [-2, 30])
    assert type(result.value) is type(expected)


def _scaler_unit() -> list[object]:
    from gurux_dlms import GXInt8
    from gurux_dlms.GXEnum import GXEnum
    return [GXInt8(-2), GXEnum(30)]


def test_a_long_value_comes_in_blocks_and_the_session_asks_for_each_next_one() -> None:
    meter = MeterReplies(max_pdu_size=128)
    session = associated(SessionConfig(max_pdu_size=128), meter)
    value = bytes(range(256)) * 2
    request = session.get("0.0.99.98.0.255", 7, 2)
    blocks: Iterator[bytes] = iter(meter.get(request, DataType.OCTET_STRING, value))
    result, sent = run(session, request, lambda frame: [next(blocks)])
    assert result == Result.success(value)
    next_block_requests = [wrapper.parse(frame)[1].payload for frame in sent[1:]]  # type: ignore[union-attr]
    assert next_block_requests == [bytes.fromhex("c002c1") + n.to_bytes(4, "big") for n in range(1, 5)]


@pytest.mark.parametrize(
    ("code", "reason"),
    [(1, "hardware fault"), (2, "temporary failure"), (3, "read/write denied"), (4, "object undefined"),
     (9, "object undefined"), (11, "object undefined"), (12, "type unmatched"), (13, "access denied"),
     (14, "other"), (250, "other")],
)
def test_data_access_errors_become_words(session: ClientSession, meter: MeterReplies, code: int, reason: str) -> None:
    result, _ = run(session, session.get("0.0.96.1.0.255", 1, 2), lambda frame: [meter.get_error(frame, code)])
    assert result == Result.failure(reason, f"result code {code}")


# --- SET, ACTION, RLRQ -----------------------------------------------------------------------------------------------


def test_set_answers_ok_or_the_reason(session: ClientSession, meter: MeterReplies) -> None:
    ok, _ = run(session, session.set("0.0.96.3.10.255", 70, 4, 2, DataType.ENUM), lambda f: [meter.set(f)])
    denied, _ = run(session, session.set("1.0.1.8.0.255", 3, 2, 0, DataType.UINT32), lambda f: [meter.set(f, 3)])
    assert ok == Result.success()
    assert (denied.ok, denied.reason) == (False, "read/write denied")


def test_set_writes_an_aware_clock_and_refuses_ambiguous_values(session: ClientSession) -> None:
    frame = session.set("0.0.1.0.0.255", 8, 2, datetime(2024, 5, 1, 12, tzinfo=timezone(timedelta(hours=1))),
                        DataType.OCTET_STRING)
    assert frame.endswith(bytes.fromhex("090c07e80501ff0c000000ffc400"))  # deviation -60: UTC+1
    session = associated(SessionConfig(), MeterReplies())
    with pytest.raises(ValueError, match="aware"):
        session.set("0.0.1.0.0.255", 8, 2, datetime(2024, 5, 1, 12), DataType.OCTET_STRING)
    with pytest.raises(TypeError, match="bytes, not str"):
        session.set("0.0.42.0.0.255", 1, 2, "ABC", DataType.OCTET_STRING)


def test_action_answers_its_return_value_or_the_reason(session: ClientSession, meter: MeterReplies) -> None:
    disconnect, _ = run(session, session.action("0.0.96.3.10.255", 70, 1), lambda f: [meter.action(f)])
    token, _ = run(session, session.action("0.0.19.40.0.255", 115, 1, b"12345678901234567890", DataType.OCTET_STRING),
                   lambda f: [meter.action(f, DataType.ENUM, 0)])
    refused, _ = run(session, session.action("0.0.96.3.10.255", 70, 2), lambda f: [meter.action(f, result=2)])
    assert disconnect == Result.success()
    assert token == Result.success(0)
    assert (refused.ok, refused.reason) == (False, "temporary failure")


def test_release_ends_the_association(session: ClientSession, meter: MeterReplies) -> None:
    result, _ = run(session, session.release(), lambda frame: [meter.release()])
    assert result.ok and not session.associated
    with pytest.raises(DlmsError, match="no association"):
        session.release()


@pytest.mark.parametrize(
    ("apdu", "reason", "detail"),
    [
        ("d80102", "access denied", "Service not allowed"),
        ("d80206000003e8", "access denied", "meter expects above 1000"),
        ("d80204", "other", "PDU is too long"),
        ("0e060502", "access denied", "service error"),
        ("0e060101", "hardware fault", "service error"),
    ],
)
def test_exception_responses_and_service_errors_become_words(session: ClientSession, meter: MeterReplies,
                                                             apdu: str, reason: str, detail: str) -> None:
    result, _ = run(session, session.get("0.0.96.1.0.255", 1, 2), lambda frame: [meter.push(bytes.fromhex(apdu))])
    assert (result.ok, result.reason) == (False, reason)
    assert detail in result.detail


# --- pushes, misuse ---------------------------------------------------------------------------------------------------


def test_a_push_arriving_during_an_exchange_is_handed_back_and_the_exchange_goes_on(
        session: ClientSession, meter: MeterReplies) -> None:
    request = session.get("1.0.1.8.0.255", 3, 2)
    step = session.receive(meter.push(typical_push()))
    assert step == Step(push=typical_push())
    (response,) = meter.get(request, DataType.UINT32, 7)
    assert session.receive(response) == Step(result=Result.success(7))


def test_frames_outside_an_exchange_or_cut_short_are_refused(session: ClientSession, meter: MeterReplies) -> None:
    with pytest.raises(DlmsError, match="no exchange"):
        session.receive(meter.release())
    request = session.get("1.0.1.8.0.255", 3, 2)
    (response,) = meter.get(request, DataType.UINT32, 7)
    with pytest.raises(DecodeError, match="exactly one complete WRAPPER frame"):
        session.receive(response[:-1])
    with pytest.raises(DlmsError, match="still in progress"):
        session.get("1.0.1.8.0.255", 3, 2)
    with pytest.raises(SecurityError, match="no keys"):
        session.receive(meter.push(bytes.fromhex("cc0b3000000001") + bytes(16)))


def test_configuration_is_checked_and_secrets_stay_out_of_repr() -> None:
    with pytest.raises(ValueError, match="password"):
        SessionConfig(authentication="low")
    with pytest.raises(ValueError, match="HLS-GMAC needs"):
        SessionConfig(authentication="hls-gmac")
    with pytest.raises(ValueError, match="16 octets"):
        SecurityKeys(b"short", AUTHENTICATION_KEY, HES_TITLE)
    text = repr(SessionConfig(authentication="low", password=b"secret-pw", keys=KEYS))
    assert "secret-pw" not in text and BLOCK_CIPHER_KEY.hex() not in text and "redacted" in text


@pytest.mark.parametrize(("name", "expected"), [("double-long-unsigned", DataType.UINT32), ("Octet-String", 9),
                                                ("long", DataType.INT16), ("enum", DataType.ENUM)])
def test_profile_data_type_names_map_to_gurux_types(name: str, expected: int) -> None:
    assert data_type_of(name) == expected


def test_an_unknown_data_type_name_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown DLMS data type 'decimal'"):
        data_type_of("decimal")


def test_gurux_replies_parse_the_same_through_its_own_client(session: ClientSession, meter: MeterReplies) -> None:
    """The reply vectors are real: gurux's client reads them too."""
    request = session.get("1.0.1.8.0.255", 3, 2)
    (response,) = meter.get(request, DataType.UINT32, 99)
    reply = GXReplyData()
    gurux_client().getData(response, reply)
    assert reply.value == 99


def test_requests_take_any_obis_form_and_vendor_class_ids(session: ClientSession, meter: MeterReplies) -> None:
    request = session.get("1-0:1.8.0*255", 9999, 2)
    assert wrapper.parse(request)[1].payload == bytes.fromhex("c001c1270f0100010800ff0200")  # type: ignore[union-attr]
    assert session.receive(meter.get_error(request, 4)).result == Result.failure("object undefined", "result code 4")
    with pytest.raises(ValueError, match="not an OBIS code"):
        session.get("1.8.0", 3, 2)

"""A gurux HES client talking to SimulatedMeter with real DLMS bytes (no sockets)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from gurux_dlms import GXByteBuffer, GXDateTime, GXDLMSClient, GXReplyData
from gurux_dlms.enums import DataType, ErrorCode
from gurux_dlms.GXDLMSException import GXDLMSException
from gurux_dlms.objects import (
    GXDLMSAssociationLogicalName,
    GXDLMSClock,
    GXDLMSData,
    GXDLMSDisconnectControl,
    GXDLMSExtendedRegister,
    GXDLMSProfileGeneric,
    GXDLMSPushSetup,
    GXDLMSRegister,
    GXDLMSTokenGateway,
)

from simulator import objects as ob
from simulator import prepaid as tk
from simulator import scenarios as sc
from simulator.meter import system_title
from tests.simulator.link import (
    START,
    DlmsError,
    FakeClock,
    Link,
    hls_client,
    make_meter,
    management_client,
    public_client,
)

METER = "04312000001"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def hes(clock: FakeClock) -> Link:
    link = Link(make_meter(METER, clock=clock).exchange, management_client())
    link.associate()
    return link


def register(link: Link, ln: str) -> float:
    """The register's value in its unit: gurux applies the scaler once it has read attribute 3."""
    obj = GXDLMSRegister(ln)
    link.read(obj, 3)
    return float(link.read(obj, 2))


def test_hes_reads_clock_identity_energy_and_voltage(hes: Link) -> None:
    assert hes.read(GXDLMSClock(ob.CLOCK), 2).value == START
    assert hes.read(GXDLMSData(ob.SERIAL_NUMBER), 2) == bytearray(METER.encode())
    assert hes.read(GXDLMSData(ob.DEVICE_NAME), 2) == bytearray(b"HES0004312000001")
    energy = GXDLMSRegister(ob.ENERGY_IMPORT)
    assert hes.read(energy, 3) == [1.0, 30]  # scaler 10^0, unit Wh
    assert hes.read(energy, 2) > 100_000
    assert 224 <= register(hes, ob.VOLTAGE) <= 234
    assert register(hes, ob.CURRENT) == pytest.approx(register(hes, ob.POWER) / 230 / register(hes, ob.POWER_FACTOR),
                                                      rel=0.05)
    assert 49.9 <= register(hes, ob.FREQUENCY) <= 50.1


def test_objects_are_discoverable_from_the_association(hes: Link) -> None:
    listed = {(int(o.objectType), o.logicalName) for o in hes.read(GXDLMSAssociationLogicalName(), 2)}
    assert {(8, ob.CLOCK), (1, ob.SERIAL_NUMBER), (1, ob.DEVICE_NAME), (3, ob.ENERGY_IMPORT), (3, ob.ENERGY_EXPORT),
            (3, ob.VOLTAGE), (3, ob.CURRENT), (3, ob.POWER), (3, ob.POWER_FACTOR), (3, ob.FREQUENCY),
            (4, ob.MAX_DEMAND), (7, ob.LOAD_PROFILE), (7, ob.STANDARD_LOG), (7, ob.FRAUD_LOG),
            (70, ob.DISCONNECT_CONTROL), (115, ob.TOKEN_GATEWAY), (3, ob.CREDIT), (40, ob.PUSH_SETUP),
            (1, ob.INVOCATION_COUNTER), (15, "0.0.40.0.0.255")} <= listed


def test_maximum_demand_has_a_value_and_a_capture_time(hes: Link) -> None:
    demand = GXDLMSExtendedRegister(ob.MAX_DEMAND)
    assert hes.read(demand, 2) > 0
    assert START - timedelta(days=7) < hes.read(demand, 5).value <= START


def _load_profile(link: Link) -> GXDLMSProfileGeneric:
    profile = GXDLMSProfileGeneric(ob.LOAD_PROFILE)
    link.read(profile, 3)
    return profile


def test_range_read_on_the_load_profile(hes: Link) -> None:
    profile = _load_profile(hes)
    assert [(int(obj.objectType), obj.logicalName) for obj, _ in profile.captureObjects] == [
        (8, ob.CLOCK), (3, ob.ENERGY_IMPORT), (3, ob.ENERGY_EXPORT)]
    assert hes.read(profile, 4) == 900
    rows = hes.run(hes.client.readRowsByRange(profile, START - timedelta(hours=3), START - timedelta(hours=1))).value
    hes.client.updateValue(profile, 2, rows)
    stamps = [row[0].value for row in profile.buffer]
    assert stamps == [START - timedelta(hours=3) + timedelta(minutes=15 * i) for i in range(9)]
    imports = [row[1] for row in profile.buffer]
    assert imports == sorted(imports) and imports[-1] > imports[0]


def test_set_clock_is_read_back_and_logged(hes: Link, clock: FakeClock) -> None:
    new_time = GXDLMSClock(ob.CLOCK)
    new_time.time = GXDateTime(START + timedelta(minutes=7))
    hes.run(hes.client.write(new_time, 2))
    clock.advance(seconds=30)
    assert hes.read(GXDLMSClock(ob.CLOCK), 2).value == START + timedelta(minutes=7, seconds=30)
    log = GXDLMSProfileGeneric(ob.STANDARD_LOG)
    hes.read(log, 3)
    assert [row[1] for row in hes.read(log, 2)][-2:] == [sc.CLOCK_ADJUSTED_OLD, sc.CLOCK_ADJUSTED_NEW]


def test_disconnect_stops_power_and_energy_and_reconnect_restores_them(hes: Link, clock: FakeClock) -> None:
    relay = GXDLMSDisconnectControl(ob.DISCONNECT_CONTROL)
    hes.run(relay.remoteDisconnect(hes.client))
    assert hes.read(relay, 2) is False and hes.read(relay, 3) == 0
    energy = register(hes, ob.ENERGY_IMPORT)
    clock.advance(hours=2)
    assert register(hes, ob.POWER) == 0 and register(hes, ob.CURRENT) == 0
    assert register(hes, ob.ENERGY_IMPORT) == energy
    hes.run(relay.remoteReconnect(hes.client))
    assert hes.read(relay, 2) is True and hes.read(relay, 3) == 1
    clock.advance(hours=1)
    assert register(hes, ob.POWER) > 0 and register(hes, ob.ENERGY_IMPORT) > energy


def _enter(link: Link, token: str) -> None:
    link.run(link.client.method(GXDLMSTokenGateway(ob.TOKEN_GATEWAY), 1, bytearray(token.encode()),
                                DataType.OCTET_STRING))


def _token_status(link: Link) -> int:
    return int(link.read(GXDLMSTokenGateway(ob.TOKEN_GATEWAY), 6)[0])


def test_a_token_credits_once_and_is_refused_the_second_time(hes: Link) -> None:
    token = tk.make_token(METER, 25_000, token_id=9)
    credit = register(hes, ob.CREDIT)
    _enter(hes, token)
    assert _token_status(hes) == tk.EXECUTION_OK
    assert register(hes, ob.CREDIT) == credit + 25_000
    assert hes.read(GXDLMSTokenGateway(ob.TOKEN_GATEWAY), 2) == bytearray(token.encode())
    with pytest.raises(DlmsError) as refused:
        _enter(hes, token)
    assert refused.value.error == ErrorCode.OTHER_REASON
    assert _token_status(hes) == tk.VALIDATION_FAILURE
    assert register(hes, ob.CREDIT) == credit + 25_000


@pytest.mark.parametrize(("token", "status"), [
    ("12345", tk.FORMAT_FAILURE),
    ("1234567890123456789X", tk.FORMAT_FAILURE),
    (tk.make_token("99999999999", 1_000, token_id=1), tk.AUTHENTICATION_FAILURE),
])
def test_a_bad_token_is_refused_with_its_status(hes: Link, token: str, status: int) -> None:
    with pytest.raises(DlmsError):
        _enter(hes, token)
    assert _token_status(hes) == status


def test_the_public_client_sees_only_identity_and_clock(clock: FakeClock) -> None:
    public = Link(make_meter(clock=clock).exchange, public_client())
    public.associate()
    assert public.read(GXDLMSData(ob.SERIAL_NUMBER), 2) == bytearray(METER.encode())
    with pytest.raises(DlmsError) as denied:
        public.read(GXDLMSRegister(ob.ENERGY_IMPORT), 2)
    assert denied.value.error == ErrorCode.READ_WRITE_DENIED


def test_a_wrong_password_is_rejected(clock: FakeClock) -> None:
    with pytest.raises(GXDLMSException):
        Link(make_meter(clock=clock).exchange, management_client("wrong")).associate()


def test_hls_gmac_association_on_a_secured_meter(clock: FakeClock) -> None:
    meter = make_meter(scenario=sc.SECURED, clock=clock)
    public = Link(meter.exchange, public_client())
    public.associate()
    counter = public.read(GXDLMSData(ob.INVOCATION_COUNTER), 2)
    public.release()
    with pytest.raises(GXDLMSException):
        Link(meter.exchange, management_client()).associate()  # LLS is not enough on a secured meter
    hes = Link(meter.exchange, hls_client(*meter.config.keys, invocation_counter=counter + 1))
    hes.associate()
    assert hes.read(GXDLMSData(ob.SERIAL_NUMBER), 2) == bytearray(METER.encode())
    assert all(request[8] in (0xCB, 0xDB) for request, _ in hes.frames[1:])  # ciphered after the AARQ
    hes.release()
    public.associate()
    assert public.read(GXDLMSData(ob.INVOCATION_COUNTER), 2) > counter


def _decode_push(frame: bytes, client: GXDLMSClient) -> list[object]:
    reply, notify = GXReplyData(), GXReplyData()
    client.getData(GXByteBuffer(frame), reply, notify)
    assert notify.complete and notify.command == 0x0F  # data-notification
    return list(notify.value)


def test_push_carries_the_push_layout_values() -> None:
    meter = make_meter(METER, clock=FakeClock())
    frame = meter.push_frame()
    assert frame[:6] == bytes.fromhex("000100010066") and int.from_bytes(frame[6:8], "big") == len(frame) - 8
    values = _decode_push(frame, public_client())
    registers = meter.objects.registers
    assert values == [bytearray(METER.encode()), values[1], registers[ob.ENERGY_IMPORT].value,
                      registers[ob.ENERGY_EXPORT].value, registers[ob.VOLTAGE].value,
                      registers[ob.CURRENT].value, registers[ob.POWER].value]
    assert bytes(values[1])[:7] == bytes([0x07, 0xE8, 5, 6, 0xFF, 12, 0])


def test_a_secured_meter_pushes_general_glo_ciphered(clock: FakeClock) -> None:
    meter = make_meter(scenario=sc.SECURED, clock=clock)
    frame = meter.push_frame()
    assert frame[8] == 0xDB and frame[9:18] == bytes([8]) + system_title(METER)
    client = hls_client(*meter.config.keys)
    assert _decode_push(frame, client)[0] == bytearray(METER.encode())


def test_power_is_zero_during_an_outage(clock: FakeClock) -> None:
    meter = make_meter(scenario=sc.OUTAGE, clock=clock)
    down = next(t for t, code in meter.model.standard_events if code == sc.POWER_DOWN)
    clock.now = down.astimezone(UTC) + timedelta(minutes=1)
    hes = Link(meter.exchange, management_client())
    hes.associate()
    assert register(hes, ob.POWER) == 0


def test_unknown_objects_are_reported_as_undefined(hes: Link) -> None:
    with pytest.raises(DlmsError) as error:
        hes.read(GXDLMSData("0.0.96.1.7.255"), 2)
    assert error.value.error == ErrorCode.UNDEFINED_OBJECT


def test_push_setup_lists_the_push_layout(hes: Link) -> None:
    push = GXDLMSPushSetup(ob.PUSH_SETUP)
    listed = hes.read(push, 2)
    assert [(obj.logicalName, capture.attributeIndex) for obj, capture in listed] == [
        (ln, 2) for ln in ob.PUSH_LAYOUT]
    assert [int(obj.objectType) for obj, _ in listed] == [1, 8, 3, 3, 3, 3, 3]


def test_a_secured_meter_started_again_sends_frame_counters_above_its_earlier_ones() -> None:
    """The HES refuses a reply at or below the last counter it kept, so a restarted meter must not count from 0."""
    clock = FakeClock(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))
    meter = make_meter(scenario=sc.SECURED, clock=clock)
    for _ in range(50):
        meter.push_frame()
    used = meter.settings.cipher.invocationCounter
    clock.advance(seconds=7)  # 50 frames in 7 s: above the 8 a second the starting count allows for
    again = make_meter(scenario=sc.SECURED, clock=clock)
    assert again.settings.cipher.invocationCounter > used > 8 * 3600 * 24 * 365

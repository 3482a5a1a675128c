"""Push Data-Notifications encoded by gurux, decoded by ours, mapped to readings by a push layout."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from gurux_dlms.enums import DataType, DateTimeSkips

from chalicelib.dlms.cosem_values import octets_to_text, parse_datetime
from chalicelib.dlms.errors import DecodeError
from chalicelib.dlms.notify import Notification, PushField, Reading, apply_push_layout, decode_notification
from tests.dlms.pushes import cosem_time, encode_push, typical_push

CET = timezone(timedelta(hours=1))
NOON_CET = datetime(2024, 5, 1, 12, 30, tzinfo=CET)
LAYOUT = [
    {"position": 1, "obis": "0.0.96.1.0.255", "class_id": 1, "index": 2},
    {"position": 2, "obis": "0.0.1.0.0.255", "class_id": 8, "index": 2},
    {"position": 3, "obis": "1.0.1.8.0.255", "class_id": 3, "index": 2, "scaler": 1, "unit": "Wh"},
    {"position": 5, "obis": "1.0.32.7.0.255", "class_id": 3, "index": 2, "scaler": 0.1, "unit": "V"},
    {"position": 8, "obis": "1.0.13.7.0.255", "class_id": 3, "index": 2, "scaler": 0.001},
]


def test_a_typical_push_decodes_to_invoke_id_utc_time_and_plain_values() -> None:
    notification = decode_notification(typical_push())
    assert notification.invoke_id == 42
    assert notification.time == datetime(2024, 5, 1, 11, 30, tzinfo=UTC)
    assert notification.values[0] == b"SN00012345"
    assert notification.values[2:] == [12_345_678, 4_321, 2_301, 512, 1_175, 987, 5_002]
    assert all(type(v) is int for v in notification.values[2:])


def test_the_layout_turns_positions_into_scaled_readings_with_units() -> None:
    readings = apply_push_layout(decode_notification(typical_push()).values, LAYOUT)
    assert readings == [
        Reading("0.0.96.1.0.255", 1, 2, "SN00012345", None),
        Reading("0.0.1.0.0.255", 8, 2, datetime(2024, 5, 1, 11, 30, tzinfo=UTC), None),
        Reading("1.0.1.8.0.255", 3, 2, 12_345_678.0, "Wh"),
        Reading("1.0.32.7.0.255", 3, 2, 230.1, "V"),
        Reading("1.0.13.7.0.255", 3, 2, 0.987, None),
    ]
    assert isinstance(readings[2].value, float)


def test_the_layout_accepts_profile_entries_as_objects_and_leaves_unscaled_numbers_alone() -> None:
    entry = SimpleNamespace(position=4, obis="1.0.2.8.0.255", class_id=3, index=2)
    (reading,) = apply_push_layout(decode_notification(typical_push()).values, [entry])
    assert reading == Reading("1.0.2.8.0.255", 3, 2, 4_321, None)


@pytest.mark.parametrize(
    ("time", "local_tz", "expected"),
    [
        pytest.param(None, UTC, None, id="no date-time"),
        pytest.param(cosem_time(NOON_CET), UTC, datetime(2024, 5, 1, 11, 30, tzinfo=UTC), id="deviation given"),
        pytest.param(cosem_time(NOON_CET, DateTimeSkips.DEVITATION), UTC, datetime(2024, 5, 1, 12, 30, tzinfo=UTC),
                     id="no deviation: UTC by default"),
        pytest.param(cosem_time(NOON_CET, DateTimeSkips.DEVITATION), timezone(timedelta(hours=3)),
                     datetime(2024, 5, 1, 9, 30, tzinfo=UTC), id="no deviation: the meter's zone"),
        pytest.param(cosem_time(NOON_CET, DateTimeSkips.YEAR), UTC, None, id="year not specified"),
        pytest.param(cosem_time(NOON_CET.replace(microsecond=250_000)), UTC,
                     datetime(2024, 5, 1, 11, 30, 0, 250_000, tzinfo=UTC), id="hundredths"),
    ],
)
def test_the_header_date_time_follows_the_documented_rule(time, local_tz, expected) -> None:  # type: ignore[no-untyped-def]
    apdu = encode_push([(DataType.UINT8, 1)], time)
    assert decode_notification(apdu, local_tz=local_tz).time == expected


def test_priority_and_service_class_bits_are_not_part_of_the_invoke_id() -> None:
    apdu = bytes.fromhex("0fc0000007000202110111 02")
    assert decode_notification(apdu) == Notification(7, None, [1, 2])


def test_values_gurux_knows_but_the_fast_path_does_not_still_decode() -> None:
    apdu = encode_push([
        (DataType.STRING, "abc"), (DataType.STRUCTURE, [1, 2]), (DataType.BITSTRING, "1010"),
        (DataType.DATETIME, cosem_time(NOON_CET)),
    ])
    assert decode_notification(apdu).values == ["abc", [1, 2], "1010", datetime(2024, 5, 1, 11, 30, tzinfo=UTC)]


GOOD = typical_push()


@pytest.mark.parametrize(
    ("apdu", "reason"),
    [
        pytest.param(b"", "empty APDU", id="empty"),
        pytest.param(b"hello world", "not a Data-Notification: tag 0x68", id="text"),
        pytest.param(bytes.fromhex("c401c1000600000001"), "not a Data-Notification: tag 0xC4", id="get-response"),
        pytest.param(bytes.fromhex("db08") + bytes(20), "ciphered APDU (tag 0xDB)", id="ciphered"),
        pytest.param(GOOD[:4], "header truncated", id="header cut"),
        pytest.param(GOOD[:12], "date-time truncated (6 of 12 octets)", id="date-time cut"),
        pytest.param(GOOD[:18], "no notification body", id="body missing"),
        pytest.param(GOOD[:19], "body is truncated", id="structure tag only"),
        pytest.param(GOOD[:-1], "body is truncated", id="last value cut"),
        pytest.param(GOOD[:40], "body is truncated", id="octet string cut"),
        pytest.param(GOOD + b"\x01\x02", "2 unexpected bytes after the notification body", id="trailing bytes"),
        pytest.param(bytes.fromhex("0f00000001000299"), "malformed Data-Notification", id="unknown data type"),
    ],
)
def test_bad_apdus_raise_decode_error_with_a_reason(apdu: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_notification(apdu)
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(b"SN-0001", "SN-0001", id="printable ascii"),
        pytest.param(bytes.fromhex("0102a0ff"), "0102A0FF", id="binary as hex"),
        pytest.param(b"", "", id="empty"),
    ],
)
def test_octet_strings_become_text(raw: bytes, expected: str) -> None:
    assert octets_to_text(raw) == expected
    (reading,) = apply_push_layout([raw], [PushField(1, "0.0.96.1.0.255", 1)])
    assert reading.value == expected


def test_a_logical_name_attribute_becomes_an_obis_code() -> None:
    (reading,) = apply_push_layout([bytes([0, 1, 25, 9, 0, 255])], [PushField(1, "0.1.25.9.0.255", 40, index=1)])
    assert reading.value == "0.1.25.9.0.255"


def test_an_untyped_twelve_octet_date_time_is_recognised_but_a_typed_octet_string_is_not() -> None:
    raw = bytes.fromhex("07e80501030c1e00ffffc400")
    assert apply_push_layout([raw], [PushField(1, "0.0.96.2.1.255", 1)])[0].value == datetime(
        2024, 5, 1, 11, 30, tzinfo=UTC)
    typed = PushField(1, "0.0.96.2.1.255", 1, data_type="octet-string")
    assert apply_push_layout([raw], [typed])[0].value == "07E80501030C1E00FFFFC400"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("07e80501030c1e00ff8000ff", datetime(2024, 5, 1, 12, 30, tzinfo=UTC), id="no deviation"),
        pytest.param("07e80501030c1eff0a003c00", datetime(2024, 5, 1, 13, 30, 0, 100_000, tzinfo=UTC),
                     id="deviation +60 is UTC-1, second 0xFF counts as 0"),
        pytest.param("ffff0501030c1e00ff800000", None, id="year not specified"),
        pytest.param("07e8ff01030c1e00ff800000", None, id="month not specified"),
        pytest.param("07e8fe01030c1e00ff800000", None, id="DST begin marker"),
        pytest.param("07e80501ffff1e00ff800000", None, id="hour not specified"),
    ],
)
def test_cosem_date_time_rule(raw: str, expected: datetime | None) -> None:
    assert parse_datetime(bytes.fromhex(raw)) == expected


def test_an_impossible_date_in_a_push_is_a_decode_error_naming_the_position() -> None:
    with pytest.raises(DecodeError, match=r"position 1 \(0.0.1.0.0.255\)"):
        apply_push_layout([bytes.fromhex("07e8021f030c1e00ff800000")], [PushField(1, "0.0.1.0.0.255", 8)])


def test_a_layout_longer_than_the_push_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match=r"position 3 .* the push has 2 values"):
        apply_push_layout([1, 2], [PushField(3, "1.0.1.8.0.255", 3)])


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        pytest.param(b"\x11\x05", "1 unexpected values", id="a decodable value"),
        pytest.param(b"\x00\x00\x00", "3 unexpected values", id="null-data"),
        pytest.param(b"\x01\x02", "2 unexpected bytes", id="undecodable bytes"),
    ],
)
def test_values_after_the_body_are_refused_although_gurux_appends_them(extra: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_notification(GOOD + extra)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("1105", Notification(1, None, [5]), id="a single value"),
        pytest.param("00", Notification(1, None, []), id="null-data body"),
        pytest.param("01021101 1102", Notification(1, None, [1, 2]), id="an array"),
        pytest.param("1907e80501030c1e00ffffc400", Notification(1, None, [datetime(2024, 5, 1, 11, 30, tzinfo=UTC)]),
                     id="a date-time"),
    ],
)
def test_bodies_that_are_not_a_structure(body: str, expected: Notification) -> None:
    assert decode_notification(bytes.fromhex("0f0000000100" + body)) == expected


@pytest.mark.parametrize(("body", "reason"), [("11051106", "2 unexpected bytes"), ("12ab", "truncated")])
def test_a_single_value_body_is_checked_too(body: str, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_notification(bytes.fromhex("0f0000000100" + body))


@pytest.mark.parametrize("header", ["0507e80501ff", "040c1e00ff"], ids=["date only", "time only"])
def test_a_header_with_only_a_date_or_a_time_has_no_time(header: str) -> None:
    assert decode_notification(bytes.fromhex("0f00000001" + header + "1105")).time is None


def test_a_layout_entry_without_position_obis_or_class_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="lacks position, class_id"):
        apply_push_layout([1], [{"obis": "1.0.1.8.0.255"}])

"""The leakage rules on their own: relay history from command results, disconnected stretches and the energy
inside them, tamper alerts in a period, supply, and the unbilled estimate of silent meters."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain.events import FRAUD_LOG, STANDARD_LOG
from chalicelib.domain.leakage import (
    RELAY,
    disconnected_windows,
    energy_in_windows,
    is_tamper,
    relay_observations,
    supplied,
    table_row,
    touches,
    unbilled,
)

T0 = datetime(2026, 10, 5, 8, tzinfo=UTC)
H = timedelta(hours=1)


def cosem_hex(at: datetime) -> str:
    """A 12-octet COSEM date-time in UTC (deviation 0), in hex as the event-log reads hand it over."""
    return (at.year.to_bytes(2, "big") + bytes([at.month, at.day, 0xFF, at.hour, at.minute, at.second, 0])
            + (0).to_bytes(2, "big", signed=True) + b"\x00").hex()


def test_relay_states_come_from_read_backs_and_from_disconnect_and_reconnect_events() -> None:
    items = [
        {"op": "action", "obis": RELAY, "index": 1, "ok": True, "value": None},
        {"op": "get", "obis": RELAY, "index": 2, "ok": True, "value": False, "at": "2026-10-05T08:00:05+00:00"},
        {"op": "get", "obis": RELAY, "index": 3, "ok": True, "value": 0},  # control state: not the output
        {"op": "get", "obis": RELAY, "index": 2, "ok": False, "value": None},  # a failed read says nothing
        {"op": "get_range", "obis": STANDARD_LOG, "ok": True, "value": [
            [cosem_hex(T0 + H), 49], [cosem_hex(T0 + 2 * H), 1], [cosem_hex(T0 + 3 * H), 50], ["zz", 49], [None, 50]]},
        {"op": "get_range", "obis": FRAUD_LOG, "ok": True, "value": [[cosem_hex(T0), 49]]},  # 49 there is not relay
    ]
    read_at = T0 + 10 * H
    assert relay_observations(items, read_at) == [
        (T0 + timedelta(seconds=5), "disconnected"), (T0 + H, "disconnected"), (T0 + 3 * H, "connected"),
        (read_at, "connected"),  # an event without a time stands at the read
    ]
    assert relay_observations([{"op": "get", "obis": RELAY, "index": 2, "ok": True, "value": True}], read_at) == [
        (read_at, "connected")]


def test_disconnected_stretches_run_from_a_disconnect_to_the_next_connected_state() -> None:
    start, end = T0, T0 + 24 * H
    observed = [(T0 + 5 * H, "connected"), (T0 + 2 * H, "disconnected"), (T0 + 3 * H, "disconnected"),
                (T0 + 10 * H, "disconnected")]
    # out of order and repeated observations: one stretch 02-05, one open from 10 to the end
    assert disconnected_windows(observed, start, end) == [(T0 + 2 * H, T0 + 5 * H), (T0 + 10 * H, end)]
    before = [(T0 - 48 * H, "disconnected"), (T0 - 40 * H, "connected"), (T0 - H, "disconnected")]
    assert disconnected_windows(before, start, end) == [(start, end)]  # clipped to the period
    assert disconnected_windows([(T0 + 30 * H, "disconnected")], start, end) == []
    assert disconnected_windows([(T0 + H, "connected")], start, end) == []


def test_only_whole_hours_inside_a_stretch_count_as_consumption_while_disconnected() -> None:
    window = (T0 + timedelta(minutes=30), T0 + 4 * H)
    hourly = {T0: 900.0, T0 + H: 250.0, T0 + 2 * H: 0.0, T0 + 3 * H: 100.0, T0 + 4 * H: 700.0}
    # 08:00 holds energy from before the 08:30 disconnect, 12:00 is after the reconnect
    assert energy_in_windows(hourly, [window]) == (350.0, 2, window)
    assert energy_in_windows({T0 + H: 0.0}, [window]) == (0.0, 0, None)


def test_tamper_alerts_are_meter_alerts_of_tamper_types_touching_the_period() -> None:
    assert is_tamper({"type": "magnetic_field"}) and is_tamper({"type": "fraud_event_77", "source": "meter"})
    assert not is_tamper({"type": "power_down"}) and not is_tamper({"type": "magnetic_field", "source": "rule"})
    alert = {"first_at": T0, "last_at": T0 + 5 * H}
    assert touches(alert, T0 + 5 * H, T0 + 6 * H) and touches(alert, T0 - H, T0 + H)
    assert not touches(alert, T0 + 5 * H + timedelta(seconds=1), T0 + 6 * H) and not touches(alert, T0 - H, T0)
    assert touches({"first_at": T0}, T0, T0 + H)  # a single occurrence


def test_supply_is_present_unless_the_relay_is_open_or_the_voltage_is_zero() -> None:
    assert supplied({}) and supplied({"latest": {"1-0-32-7-0-255": {"value": 229.8}}})
    assert not supplied({"relay_state": "disconnected"})
    assert not supplied({"latest": {"1-0-32-7-0-255": {"value": 0}}})


def test_the_unbilled_estimate_spreads_history_over_its_span_and_says_when_there_is_none() -> None:
    since, moment = T0, T0 + timedelta(days=4, hours=12)
    history = {date(2026, 10, 1): 12_000.0, date(2026, 10, 4): 18_000.0}  # 2nd and 3rd missing: read on the 4th
    estimate = unbilled(history, since, moment)
    assert estimate.days_silent == 4.5 and estimate.avg_daily_kwh == pytest.approx(7.5)
    assert estimate.unbilled_kwh == pytest.approx(7.5 * 4.5)
    none = unbilled({}, since, moment)
    assert none.days_silent == 4.5 and none.avg_daily_kwh is None and none.unbilled_kwh is None


def test_table_rows_show_local_times_and_say_no_history() -> None:
    row = {"meter_number": "04312000000", "customer_name": None, "area_name": "Downtown", "since": T0,
           "days_silent": 4.5, "avg_daily_kwh": None, "estimated_kwh": None}
    assert table_row("energy-at-risk", row, lambda t: t.isoformat()) == [
        "04312000000", "", "Downtown", T0.isoformat(), 4.5, "", "no history"]

"""Presence: online now, and the hours a meter was connected in a period, from its connection events."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.presence import hours_online, is_online

SINCE = datetime(2026, 10, 1, tzinfo=UTC)
UNTIL = SINCE + timedelta(days=30)


def at(hours: float) -> datetime:
    return SINCE + timedelta(hours=hours)


def test_no_event_in_the_period_means_the_state_never_changed() -> None:
    assert hours_online([], True, SINCE, UNTIL) == 720.0
    assert hours_online([], False, SINCE, UNTIL) == 0.0


def test_intervals_between_restored_and_lost_are_summed() -> None:
    # connected at hour 10, lost at 12.5, back at 100, still connected at the end
    events = [(at(10), True), (at(12.5), False), (at(100), True)]
    assert hours_online(events, True, SINCE, UNTIL) == 2.5 + 620.0


def test_a_first_lost_event_means_it_was_connected_since_the_start() -> None:
    assert hours_online([(at(48), False)], False, SINCE, UNTIL) == 48.0
    assert hours_online([(at(48), False), (at(50), True), (at(51), False)], False, SINCE, UNTIL) == 49.0


def test_events_outside_the_period_are_clamped() -> None:
    assert hours_online([(at(-5), True)], True, SINCE, UNTIL) == 720.0
    assert hours_online([(at(719), False)], False, SINCE, UNTIL) == 719.0


def test_online_now_needs_the_socket_and_a_recent_frame() -> None:
    moment = UNTIL
    assert is_online({"online": True, "last_seen": moment - timedelta(seconds=60)}, 300, moment)
    assert not is_online({"online": True, "last_seen": moment - timedelta(seconds=600)}, 300, moment)
    assert not is_online({"online": False, "last_seen": moment}, 300, moment)
    assert not is_online({"online": True}, 300, moment)

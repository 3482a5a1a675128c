"""The fast path answers exactly what the gurux path answers, on pushes gurux itself encoded."""
from __future__ import annotations

import random
from datetime import UTC, timedelta, timezone
from typing import Any

import pytest

from chalicelib.dlms import fastpath
from chalicelib.dlms.errors import DecodeError
from chalicelib.dlms.fastpath import decode_notification_fast
from chalicelib.dlms.notify import decode_notification
from tests.dlms.pushes import random_push, typical_push

ZONES = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-4))]


def outcome(decode: Any, apdu: bytes, local_tz: Any = UTC) -> Any:
    """The decoded notification with every value's exact type, or the DecodeError reason."""
    try:
        notification = decode(apdu, local_tz)
    except DecodeError as exc:
        return ("error", exc.reason)
    return (notification.invoke_id, notification.time, typed(notification.values))


def typed(value: Any) -> Any:
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize("seed", range(8))
def test_fast_path_equals_gurux_path_on_generated_pushes(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(250):
        apdu = random_push(rng, fast_only=rng.random() < 0.7)
        zone = rng.choice(ZONES)
        assert outcome(decode_notification_fast, apdu, zone) == outcome(decode_notification, apdu, zone), apdu.hex()


def test_most_fast_shaped_pushes_really_take_the_fast_path() -> None:
    rng = random.Random(99)
    pushes = [random_push(rng, fast_only=True) for _ in range(300)]
    taken = sum(fastpath._decode(apdu, UTC) is not None for apdu in pushes)
    assert taken > 200  # the rest carry header date-times with unspecified fields, which gurux decides
    assert fastpath._decode(typical_push(), UTC) is not None


@pytest.mark.parametrize("cut", range(len(typical_push())))
def test_a_cut_short_push_gets_the_same_reason_from_both_paths(cut: int) -> None:
    apdu = typical_push()[:cut]
    assert outcome(decode_notification_fast, apdu) == outcome(decode_notification, apdu)
    assert outcome(decode_notification, apdu)[0] == "error"


def test_corrupted_pushes_agree_byte_for_byte() -> None:
    rng = random.Random(7)
    for _ in range(1500):
        apdu = bytearray(random_push(rng, fast_only=True))
        for _ in range(rng.randrange(1, 3)):
            apdu[rng.randrange(len(apdu))] = rng.randrange(256)
        assert outcome(decode_notification_fast, bytes(apdu)) == outcome(decode_notification, bytes(apdu)), apdu.hex()

"""Push decode throughput on this machine, one process: the gurux path and the fast path.

Run: .venv/bin/python -m bench.decode_bench [--seconds 3]
The pushes are encoded by gurux itself (tests/dlms/pushes.py); the equality check compares both
paths on every push used here plus a seeded random mix, byte for byte and type for type.
"""
from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import UTC
from typing import Any

from chalicelib.dlms import fastpath
from chalicelib.dlms.fastpath import decode_notification_fast
from chalicelib.dlms.notify import decode_notification
from tests.dlms.pushes import random_push, typical_push


def rate(decode: Callable[[bytes], Any], pushes: list[bytes], seconds: float) -> float:
    """Pushes decoded per second, best of a few rounds of at least `seconds` / 3 each."""
    best = 0.0
    for _ in range(3):
        count, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds / 3:
            for apdu in pushes:
                decode(apdu)
            count += len(pushes)
        best = max(best, count / elapsed)
    return best


def same(apdu: bytes) -> bool:
    fast, generic = decode_notification_fast(apdu), decode_notification(apdu)
    return fast == generic and [type(v) for v in fast.values] == [type(v) for v in generic.values]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent on each path")
    args = parser.parse_args()
    rng = random.Random(2024)
    typical = [typical_push(serial=f"SN{n:08d}", energy_wh=n * 1000) for n in range(200)]
    mixed = [random_push(rng, fast_only=True) for _ in range(200)]
    checked = typical + mixed + [random_push(rng) for _ in range(2000)]
    share = sum(fastpath._decode(apdu, UTC) is not None for apdu in mixed) / len(mixed)
    print(f"typical push: {len(typical[0])} bytes, 9 values; random mix: {share:.0%} fit the fast path, "
          "the rest (odd header date-times) fall back")
    for name, pushes in (("typical", typical), ("random mix", mixed)):
        generic = rate(decode_notification, pushes, args.seconds)
        fast = rate(decode_notification_fast, pushes, args.seconds)
        print(f"{name:>18}: gurux path {generic:10,.0f} pushes/s   fast path {fast:10,.0f} pushes/s"
              f"   x{fast / generic:.1f}")
    equal = sum(same(apdu) for apdu in checked)
    print(f"equality check: {equal}/{len(checked)} pushes decode identically on both paths"
          f" -> {'OK' if equal == len(checked) else 'MISMATCH'}")


if __name__ == "__main__":
    main()

"""Many simulated meters in one asyncio process, each dialling the HES like a GPRS meter.

A meter connects to host:port, sends its push right away and every push interval, answers
the requests the HES sends on the same socket, and redials with exponential backoff when the
socket drops. During an outage it hangs up and stays silent; a never_online meter never dials.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from simulator import wrapper
from simulator.consumption import SHAPES, unit_random
from simulator.feeder import Transformer
from simulator.meter import DEFAULT_PASSWORD, MeterConfig, SimulatedMeter, meter_seed
from simulator.scenarios import NORMAL, SCENARIOS

RESIDENTIAL = "residential"

_log = logging.getLogger(__name__)
_READ_SIZE = 4096
_POWER_POLL_S = 5.0  # how often a connected meter checks whether its supply failed


@dataclass(frozen=True)
class FleetOptions:
    host: str = "127.0.0.1"
    port: int = 4059
    push_interval_s: float = 60.0
    ramp_s: float = 5.0  # first dials are spread over this many seconds
    backoff_min_s: float = 1.0
    backoff_max_s: float = 60.0
    connect_timeout_s: float = 10.0


@dataclass
class FleetStats:
    connections: int = 0
    connected: int = 0
    pushes: int = 0
    requests: int = 0
    failed_dials: int = 0
    by_meter: dict[str, int] = field(default_factory=dict)  # connections per meter


def parse_fractions(text: str, allowed: Iterable[str]) -> dict[str, float]:
    """ "tamper=0.1,bypass=0.05" -> {"tamper": 0.1, "bypass": 0.05}, checked against allowed names."""
    allowed = tuple(allowed)
    fractions: dict[str, float] = {}
    for part in filter(None, (item.strip() for item in text.split(","))):
        name, _, value = part.partition("=")
        if name not in allowed:
            raise ValueError(f"unknown name {name!r} in {text!r}; expected one of {', '.join(allowed)}")
        try:
            fractions[name] = float(value)
        except ValueError:
            raise ValueError(f"{part!r}: the share must be a number between 0 and 1") from None
        if not 0 <= fractions[name] <= 1:
            raise ValueError(f"{part!r}: the share must be between 0 and 1")
    if sum(fractions.values()) > 1 + 1e-9:
        raise ValueError(f"{text!r}: the shares add up to more than 1")
    return fractions


def assign(meter_numbers: list[str], fractions: Mapping[str, float], default: str, seed: int) -> dict[str, str]:
    """Give round(share x count) meters each name, picked by a seeded shuffle; the rest get default."""
    order = list(meter_numbers)
    random.Random(seed).shuffle(order)
    assigned: dict[str, str] = {}
    position = 0
    for name, share in fractions.items():
        count = round(share * len(order))
        assigned.update((number, name) for number in order[position:position + count])
        position += count
    return {number: assigned.get(number, default) for number in meter_numbers}


def numbered(first: str, count: int) -> list[str]:
    """Meter numbers counting up from first, keeping its width (leading zeros)."""
    if not first.isdigit():
        raise ValueError(f"first meter number {first!r} must be digits")
    return [f"{int(first) + i:0{len(first)}d}" for i in range(count)]


def plan_fleet(meter_numbers: list[str], scenarios: Mapping[str, float], shapes: Mapping[str, float], seed: int,
               overrides: Mapping[str, Mapping[str, str]] | None = None) -> list[MeterConfig]:
    """MeterConfigs for meter_numbers. Shares pick scenarios and load shapes (the rest: normal and
    residential); overrides[meter] may set scenario, shape, password, block_cipher_key, authentication_key,
    or make it a check meter: `feeds` (the fleet's meter numbers it measures, space-separated) with the
    transformer (rating_kva, no_load_loss_kw, load_loss_kw, line_loss_pct). Check meters take no share, so
    adding them leaves the other meters' scenarios and shapes as they were."""
    checks = [n for n in meter_numbers if ((overrides or {}).get(n) or {}).get("feeds")]
    customers = [n for n in meter_numbers if n not in checks]
    scenario_of = assign(customers, scenarios, NORMAL, seed)
    shape_of = assign(customers, {k: v for k, v in shapes.items() if k != RESIDENTIAL}, RESIDENTIAL, seed + 1)
    configs = {number: _config(number, scenario_of[number], shape_of[number], seed, (overrides or {}).get(number, {}))
               for number in customers}
    for number in checks:
        configs[number] = _check_config(number, seed, (overrides or {})[number], configs)
    return [configs[number] for number in meter_numbers]


def _config(number: str, scenario_share: str, shape_share: str, seed: int, extra: Mapping[str, str]) -> MeterConfig:
    scenario, shape = extra.get("scenario") or scenario_share, extra.get("shape") or shape_share
    if scenario not in SCENARIOS:
        raise ValueError(f"meter {number}: unknown scenario {scenario!r}; expected one of {', '.join(SCENARIOS)}")
    if shape not in SHAPES:
        raise ValueError(f"meter {number}: unknown load shape {shape!r}; expected one of {', '.join(SHAPES)}")
    return MeterConfig(
        number, shape=shape, scenario=scenario, seed=meter_seed(number, seed),
        password=extra.get("password") or DEFAULT_PASSWORD,
        block_cipher_key=_key(number, "block_cipher_key", extra.get("block_cipher_key")),
        authentication_key=_key(number, "authentication_key", extra.get("authentication_key")))


def _check_config(number: str, seed: int, extra: Mapping[str, str], fleet: Mapping[str, MeterConfig]) -> MeterConfig:
    """A check meter measuring the supply of `feeds` (meters of this fleet, not check meters themselves)."""
    feeds = extra["feeds"].split()
    unknown = [n for n in feeds if n not in fleet]
    if unknown:
        raise ValueError(f"meter {number}: feeds {', '.join(unknown)}, which are not customer meters of this fleet")
    numbers = {}
    for name in ("rating_kva", "no_load_loss_kw", "load_loss_kw", "line_loss_pct"):
        try:
            numbers[name] = float(extra.get(name) or 0)
        except ValueError:
            raise ValueError(f"meter {number}: {name} must be a number") from None
    if numbers["rating_kva"] <= 0:
        raise ValueError(f"meter {number}: a check meter needs rating_kva above 0")
    base = _config(number, NORMAL, RESIDENTIAL, seed, {**extra, "scenario": NORMAL})
    return replace(base, feeds=tuple(fleet[n] for n in feeds), transformer=Transformer(**numbers))


def _key(meter_number: str, name: str, text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise ValueError(f"meter {meter_number}: {name} must be 32 hex digits (a 16-byte AES key)")
    return key


class Fleet:
    def __init__(self, meters: list[SimulatedMeter], options: FleetOptions) -> None:
        self.meters = meters
        self.options = options
        self.stats = FleetStats()

    async def run(self) -> None:
        dialling = [meter for meter in self.meters if meter.scenario.dials]
        for meter in dialling:
            meter.objects.push_setup.destination = f"{self.options.host}:{self.options.port}"
        _log.info("%d meters, %d dial %s:%d", len(self.meters), len(dialling), self.options.host, self.options.port)
        await asyncio.gather(*(self.run_meter(meter) for meter in dialling))

    async def run_meter(self, meter: SimulatedMeter) -> None:
        """Dial, serve and redial for ever (until cancelled)."""
        options, backoff = self.options, self.options.backoff_min_s
        await asyncio.sleep(options.ramp_s * unit_random(meter.config.seed, 0, salt=40))
        while True:
            await self._wait_for_supply(meter)
            try:
                async with asyncio.timeout(options.connect_timeout_s):
                    reader, writer = await asyncio.open_connection(options.host, options.port)
            except (OSError, TimeoutError) as exc:
                self.stats.failed_dials += 1
                _log.debug("%s: dial failed (%s); retry in %.1f s", meter.meter_number, exc, backoff)
                await asyncio.sleep(backoff * (0.5 + random.random()))
                backoff = min(backoff * 2, options.backoff_max_s)
                continue
            backoff = options.backoff_min_s
            try:
                await self.serve(meter, reader, writer)
            except (ConnectionError, OSError) as exc:
                _log.debug("%s: connection lost (%s)", meter.meter_number, exc)
            except Exception:  # noqa: BLE001 - one meter's failure must not stop the fleet; it redials
                _log.exception("%s: hanging up after an unexpected error", meter.meter_number)
            finally:
                writer.close()
                with contextlib.suppress(ConnectionError, OSError):
                    await writer.wait_closed()
            await asyncio.sleep(backoff * (0.5 + random.random()))

    async def _wait_for_supply(self, meter: SimulatedMeter) -> None:
        while meter.scenario.in_outage(datetime.now(UTC)):
            restore = meter.scenario.next_change(datetime.now(UTC)) or datetime.now(UTC) + timedelta(seconds=60)
            await asyncio.sleep(max(0.1, (restore - datetime.now(UTC)).total_seconds()))

    async def serve(self, meter: SimulatedMeter, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One connection: push now and every interval, answer each request frame, until it drops."""
        loop = asyncio.get_running_loop()
        self.stats.connections += 1
        self.stats.connected += 1
        self.stats.by_meter[meter.meter_number] = self.stats.by_meter.get(meter.meter_number, 0) + 1
        meter.connection_started()
        buffer, next_push = bytearray(), loop.time()
        try:
            while not meter.scenario.in_outage(datetime.now(UTC)):
                if loop.time() >= next_push:
                    writer.write(meter.push_frame())
                    await writer.drain()
                    self.stats.pushes += 1
                    next_push += self.options.push_interval_s
                try:
                    async with asyncio.timeout(min(next_push - loop.time(), _POWER_POLL_S)):
                        data = await reader.read(_READ_SIZE)
                except TimeoutError:
                    continue
                if not data:
                    return  # the HES hung up
                buffer += data
                await self._answer(meter, buffer, writer)
        finally:
            self.stats.connected -= 1

    async def _answer(self, meter: SimulatedMeter, buffer: bytearray, writer: asyncio.StreamWriter) -> None:
        while True:
            consumed, frame = wrapper.split(buffer)
            if not consumed:
                return
            del buffer[:consumed]
            if frame is None:
                continue
            self.stats.requests += 1
            reply = meter.exchange(frame)
            if reply:
                writer.write(reply)
                await writer.drain()

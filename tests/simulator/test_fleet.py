"""The fleet over real TCP: a tiny asyncio HES written here accepts dialling meters, decodes their
WRAPPER pushes with gurux and sends requests on the same socket."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from gurux_dlms import GXByteBuffer, GXReplyData
from gurux_dlms.objects import GXDLMSRegister

from simulator import objects as ob
from simulator import wrapper
from simulator.__main__ import main, read_meters_file
from simulator.fleet import Fleet, FleetOptions, assign, numbered, parse_fractions, plan_fleet
from simulator.meter import MeterConfig, SimulatedMeter
from tests.simulator.link import FakeClock, make_meter, management_client, public_client

PUSH = 0x0F


class TinyHes:
    """Accepts meter connections and hands each (reader, writer) to the test."""

    def __init__(self) -> None:
        self.connections: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> TinyHes:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self.connections.put((reader, writer))

    async def accept(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.wait_for(self.connections.get(), 5)


async def read_frame(reader: asyncio.StreamReader) -> bytes:
    header = await asyncio.wait_for(reader.readexactly(wrapper.HEADER_LENGTH), 5)
    return header + await reader.readexactly(int.from_bytes(header[6:8], "big"))


def decode_push(frame: bytes) -> list[Any]:
    reply, notify = GXReplyData(), GXReplyData()
    public_client().getData(GXByteBuffer(frame), reply, notify)
    assert notify.complete
    return list(notify.value)


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 20))


async def _with_fleet(meters: list[SimulatedMeter], hes: TinyHes, **options: float) -> tuple[Fleet, asyncio.Task[None]]:
    fleet = Fleet(meters, FleetOptions(port=hes.port, ramp_s=0, backoff_min_s=0.05, **options))
    return fleet, asyncio.create_task(fleet.run())


def test_a_meter_dials_pushes_answers_a_get_and_redials() -> None:
    async def scenario() -> None:
        meter = make_meter("04312000007", clock=FakeClock())
        async with TinyHes() as hes:
            fleet, task = await _with_fleet([meter], hes, push_interval_s=0.3)
            reader, writer = await hes.accept()
            first = await read_frame(reader)
            assert first[:6] == bytes.fromhex("000100010066") and first[8] == PUSH
            assert decode_push(first)[0] == bytearray(b"04312000007")
            assert decode_push(await read_frame(reader))[0] == bytearray(b"04312000007")  # the next interval

            client = management_client()

            async def request(data: bytes) -> bytes:
                writer.write(data)
                while True:
                    frame = await read_frame(reader)
                    if frame[8] != PUSH:
                        return frame

            reply = GXReplyData()
            client.getData(GXByteBuffer(await request(bytes(client.aarqRequest()[0]))), reply, None)
            client.parseAareResponse(reply.data)
            energy = GXDLMSRegister(ob.ENERGY_IMPORT)
            reply = GXReplyData()
            client.getData(GXByteBuffer(await request(bytes(client.read(energy, 2)[0]))), reply, None)
            assert reply.error == 0 and reply.value == meter.objects.registers[ob.ENERGY_IMPORT].value

            writer.close()
            reader, writer = await hes.accept()  # the meter redials after the drop
            assert decode_push(await read_frame(reader))[0] == bytearray(b"04312000007")
            assert fleet.stats.connections == 2 and fleet.stats.requests == 2
            task.cancel()
            writer.close()

    run(scenario)


def test_one_process_serves_hundreds_of_meters() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        meters = [SimulatedMeter(MeterConfig(number, seed=i), epoch=clock.now, now=clock, history=timedelta(hours=1))
                  for i, number in enumerate(numbered("04312000000", 300))]
        async with TinyHes() as hes:
            _, task = await _with_fleet(meters, hes, push_interval_s=60)
            seen = set()
            writers = []
            for _ in meters:
                reader, writer = await hes.accept()
                writers.append(writer)
                seen.add(bytes(decode_push(await read_frame(reader))[0]).decode())
            assert seen == {meter.meter_number for meter in meters}
            task.cancel()
            for writer in writers:
                writer.close()

    run(scenario)


def test_never_online_meters_do_not_dial() -> None:
    async def scenario() -> None:
        quiet = make_meter("04312000008", scenario="never_online")
        async with TinyHes() as hes:
            fleet, task = await _with_fleet([quiet], hes)
            await asyncio.sleep(0.2)
            assert hes.connections.empty() and fleet.stats.connections == 0
            task.cancel()

    run(scenario)


def test_dial_failures_back_off_and_retry() -> None:
    async def scenario() -> None:
        async with TinyHes() as hes:
            port = hes.port
        fleet = Fleet([make_meter()], FleetOptions(port=port, ramp_s=0, backoff_min_s=0.02, backoff_max_s=0.05))
        task = asyncio.create_task(fleet.run())
        await asyncio.sleep(0.4)
        assert fleet.stats.failed_dials >= 3
        task.cancel()

    run(scenario)


def test_wrapper_split_handles_partial_frames_pairs_and_garbage() -> None:
    one, two = wrapper.frame(1, 0x66, b"\x0f\x01"), wrapper.frame(1, 16, b"\xc4")
    assert wrapper.split(one[:5]) == (0, None)
    assert wrapper.split(one[:-1]) == (0, None)
    assert wrapper.split(one + two) == (len(one), one)
    assert wrapper.split(b"\xff" + one) == (1, None)


def test_fractions_are_parsed_and_checked() -> None:
    assert parse_fractions("tamper=0.1, bypass=0.05", ["tamper", "bypass"]) == {"tamper": 0.1, "bypass": 0.05}
    for text, message in [("flood=0.1", "unknown name 'flood'"), ("tamper=x", "must be a number"),
                          ("tamper=0.7,bypass=0.6", "add up to more than 1"), ("tamper=2", "between 0 and 1")]:
        with pytest.raises(ValueError, match=message):
            parse_fractions(text, ["tamper", "bypass"])


def test_scenarios_are_assigned_by_share_and_seed() -> None:
    numbers = numbered("04312000000", 100)
    assert numbers[0] == "04312000000" and numbers[-1] == "04312000099"
    assigned = assign(numbers, {"tamper": 0.1, "bypass": 0.05}, "normal", seed=1)
    assert sorted(assigned.values()).count("tamper") == 10 and list(assigned.values()).count("bypass") == 5
    assert assigned == assign(numbers, {"tamper": 0.1, "bypass": 0.05}, "normal", seed=1)
    assert assigned != assign(numbers, {"tamper": 0.1, "bypass": 0.05}, "normal", seed=2)


def test_plan_fleet_applies_per_meter_overrides() -> None:
    key = "00112233445566778899aabbccddeeff"
    configs = plan_fleet(["1", "2"], {}, {}, seed=1, overrides={
        "2": {"scenario": "secured", "shape": "industrial", "block_cipher_key": key, "password": "secret"}})
    assert (configs[0].scenario, configs[0].shape) == ("normal", "residential")
    assert (configs[1].scenario, configs[1].shape, configs[1].password) == ("secured", "industrial", "secret")
    assert configs[1].keys[0] == bytes.fromhex(key)
    with pytest.raises(ValueError, match="meter 2: block_cipher_key must be 32 hex digits"):
        plan_fleet(["2"], {}, {}, seed=1, overrides={"2": {"block_cipher_key": "abcd"}})


def test_meters_file_with_or_without_a_header(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("04312000001\n04312000002\n\n")
    assert read_meters_file(plain) == (["04312000001", "04312000002"], {})
    detailed = tmp_path / "detailed.csv"
    detailed.write_text("meter_number,scenario\n04312000001,tamper\n04312000002,\n")
    numbers, overrides = read_meters_file(detailed)
    assert numbers == ["04312000001", "04312000002"] and overrides["04312000001"]["scenario"] == "tamper"
    clash = tmp_path / "clash.csv"
    clash.write_text("meter_number\n1\n1\n")
    with pytest.raises(ValueError, match="row 3: meter 1 is listed twice"):
        read_meters_file(clash)


def test_cli_reports_bad_input_without_starting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--scenario", "flood=0.5"]) == 2
    assert "unknown name 'flood'" in capsys.readouterr().err

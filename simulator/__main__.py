"""python -m simulator: run a fleet of simulated DLMS meters that dial the HES.

    python -m simulator --host 127.0.0.1 --port 4059 --count 50 \\
        --scenario tamper=0.1,bypass=0.05 --push-interval 60 --first-meter 04312000000
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from simulator.consumption import SHAPES
from simulator.fleet import Fleet, FleetOptions, numbered, parse_fractions, plan_fleet
from simulator.meter import SimulatedMeter
from simulator.scenarios import SCENARIOS

_log = logging.getLogger("simulator")
COLUMNS = ("meter_number", "scenario", "shape", "password", "block_cipher_key", "authentication_key",
           "feeds", "rating_kva", "no_load_loss_kw", "load_loss_kw", "line_loss_pct")  # the last five: check meters


def read_meters_file(path: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Meter numbers (and per-meter settings) from a CSV: a meter_number column with optional
    COLUMNS, or no header at all and the meter number in the first column."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    if not rows:
        raise ValueError(f"{path}: no meter numbers")
    header = [cell.strip().lower() for cell in rows[0]]
    if "meter_number" not in header:
        return [row[0].strip() for row in rows], {}
    unknown = sorted(set(header) - set(COLUMNS))
    if unknown:
        raise ValueError(f"{path}: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(COLUMNS)}")
    numbers, overrides = [], {}
    for line, row in enumerate(rows[1:], start=2):
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        if not values["meter_number"]:
            raise ValueError(f"{path}, row {line}: meter_number is empty")
        if values["meter_number"] in overrides:
            raise ValueError(f"{path}, row {line}: meter {values['meter_number']} is listed twice")
        numbers.append(values["meter_number"])
        overrides[values["meter_number"]] = values
    return numbers, overrides


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="HES listener address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=4059, help="HES listener port (default 4059)")
    parser.add_argument("--count", type=int, default=10, help="number of meters (default 10)")
    parser.add_argument("--first-meter", default="04312000000", help="first meter number; the rest count up")
    parser.add_argument("--meters-file", type=Path, help="CSV of meter numbers (replaces --count/--first-meter)")
    parser.add_argument("--scenario", default="", help=f"shares of scenarios, e.g. tamper=0.1,bypass=0.05 "
                        f"({', '.join(SCENARIOS)}); the rest are normal")
    parser.add_argument("--shapes", default="commercial=0.15,industrial=0.05",
                        help=f"shares of load shapes ({', '.join(SHAPES)}); the rest are residential")
    parser.add_argument("--push-interval", type=float, default=60.0, help="seconds between pushes (default 60)")
    parser.add_argument("--ramp", type=float, default=5.0, help="spread the first dials over this many seconds")
    parser.add_argument("--history-days", type=float, default=2.0, help="load profile history at start (days)")
    parser.add_argument("--seed", type=int, default=1, help="fleet seed: same seed, same fleet")
    parser.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    return parser.parse_args(argv)


async def _report(fleet: Fleet, every_s: float = 60.0) -> None:
    while True:
        await asyncio.sleep(every_s)
        s = fleet.stats
        _log.info("connected %d, connections %d, pushes %d, requests %d, failed dials %d",
                  s.connected, s.connections, s.pushes, s.requests, s.failed_dials)


async def _run(fleet: Fleet) -> None:
    reporter = asyncio.create_task(_report(fleet))
    try:
        await fleet.run()
    finally:
        reporter.cancel()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.meters_file:
            numbers, overrides = read_meters_file(args.meters_file)
        else:
            numbers, overrides = numbered(args.first_meter, args.count), {}
        configs = plan_fleet(numbers, parse_fractions(args.scenario, SCENARIOS),
                             parse_fractions(args.shapes, SHAPES), args.seed, overrides)
    except (OSError, ValueError) as exc:
        print(f"simulator: {exc}", file=sys.stderr)
        return 2
    epoch = datetime.now(UTC)
    meters = [SimulatedMeter(config, epoch, history=timedelta(days=args.history_days)) for config in configs]
    for meter in meters:
        _log.debug("%s %s %s", meter.meter_number, meter.config.shape, meter.config.scenario)
    options = FleetOptions(args.host, args.port, args.push_interval, ramp_s=args.ramp)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(Fleet(meters, options)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

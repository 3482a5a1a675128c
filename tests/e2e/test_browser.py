"""The browser journeys (frontend/e2e, Playwright in Debian's Chromium) against `make run` stacks."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import ROOT, Stack, start_stack, stop_stack

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists() and os.environ.get("CI") != "true",
                                    reason="Debian's chromium is not installed (make test installs it)")


def run_journey(script: str, stack: Stack, shots: Path, **env: str) -> str:
    node = shutil.which("node")
    assert node, "node is required for the browser tests"
    shots.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", f"e2e/{script}"], cwd=ROOT / "frontend", capture_output=True,
        text=True, env={**os.environ, "HES_URL": stack.url, "HES_SCREENSHOTS": str(shots), **env}, timeout=400,
    )
    print(result.stdout[-6000:], result.stderr[-3000:])
    assert result.returncode == 0, f"browser test failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    summary = result.stdout[-2000:]  # the node spec reporter's closing lines
    assert "\u2139 pass 1" in summary and "\u2139 skipped 0" in summary, summary
    return result.stdout


@needs_chromium
def test_the_admin_journey_in_chromium(stack: Stack, tmp_path: Path) -> None:
    run_journey("foundation.test.mjs", stack, Path(os.environ.get("HES_SCREENSHOTS", tmp_path)))


def demo_bypassed(data: Path) -> list[str]:
    """The demo fleet's bypassed meters: its meters file as `make run` wrote it, planned as the simulator plans."""
    from local import demo
    from simulator.__main__ import read_meters_file
    from simulator.consumption import SHAPES
    from simulator.fleet import parse_fractions, plan_fleet
    from simulator.scenarios import SCENARIOS

    numbers, overrides = read_meters_file(data / "demo-fleet.csv")
    configs = plan_fleet(numbers, parse_fractions(demo.DEMO_SCENARIOS, SCENARIOS),
                         parse_fractions(demo.DEMO_SHAPES, SHAPES), demo.DEMO_SEED, overrides)
    return [c.meter_number for c in configs if c.scenario == "bypass"]


@needs_chromium
def test_operations_and_revenue_protection_on_the_demo_fleet(tmp_path: Path) -> None:
    """Remote control and meter reading on the live demo fleet; then a bypassed meter's Investigation alert
    becomes a case that an operator resolves as theft confirmed."""
    password = "operations-journey-1"
    demo = start_stack(tmp_path, demo=True, HES_DEMO_PUSH_INTERVAL_S="5", HES_ADMIN_PASSWORD=password)
    shots = Path(os.environ.get("HES_SCREENSHOTS", tmp_path))
    try:
        run_journey("operations.test.mjs", demo, shots / "ops", HES_DEMO="true", HES_ADMIN_PASSWORD=password)
        bypassed = demo_bypassed(tmp_path / "data")
        assert bypassed, "the demo fleet has bypassed meters"
        run_journey("revenue.test.mjs", demo, shots / "revenue", HES_ADMIN_PASSWORD=password,
                    HES_BYPASS_METERS=",".join(bypassed))
    finally:
        assert stop_stack(demo) == 0


FLEET: dict[str, str] = {"scenario": "tamper=0.06", "shapes": "commercial=0.15,industrial=0.05", "seed": "4",
                         "history_days": "60"}


def mvp_files(folder: Path, meters: list[str], now: datetime) -> None:
    """The utility's files of the MVP journey: 50 meters for "Industrial Park", and last month's hourly
    register readings of those meters, from the same model the simulated meters run (so the registers the
    meters push live continue them), plus the month's register difference of each meter, for the check."""
    from simulator.consumption import SHAPES
    from simulator.fleet import parse_fractions, plan_fleet
    from simulator.history import hourly_registers
    from simulator.scenarios import SCENARIOS

    folder.mkdir(parents=True, exist_ok=True)
    rows = ["Meter Number,Concentrator ID,Meter Type,Area,Status"]
    rows += [f"{m},DCU-IP-01,Three Phase,Industrial Park,active" for m in meters]
    (folder / "industrial-park-meters.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "fleet.csv").write_text("meter_number\n" + "\n".join(meters) + "\n", encoding="utf-8")
    lagos = ZoneInfo("Africa/Lagos")
    today = now.astimezone(lagos).date()
    end = datetime(today.year, today.month, 1, tzinfo=lagos)
    start = datetime((end - timedelta(days=1)).year, (end - timedelta(days=1)).month, 1, tzinfo=lagos)
    configs = plan_fleet(meters, parse_fractions(FLEET["scenario"], SCENARIOS),
                         parse_fractions(FLEET["shapes"], SHAPES), int(FLEET["seed"]))
    lines, expected = ["Meter Number,Timestamp,Import kWh,Export kWh"], {}
    for config in configs:
        month = [(t, imp) for t, imp, _ in hourly_registers(config, now, float(FLEET["history_days"]))
                 if start <= t <= end]
        lines += [f"{config.meter_number},{t.astimezone(lagos).isoformat()},{imp / 1000:.3f},0" for t, imp in month]
        expected[config.meter_number] = (month[-1][1] - month[0][1]) / 1000
    (folder / "last-month-readings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "expected.json").write_text(json.dumps({"from": start.date().isoformat(), "days": (end - start).days,
                                                      "kwh": expected}), encoding="utf-8")


@needs_chromium
def test_the_operations_mvp_journey(tmp_path: Path) -> None:
    """Admin creates "Industrial Park" and imports 50 meters into it; the operator sees the tamper alerts on
    the dashboard, filters the event report by a tampered meter; a manager downloads last month's consumption."""
    password = "mvp-journey-1"
    meters = [f"0431900{n:04d}" for n in range(50)]
    files = tmp_path / "files"
    mvp_files(files, meters, datetime.now(UTC))
    stack = start_stack(tmp_path, HES_ADMIN_PASSWORD=password, HES_EVENT_POLL_S="3")
    fleet = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", str(stack.edge_port), "--meters-file",
         str(files / "fleet.csv"), "--scenario", FLEET["scenario"], "--shapes", FLEET["shapes"],
         "--seed", FLEET["seed"], "--history-days", FLEET["history_days"], "--push-interval", "5",
         "--ramp", "3"],
        cwd=ROOT, stdout=(tmp_path / "fleet.log").open("w"), stderr=subprocess.STDOUT)
    try:
        run_journey("mvp.test.mjs", stack, Path(os.environ.get("HES_SCREENSHOTS", tmp_path)) / "mvp",
                    HES_ADMIN_PASSWORD=password, HES_MVP_FILES=str(files))
    finally:
        fleet.terminate()
        fleet.wait(timeout=20)
        assert stop_stack(stack) == 0

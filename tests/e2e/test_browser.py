"""The browser journeys (frontend/e2e, Playwright in Debian's Chromium) against `make run` stacks."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

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


@needs_chromium
def test_remote_control_and_meter_reading_on_the_demo_fleet(tmp_path: Path) -> None:
    password = "operations-journey-1"
    demo = start_stack(tmp_path, demo=True, HES_DEMO_PUSH_INTERVAL_S="5", HES_ADMIN_PASSWORD=password)
    try:
        run_journey("operations.test.mjs", demo, Path(os.environ.get("HES_SCREENSHOTS", tmp_path)) / "ops",
                    HES_DEMO="true", HES_ADMIN_PASSWORD=password)
    finally:
        assert stop_stack(demo) == 0

"""The browser journey (frontend/e2e, Playwright in Debian's Chromium) against a fresh `make run` stack."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, Stack

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists() and os.environ.get("CI") != "true",
                    reason="Debian's chromium is not installed (make test installs it)")
def test_the_admin_journey_in_chromium(stack: Stack, tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "node is required for the browser test"
    shots = Path(os.environ.get("HES_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", "e2e/"], cwd=ROOT / "frontend", capture_output=True, text=True,
        env={**os.environ, "HES_URL": stack.url, "HES_SCREENSHOTS": str(shots)}, timeout=300,
    )
    print(result.stdout[-6000:], result.stderr[-3000:])
    assert result.returncode == 0, f"browser test failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    assert "# pass 1" in result.stdout or "✔ an admin logs in" in result.stdout

"""Child processes of `make run` (edge listener, simulator): own process group, stopped in order."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path


class Child:
    def __init__(self, name: str, args: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        log.parent.mkdir(parents=True, exist_ok=True)
        self.name, self.log = name, log
        with log.open("ab") as out:
            self.proc = subprocess.Popen([sys.executable, *args], stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})},
                                         start_new_session=True)

    def stop(self, timeout: float = 10) -> None:
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

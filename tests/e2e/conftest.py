"""The whole local system as `make run` starts it, on free ports and a throw-away data folder."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from local.embedded_db import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stack:
    url: str
    db_port: int
    process: subprocess.Popen[str]
    log: Path
    edge_port: int = 0

    def get_json(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path, timeout=10) as res:
            return json.loads(res.read())


def start_stack(tmp: Path, demo: bool = False, **extra: str) -> Stack:
    port, db_port, edge_port = free_port(), free_port(), free_port()
    env = {**os.environ, "HES_HTTP_PORT": str(port), "HES_DB_PORT": str(db_port), "HES_DATA_DIR": str(tmp / "data"),
           "HES_STAGE": "local", "HES_AWS_PORT": str(free_port()), "HES_EDGE_PORT": str(edge_port),
           "HES_DEMO": "true" if demo else "false"}
    env.pop("HES_MONGODB_URI", None)
    env.pop("HES_ADMIN_PASSWORD", None)
    env.update(extra)
    log = tmp / "run.log"
    proc = subprocess.Popen([sys.executable, "-m", "local.run"], cwd=ROOT, env=env, text=True,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    stack = Stack(f"http://127.0.0.1:{port}", db_port, proc, log, edge_port)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"make run's process died:\n{log.read_text()}")
        try:
            if stack.get_json("/api/v1/health")["database"] == "ok":
                return stack
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"the stack did not come up in 90 s:\n{log.read_text()}")


def stop_stack(stack: Stack) -> int:
    stack.process.send_signal(signal.SIGINT)
    try:
        return stack.process.wait(timeout=60)  # a loaded 2-core machine can take its time to stop the children
    except subprocess.TimeoutExpired:
        stack.process.kill()
        raise


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("stack"))
    yield running
    if running.process.poll() is None:
        stop_stack(running)

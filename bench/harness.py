"""Shared pieces of the ingest benchmarks: child processes on 127.0.0.1, /proc readings, push frames."""
from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from local.aws import LOCAL_CREDENTIALS
from local.embedded_db import free_port
from simulator.fleet import plan_fleet
from simulator.meter import SimulatedMeter

__all__ = ["free_port"]
ROOT = Path(__file__).resolve().parent.parent
HZ = os.sysconf("SC_CLK_TCK")


def raise_nofile() -> int:
    """Soft open-files limit up to the hard one (children inherit it); returns the new limit."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def proc_status(pid: int, field: str) -> int:
    """A kB field of /proc/<pid>/status (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    return proc_status(pid, field) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def aws_env(aws_port: int) -> dict[str, str]:
    return {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{aws_port}", **LOCAL_CREDENTIALS}


def wait_port(port: int, proc: subprocess.Popen[bytes], log: Path, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{proc.args!r} did not listen on {port} within {timeout_s:.0f} s")


def spawn(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A Python child in its own process group, output to log."""
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}, start_new_session=True)


def stop(proc: subprocess.Popen[bytes], timeout_s: float = 10) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def start_moto(port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = spawn(["-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], log)
    wait_port(port, proc, log)
    return proc


def start_edge(port: int, aws_port: int, frames_queue: str, commands_queue: str, log: Path,
               idle_timeout_s: float = 600) -> subprocess.Popen[bytes]:
    env = {**aws_env(aws_port), "HES_EDGE_HOST": "127.0.0.1", "HES_EDGE_PORT": str(port),
           "HES_FRAMES_QUEUE": frames_queue, "HES_COMMANDS_QUEUE": commands_queue,
           "HES_EDGE_IDLE_TIMEOUT_S": str(idle_timeout_s), "HES_AWS_PORT": str(aws_port)}
    proc = spawn(["-m", "edge_listener"], log, env)
    wait_port(port, proc, log)
    return proc


class PushFrames:
    """Real push frames (WRAPPER + Data-Notification) from one simulated meter, serial number swapped in.

    Building a SimulatedMeter per connection costs ~2.6 ms and ~0.2 MB; swapping the serial number object
    of one meter gives each connection its own identity through the simulator's own push encoding.
    """

    def __init__(self) -> None:
        self.meter = SimulatedMeter(plan_fleet(["00000000000"], {}, {}, seed=1)[0])

    def frame(self, meter_number: str) -> bytes:
        self.meter.objects.serial_number.value = bytearray(meter_number.encode("ascii"))
        return self.meter.push_frame()

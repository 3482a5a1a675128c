"""Embedded MongoDB-compatible database for local development and tests.

Runs ``hes-mongod`` (FerretDB embedded as a Go library, SQLite backend; sources
in ``local/ferretdb``) as a subprocess and waits until it answers pymongo's
``ping``. The binary is built by ``scripts/build_db.sh`` into
``.build/bin/hes-mongod`` (a no-op when it is up to date).

Usage::

    from local.embedded_db import free_port, start_embedded_db

    with start_embedded_db(tmp_path / "db", free_port()) as db:
        client = pymongo.MongoClient(db.uri)

Foreground (until Ctrl-C)::

    python -m local.embedded_db --port 27017 --data-dir .data/db

Only the standard library and pymongo are used.
"""

from __future__ import annotations

import argparse
import atexit
import collections
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from pymongo import MongoClient
from pymongo.errors import PyMongoError

REPO_ROOT = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = REPO_ROOT / "scripts" / "build_db.sh"
DEFAULT_BINARY = REPO_ROOT / ".build" / "bin" / "hes-mongod"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_STARTUP_TIMEOUT = 60.0
DEFAULT_STOP_TIMEOUT = 10.0
_READY_PREFIX = "hes-mongod ready on "
_LOG_TAIL_LINES = 200


class EmbeddedDBError(RuntimeError):
    """The embedded database could not be built, started or stopped."""


def free_port(host: str = DEFAULT_HOST) -> int:
    """Return a TCP port on ``host`` that is free right now.

    The port is released before returning, so another process may grab it in
    the meantime; callers that need certainty must handle a failed start.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def build_binary(binary: Path | None = None, *, force: bool = False) -> Path:
    """Run ``scripts/build_db.sh`` (no-op when up to date); return the binary path.

    The script's output goes to this process's stderr.
    """
    target = Path(binary).resolve() if binary is not None else DEFAULT_BINARY
    if not BUILD_SCRIPT.is_file():
        raise EmbeddedDBError(f"build script not found: {BUILD_SCRIPT}")
    env = dict(os.environ)
    env["HES_DB_BIN"] = str(target)
    cmd = ["bash", str(BUILD_SCRIPT)]
    if force:
        cmd.append("--force")
    proc = subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if proc.stdout:
        sys.stderr.write(proc.stdout)
        sys.stderr.flush()
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-40:])
        raise EmbeddedDBError(f"{BUILD_SCRIPT} failed with exit code {proc.returncode}:\n{tail}")
    if not os.access(target, os.X_OK):
        raise EmbeddedDBError(f"{BUILD_SCRIPT} succeeded but {target} is not executable")
    return target


class EmbeddedDB:
    """A ``hes-mongod`` subprocess serving ``mongodb://HOST:PORT/``.

    Create it, then call :meth:`start` (or use :func:`start_embedded_db`).
    Usable as a context manager; :meth:`stop` is idempotent.
    """

    def __init__(
        self,
        data_dir: Path | str,
        port: int,
        binary: Path | str | None = None,
        *,
        host: str = DEFAULT_HOST,
        log_level: str = "warn",
        startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
        echo_logs: bool = False,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.port = int(port)
        self.host = host
        self.binary: Path | None = Path(binary).resolve() if binary is not None else None
        self.log_level = log_level
        self.startup_timeout = startup_timeout
        self.echo_logs = echo_logs

        self._proc: subprocess.Popen[str] | None = None
        self._ready = threading.Event()
        self._ready_line: str | None = None
        self._stdout_tail: collections.deque[str] = collections.deque(maxlen=_LOG_TAIL_LINES)
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=_LOG_TAIL_LINES)
        self._readers: list[threading.Thread] = []
        self._cmd: list[str] = []

    # -- public API ---------------------------------------------------------

    @property
    def uri(self) -> str:
        return f"mongodb://{self.host}:{self.port}/"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stderr_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines the process wrote to stderr."""
        return "\n".join(list(self._stderr_tail)[-lines:])

    def start(self) -> EmbeddedDB:
        """Build if needed, start the process and wait until it answers ``ping``."""
        if self._proc is not None:
            raise EmbeddedDBError("already started")

        if self.binary is None:
            binary = build_binary(None)  # no-op when up to date
        elif not os.access(self.binary, os.X_OK):
            binary = build_binary(self.binary)
        else:
            binary = self.binary
        self.binary = binary

        if _port_open(self.host, self.port):
            raise EmbeddedDBError(f"{self.host}:{self.port} is already in use by another process")

        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise EmbeddedDBError(f"cannot create data dir {self.data_dir}: {e}") from e
        cmd = [
            str(binary),
            "-listen",
            f"{self.host}:{self.port}",
            "-data-dir",
            str(self.data_dir),
            "-log-level",
            self.log_level,
        ]
        self._cmd = cmd
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            start_new_session=True,  # own session => own process group
        )
        atexit.register(self.stop)
        self._readers = [
            threading.Thread(target=self._read_stdout, name=f"hes-mongod-{self.port}-stdout", daemon=True),
            threading.Thread(target=self._read_stderr, name=f"hes-mongod-{self.port}-stderr", daemon=True),
        ]
        for t in self._readers:
            t.start()

        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT) -> int | None:
        """SIGTERM the process group, wait up to ``timeout`` s, then SIGKILL.

        Returns the process exit code (None if it was never started).
        """
        proc = self._proc
        if proc is None:
            return None
        atexit.unregister(self.stop)
        if proc.poll() is None:
            self._signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(proc, signal.SIGKILL)
                proc.wait(timeout=timeout)
        for t in self._readers:
            t.join(timeout=2)
        return proc.returncode

    def wait(self) -> int:
        """Block until the process exits; return its exit code."""
        if self._proc is None:
            raise EmbeddedDBError("not started")
        return self._proc.wait()

    def __enter__(self) -> EmbeddedDB:
        if self._proc is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<EmbeddedDB {self.uri} data_dir={self.data_dir} pid={self.pid} {state}>"

    # -- internals ----------------------------------------------------------

    @staticmethod
    def _signal_group(proc: subprocess.Popen[str], sig: signal.Signals) -> None:
        try:
            # start_new_session=True made the child its own process-group leader.
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        except PermissionError:
            proc.send_signal(sig)

    def _read_stdout(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            line = line.rstrip("\n")
            self._stdout_tail.append(line)
            if self.echo_logs:
                print(line, flush=True)
            if line.startswith(_READY_PREFIX) and not self._ready.is_set():
                self._ready_line = line
                self._ready.set()

    def _read_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        for line in self._proc.stderr:
            line = line.rstrip("\n")
            self._stderr_tail.append(line)
            if self.echo_logs:
                print(line, file=sys.stderr, flush=True)

    def _died_error(self, proc: subprocess.Popen[str]) -> EmbeddedDBError:
        for t in self._readers:
            t.join(timeout=2)
        return EmbeddedDBError(
            f"hes-mongod exited with code {proc.returncode} during startup "
            f"(cmd: {' '.join(self._cmd)}).\n"
            f"stderr tail:\n{self.stderr_tail() or '(empty)'}"
        )

    def _wait_ready(self) -> None:
        """Ready = ready line printed (our process bound the port) + TCP connect + ping."""
        proc = self._proc
        assert proc is not None
        deadline = time.monotonic() + self.startup_timeout
        last_error: Exception | None = None
        while True:
            if proc.poll() is not None:
                raise self._died_error(proc)
            if time.monotonic() > deadline:
                raise EmbeddedDBError(
                    f"hes-mongod did not become ready on {self.uri} within "
                    f"{self.startup_timeout:.0f}s (ready line seen: {self._ready.is_set()}, "
                    f"last error: {last_error!r}).\nstderr tail:\n{self.stderr_tail() or '(empty)'}"
                )
            if not self._ready.wait(timeout=0.1):
                continue
            if not _port_open(self.host, self.port):
                time.sleep(0.1)
                continue
            try:
                client: MongoClient[dict[str, object]] = MongoClient(
                    self.uri,
                    directConnection=True,
                    serverSelectionTimeoutMS=2000,
                    connectTimeoutMS=2000,
                )
                try:
                    client.admin.command("ping")
                finally:
                    client.close()
            except PyMongoError as e:
                last_error = e
                time.sleep(0.2)
                continue
            if proc.poll() is not None:  # paranoia: answered by someone else?
                raise self._died_error(proc)
            return


def start_embedded_db(
    data_dir: Path,
    port: int,
    binary: Path | None = None,
    **kwargs: object,
) -> EmbeddedDB:
    """Start ``hes-mongod`` on 127.0.0.1:``port`` with data in ``data_dir``; wait until ready.

    Extra keyword arguments go to :class:`EmbeddedDB` (host, log_level,
    startup_timeout, echo_logs).
    """
    db = EmbeddedDB(data_dir, port, binary, **kwargs)  # type: ignore[arg-type]
    return db.start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local.embedded_db",
        description="Run the embedded MongoDB-compatible DB (FerretDB/SQLite) in the foreground until Ctrl-C.",
    )
    parser.add_argument("--port", type=int, default=27017, help="TCP port on 127.0.0.1 (default 27017)")
    parser.add_argument(
        "--data-dir", type=Path, default=REPO_ROOT / ".data" / "db", help="data directory (default .data/db)"
    )
    parser.add_argument(
        "--binary", type=Path, default=None, help="hes-mongod binary (default: build .build/bin/hes-mongod)"
    )
    parser.add_argument("--log-level", default="warn", choices=["debug", "info", "warn", "error"])
    parser.add_argument("--host", default=DEFAULT_HOST, help="listen address (default 127.0.0.1)")
    args = parser.parse_args(argv)

    # Turn SIGTERM into KeyboardInterrupt so both stop the DB the same way.
    def _on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if inherited as ignored

    db = EmbeddedDB(args.data_dir, args.port, args.binary, host=args.host, log_level=args.log_level, echo_logs=True)
    try:
        db.start()
        print(f"embedded DB ready: {db.uri}  (data: {db.data_dir}, pid {db.pid}); Ctrl-C to stop", file=sys.stderr)
        code = db.wait()
        print(f"hes-mongod exited with code {code}", file=sys.stderr)
        return code or 0
    except KeyboardInterrupt:
        print("stopping...", file=sys.stderr)
        print(f"stopped (exit code {db.stop()})", file=sys.stderr)
        return 0
    except EmbeddedDBError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        db.stop()


if __name__ == "__main__":
    sys.exit(main())

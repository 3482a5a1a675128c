"""`make run`: the whole system on embedded defaults, stopped cleanly with Ctrl-C.

Starts the embedded MongoDB-compatible server (unless HES_MONGODB_URI is set),
prepares the database (indexes, first admin), and serves the SPA and the API on
one origin. Data stays under HES_DATA_DIR (default .data/) between runs.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from chalicelib.bootstrap import database_uri, services
from chalicelib.settings import LOCAL_ADMIN_PASSWORD, SettingsError, get_settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    db_server = None
    if not settings.mongodb_uri:
        from local.embedded_db import start_embedded_db

        data = (ROOT / settings.data_dir / "db").resolve()
        print(f"starting the embedded database on 127.0.0.1:{settings.db_port} (data in {data})", flush=True)
        db_server = start_embedded_db(data, settings.db_port)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server = None
    try:
        svc = services()  # indexes and the first admin
        from local.server import make_server

        server = make_server(settings.http_host, settings.http_port)
        threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
        url = f"http://{settings.http_host}:{settings.http_port}"
        admin = svc.users.users.get("admin")
        print("\n  HES Core is running", flush=True)
        print(f"  web app and API:  {url}   (API under {url}/api/v1)")
        print(f"  database:         {database_uri(settings)}")
        if admin and admin.get("must_change_password") and not settings.admin_password:
            print(f"  log in as:        admin / {LOCAL_ADMIN_PASSWORD}   (you will be asked to change it)")
        else:
            print("  log in as:        admin (password as set; HES_ADMIN_PASSWORD or changed in the app)")
        print("  stop with Ctrl-C\n", flush=True)
        stop.wait()
        print("stopping…", flush=True)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        if db_server is not None:
            db_server.stop()
    print("stopped; data kept for the next run", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

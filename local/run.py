"""`make run`: the whole system on embedded defaults, stopped cleanly with Ctrl-C.

Starts, in order: the embedded MongoDB-compatible server (unless HES_MONGODB_URI is set), moto
(SQS stand-in), the API and web app on one origin, the local Lambda runner for decode_frames, the
edge listener meters dial, and (HES_DEMO, on by default) the sample data with a simulated fleet.
Data stays under HES_DATA_DIR (default .data/) between runs; logs of the child processes go to
HES_DATA_DIR/logs/.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from chalicelib.bootstrap import database_uri, services
from chalicelib.settings import LOCAL_ADMIN_PASSWORD, Settings, SettingsError, get_settings

if TYPE_CHECKING:
    from local.demo_customer import DemoCustomer

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    data = (ROOT / settings.data_dir).resolve()
    with ExitStack() as running:  # everything started is stopped in reverse order
        start_services(settings, data, stop, running)
        if not stop.is_set():
            stop.wait()
        print("stopping…", flush=True)
    print("stopped; data kept for the next run", flush=True)
    return 0


def start_services(settings: Settings, data: Path, stop: threading.Event, running: ExitStack) -> None:
    if not settings.mongodb_uri:
        from local.embedded_db import start_embedded_db

        print(f"starting the embedded database on 127.0.0.1:{settings.db_port} (data in {data / 'db'})", flush=True)
        running.callback(start_embedded_db(data / "db", settings.db_port).stop)
    from local.aws import start_moto

    running.callback(start_moto(settings).stop)
    svc = services()  # indexes, the first admin, the default device profile
    seeded, customer = False, None
    if settings.demo:
        from local import demo, demo_customer

        seeded = demo.seed(svc)
        if seeded:
            started = time.monotonic()
            report = demo.import_history(svc)
            print(f"demo: imported {demo.DEMO_HISTORY_DAYS} days of hourly history for {report['meters']} meters "
                  f"({report['written']} readings) in {time.monotonic() - started:.0f} s", flush=True)
        demo.secure(svc)  # also for a demo archive made before secured demo meters existed
        customer = demo_customer.ensure(svc, settings.demo_customer_password)
    from local.server import make_server

    server = make_server(settings.http_host, settings.http_port)
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    running.callback(server.server_close)
    running.callback(server.shutdown)

    from functions import decode_frames, evaluate_rules, export_reports, poll_events
    from local.lambda_runner import Schedule, SqsPoller

    pollers_stop = threading.Event()
    poller = SqsPoller(settings.frames_queue, decode_frames.handler, "decode_frames", pollers_stop)
    poller.start()
    Schedule(poll_events.handler, "poll_events", settings.event_poll_s, pollers_stop).start()
    exporter = SqsPoller(settings.exports_queue, export_reports.handler, "export_reports", pollers_stop)
    exporter.start()
    Schedule(export_reports.handler, "export_reports", 3600, pollers_stop).start()  # daily in the cloud; idempotent
    rules = SqsPoller(settings.rules_queue, evaluate_rules.handler, "evaluate_rules", pollers_stop)
    rules.start()
    # daily in the cloud; here at start (yesterday, unless scored already) and then hourly
    Schedule(evaluate_rules.handler, "evaluate_rules", 3600, pollers_stop, at_start=True).start()
    running.callback(rules.join, 5)
    running.callback(exporter.join, 5)
    running.callback(poller.join, 5)
    running.callback(pollers_stop.set)

    from local.processes import Child

    logs = data / "logs"
    edge = Child("edge listener", ["-m", "edge_listener"], logs / "edge_listener.log")
    running.callback(edge.stop)
    if settings.demo:
        from local import demo

        meters = demo.fleet_file(svc, data / "demo-fleet.csv")
        fleet = Child("simulator", [
            "-m", "simulator", "--host", "127.0.0.1", "--port", str(settings.edge_port), "--meters-file", str(meters),
            "--scenario", demo.DEMO_SCENARIOS, "--shapes", demo.DEMO_SHAPES, "--seed", str(demo.DEMO_SEED),
            "--history-days", str(demo.DEMO_HISTORY_DAYS),
            "--push-interval", str(settings.demo_push_interval_s), "--ramp", "20",
        ], logs / "simulator.log")
        running.callback(fleet.stop)
    banner(settings, svc.users.users.get("admin"), seeded, logs, customer)


def banner(settings: Settings, admin: dict | None, seeded: bool, logs: Path,
           customer: DemoCustomer | None = None) -> None:
    url = f"http://{settings.http_host}:{settings.http_port}"
    print("\n  HES Core is running", flush=True)
    print(f"  web app and API:  {url}   (API under {url}/api/v1)")
    print(f"  database:         {database_uri(settings)}")
    print(f"  meters dial:      {settings.edge_host}:{settings.edge_port} (IEC 62056-47 WRAPPER)")
    if settings.demo:
        print(f"  demo fleet:       simulated meters push every {settings.demo_push_interval_s} s"
              + ("; sample areas, meters, SIMs and customers loaded" if seeded else ""))
    print(f"  logs:             {logs}")
    if admin and admin.get("must_change_password") and not settings.admin_password:
        print(f"  log in as:        admin / {LOCAL_ADMIN_PASSWORD}   (you will be asked to change it)")
    else:
        print("  log in as:        admin (password as set; HES_ADMIN_PASSWORD or changed in the app)")
    if customer:
        whose = f"{customer.customer_name}, meter {', '.join(customer.meter_numbers)}"
        if customer.generated_password:
            print(f"  customer login:   {customer.username} / {customer.generated_password}   ({whose}; shown once, "
                  "you will be asked to change it)")
        else:
            print(f"  customer login:   {customer.username} ({whose}; HES_DEMO_CUSTOMER_PASSWORD or the password "
                  "shown at its first start; an admin can reset it under Users)")
    print("  stop with Ctrl-C\n", flush=True)


if __name__ == "__main__":
    sys.exit(main())

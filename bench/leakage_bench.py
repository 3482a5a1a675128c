"""Leakage monitoring latency on a fleet: `python -m bench.leakage_bench --meters 3000 --days 35`.

Loads the archive the way bench.api_bench does (hourly energy of N meters x D days in the rollups), then
gives it the shapes the indicators look for: every meter read and online with a voltage (a few flat for
48 h), a few exporting, silent for 10 days, disconnected with or without energy, with tamper alerts. Times
the summary and each list through Chalice's request path (p50/p95), and the summary PDF.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.api_bench import load, timed
from chalicelib.domain.leakage import INDICATORS


def shape(db: Any, numbers: list[str]) -> None:
    """The leakage situations, straight into the fields the ingest path keeps."""
    now = datetime.now(UTC)
    db["meters"].update_many({}, {"$set": {
        "online": True, "last_seen": now, "last_reading_at": now, "first_reading_at": now - timedelta(days=60),
        "latest": {"1-0-32-7-0-255": {"value": 230.0, "unit": "V"}}}})
    silent = numbers[::50]
    db["meters"].update_many({"_id": {"$in": silent}}, {"$set": {
        "online": False, "last_seen": now - timedelta(days=10), "last_reading_at": now - timedelta(days=10)}})
    db["relay_changes"].insert_many([{"_id": f"{m}|d", "meter": m, "at": now - timedelta(hours=30),
                                      "state": "disconnected"} for m in numbers[1::40]])
    for m in numbers[2::60]:  # flat for the last three days: its day documents and its month's days
        for day in range(3):
            local = (now - timedelta(days=day)).astimezone(ZoneInfo("Africa/Lagos")).date()
            db["rollups"].update_one({"_id": f"m|{m}|d|{local.isoformat()}"}, {"$set": {
                **{f"hours.h{h:02d}.import_wh": 0.0 for h in range(24)}, "import_wh": 0.0}})
            db["rollups"].update_one({"_id": f"m|{m}|m|{local.strftime('%Y-%m')}"},
                                     {"$set": {f"days.d{local.day:02d}.import_wh": 0.0}})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meters", type=int, default=3000)
    parser.add_argument("--days", type=int, default=35)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from chalice.test import Client

    from app import app
    from chalicelib.adapters import db as dbmod
    from chalicelib.bootstrap import bootstrap, reset_services
    from chalicelib.settings import Settings
    from local.embedded_db import free_port, start_embedded_db
    from tests.api.conftest import Http, login, make_user

    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="hes-bench-leakage-"))
        uri = stack.enter_context(start_embedded_db(folder, free_port())).uri
        name = f"bench_leakage_{int(time.time())}"
        settings = Settings(stage="local", mongodb_uri=uri, db_name=name)
        database = dbmod.client_for(uri)[name]
        svc = bootstrap(settings, database)
        reset_services(svc)
        print(f"loading {args.meters} meters x {args.days} days of hourly data ...", flush=True)
        start = time.perf_counter()
        info = load(database, args.meters, args.days, ZoneInfo(settings.timezone))
        shape(database, sorted(d["_id"] for d in database["meters"].find({}, {"_id": 1})))
        print(f"  loaded in {time.perf_counter() - start:.0f} s", flush=True)
        client = stack.enter_context(Client(app, stage_name="local"))
        make_user(svc, "bench", "admin")
        api = login(Http(client), "bench")
        area = info["areas"][0]

        def ok(path: str, **kw: Any) -> Any:
            res = api.get(path, **kw)
            assert res.status == 200, (path, res.status, res.body[:300])
            return res

        counts = ok("/leakage/summary").json["overall"]
        print(f"\nfound: {counts}")
        def getter(path: str) -> Callable[[], Any]:
            return lambda: ok(path)

        calls = {"summary, all areas": getter("/leakage/summary"),
                 "summary, one area": getter(f"/leakage/summary?area={area}")}
        calls.update({f"list {name}": getter(f"/leakage/meters/{name}") for name in INDICATORS})
        print(f"\nlatency over {args.runs} runs ({args.meters} meters):")
        for label, fn in calls.items():
            p50, p95 = timed(fn, args.runs)
            print(f"  {label:<32} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")
        start = time.perf_counter()
        ok("/leakage/summary/export?format=pdf", headers={"Accept": "*/*"})
        print(f"  {'summary PDF':<32} {time.perf_counter() - start:8.2f} s")
        reset_services(None)
        dbmod.client_for(uri).drop_database(name)


if __name__ == "__main__":
    main()

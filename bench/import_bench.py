"""A large interval-data file through the import API: `python -m bench.import_bench [--rows 500000]`.

Issue 4 asks that files of 500,000 rows import without trouble. This builds such a file the way a
utility exports history (`Meter Number, Timestamp, Import kWh, Export kWh`; --meters meters, hourly
cumulative registers with a +01:00 offset), archives the meters, and sends it through Chalice's request
path (auth, permission, all-or-nothing checks) three times: a dry run, the import, and the same file
again (idempotent: nothing new). It prints each call's time, the file size and the process's peak RSS,
and checks that a meter's monthly totals equal its register differences.

Runs on the embedded database by default (a fresh data folder); `--mongodb-uri` measures another server.
"""
from __future__ import annotations

import argparse
import io
import resource
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


def build_file(meters: list[str], hours: int, start: datetime) -> tuple[bytes, dict[str, tuple[float, float]]]:
    """The CSV, and each meter's first and last import register (kWh)."""
    out = io.StringIO()
    out.write("Meter Number,Timestamp,Import kWh,Export kWh\n")
    ends: dict[str, tuple[float, float]] = {}
    tz = "+01:00"
    for n, meter in enumerate(meters):
        register, exported = 1000.0 + n, 0.0
        first = register
        for h in range(hours):
            at = (start + timedelta(hours=h) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S") + tz
            out.write(f"{meter},{at},{register:.3f},{exported:.3f}\n")
            register += 0.25 + (h % 24) / 48 + (n % 7) / 20
            exported += 0.01 if 10 <= h % 24 <= 15 else 0.0
        ends[meter] = (first, register - (0.25 + ((hours - 1) % 24) / 48 + (n % 7) / 20))
    return out.getvalue().encode(), ends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--meters", type=int, default=500)
    parser.add_argument("--mongodb-uri", default=None, help="measure this server instead of the embedded one")
    args = parser.parse_args()

    from chalice.test import Client

    from app import app
    from chalicelib.adapters import db as dbmod
    from chalicelib.bootstrap import bootstrap, reset_services
    from chalicelib.settings import Settings
    from local.embedded_db import free_port, start_embedded_db
    from tests.api.conftest import Http, login, make_user

    hours = args.rows // args.meters
    numbers = [f"0432{n:07d}" for n in range(args.meters)]
    start = datetime(2026, 8, 31, 23, tzinfo=UTC)  # 2026-09-01 00:00 at +01:00
    data, ends = build_file(numbers, hours, start)
    rows = hours * args.meters
    print(f"file: {rows:,} rows, {len(data) / 1_048_576:.1f} MiB ({args.meters} meters x {hours} hourly readings)",
          flush=True)

    with ExitStack() as stack:
        uri = args.mongodb_uri
        if not uri:
            folder = Path(tempfile.mkdtemp(prefix="hes-bench-import-"))
            uri = stack.enter_context(start_embedded_db(folder, free_port())).uri
        name = f"bench_import_{int(time.time())}"
        settings = Settings(stage="local", mongodb_uri=uri, db_name=name,
                            max_interval_import_bytes=max(len(data) + 1, 64 * 1024 * 1024))
        database = dbmod.client_for(uri)[name]
        svc = bootstrap(settings, database)
        reset_services(svc)
        now = datetime.now(UTC)
        database["areas"].insert_one({"_id": "bench", "name": "Bench", "name_key": "bench", "created_at": now,
                                      "updated_at": now})
        database["meters"].insert_many([{"_id": m, "area_id": "bench", "meter_type": "Single Phase",
                                         "status": "active", "customer_id": None, "created_at": now,
                                         "updated_at": now} for m in numbers])
        client = stack.enter_context(Client(app, stage_name="local"))
        make_user(svc, "bench", "admin")
        api = login(Http(client), "bench")

        def post(dry_run: bool) -> tuple[float, dict[str, Any]]:
            began = time.perf_counter()
            res = api.call("POST", f"/readings/import?dry_run={'true' if dry_run else 'false'}",
                           headers={"Content-Type": "text/csv"}, raw=data)
            took = time.perf_counter() - began
            assert res.status == 200, (res.status, res.body[:500])
            return took, res.json

        for label, dry in (("dry run", True), ("import", False), ("same file again", False)):
            took, report = post(dry)
            print(f"  {label:<16} {took:7.1f} s   rows {report['rows']:,}  new points {report['new_points']:,}  "
                  f"unchanged {report['unchanged_points']:,}  written {report['written']:,}  "
                  f"errors {len(report['errors'])}", flush=True)

        meter = numbers[3]
        res = api.get(f"/consumption?meter={meter}&granularity=monthly&from=2026-09-01&to=2026-12-31").json
        total = res["totals"]["import_kwh"]
        expected = ends[meter][1] - ends[meter][0]
        print(f"  {meter}: imported {total:.3f} kWh, register difference {expected:.3f} kWh "
              f"({'equal' if abs(total - expected) < 0.01 else 'DIFFERENT'})")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak RSS of this process (API and import): {peak:,.0f} MiB")
        reset_services(None)
        dbmod.client_for(uri).drop_database(name)


if __name__ == "__main__":
    main()

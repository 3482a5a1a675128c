"""API latency on a large archive: `make bench-api` (or `python -m bench.api_bench --meters 10000 --days 90`).

Loads N meters x D days of hourly energy into the rollups exactly as the ingest/import path stores
them (`rollup_ops` documents: one per meter and day with its hours, one per meter and month, and the
hourly/daily/monthly/5-minute ones of each area and the fleet), plus events and active alerts, then
times the API through Chalice's own request path and prints p50/p95:

  dashboard summary, a meter's monthly consumption, an area's daily consumption (with its per-meter
  table), the event report's first page, and building an area's monthly CSV and PDF.

Targets (issue 4): p95 < 200 ms for the API calls, CSV < 5 s, PDF < 10 s. Runs on the embedded
database by default (a fresh data folder); `--mongodb-uri` measures another server instead.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

AREAS = 20
EVENTS_PER_METER = 5


def hourly_shape(hour: int) -> float:
    return 0.4 + 0.6 * max(0.0, 1 - abs(hour - 19) / 6) + 0.3 * max(0.0, 1 - abs(hour - 8) / 3)


def load(db: Any, meters: int, days: int, tz: ZoneInfo, seed: int = 7) -> dict[str, Any]:
    """Write the archive straight into the collections the services read; returns what was written."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days)
    areas = [f"area{a:02d}" for a in range(AREAS)]
    db["areas"].insert_many([{"_id": a, "name": f"Bench area {n}", "name_key": f"bench area {n}",
                              "created_at": now, "updated_at": now} for n, a in enumerate(areas)])
    numbers = [f"0431{n:07d}" for n in range(meters)]
    area_of = {m: areas[n % AREAS] for n, m in enumerate(numbers)}
    docs = [{"_id": m, "concentrator_id": "DCU-B", "meter_type": "Single Phase", "area_id": area_of[m],
             "status": "active", "customer_id": None, "sim_number": None, "device_profile": None, "security": None,
             "online": n % 10 != 0, "first_seen": None if n % 25 == 0 else now - timedelta(days=days),
             "last_seen": now - timedelta(seconds=30 if n % 10 else 7200), "created_at": now, "updated_at": now}
            for n, m in enumerate(numbers)]
    _insert(db["meters"], docs)
    groups: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    batch: list[dict[str, Any]] = []
    written = 0
    for m in numbers:
        scale = rng.uniform(0.3, 3.0)
        months: dict[str, float] = defaultdict(float)
        month_days: dict[str, dict[str, Any]] = defaultdict(dict)
        for d in range(days):
            day = first + timedelta(days=d)
            hours, total = {}, 0.0
            for h in range(24):
                wh = round(scale * 1000 * hourly_shape(h) * rng.uniform(0.7, 1.3), 1)
                hours[f"h{h:02d}"] = {"import_wh": wh, "export_wh": 0.0, "readings": 1}
                total += wh
                key = f"{day.isoformat()}T{h:02d}"
                groups[f"a|{area_of[m]}|h|{key}"]["import_wh"] += wh
                groups[f"f|all|h|{key}"]["import_wh"] += wh
            batch.append({"_id": f"m|{m}|d|{day.isoformat()}", "scope": "m", "key": m, "grain": "d",
                          "period": day.isoformat(), "import_wh": total, "export_wh": 0.0, "readings": 24,
                          "hours": hours})
            months[day.strftime("%Y-%m")] += total
            month_days[day.strftime("%Y-%m")][f"d{day.day:02d}"] = {"import_wh": total, "export_wh": 0.0,
                                                                  "readings": 24}
            for scope in (f"a|{area_of[m]}", "f|all"):
                groups[f"{scope}|d|{day.isoformat()}"]["import_wh"] += total
                groups[f"{scope}|m|{day.strftime('%Y-%m')}"]["import_wh"] += total
        batch.extend({"_id": f"m|{m}|m|{month}", "scope": "m", "key": m, "grain": "m", "period": month,
                      "import_wh": v, "export_wh": 0.0, "readings": 24 * len(month_days[month]),
                      "days": month_days[month]} for month, v in months.items())
        if len(batch) >= 5000:
            written += _insert(db["rollups"], batch)
            batch = []
    written += _insert(db["rollups"], batch)
    group_docs = []
    for _id, values in groups.items():
        scope, key, grain, period = _id.split("|")
        group_docs.append({"_id": _id, "scope": scope, "key": key, "grain": grain, "period": period,
                           "import_wh": values["import_wh"], "export_wh": 0.0, "readings": 1})
    slot = now.astimezone(tz).replace(second=0, microsecond=0)
    for n in range(12):  # the last hour per 5 minutes, for the dashboard
        at = slot - timedelta(minutes=5 * n)
        key = at.strftime("%Y-%m-%dT%H:") + f"{at.minute // 5 * 5:02d}"
        group_docs.append({"_id": f"f|all|q|{key}", "scope": "f", "key": "all", "grain": "q", "period": key,
                           "import_wh": meters * 80.0, "export_wh": 0.0, "readings": meters})
    written += _insert(db["rollups"], group_docs)
    kinds = [("power_down", "warning", False), ("power_up", "info", False), ("meter_cover_opened", "critical", True),
             ("magnetic_field", "critical", True), ("communication_lost", "warning", False)]
    events = []
    for n, m in enumerate(numbers):
        for e in range(EVENTS_PER_METER):
            kind, severity, tamper = kinds[(n + e) % len(kinds)]
            events.append({"_id": f"{m}|bench|{e}", "meter": m, "area_id": area_of[m], "type": kind,
                           "severity": severity, "tamper": tamper, "recorded_at": now,
                           "at": now - timedelta(hours=rng.uniform(0, 24 * days))})
    _insert(db["events"], events)
    _insert(db["alerts"], [{"_id": f"alert{m}", "meter": m, "area_id": area_of[m], "type": "magnetic_field",
                            "severity": "critical", "rank": 4, "active": True, "count": 1, "first_at": now,
                            "last_at": now, "source": "meter", "created_at": now} for m in numbers[::97]])
    return {"meters": meters, "days": days, "rollups": written, "events": len(events), "areas": areas,
            "meter": numbers[1], "first": first, "today": today}


def described(db: Any, meters: int, days: int, tz: ZoneInfo) -> dict[str, Any]:
    """What load() answered, for an archive loaded by an earlier run (same meters and days)."""
    today = datetime.now(UTC).astimezone(tz).date()
    return {"meters": meters, "days": days, "rollups": None, "events": None,
            "areas": [f"area{a:02d}" for a in range(AREAS)], "meter": f"0431{1:07d}",
            "first": today - timedelta(days=days), "today": today}


def _insert(col: Any, docs: list[dict[str, Any]]) -> int:
    for n in range(0, len(docs), 2000):
        col.insert_many(docs[n:n + 2000], ordered=False)
    return len(docs)


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    fn()  # warm caches the way a running API would have them
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meters", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mongodb-uri", default=None, help="measure this server instead of the embedded one")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="keep the embedded database here and reuse it when it already holds the archive")
    args = parser.parse_args()

    from chalice.test import Client

    from app import app
    from chalicelib.adapters import db as dbmod
    from chalicelib.bootstrap import bootstrap, reset_services
    from chalicelib.settings import Settings
    from local.embedded_db import free_port, start_embedded_db
    from tests.api.conftest import Http, login, make_user

    with ExitStack() as stack:
        uri = args.mongodb_uri
        if not uri:
            folder = args.data_dir or Path(tempfile.mkdtemp(prefix="hes-bench-api-"))
            folder.mkdir(parents=True, exist_ok=True)
            uri = stack.enter_context(start_embedded_db(folder, free_port())).uri
        name = f"bench_api_{args.meters}x{args.days}" if args.data_dir else f"bench_api_{int(time.time())}"
        settings = Settings(stage="local", mongodb_uri=uri, db_name=name)
        database = dbmod.client_for(uri)[name]
        svc = bootstrap(settings, database)
        reset_services(svc)
        tz = ZoneInfo(settings.timezone)
        if database["meters"].count_documents({}) == args.meters:
            print(f"reusing the archive in {args.data_dir}", flush=True)
            info = described(database, args.meters, args.days, tz)
        else:
            print(f"loading {args.meters} meters x {args.days} days of hourly data ...", flush=True)
            start = time.perf_counter()
            info = load(database, args.meters, args.days, tz)
            print(f"  {info['rollups']:,} rollup documents and {info['events']:,} events in "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
        client = stack.enter_context(Client(app, stage_name="local"))
        database["users"].delete_one({"_id": "bench"})  # left by an earlier run on a reused archive
        make_user(svc, "bench", "admin")
        api = login(Http(client), "bench")
        area = info["areas"][0]
        month_start = (info["today"].replace(day=1) - timedelta(days=1)).replace(day=1)
        month_end = info["today"].replace(day=1) - timedelta(days=1)
        rng = (info["first"].isoformat(), info["today"].isoformat())

        def ok(path: str, **kw: Any) -> Any:
            res = api.get(path, **kw)
            assert res.status == 200, (path, res.status, res.body[:300])
            return res

        calls = {
            "dashboard summary (all areas)": lambda: ok("/dashboard/summary"),
            "dashboard summary (one area)": lambda: ok(f"/dashboard/summary?area={area}"),
            "meter monthly consumption": lambda: ok(f"/consumption?meter={info['meter']}&granularity=monthly"
                                                    f"&from={rng[0]}&to={rng[1]}"),
            "area daily consumption (+ per-meter table)": lambda: ok(
                f"/consumption?area={area}&granularity=daily&from={month_start}&to={month_end}"),
            "event report, first page": lambda: ok("/events?page=1&page_size=25"),
        }
        print(f"\nAPI latency over {args.runs} runs ({args.meters} meters, {args.days} days, "
              f"{args.meters // AREAS} meters per area):")
        for label, fn in calls.items():
            p50, p95 = timed(fn, args.runs)
            verdict = "ok" if p95 < 200 else "over the 200 ms target"
            print(f"  {label:<45} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   {verdict}")
        for fmt, target in (("csv", 5.0), ("pdf", 10.0)):
            start = time.perf_counter()
            body = ok(f"/consumption/export?area={area}&granularity=daily&from={month_start}&to={month_end}"
                      f"&format={fmt}", headers={"Accept": "*/*"}).body
            took = time.perf_counter() - start
            print(f"  monthly area {fmt.upper()} ({len(body) / 1024:,.0f} KiB){'':<21} {took:8.2f} s"
                  f"{'':<19}{'ok' if took < target else f'over the {target:.0f} s target'}")
        reset_services(None)
        if args.mongodb_uri or not args.data_dir:
            dbmod.client_for(uri).drop_database(name)


if __name__ == "__main__":
    main()

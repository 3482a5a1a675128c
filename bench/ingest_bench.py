"""End-to-end ingest on this machine: simulated meters -> edge listener -> FRAMES (moto SQS) -> decode_frames -> DB.

Run: .venv/bin/python -m bench.ingest_bench [--meters 1000] [--interval 60] [--duration 90] [--pollers 1]
     [--drain 20] [--db-binary PATH | --mongodb-uri URI]

Everything on 127.0.0.1, each part in its own process: the embedded database (hes-mongod, FerretDB on
SQLite, on a temporary directory), moto in server mode, `python -m edge_listener`, and the simulator's
own Fleet (real DLMS meters; first dials spread over one interval, then a push every interval). This
process runs the decode_frames handler through the local Lambda runner (`run_once`), in --pollers threads,
and times each frame on its way:

  push clock (in the push) -> edge received it ("at") -> on the queue (SQS SentTimestamp)
  -> handler picked the batch -> reading stored (IngestService.store or store_many returned: every write acknowledged,
  so the reading is queryable)

Database time is taken from pymongo's command monitoring. Targets: >= 2,000 readings/s end to end,
p95 <= 2 s with 1,000 meters pushing every minute, decode >= 20,000 small pushes/s per core.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import multiprocessing as mp
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing.synchronize import Event as MpEvent
from pathlib import Path
from typing import Any

from pymongo import monitoring

from bench.harness import PushFrames, cpu_seconds, free_port, raise_nofile, rss_mib, start_edge, start_moto, stop
from chalicelib.adapters.queues import ensure_queue, queue_url, sqs_client
from chalicelib.bootstrap import bootstrap, reset_services
from chalicelib.dlms.fastpath import decode_notification_fast
from chalicelib.dlms.notify import apply_push_layout
from chalicelib.domain.models import AreaCreate, MeterCreate
from chalicelib.services.context import SYSTEM
from chalicelib.services.ingest import IngestService
from chalicelib.settings import Settings
from functions import decode_frames
from local.aws import point_boto3_at
from local.embedded_db import start_embedded_db
from local.lambda_runner import run_once
from simulator.fleet import Fleet, FleetOptions, numbered, plan_fleet
from simulator.meter import SimulatedMeter

FRAMES, COMMANDS = "bench-frames", "bench-commands"


# --- the load: the simulator's fleet in a process of its own -------------------------------------------------
def fleet_process(port: int, numbers: list[str], interval: float, duration: float, out: Any, exit_: MpEvent) -> None:
    """Build the meters, say "ready", run the fleet for `duration` seconds, report its stats, wait to be let go."""
    raise_nofile()
    meters = [SimulatedMeter(c, history=timedelta(hours=1)) for c in plan_fleet(numbers, {}, {}, seed=1)]
    fleet = Fleet(meters, FleetOptions("127.0.0.1", port, interval, ramp_s=interval))

    async def run() -> None:
        task = asyncio.create_task(fleet.run())
        await asyncio.sleep(duration)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    out.put("ready")
    asyncio.run(run())
    out.put({"pushes": fleet.stats.pushes, "connections": fleet.stats.connections,
             "failed_dials": fleet.stats.failed_dials})
    exit_.wait(60)


# --- timing hooks in this process ---------------------------------------------------------------------------
class DbTimer(monitoring.CommandListener):
    """Count and time every database command by (command, collection)."""

    def __init__(self) -> None:
        self.pending: dict[int, str] = {}
        self.ops: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self.lock = threading.Lock()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        target = event.command.get(event.command_name)
        self.pending[event.request_id] = f"{event.command_name} {target if isinstance(target, str) else ''}".strip()

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._done(event.request_id, event.duration_micros)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._done(event.request_id, event.duration_micros)

    def _done(self, request_id: int, micros: int) -> None:
        key = self.pending.pop(request_id, "?")
        with self.lock:
            self.ops[key][0] += 1
            self.ops[key][1] += micros / 1e6


class Stopping(Exception):
    """Raised in place of a store once the run is over, so a long batch ends quickly."""


class Probe:
    """Wraps the handler and IngestService.store to time each stored push, stage by stage."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.samples: list[tuple[float, float, float, float, float]] = []  # push, edge, queued, picked, stored
        self.handler_s = 0.0
        self.running: dict[int, float] = {}  # thread -> when its batch started
        self.stopping = False
        original = IngestService.store

        def store(service: IngestService, meter: dict[str, Any], readings: Any, captured: datetime,
                  peer: str | None, received: datetime) -> None:
            if self.stopping:
                raise Stopping
            original(service, meter, readings, captured, peer, received)
            if getattr(self.local, "in_batch", False):
                return
            sent = self.local.sent.get((meter["_id"], received.isoformat(timespec="milliseconds")), 0.0)
            self.samples.append((captured.timestamp(), received.timestamp(), sent, self.local.picked, time.time()))

        IngestService.store = store  # type: ignore[method-assign, assignment]
        original_many = IngestService.store_many

        def store_many(service: IngestService, items: list[Any]) -> None:
            if self.stopping:
                raise Stopping
            self.local.in_batch = True  # a reading redone one by one inside is sampled here, once
            try:
                original_many(service, items)
            finally:
                self.local.in_batch = False
            done = time.time()
            for meter, _, captured, _, received in items:
                sent = self.local.sent.get((meter["_id"], received.isoformat(timespec="milliseconds")), 0.0)
                self.samples.append((captured.timestamp(), received.timestamp(), sent, self.local.picked, done))

        IngestService.store_many = store_many  # type: ignore[method-assign, assignment]

    def handler(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.local.picked = time.time()
        self.local.sent = {}
        for record in event["Records"]:
            sent = int(record["attributes"]["SentTimestamp"]) / 1000
            for frame in json.loads(record["body"]).get("frames", []):
                self.local.sent[(frame.get("meter"), frame.get("at"))] = sent
        started = self.running[threading.get_ident()] = time.perf_counter()
        try:
            return decode_frames.handler(event, context)
        finally:
            del self.running[threading.get_ident()]
            self.handler_s += time.perf_counter() - started

    def busy_s(self) -> float:
        """Handler time so far, batches still running included."""
        now = time.perf_counter()
        return self.handler_s + sum(now - started for started in list(self.running.values()))


def join_all(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(15)


def poll(probe: Probe, stop_event: threading.Event) -> None:
    while not stop_event.is_set():
        run_once(FRAMES, probe.handler, "decode_frames", wait_s=1)


# --- figures -------------------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def seconds(value: float) -> str:
    return "not stored by the end" if value == float("inf") else f"{value:.2f} s"


def decode_rates(seconds_each: float, layout: Any, tz: Any) -> tuple[float, float]:
    """Pushes/s on one core: decode_notification_fast alone, and with the push layout applied (what ingest does)."""
    frames = PushFrames()
    apdus = [frames.frame(f"{4_312_000_000 + n:011d}")[8:] for n in range(200)]
    rates = []
    for work in (lambda a: decode_notification_fast(a, tz),
                 lambda a: apply_push_layout(decode_notification_fast(a, tz).values, layout, tz)):
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds_each:
            for apdu in apdus:
                work(apdu)
            count += len(apdus)
        rates.append(count / (time.perf_counter() - started))
    return rates[0], rates[1]


def db_probes(db: Any, meter: str, repeat: int = 20) -> dict[str, float]:
    """Mean ms of single commands on the quiet database after the run, to show where its time goes."""
    future, point = datetime(2100, 1, 1), {"1-0-1-8-0-255": 1, "1-0-32-7-0-255": 230.1, "1-0-1-7-0-255": 100}
    db["readings"].insert_one({"_id": "probe|day", "points": {f"t{i:06d}": point for i in range(1440)}})
    db["readings"].insert_one({"_id": "probe|hour", "points": {f"t{i:06d}": point for i in range(60)}})
    commands = {
        "meters findAndModify, ingest's filter (_id + $or)": lambda i: db["meters"].find_one_and_update(
            {"_id": meter, "$or": [{"last_reading_at": None}, {"last_reading_at": {"$lt": future}}]},
            {"$set": {"probe": i}}),
        "meters findAndModify, filter _id only": lambda i: db["meters"].find_one_and_update(
            {"_id": meter}, {"$set": {"probe": i}}),
        "readings update, bucket with 1 point": lambda i: db["readings"].update_one(
            {"_id": "probe|new"}, {"$set": {"points.t000000": point}}, upsert=True),
        "readings update, hour bucket full at one a minute (60 points)": lambda i: db["readings"].update_one(
            {"_id": "probe|hour"}, {"$set": {f"points.x{i:06d}": point}}),
        "readings update, a day in one bucket (1,440 points; before hour buckets)": lambda i: db["readings"].update_one(
            {"_id": "probe|day"}, {"$set": {f"points.x{i:06d}": point}}),
    }
    means = {}
    for name, command in commands.items():
        started = time.perf_counter()
        for i in range(repeat):
            command(i)
        means[name] = 1000 * (time.perf_counter() - started) / repeat
    return means


@dataclass
class Measured:
    """What one run measured; `report` prints it."""

    fleet: dict[str, int]
    window_s: float  # the fleet's pushing time
    drain_s: float
    samples: list[tuple[float, float, float, float, float]]  # push, edge, queued, picked, stored (epoch s)
    stored_in_window: int
    queryable: int
    backlog: dict[str, str]
    cpu_s: dict[str, float]  # CPU seconds each process spent during the window
    edge_rss: tuple[float, float]  # now, peak (MiB)
    busy_s: float  # handler time during the window
    handler_s: float  # handler time, load and drain
    db_ops: dict[str, tuple[int, float]]  # command -> count, seconds (load and drain)
    probes: dict[str, float]
    decode: tuple[float, float]


def run(args: argparse.Namespace) -> Measured:
    raise_nofile()
    timer = DbTimer()
    monitoring.register(timer)
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="hes-bench-") as tmp, ExitStack() as running:
        logs = Path(tmp)
        uri, db_name, db_pid = args.mongodb_uri, f"hes_bench_{uuid.uuid4().hex[:8]}", 0
        if not uri:
            db = start_embedded_db(logs / "db", free_port(), args.db_binary)
            running.callback(db.stop)
            uri, db_pid = db.uri, db.pid or 0
        aws_port, edge_port = free_port(), free_port()
        moto = start_moto(aws_port, logs / "moto.log")
        running.callback(stop, moto)
        point_boto3_at(aws_port)
        for name in (FRAMES, COMMANDS):
            ensure_queue(name)
        svc = bootstrap(Settings(stage="local", mongodb_uri=uri, db_name=db_name, frames_queue=FRAMES,
                                 commands_queue=COMMANDS))
        reset_services(svc)
        running.callback(svc.db.client.drop_database, db_name)
        running.callback(reset_services, None)
        numbers = numbered("04312000000", args.meters)
        area = svc.areas.create(SYSTEM, AreaCreate(name="Bench Area"))
        svc.meters.meters.insert_all([svc.meters.new_doc(MeterCreate(
            meter_number=n, concentrator_id="DCU-BENCH", meter_type="Single Phase", area_id=area["id"],
            status="active", device_profile=None)) for n in numbers])
        edge = start_edge(edge_port, aws_port, FRAMES, COMMANDS, logs / "edge.log", idle_timeout_s=180)
        running.callback(stop, edge)

        probe, stop_pollers = Probe(), threading.Event()
        pollers = [threading.Thread(target=poll, args=(probe, stop_pollers), daemon=True) for _ in range(args.pollers)]
        for thread in pollers:
            thread.start()
        running.callback(join_all, pollers)
        running.callback(stop_pollers.set)
        running.callback(setattr, probe, "stopping", True)

        out, let_go = ctx.Queue(), ctx.Event()
        fleet = ctx.Process(target=fleet_process, args=(edge_port, numbers, args.interval, args.duration, out, let_go))
        fleet.start()
        running.callback(fleet.join, 30)
        running.callback(let_go.set)
        out.get(timeout=300)  # the meters are built; they start dialling now
        pids = {"hes-mongod": db_pid, "moto": moto.pid, "edge_listener": edge.pid, "fleet": fleet.pid or 0,
                "decode (this process)": os.getpid()}
        pids = {k: p for k, p in pids.items() if p}
        cpu0, t0 = {k: cpu_seconds(p) for k, p in pids.items()}, time.time()
        db0 = {k: list(v) for k, v in timer.ops.items()}
        print(f"load: {args.meters} meters pushing every {args.interval:g} s for {args.duration:g} s "
              f"(offered {args.meters / args.interval:,.1f} pushes/s); {args.pollers} poller thread(s); "
              f"{os.cpu_count()}-core machine, load average {os.getloadavg()[0]:.1f} at the start", flush=True)
        fleet_stats = out.get(timeout=args.duration + 120)
        t1 = time.time()
        cpu_s = {k: cpu_seconds(p) - cpu0[k] for k, p in pids.items()}
        edge_rss = (rss_mib(edge.pid), rss_mib(edge.pid, "VmHWM"))
        stored_in_window, busy_s = sum(1 for s in probe.samples if s[4] <= t1), probe.busy_s()
        let_go.set()
        deadline = time.time() + args.drain
        while len(probe.samples) < fleet_stats["pushes"] and time.time() < deadline:
            time.sleep(0.5)
        t2 = time.time()
        probe.stopping = True
        logging.getLogger("hes").setLevel(logging.CRITICAL)  # the aborted batch's "will be retried" lines
        stop_pollers.set()
        join_all(pollers)
        backlog = sqs_client().get_queue_attributes(QueueUrl=queue_url(FRAMES), AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        db_ops = {k: (int(n - db0.get(k, [0, 0.0])[0]), s - db0.get(k, [0, 0.0])[1])
                  for k, (n, s) in timer.ops.items()}
        queryable = sum(len(d.get("points", {})) for d in svc.db["readings"].find({}, {"points": 1}))
        probes = db_probes(svc.db, numbers[-1])
        decode = decode_rates(args.decode_seconds, svc.ingest.layout(None), svc.ingest.tz)
    return Measured(fleet_stats, t1 - t0, t2 - t1, probe.samples, stored_in_window, queryable, backlog, cpu_s,
                    edge_rss, busy_s, probe.handler_s, db_ops, probes, decode)


def report(args: argparse.Namespace, m: Measured) -> None:
    pushes, samples, window = m.fleet["pushes"], m.samples, m.window_s
    stored_rate = m.stored_in_window / window
    latencies = sorted(s[4] - s[0] for s in samples) + [float("inf")] * max(0, pushes - len(samples))
    p50, p95 = seconds(percentile(latencies, 0.5)), seconds(percentile(latencies, 0.95))
    print(f"\nfleet: {pushes:,} pushes sent in {window:.0f} s ({pushes / window:,.1f}/s), "
          f"{m.fleet['connections']:,} connections, {m.fleet['failed_dials']} failed dials")
    print(f"stored (IngestService.store/store_many returned): {m.stored_in_window:,} during the load = "
          f"{stored_rate:,.1f} readings/s; {len(samples):,} of {pushes:,} after {m.drain_s:.0f} s of drain "
          f"(at most {args.drain:g}); "
          f"readings queryable in the database: {m.queryable:,}")
    print(f"FRAMES queue left: {m.backlog['ApproximateNumberOfMessages']} messages waiting, "
          f"{m.backlog['ApproximateNumberOfMessagesNotVisible']} in flight")
    slowest = max((s[4] - s[0] for s in samples), default=0.0)
    print(f"push -> queryable over all {pushes:,} pushes: p50 {p50}, p95 {p95}, slowest stored {slowest:.2f} s")
    print("\nstage (stored pushes)          mean      p95")
    stages = [("meter -> edge received", 0, 1), ("edge -> on the queue", 1, 2), ("waiting on the queue", 2, 3),
              ("picked -> stored (handler)", 3, 4)]
    for name, a, b in stages:
        spans = sorted(s[b] - s[a] for s in samples if s[2])
        if spans:
            print(f"  {name:<27} {statistics.fmean(spans):7.3f} s {percentile(spans, 0.95):7.3f} s")
    print(f"\nCPU over the {window:.0f} s load (100 % = one of {os.cpu_count()} cores):")
    for name, cpu in m.cpu_s.items():
        print(f"  {name:<22} {100 * cpu / window:5.0f} %")
    print(f"edge listener RSS: {m.edge_rss[0]:.0f} MiB (peak {m.edge_rss[1]:.0f} MiB)")
    db_s = sum(total for _, total in m.db_ops.values())
    print(f"\ndecode_frames handler busy {100 * m.busy_s / (window * args.pollers):.0f} % of {args.pollers} "
          f"poller(s) during the load; database commands {db_s:.1f} s of {m.handler_s:.1f} s handler time "
          f"({100 * db_s / max(m.handler_s, 1e-9):.0f} %), load and drain")
    print("database command            count    mean ms   total s   per stored reading")
    for key, (count, total) in sorted(m.db_ops.items(), key=lambda kv: -kv[1][1]):
        if count:
            print(f"  {key:<25} {count:>7,} {1000 * total / count:9.1f} {total:9.1f} "
                  f"{count / max(len(samples), 1):10.2f}")
    print(f"\nsingle commands on the quiet database after the run ({args.meters:,} meters archived):")
    for name, ms in m.probes.items():
        print(f"  {name:<50} {ms:7.1f} ms")
    print(f"\ndecode, one core: decode_notification_fast {m.decode[0]:,.0f} pushes/s; "
          f"with the push layout applied {m.decode[1]:,.0f} pushes/s")
    kept_up = m.stored_in_window >= 0.95 * pushes
    print(f"targets: >= 2,000 readings/s end to end: {stored_rate:,.0f}/s "
          f"({'met' if stored_rate >= 2000 else 'NOT met'}; the pipeline "
          f"{'kept up with' if kept_up else 'fell behind'} the offered {pushes / window:,.0f}/s); "
          f"p95 <= 2 s (1,000 meters every 60 s): {p95}; decode >= 20,000/s per core: {m.decode[0]:,.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=1000, help="simulated meters (default 1000)")
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between a meter's pushes (default 60)")
    parser.add_argument("--duration", type=float, default=90.0, help="seconds the fleet pushes (default 90)")
    parser.add_argument("--drain", type=float, default=20.0, help="most seconds to wait for the backlog afterwards")
    parser.add_argument("--pollers", type=int, default=1, help="decode_frames poller threads (default 1, as make run)")
    parser.add_argument("--mongodb-uri", help="a MongoDB to use instead of the embedded one (a scratch database "
                        "is created in it and dropped)")
    parser.add_argument("--db-binary", type=Path, help="a hes-mongod build to try (default: local/ferretdb, built)")
    parser.add_argument("--decode-seconds", type=float, default=2.0, help="time of each decode-rate loop")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    report(args, run(args))


if __name__ == "__main__":
    main()

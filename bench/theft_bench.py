"""Theft detection on a synthetic population: `make bench-theft` (or `python -m bench.theft_bench`).

Generates N meters x D days of hourly load with honest irregularities and theft injected into ~8 % of them
(`bench/theft/population.py`), writes them as register readings through the interval data import
(`ReadingImportService`, the path of `POST /readings/import`) into a fresh embedded database, stores the
tamper events through `EventService.from_results`, loads the histories back with `load_histories` and scores
them with `evaluate`. Prints AUC, PR-AUC and precision at 50/100 for each MVP rule, the model alone and the
combined score; per attack family; and how honest meters with data gaps fare.

Readings: hourly for the last `--hourly-days` days (what the model reads hour by hour), one a day (the
midnight register) before that: day totals stay exact because the registers are cumulative, and the import
takes about a third as long as hourly readings all along. Target (issue "Revenue protection"):
model AUC >= 0.90 and at least 0.10 above the best rule.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

from bench.theft.population import ATTACKS, Population, cosem_datetime, generate, register_rows
from chalicelib.domain.theft import MeterScore, TheftConfig, evaluate

CHUNK_METERS = 250


def load_database(svc: Any, pop: Population, hourly_days: int) -> dict[str, float]:
    """Areas, meters, readings (through the interval import) and tamper events; returns timings."""
    from chalicelib.domain.events import FRAUD_LOG
    from chalicelib.services.context import SYSTEM

    tz = ZoneInfo(svc.settings.timezone)
    now = datetime.now(UTC)
    db = svc.db
    db["areas"].insert_many([{"_id": a, "name": f"Theft bench {a}", "name_key": f"theft bench {a}",
                              "created_at": now, "updated_at": now} for a in sorted(set(pop.areas))])
    db["meters"].insert_many([{"_id": m, "concentrator_id": "DCU-T", "meter_type": pop.meter_type(n),
                               "area_id": pop.areas[n], "status": "active", "customer_id": None, "sim_number": None,
                               "device_profile": None, "security": None, "created_at": now, "updated_at": now}
                              for n, m in enumerate(pop.meters)])
    svc.reading_import.max_bytes = 1 << 30
    rows = done = 0
    start = time.perf_counter()
    hourly_from = pop.days - hourly_days
    for chunk in _files(pop):
        lines = ["Meter Number,Timestamp,Import kWh"]
        for n in chunk:
            lines.extend(f"{pop.meters[n]},{at.isoformat()},{kwh:.3f}"
                         for at, kwh in register_rows(pop, n, tz, hourly_from, coarse_hours=24))
        rows += len(lines) - 1
        svc.reading_import.run(SYSTEM, ("\n".join(lines) + "\n").encode(), dry_run=False)
        done += len(chunk)
        elapsed = time.perf_counter() - start
        print(f"\r  imported {done:,}/{len(pop.meters):,} meters, {rows:,} readings, {rows / elapsed:,.0f}/s",
              end="", flush=True)
    print()
    imported = time.perf_counter() - start
    events = 0
    for n, m in enumerate(pop.meters):
        items = [{"op": "get_range", "obis": FRAUD_LOG, "ok": True, "to": at.isoformat(),
                  "value": [[cosem_datetime(at), code]]} for at, code in pop.tamper[n]]
        if items:
            events += svc.events.from_results({"_id": m, "area_id": pop.areas[n]}, items)
    return {"rows": rows, "import_s": imported, "events": events}


def _files(pop: Population) -> list[list[int]]:
    """Meters grouped by area, as a utility migrates them: each file then touches one area's rollups and the
    fleet's, instead of every area's again and again."""
    by_area: dict[str, list[int]] = {}
    for n, area in enumerate(pop.areas):
        by_area.setdefault(area, []).append(n)
    return [members[i:i + CHUNK_METERS] for _, members in sorted(by_area.items())
            for i in range(0, len(members), CHUNK_METERS)]


def area_losses(pop: Population, days: int = 30) -> dict[str, float]:
    """What a check meter on each area would show: non-technical loss % over the last `days` days."""
    out = {}
    for area in sorted(set(pop.areas)):
        members = [n for n, a in enumerate(pop.areas) if a == area]
        drawn = pop.true_kwh[members, -days:].sum()
        counted = pop.metered_kwh[members, -days:].sum()
        out[area] = float((drawn - counted) / drawn * 100) if drawn > 0 else 0.0
    return out


def metrics(truth: np.ndarray, score: np.ndarray, names: list[str]) -> dict[str, float]:
    order = sorted(range(len(score)), key=lambda i: (-score[i], names[i]))
    ranked = truth[order]
    return {"auc": float(roc_auc_score(truth, score)), "pr_auc": float(average_precision_score(truth, score)),
            "p50": float(ranked[:50].mean()), "p100": float(ranked[:100].mean())}


def report(pop: Population, scores: list[MeterScore], config: TheftConfig) -> dict[str, dict[str, float]]:
    by_meter = {s.meter_number: s for s in scores}
    ordered = [by_meter[m] for m in pop.meters]
    truth = pop.thief.astype(int)
    low = -1e9

    def value(s: MeterScore, rule: str, sign: float) -> float:
        v = s.rule_values.get(rule)
        return low if v is None else sign * v

    columns = {
        f"rule 1: drop > {config.drop_pct:.0f} % (ranked by drop %)": np.array(
            [value(s, "consumption_drop", 1) for s in ordered]),
        f"rule 2: < {config.area_ratio_pct:.0f} % of area (ranked by ratio)": np.array(
            [value(s, "below_area_average", -1) for s in ordered]),
        "model alone": np.array([low if s.model_score is None else s.model_score for s in ordered]),
        "combined score": np.array([s.score for s in ordered]),
    }
    results = {name: metrics(truth, col, pop.meters) for name, col in columns.items()}
    print(f"\n{'':44} {'AUC':>6} {'PR-AUC':>7} {'P@50':>6} {'P@100':>6}")
    for name, r in results.items():
        print(f"{name:44} {r['auc']:6.3f} {r['pr_auc']:7.3f} {r['p50']:6.2f} {r['p100']:6.2f}")
    for rule in ("consumption_drop", "below_area_average"):
        hit = np.array([any(h.rule == rule for h in s.rule_hits) for s in ordered])
        tp = int((hit & (truth == 1)).sum())
        print(f"  {rule} at its threshold: {int(hit.sum())} hits, precision "
              f"{tp / max(1, int(hit.sum())):.2f}, recall {tp / max(1, int(truth.sum())):.2f}")
    model = columns["model alone"]
    honest = truth == 0
    print("\nmodel AUC per attack family (that family's thieves against every honest meter):")
    for kind in ATTACKS:
        members = np.array([a == kind for a in pop.attack])
        if members.any():
            keep = members | honest
            print(f"  {kind:13} {int(members.sum()):4} meters  AUC {roc_auc_score(truth[keep], model[keep]):.3f}")
    gaps = np.array([any("gap" in note or "outage" in note or "no readings" in note for note in notes)
                     for notes in pop.notes])
    top = np.zeros(len(ordered), dtype=bool)
    top[np.argsort(-columns["combined score"], kind="stable")[:round(truth.sum())]] = True
    print("\nhonest meters, by data gaps (comms gaps, outages, readings that stop):")
    for name, group in (("with gaps", honest & gaps), ("without", honest & ~gaps)):
        combined = columns["combined score"][group]
        print(f"  {name:10} {int(group.sum()):5} meters  mean score {combined.mean():.3f}  "
              f"in the top {int(truth.sum())}: {int((top & group).sum())} ({(top & group).sum() / group.sum():.1%})")
    thieves_gaps = ~honest & gaps
    if thieves_gaps.any():
        print(f"  thieves with gaps: {int(thieves_gaps.sum())}, found in the top {int(truth.sum())}: "
              f"{int((top & thieves_gaps).sum())} (thieves without gaps: "
              f"{(top & ~honest & ~gaps).sum() / max(1, (~honest & ~gaps).sum()):.0%} found)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meters", type=int, default=2000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--theft-share", type=float, default=0.08)
    parser.add_argument("--hourly-days", type=int, default=28)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mongodb-uri", default=None, help="use this server instead of a fresh embedded one")
    parser.add_argument("--save", type=Path, default=None, help="keep the loaded histories here (pickle)")
    parser.add_argument("--from-saved", type=Path, default=None, help="score histories saved by --save")
    args = parser.parse_args()

    import pickle

    from chalicelib.services.theft_history import load_histories

    as_of = date.today() - timedelta(days=1)
    config = TheftConfig()
    started = time.perf_counter()
    pop = generate(args.meters, args.days, args.theft_share, seed=args.seed, last_day=as_of)
    print(f"population: {len(pop.meters):,} meters x {pop.days} days, {int(pop.thief.sum())} thieves "
          f"({pop.thief.mean():.1%}), generated in {time.perf_counter() - started:.1f} s", flush=True)
    if args.from_saved:
        histories = pickle.loads(args.from_saved.read_bytes())
    else:
        with ExitStack() as stack:
            histories = _through_database(stack, args, pop, as_of, load_histories)
        if args.save:
            args.save.write_bytes(pickle.dumps(histories))
    start = time.perf_counter()
    scores = evaluate(histories, as_of, config, seed=args.seed)
    print(f"evaluate: {len(scores):,} meters scored in {time.perf_counter() - start:.1f} s")
    report(pop, scores, config)
    again = evaluate(histories, as_of, config, seed=args.seed)
    same = [(s.meter_number, s.score) for s in scores] == [(s.meter_number, s.score) for s in again]
    print(f"\nsame seed, same scores: {same}; total {time.perf_counter() - started:.0f} s")


def _through_database(stack: ExitStack, args: argparse.Namespace, pop: Population, as_of: date,
                      load_histories: Any) -> list[Any]:
    from chalicelib.adapters import db as dbmod
    from chalicelib.bootstrap import bootstrap, reset_services
    from chalicelib.settings import Settings
    from local.embedded_db import free_port, start_embedded_db

    uri = args.mongodb_uri
    if not uri:
        folder = Path(tempfile.mkdtemp(prefix="hes-bench-theft-"))
        stack.callback(shutil.rmtree, folder, ignore_errors=True)  # after the server has stopped
        uri = stack.enter_context(start_embedded_db(folder, free_port())).uri
    name = f"bench_theft_{int(time.time())}"
    svc = bootstrap(Settings(stage="local", mongodb_uri=uri, db_name=name), dbmod.client_for(uri)[name])
    reset_services(svc)
    if args.mongodb_uri:
        stack.callback(dbmod.client_for(uri).drop_database, name)
    loaded = load_database(svc, pop, args.hourly_days)
    print(f"import: {loaded['rows']:,} readings in {loaded['import_s']:.0f} s "
          f"({loaded['rows'] / loaded['import_s']:,.0f}/s); {loaded['events']} tamper events", flush=True)
    start = time.perf_counter()
    histories = load_histories(svc.db, svc.consumption, None, None, as_of, days=args.days,
                               hourly_days=args.hourly_days, area_losses=area_losses(pop))
    print(f"load_histories: {len(histories):,} meters ({args.days} days, {args.hourly_days} of them hourly) in "
          f"{time.perf_counter() - start:.1f} s", flush=True)
    return histories


if __name__ == "__main__":
    main()

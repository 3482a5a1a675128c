"""Theft histories read back from the rollups on the real server: register readings imported through the
interval data import become daily and hourly kWh (gaps as NaN, not zero), with tamper events, the area
filter, check meters left out; and a small synthetic population scored end to end."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from bench.theft.population import cosem_datetime, generate, register_rows
from chalicelib.bootstrap import Services
from chalicelib.domain.events import FRAUD_LOG
from chalicelib.domain.models import AreaCreate, MeterCreate
from chalicelib.domain.theft import evaluate
from chalicelib.services.context import SYSTEM
from chalicelib.services.theft_history import load_histories

AS_OF = date.today() - timedelta(days=2)


def meter(services: Services, number: str, area: str, kind: str = "Single Phase") -> None:
    services.meters.create(SYSTEM, MeterCreate(meter_number=number, concentrator_id="D", meter_type=kind,
                                               area_id=area))


def import_rows(services: Services, rows: list[tuple[str, datetime, float]]) -> None:
    lines = ["Meter Number,Timestamp,Import kWh"] + [f"{m},{at.isoformat()},{kwh:.3f}" for m, at, kwh in rows]
    services.reading_import.run(SYSTEM, ("\n".join(lines) + "\n").encode(), dry_run=False)


def test_daily_and_hourly_kwh_come_back_with_gaps_as_gaps_and_tamper_events(services: Services) -> None:
    tz = ZoneInfo(services.settings.timezone)
    north = services.areas.create(SYSTEM, AreaCreate(name="North"))["id"]
    south = services.areas.create(SYSTEM, AreaCreate(name="South"))["id"]
    meter(services, "T1", north)
    meter(services, "T2", south)
    meter(services, "CHK", north, kind="Check meter")
    start = datetime.combine(AS_OF - timedelta(days=9), time(), tz)
    rows = []
    for meter_no, per_hour in (("T1", 0.5), ("T2", 1.0), ("CHK", 9.0)):
        for h in range(0, 10 * 24 + 1):
            if meter_no == "T1" and 3 * 24 < h <= 5 * 24:  # a two-day communications gap
                continue
            rows.append((meter_no, start + timedelta(hours=h), 100 + per_hour * h))
    import_rows(services, rows)
    at = datetime.combine(AS_OF - timedelta(days=1), time(10), tz).astimezone(UTC)
    services.events.from_results({"_id": "T1", "area_id": north}, [
        {"op": "get_range", "obis": FRAUD_LOG, "ok": True, "to": at.isoformat(), "value": [[cosem_datetime(at), 42]]}])

    histories = load_histories(services.db, services.consumption, None, None, AS_OF, days=14, hourly_days=3)
    assert [h.meter_number for h in histories] == ["T1", "T2"]  # the check meter is no customer
    t1 = histories[0]
    assert t1.first_day == AS_OF - timedelta(days=13) and t1.area_id == north and t1.meter_type == "Single Phase"
    assert np.isnan(t1.daily_kwh[:4]).all()  # before the first reading: no data, not zero
    assert t1.daily_kwh[4:7].tolist() == pytest.approx([12.0, 12.0, 12.0])
    assert np.isnan(t1.daily_kwh[7:9]).all()  # the gap
    assert t1.daily_kwh[9] == pytest.approx(36.0)  # the reading after the gap holds the gap's energy
    assert t1.daily_readings is not None and t1.daily_readings[4] == 24
    assert t1.hourly_kwh is not None and t1.hourly_kwh.shape == (3, 24)
    assert np.nanmax(np.abs(t1.hourly_kwh - 0.5)) == pytest.approx(0.0)
    assert [kind for _, kind in t1.tamper_events] == ["magnetic_field"]
    assert histories[1].daily_kwh[5] == pytest.approx(24.0) and histories[1].tamper_events == []

    south_only = load_histories(services.db, services.consumption, None, south, AS_OF, days=14, hourly_days=0,
                                labels={"T2": "no_theft"}, area_losses={south: 12.5})
    assert [(h.meter_number, h.label, h.area_nontechnical_loss_pct, h.hourly_kwh) for h in south_only] == \
           [("T2", "no_theft", 12.5, None)]
    picked = load_histories(services.db, services.consumption, ["T1"], None, AS_OF, days=14, hourly_days=2)
    assert [h.meter_number for h in picked] == ["T1"]


def test_a_small_population_through_the_import_ranks_its_thieves_first(services: Services) -> None:
    tz = ZoneInfo(services.settings.timezone)
    pop = generate(60, 75, 0.15, areas=1, seed=5, last_day=AS_OF, attack_days=(35, 14))
    area = services.areas.create(SYSTEM, AreaCreate(name="Feeder 1"))["id"]
    for n, number in enumerate(pop.meters):
        meter(services, number, area, pop.meter_type(n))
    import_rows(services, [(pop.meters[n], at, kwh) for n in range(len(pop.meters))
                           for at, kwh in register_rows(pop, n, tz, hourly_from=pop.days - 21, coarse_hours=24)])

    histories = load_histories(services.db, services.consumption, None, area, AS_OF, days=75, hourly_days=21)
    scores = {s.meter_number: s for s in evaluate(histories, AS_OF, seed=0)}
    assert len(scores) == 60
    truth = [bool(pop.thief[pop.meters.index(m)]) for m in scores]
    assert roc_auc_score(truth, [s.score for s in scores.values()]) > 0.8

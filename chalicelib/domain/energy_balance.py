"""The energy balance of an area (a feeder or distribution transformer) for one day, as pure arithmetic.

input = the check meter's net energy, billed = the customer meters' net energy, loss = input - billed.
The technical part is estimated from the transformer (no-load loss all day long, load loss growing with
the square of the load) and a line-loss share of the input; the rest is non-technical (theft, meter
errors). A day counts only when the check meter and enough customer meters have data: otherwise it is
shown with its reason and no loss at all, never with a false one.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LOAD_POWER_FACTOR = 0.9  # turns the hour's kWh (its mean kW) into the kVA a transformer is rated in
MIN_COMPLETENESS_PCT = 98.0
NTL_ALERT_PCT = 10.0
NTL_ALERT_DAYS = 3


@dataclass(frozen=True)
class Supply:
    """An area's transformer data, line-loss factor and thresholds."""

    transformer_kva: float | None = None
    no_load_loss_kw: float = 0.0
    load_loss_kw: float = 0.0  # copper loss at the rated load
    line_loss_pct: float = 0.0
    min_completeness_pct: float = MIN_COMPLETENESS_PCT
    ntl_alert_pct: float = NTL_ALERT_PCT
    ntl_alert_days: int = NTL_ALERT_DAYS


@dataclass(frozen=True)
class DayBalance:
    day: str
    input_kwh: float | None
    billed_kwh: float | None  # of the meters with data; on an unreliable day part of the truth
    meters: int
    meters_with_data: int
    reason: str | None = None  # why the day has no balance; None: it has one
    loss_kwh: float | None = None
    loss_pct: float | None = None
    technical_kwh: float | None = None
    technical_pct: float | None = None
    non_technical_kwh: float | None = None
    non_technical_pct: float | None = None

    @property
    def complete(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class Totals:
    days: int
    complete_days: int
    input_kwh: float | None
    billed_kwh: float | None
    loss_kwh: float | None
    loss_pct: float | None
    technical_kwh: float | None
    technical_pct: float | None
    non_technical_kwh: float | None
    non_technical_pct: float | None


@dataclass(frozen=True)
class Episode:
    """Complete days in a row with the non-technical loss above the area's threshold."""

    first: str
    last: str
    days: int
    peak_pct: float


def technical_loss_kwh(supply: Supply, input_kwh: float, hourly_kwh: Sequence[float] | None, hours: float) -> float:
    """No-load loss x hours + load loss x sum over hours of (load / rating)^2 + line loss. The hours' own energy
    gives the load when it is known; otherwise the day's average load stands for every hour (which
    underestimates the load loss of a peaky day)."""
    no_load = supply.no_load_loss_kw * hours
    load = 0.0
    if supply.load_loss_kw and supply.transformer_kva:
        rating_kw = supply.transformer_kva * LOAD_POWER_FACTOR
        if hourly_kwh is not None:
            load = supply.load_loss_kw * sum((kwh / rating_kw) ** 2 for kwh in hourly_kwh)
        else:
            load = supply.load_loss_kw * input_kwh ** 2 / (hours * rating_kw ** 2)
    return no_load + load + supply.line_loss_pct / 100 * input_kwh


def _pct(part: float, whole: float) -> float:
    return round(100 * part / whole, 2)


def unreliable(input_kwh: float | None, meters: int, with_data: int, min_completeness_pct: float,
               in_progress: bool = False) -> str | None:
    """Why a day's balance cannot be trusted, or None."""
    if in_progress:
        return "the day is not over"
    if input_kwh is None:
        return "the check meter has no data"
    if meters == 0:
        return "no customer meters in the area"
    if 100 * with_data / meters < min_completeness_pct:
        return f"unreliable: {meters - with_data} of {meters} meters without data"
    if input_kwh <= 0:
        return "no energy into the area"
    return None


def balance_day(day: str, input_kwh: float | None, hourly_input_kwh: Sequence[float] | None,
                billed: Sequence[float | None], supply: Supply, hours: float = 24.0,
                in_progress: bool = False) -> DayBalance:
    """One day: `billed` holds each customer meter's kWh (None: no data that day); `hourly_input_kwh` the check
    meter's hours when every hour has data."""
    present = [b for b in billed if b is not None]
    billed_kwh = round(sum(present), 3) if present else None
    reason = unreliable(input_kwh, len(billed), len(present), supply.min_completeness_pct, in_progress)
    base = DayBalance(day, None if input_kwh is None else round(input_kwh, 3), billed_kwh, len(billed), len(present),
                      reason)
    if reason is not None or input_kwh is None:
        return base
    loss = input_kwh - sum(present)
    technical = technical_loss_kwh(supply, input_kwh, hourly_input_kwh, hours)
    return DayBalance(base.day, base.input_kwh, base.billed_kwh, base.meters, base.meters_with_data, None,
                      round(loss, 3), _pct(loss, input_kwh), round(technical, 3), _pct(technical, input_kwh),
                      round(loss - technical, 3), _pct(loss - technical, input_kwh))


def totals(days: Sequence[DayBalance]) -> Totals:
    """Sums over the reliable days only; percentages of their input."""
    good = [d for d in days if d.complete]

    def total(name: str) -> float | None:
        return round(sum(getattr(d, name) for d in good), 3) if good else None

    values = {name: total(name) for name in ("input_kwh", "billed_kwh", "loss_kwh", "technical_kwh",
                                             "non_technical_kwh")}
    energy = values["input_kwh"]

    def pct(name: str) -> float | None:
        part = values[name]
        return _pct(part, energy) if part is not None and energy else None

    return Totals(len(days), len(good), energy, values["billed_kwh"], values["loss_kwh"], pct("loss_kwh"),
                  values["technical_kwh"], pct("technical_kwh"), values["non_technical_kwh"],
                  pct("non_technical_kwh"))


def over_threshold(day: DayBalance, supply: Supply) -> bool:
    return day.non_technical_pct is not None and day.non_technical_pct > supply.ntl_alert_pct


def episodes(days: Sequence[DayBalance], supply: Supply) -> list[Episode]:
    """Runs of at least `ntl_alert_days` reliable days above the threshold, oldest first. An unreliable day is
    unknown: it neither extends a run nor ends it; a reliable day at or below the threshold ends it."""
    found: list[Episode] = []
    run: list[DayBalance] = []

    def close() -> None:
        if len(run) >= supply.ntl_alert_days:
            found.append(Episode(run[0].day, run[-1].day, len(run),
                                 max(d.non_technical_pct or 0.0 for d in run)))
        run.clear()

    for day in sorted(days, key=lambda d: d.day):
        if not day.complete:
            continue
        if over_threshold(day, supply):
            run.append(day)
        else:
            close()
    close()
    return found

"""Schemas of the technical loss views: the energy balance of each area per day."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.domain.models import AreaSupply


class BalanceDay(BaseModel):
    day: str = Field(description="local day, YYYY-MM-DD")
    input_kwh: float | None = Field(description="the check meter's net energy (import - export); none: no data")
    billed_kwh: float | None = Field(description="the customer meters' net energy, of those with data")
    meters: int = Field(description="customer meters in the area (in service, not the check meter)")
    meters_with_data: int
    complete: bool = Field(description="false: the balance is unreliable (see reason) and no loss is given")
    reason: str | None = Field(description="why there is no balance, e.g. 'unreliable: 3 of 12 meters without "
                                           "data'")
    loss_kwh: float | None
    loss_pct: float | None = Field(description="loss / input, in %")
    technical_kwh: float | None = Field(description="estimated: transformer no-load and load loss plus line loss")
    technical_pct: float | None
    non_technical_kwh: float | None = Field(description="loss - technical (theft, meter errors)")
    non_technical_pct: float | None
    over_threshold: bool = Field(description="the non-technical loss is above the area's alert threshold")


class BalanceTotals(BaseModel):
    days: int
    complete_days: int = Field(description="days with a reliable balance; the sums below are over these only")
    input_kwh: float | None
    billed_kwh: float | None
    loss_kwh: float | None
    loss_pct: float | None
    technical_kwh: float | None
    technical_pct: float | None
    non_technical_kwh: float | None
    non_technical_pct: float | None


class LossEpisode(BaseModel):
    from_: str = Field(alias="from")
    to: str
    days: int = Field(description="reliable days above the threshold in the run")
    peak_pct: float = Field(description="the highest daily non-technical loss %")

    model_config = ConfigDict(populate_by_name=True)


class AreaBalance(BaseModel):
    area_id: str
    area_name: str
    check_meter: str | None
    supply: AreaSupply | None = Field(description="none: the area has no check meter, so no balance")
    meters: int = Field(description="customer meters in the area (in service, not the check meter)")
    totals: BalanceTotals
    days: list[BalanceDay]
    episodes: list[LossEpisode] = Field(description="runs of days with the non-technical loss above the "
                                                    "threshold, at least ntl_alert_days long")


class LossOverview(BaseModel):
    from_: str = Field(alias="from")
    to: str
    timezone: str
    items: list[AreaBalance] = Field(description="every area (or the one asked for), by name")

    model_config = ConfigDict(populate_by_name=True)


class AreaLossReport(AreaBalance):
    from_: str = Field(alias="from")
    to: str
    timezone: str

    model_config = ConfigDict(populate_by_name=True)

"""Schemas of the operations views: dashboard, alerts, event report and analysis, consumption,
online rate and the interval data import."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.domain.models import ErrorDetail, page_model


class MeterCounts(BaseModel):
    total: int
    online: int
    offline: int = Field(description="seen before, not online now")
    never_online: int
    online_last_24h: int
    online_rate: float | None = Field(description="online now / total, in %; none without meters")


class AlertCounts(BaseModel):
    active: int = Field(description="unacknowledged alerts")
    critical: int


class EnergyPoint(BaseModel):
    at: datetime = Field(description="start of the 5-minute slot")
    import_kwh: float | None = Field(description="none: no reading in the slot (a gap, not zero)")
    export_kwh: float | None


class AreaEnergy(BaseModel):
    area_id: str
    area_name: str | None
    import_kwh: float | None


class EventItem(BaseModel):
    id: str
    at: datetime
    meter_number: str | None
    area_id: str | None
    area_name: str | None
    type: str
    severity: str
    tamper: bool
    details: dict[str, Any]


EventPage = page_model("EventPage", EventItem)


class DashboardSummary(BaseModel):
    area: str | None
    generated_at: datetime
    meters: MeterCounts
    alerts: AlertCounts
    energy_last_hour: list[EnergyPoint]
    energy_last_hour_kwh: float
    top_areas: list[AreaEnergy] = Field(description="today's largest consumers (all-areas view only)")
    latest_events: list[EventItem]


class Alert(BaseModel):
    id: str
    meter_number: str
    area_id: str | None
    area_name: str | None
    type: str
    severity: str
    source: str = Field(description="meter (its event logs) or rule")
    count: int = Field(description="occurrences while active")
    first_at: datetime | None
    last_at: datetime | None
    active: bool
    details: dict[str, Any] | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    note: str | None = None


AlertPage = page_model("AlertPage", Alert)


class AcknowledgeOne(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(None, max_length=1000)


class AcknowledgeMany(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[str] = Field(min_length=1, max_length=500)
    note: str | None = Field(None, max_length=1000)


class AcknowledgeResult(BaseModel):
    acknowledged: int
    items: list[Alert]


class CountByType(BaseModel):
    type: str
    count: int


class DayCounts(BaseModel):
    day: str
    counts: dict[str, int]


class AreaCount(BaseModel):
    area_id: str | None
    area_name: str | None
    count: int


class MeterCount(BaseModel):
    meter_number: str
    count: int
    tamper: int


class DayCount(BaseModel):
    day: str
    count: int


class EventAnalysis(BaseModel):
    total: int
    by_type: list[CountByType]
    by_day: list[DayCounts]
    by_area: list[AreaCount]
    top_meters: list[MeterCount]
    tamper_trend: list[DayCount]


class EventTypes(BaseModel):
    items: list[str]


class ConsumptionPoint(BaseModel):
    period: str = Field(description="2026-10-05T14 (hour), 2026-10-05 (day), 2026-W41 (ISO week), 2026-10 (month)")
    start: datetime
    import_kwh: float | None = Field(description="none: no readings in the period (a gap, not zero)")
    export_kwh: float | None
    readings: int


class ConsumptionTotals(BaseModel):
    import_kwh: float | None
    export_kwh: float | None
    periods_with_data: int
    periods: int


class ConsumptionRow(BaseModel):
    meter_number: str
    customer_name: str | None
    area_name: str | None
    import_kwh: float | None
    export_kwh: float | None
    days_with_data: int


class ConsumptionFlag(BaseModel):
    meter_number: str
    at: datetime
    type: str = Field(description="register_reset or implausible_jump: that energy is left out")
    details: dict[str, Any]


class ConsumptionReport(BaseModel):
    scope: str = Field(description="meter, area or all")
    meter_number: str | None
    area_id: str | None
    granularity: str
    from_: str = Field(alias="from")
    to: str
    timezone: str
    unit: str
    series: list[ConsumptionPoint]
    totals: ConsumptionTotals
    flags: list[ConsumptionFlag]
    rows: list[ConsumptionRow] = Field(description="per meter (area and all-areas views)")

    model_config = ConfigDict(populate_by_name=True)


class OnlineRow(BaseModel):
    meter_number: str
    area_id: str | None
    area_name: str | None
    customer_name: str | None
    status: str | None
    online: bool
    first_seen: datetime | None
    last_seen: datetime | None
    days_with_data: int = Field(description="days with readings in the last 30")
    hours_online: float = Field(description="hours connected in the last 30 days (from the connection events)")
    never_online: bool


class OnlineTrendPoint(BaseModel):
    day: str
    meters_seen: int
    online_rate: float | None


class OnlineRatePage(BaseModel):
    items: list[OnlineRow]
    total: int
    page: int
    page_size: int
    summary: MeterCounts
    trend: list[OnlineTrendPoint]


class ReadingImportReport(BaseModel):
    dry_run: bool
    rows: int
    meters: int
    new_points: int = Field(description="readings not stored yet")
    unchanged_points: int = Field(description="readings already stored with the same values (skipped)")
    from_: datetime | None = Field(alias="from")
    to: datetime | None
    errors: list[ErrorDetail]
    errors_left_off: int
    written: int
    flags: int = Field(description="register resets or implausible jumps found (recorded as events)")

    model_config = ConfigDict(populate_by_name=True)


class ImportUploadCreate(BaseModel):
    filename: str | None = Field(default=None, max_length=255, description="the file's name, shown back")


class ImportUploadTarget(BaseModel):
    id: str
    upload_url: str = Field(description="PUT the CSV file here (an S3 presigned URL, or an API path locally)")
    method: Literal["PUT"]
    content_type: str = Field(description="send the file with this Content-Type")
    with_credentials: bool = Field(description="true: the URL is this API's; send the bearer token with it")
    expires_in: int = Field(description="seconds the URL stays valid")


class ImportUploadStatus(BaseModel):
    id: str
    status: Literal["awaiting_upload", "uploaded", "queued", "running", "done", "failed"]
    filename: str | None
    size: int | None = Field(description="bytes of the uploaded file")
    dry_run: bool | None
    report: ReadingImportReport | None = Field(description="when done: what was checked or written")
    error: str | None = Field(description="when failed: why nothing was imported")
    errors: list[ErrorDetail] = Field(description="when failed: the file's problems by row and column")
    created_at: datetime
    updated_at: datetime


ReportKind = Literal["consumption", "events", "online-rate"]


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: ReportKind
    format: Literal["csv", "pdf"] = "csv"
    params: dict[str, str] = Field(default_factory=dict, description="the same query parameters as the report's "
                                   "GET endpoint, e.g. {\"area\": \"...\", \"granularity\": \"daily\"}")


class ReportAccepted(BaseModel):
    id: str
    status: str


class Report(BaseModel):
    id: str
    kind: str
    format: str
    title: str | None
    params: dict[str, str]
    status: str = Field(description="queued, running, done or failed")
    schedule: str | None = Field(description="daily or monthly for scheduled exports")
    area_id: str | None
    created_by: str | None
    created_at: datetime
    finished_at: datetime | None
    error: str | None
    filename: str | None
    size: int | None
    url: str | None = Field(description="presigned download URL (valid one hour) when done")


ReportPage = page_model("ReportPage", Report)


class ReportSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    area_id: str | None = Field(None, description="omit for all areas")
    cadence: Literal["daily", "monthly"]
    format: Literal["csv", "pdf"] = "csv"
    enabled: bool = True


class ReportScheduleView(ReportSchedule):
    id: str


class ReportSchedules(BaseModel):
    items: list[ReportScheduleView]


class ReportSchedulesPut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[ReportSchedule] = Field(max_length=200)

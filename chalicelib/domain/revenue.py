"""Schemas of revenue protection: theft detection runs and scores, and investigation cases."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chalicelib.domain.models import page_model

Risk = Literal["high", "medium", "low"]
CaseStatus = Literal["open", "investigating", "resolved"]
Outcome = Literal["theft_confirmed", "no_theft", "meter_fault", "data_problem"]
OUTCOME_LABELS = {"theft_confirmed": "Theft confirmed", "no_theft": "No theft", "meter_fault": "Meter fault",
                  "data_problem": "Data problem"}
# the moves a case may make; resolved -> investigating reopens it (the outcome is kept in the timeline)
TRANSITIONS: dict[str, tuple[str, ...]] = {"open": ("investigating", "resolved"), "investigating": ("resolved",),
                                           "resolved": ("investigating",)}
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


# --- theft detection --------------------------------------------------------------------------
class TheftRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    area: str | None = Field(None, description="area id; omit for every area")
    as_of: date | None = Field(None, description="the last local day scored; default yesterday")


class TheftRunAccepted(BaseModel):
    id: str
    status: str


class TheftRun(BaseModel):
    id: str
    area_id: str | None
    as_of: str
    status: str = Field(description="queued, running, done or failed")
    trigger: str = Field(description="on_demand or schedule")
    requested_by: str | None
    created_at: datetime
    finished_at: datetime | None
    meters_scored: int | None
    high: int | None
    medium: int | None
    alerts_raised: int | None
    error: str | None


TheftRunPage = page_model("TheftRunPage", TheftRun)


class RuleHitView(BaseModel):
    rule: str = Field(description="consumption_drop or below_area_average")
    message: str
    value: float
    since: str | None = None


class TheftScoreItem(BaseModel):
    meter_number: str
    area_id: str | None
    area_name: str | None
    customer_name: str | None
    as_of: str
    score: float = Field(description="0 (nothing odd) to 1 (most suspicious)")
    risk: Risk
    reasons: list[str]
    rule_hits: list[RuleHitView]
    model_score: float | None
    data_days: int
    open_case: str | None = Field(description="id of the meter's open case, if any")
    confirmed_thefts: int = Field(description="cases on this meter resolved as theft confirmed")


class TheftScorePage(BaseModel):
    items: list[TheftScoreItem]
    total: int
    page: int
    page_size: int
    as_of: str | None = Field(description="the day scored; none before the first run")


class DayEnergy(BaseModel):
    day: str
    import_kwh: float | None


class EvidenceEvent(BaseModel):
    at: datetime
    type: str
    severity: str
    tamper: bool


class CaseSummary(BaseModel):
    id: str
    status: CaseStatus
    outcome: Outcome | None
    created_at: datetime
    resolved_at: datetime | None


class ScoreHistoryPoint(BaseModel):
    as_of: str
    score: float


class TheftScoreDetail(TheftScoreItem):
    profile: list[DayEnergy] = Field(description="daily import over the last 90 days; none = no data that day")
    area_profile: list[DayEnergy] = Field(description="the area's average per meter, same days")
    events: list[EvidenceEvent] = Field(description="the meter's events of the last 30 days")
    cases: list[CaseSummary]
    history: list[ScoreHistoryPoint]


class TheftSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    drop_pct: Annotated[float, Field(gt=0, lt=100, description="rule: this month's daily average fell more than "
                                     "this % below last month's")] = 80.0
    area_ratio_pct: Annotated[float, Field(gt=0, lt=100, description="rule: below this % of the average of the "
                                           "area's meters of the same type")] = 30.0
    alert_min_risk: Literal["high", "medium"] = Field("high", description="model risk that raises an Investigation "
                                                      "alert on its own (rule hits always do)")


# --- investigations ---------------------------------------------------------------------------
class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    meter_number: str | None = Field(None, description="the meter; implied by alert_id")
    alert_id: str | None = Field(None, description="open the case from this alert (linked; resolving may "
                                 "acknowledge it)")
    title: Title | None = None
    assignee: str | None = Field(None, description="username of an admin or operator")
    note: Note | None = None


class CaseUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: CaseStatus | None = None
    assignee: str | None = Field(None, description="username; empty string unassigns")
    outcome: Outcome | None = Field(None, description="required when resolving")
    note: Note | None = Field(None, description="added to the timeline with the change")
    acknowledge_alerts: bool = Field(False, description="on resolving: acknowledge the linked active alerts")


class CaseNoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Note


class TimelineEntry(BaseModel):
    at: datetime
    by: str
    kind: str = Field(description="opened, note, status, assignment or outcome")
    text: str


class CaseEvidence(BaseModel):
    captured_at: datetime
    as_of: str | None
    score: float | None
    risk: str | None
    reasons: list[str]
    rule_hits: list[RuleHitView]
    consumption: list[DayEnergy]
    events: list[EvidenceEvent]
    alert: dict[str, Any] | None


class Case(BaseModel):
    id: str
    meter_number: str
    area_id: str | None
    area_name: str | None
    customer_name: str | None
    title: str
    status: CaseStatus
    assignee: str | None
    outcome: Outcome | None
    source: str = Field(description="alert, score or manual")
    alert_ids: list[str]
    created_by: str
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


CasePage = page_model("CasePage", Case)


class CaseDetail(Case):
    evidence: CaseEvidence
    timeline: list[TimelineEntry]

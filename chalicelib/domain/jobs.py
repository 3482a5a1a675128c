"""Meter commands as jobs: what may be asked, and what comes back."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator

from chalicelib.dlms.obis import normalise_obis
from chalicelib.domain.models import Input, MeterNumber, page_model

JobKind = Literal["read", "write", "action"]
Op = Literal["get", "set", "action"]
OP_OF_KIND: dict[str, Op] = {"read": "get", "write": "set", "action": "action"}
ACCESS_OF_KIND = {"read": ("R", "RW"), "write": ("W", "RW"), "action": ("X",)}
JOB_TIMEOUT_S = 120
RELAY = "0.0.96.3.10.255"
TOKEN_GATEWAY, CREDIT = "0.0.19.40.0.255", "0.0.19.10.0.255"
TOKEN_STATUS = {0: "format OK", 1: "authentication OK", 2: "validation OK", 3: "accepted",
                4: "rejected: wrong format or check digit", 5: "rejected: not for this meter",
                6: "rejected: already used or no credit", 7: "rejected: could not be applied", 8: "pending"}


class JobItem(Input):
    obis: Annotated[str, AfterValidator(normalise_obis)]
    class_id: Annotated[int, Field(ge=1, le=65535)] | None = None
    index: Annotated[int, Field(ge=1, le=255)] = 2
    value: Any = None


class JobCreate(Input):
    kind: JobKind
    meters: Annotated[list[MeterNumber], Field(min_length=1, max_length=1000)]
    items: Annotated[list[JobItem], Field(min_length=1, max_length=100)]


class RelayRequest(Input):
    action: Literal["disconnect", "reconnect"]


class TokenRequest(Input):
    token: str

    @field_validator("token")
    @classmethod
    def _twenty_digits(cls, value: str) -> str:
        digits = re.sub(r"[\s-]", "", value)
        if not re.fullmatch(r"\d{20}", digits):
            raise ValueError("a token is 20 digits (spaces and dashes are ignored)")
        return digits


class ItemResult(BaseModel):
    op: Literal["get", "set", "action", "get_range", "diagnostics"] = Field(
        description="get/set/action as requested; get_range: an event-log or profile read (system polls); "
        "diagnostics: the edge listener's view of the meter's connection")
    obis: str
    class_id: int
    index: int
    name: str | None = None
    unit: str | None = None
    scaler: float | None = Field(None, description="multiply the raw value by this to get the unit's quantity")
    ok: bool
    value: Any = None
    reason: str | None = None
    detail: str | None = None
    at: datetime | None = None


class MeterResult(BaseModel):
    meter_number: str
    status: Literal["pending", "done", "failed", "timed_out"]
    items: list[ItemResult] = []


class Progress(BaseModel):
    done: int
    total: int


class Job(BaseModel):
    id: str
    kind: str
    title: str
    status: Literal["running", "done", "timed_out"]
    progress: Progress
    items: list[dict[str, Any]]
    results: list[MeterResult]
    created_by: str
    created_at: datetime
    finished_at: datetime | None = None


class JobAccepted(BaseModel):
    id: str
    status: str


class TokenLoad(BaseModel):
    id: str
    meter_number: str
    token: str = Field(description="the token with all but the last 4 digits masked")
    status: Literal["pending", "accepted", "rejected", "failed"]
    detail: str | None = None
    credit_wh: float | None = None
    job: str
    requested_by: str
    requested_at: datetime
    finished_at: datetime | None = None


JobPage = page_model("JobPage", Job)
TokenLoadPage = page_model("TokenLoadPage", TokenLoad)

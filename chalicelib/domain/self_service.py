"""The customer's own view (role customer): its meters, their consumption, token loads and everyday events.

Only events on this allow-list reach a customer: tamper, fraud-log and revenue-protection events never do,
nor staff actions such as alert acknowledgements, whatever else gets recorded later.
"""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from chalicelib.domain.events import STANDARD_EVENTS
from chalicelib.domain.models import page_model
from chalicelib.domain.operations import ConsumptionPoint, ConsumptionTotals

CUSTOMER_EVENT_TYPES: frozenset[str] = frozenset(kind.type for kind in STANDARD_EVENTS.values() if not kind.tamper)


class Credit(BaseModel):
    value: float = Field(description="prepaid credit left, in `unit`")
    unit: str | None = Field(None, description="the device profile's unit of the credit register, e.g. Wh")
    at: datetime | None = Field(None, description="when the meter reported it")


class MyMeter(BaseModel):
    meter_number: str
    meter_type: str
    status: str
    area_name: str | None = None
    online: bool = Field(description="the meter was heard from within the online window")
    last_seen: datetime | None = None
    relay_state: Literal["connected", "disconnected"] | None = Field(
        None, description="as last read from the meter; none until it was read")
    relay_state_at: datetime | None = None
    has_credit: bool = Field(description="the meter's device profile has a prepaid credit register")
    credit: Credit | None = Field(None, description="the newest credit the meter reported (pushed or read back)")
    import_kwh: float | None = Field(None, description="the active energy import register (total)")
    last_reading_at: datetime | None = None


class MyMeters(BaseModel):
    customer_id: str
    customer_name: str
    items: list[MyMeter]


class MyConsumption(BaseModel):
    meter_number: str
    granularity: Literal["hourly", "daily", "weekly", "monthly"]
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    timezone: str
    unit: str
    series: list[ConsumptionPoint]
    totals: ConsumptionTotals


class MyTokenLoad(BaseModel):
    id: str
    token: str = Field(description="the token with all but the last 4 digits masked")
    status: Literal["pending", "accepted", "rejected", "failed"]
    detail: str | None = None
    credit_wh: float | None = Field(None, description="credit read back after loading")
    requested_at: datetime
    finished_at: datetime | None = None


class MyEvent(BaseModel):
    at: datetime
    type: str = Field(description="power_down, power_up, relay_disconnected, token_accepted, ...")
    severity: str = "info"


MyTokenLoadPage = page_model("MyTokenLoadPage", MyTokenLoad)
MyEventPage = page_model("MyEventPage", MyEvent)

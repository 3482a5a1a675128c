"""Schemas of what meters reported."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from chalicelib.domain.models import page_model


class MeterStatus(BaseModel):
    meter_number: str
    online: bool
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    peer: str | None = None
    relay_state: str | None = None
    device_profile: str | None = None
    last_reading_at: datetime | None = None
    edge: str | None = Field(None, description="the edge task holding its socket, when there are several")
    invocation_counters: InvocationCounters | None = Field(
        None, description="HLS-GMAC frame counters kept between sessions (secured meters)")


class InvocationCounters(BaseModel):
    hes: int | None = Field(None, description="the last frame counter the HES used towards the meter")
    meter: int | None = Field(None, description="the highest frame counter received from the meter")


class LatestValue(BaseModel):
    obis: str
    value: Any
    unit: str | None = None


class ReadingPoint(BaseModel):
    at: datetime
    values: dict[str, Any] = Field(description="OBIS code -> scaled value")


class MeterReadings(BaseModel):
    meter_number: str
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    latest_at: datetime | None = None
    latest: list[LatestValue]
    series: list[ReadingPoint]


class UnregisteredDevice(BaseModel):
    address: str = Field(description="what the device identified itself with (serial number / logical name)")
    peer: str | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    frames: int = 0


UnregisteredDevicePage = page_model("UnregisteredDevicePage", UnregisteredDevice)


class MeterEvent(BaseModel):
    at: datetime
    type: str
    code: int | None = Field(None, description="the meter's event code; none for events the HES derived")
    severity: str = "info"
    tamper: bool = False
    log: str | None = Field(None, description="OBIS code of the event log it came from, if any")
    details: dict[str, Any] = Field(default_factory=dict)


MeterEventPage = page_model("MeterEventPage", MeterEvent)

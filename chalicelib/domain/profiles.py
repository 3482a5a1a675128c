"""Device profiles: a brand/model described by its COSEM objects (OBIS codes), so any brand is onboarded as data."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, ValidationInfo, field_validator

from chalicelib.dlms.obis import normalise_obis
from chalicelib.domain.models import Input, Text

DATA_TYPES = (
    "null-data", "boolean", "bit-string", "double-long", "double-long-unsigned", "octet-string", "visible-string",
    "utf8-string", "bcd", "integer", "long", "unsigned", "long-unsigned", "long64", "long64-unsigned", "enum",
    "float32", "float64", "date-time", "date", "time", "array", "structure", "compact-array",
)
def _data_type(value: str) -> str:
    value = value.strip().lower()
    if value not in DATA_TYPES:
        raise ValueError("unknown DLMS data type; one of " + ", ".join(DATA_TYPES))
    return value


Obis = Annotated[str, AfterValidator(normalise_obis)]
DataType = Annotated[str, AfterValidator(_data_type)]
Kind = Literal["attribute", "method"]
Access = Literal["R", "W", "RW", "X"]


class CosemObject(Input):
    obis: Obis
    class_id: Annotated[int, Field(ge=1, le=65535)]
    kind: Kind = "attribute"
    index: Annotated[int, Field(ge=1, le=255)]
    name: Text
    group: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = "General"
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=16)] | None = None
    scaler: Annotated[float, Field(gt=0)] | None = None
    access: Access = "R"
    data_type: DataType | None = None

    @field_validator("access")
    @classmethod
    def _access_fits_kind(cls, access: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind == "method" and access != "X":
            raise ValueError("a method's access must be X (execute)")
        if kind == "attribute" and access == "X":
            raise ValueError("an attribute's access must be R, W or RW")
        return access

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.obis, self.kind, self.index)


class PushEntry(Input):
    position: Annotated[int, Field(ge=1, le=64)]
    obis: Obis
    class_id: Annotated[int, Field(ge=1, le=65535)]
    index: Annotated[int, Field(ge=1, le=255)] = 2


class DeviceProfileCreate(Input):
    brand: Text
    model: Text
    meter_type: Text | None = None


class DeviceProfileUpdate(Input):
    brand: Text | None = None
    model: Text | None = None
    meter_type: Text | None = None
    objects: Annotated[list[CosemObject], Field(max_length=2000)] | None = None
    push_layout: Annotated[list[PushEntry], Field(max_length=64)] | None = None


class DeviceProfile(BaseModel):
    id: str
    brand: str
    model: str
    meter_type: str | None = None
    objects: list[CosemObject]
    push_layout: list[PushEntry]
    is_default: bool = False
    meter_count: int = 0
    created_at: datetime
    updated_at: datetime


def layout_problems(objects: list[CosemObject], layout: list[PushEntry]) -> list[str]:
    """Why a push layout does not fit the profile's objects (empty when it fits)."""
    known = {(o.obis, o.index) for o in objects if o.kind == "attribute"}
    problems = []
    positions = [e.position for e in layout]
    if sorted(positions) != list(range(1, len(layout) + 1)):
        problems.append("positions must be 1, 2, 3… without gaps or repeats")
    for entry in layout:
        if (entry.obis, entry.index) not in known:
            problems.append(f"position {entry.position}: {entry.obis} attribute {entry.index} is not in the profile")
    return problems


class ObisCatalogEntry(BaseModel):
    obis: str = Field(description="code or gurux mask, e.g. 1.0-64.32.7.0.255")
    class_ids: list[int]
    description: str


class ObisCatalogPage(BaseModel):
    items: list[ObisCatalogEntry]
    total: int


class DiscoveredObject(BaseModel):
    obis: str
    class_id: int
    kind: Kind
    index: int
    name: str
    access: Access
    in_profile: bool


class DiscoveryResult(BaseModel):
    job: str
    status: str
    meter_number: str
    error: str | None = None
    objects: list[DiscoveredObject]

"""API and domain schemas (pydantic). The OpenAPI document is generated from these."""
from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from chalicelib.domain.energy_balance import MIN_COMPLETENESS_PCT, NTL_ALERT_DAYS, NTL_ALERT_PCT

MeterStatus = Literal["warehouse", "installed", "active", "faulty", "decommissioned"]
METER_STATUSES: tuple[str, ...] = ("warehouse", "installed", "active", "faulty", "decommissioned")
Role = Literal["admin", "operator", "viewer", "customer"]

_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,24}$")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.@-]{1,63}$")


def _identifier(label: str) -> AfterValidator:
    def check(value: str) -> str:
        if not _IDENT.match(value):
            raise ValueError(f"{label} may contain only letters, digits, '-', '_' and '.'")
        return value

    return AfterValidator(check)


def _ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ValueError("not an IPv4 or IPv6 address") from None


def _phone(value: str) -> str:
    if not _PHONE.match(value):
        raise ValueError("not a phone number (digits, spaces, +, -, parentheses)")
    return value


def _username(value: str) -> str:
    if not _USERNAME.match(value):
        raise ValueError("2-64 lower-case letters, digits, '.', '_', '-' or '@'")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
MeterNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32), _identifier("meter number")
]
SimNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=4, max_length=32), _identifier("SIM number")
]
ConcentratorId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), _identifier("concentrator ID")
]
IpAddress = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_ip)]
Port = Annotated[int, Field(ge=1, le=65535)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_phone)]
Username = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True), AfterValidator(_username)]
Password = Annotated[str, StringConstraints(min_length=10, max_length=200)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- health / errors ---------------------------------------------------------------------------

class Health(BaseModel):
    status: str
    database: str
    stage: str
    version: str


class ErrorDetail(BaseModel):
    row: int | None = None
    field: str | None = None
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorResponse(BaseModel):
    error: ErrorBody


# --- auth --------------------------------------------------------------------------------------

class LoginRequest(Input):
    username: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class RefreshRequest(Input):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ChangePasswordRequest(Input):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    new_password: Password


class UserInfo(BaseModel):
    username: str
    role: Role
    full_name: str | None = None
    customer_id: str | None = None
    must_change_password: bool
    permissions: list[str]


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: UserInfo


# --- areas -------------------------------------------------------------------------------------

class AreaCreate(Input):
    name: Text
    description: LongText | None = None


class AreaSupply(Input):
    """The area's supply point for the energy balance: its check meter, transformer and loss thresholds."""

    check_meter: MeterNumber = Field(description="a meter of this area that measures the energy into it")
    transformer_kva: Annotated[float, Field(gt=0, le=1_000_000)] | None = Field(default=None, description="rating")
    no_load_loss_kw: Annotated[float, Field(ge=0, le=10_000)] = Field(default=0.0, description="iron loss, all day")
    load_loss_kw: Annotated[float, Field(ge=0, le=10_000)] = Field(default=0.0, description="copper loss at rating")
    line_loss_pct: Annotated[float, Field(ge=0, le=50)] = Field(default=0.0, description="line loss, % of the input")
    min_completeness_pct: Annotated[float, Field(ge=0, le=100)] = Field(
        default=MIN_COMPLETENESS_PCT, description="a day has a balance when this % of the customer meters have data")
    ntl_alert_pct: Annotated[float, Field(ge=0, le=100)] = Field(
        default=NTL_ALERT_PCT, description="alert when the non-technical loss exceeds this % of the input ...")
    ntl_alert_days: Annotated[int, Field(ge=1, le=60)] = Field(
        default=NTL_ALERT_DAYS, description="... on this many days in a row")

    @model_validator(mode="after")
    def _load_loss_needs_a_rating(self) -> AreaSupply:
        if self.load_loss_kw and not self.transformer_kva:
            raise ValueError("transformer_kva is required with a load loss")
        return self


class AreaUpdate(Input):
    name: Text | None = None
    description: LongText | None = None
    supply: AreaSupply | None = Field(default=None, description="replaces the whole supply setting; null removes it")


class Area(BaseModel):
    id: str
    name: str
    description: str | None = None
    supply: AreaSupply | None = None
    meter_count: int = 0
    created_at: datetime
    updated_at: datetime


# --- meters ------------------------------------------------------------------------------------

Hex16 = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[0-9a-fA-F]{16}$")]
Hex32 = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[0-9a-fA-F]{32}$")]


class MeterSecurityInput(Input):
    """How the HES authenticates to the meter. Secrets are sealed at rest and never returned."""

    authentication: Literal["none", "low", "hls-gmac"] = "low"
    password: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None
    system_title: Hex16 | None = Field(None, description="the meter's system title, 8 octets in hex")
    block_cipher_key: Hex32 | None = None
    authentication_key: Hex32 | None = None

    @model_validator(mode="after")
    def _hls_needs_keys(self) -> MeterSecurityInput:
        if self.authentication == "hls-gmac":
            missing = [f for f in ("system_title", "block_cipher_key", "authentication_key") if not getattr(self, f)]
            if missing:
                raise ValueError("HLS-GMAC needs " + ", ".join(missing))
        return self


class MeterSecurity(BaseModel):
    authentication: str
    system_title: str | None = None
    secrets_stored: bool = False


class MeterCreate(Input):
    meter_number: MeterNumber
    concentrator_id: ConcentratorId
    meter_type: Text
    area_id: str | None = None
    status: MeterStatus = "warehouse"
    device_profile: str | None = Field(None, description="device profile id; unset = the default profile")
    security: MeterSecurityInput | None = None
    generating: bool = Field(default=False, description="registered as generating (e.g. rooftop solar): its export "
                             "is expected, not reverse flow")


class MeterUpdate(Input):
    concentrator_id: ConcentratorId | None = None
    meter_type: Text | None = None
    area_id: str | None = None
    status: MeterStatus | None = None
    device_profile: str | None = None
    security: MeterSecurityInput | None = None
    generating: bool | None = None


class Meter(BaseModel):
    meter_number: str
    concentrator_id: str
    meter_type: str
    area_id: str | None = None
    area_name: str | None = None
    status: MeterStatus
    sim_number: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    device_profile: str | None = None
    security: MeterSecurity | None = None
    generating: bool = False
    online: bool = False
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    created_at: datetime
    updated_at: datetime


# --- SIM cards ---------------------------------------------------------------------------------

class SimCreate(Input):
    sim_number: SimNumber
    ip_address: IpAddress
    port: Port
    meter_number: MeterNumber | None = None


class SimUpdate(Input):
    ip_address: IpAddress | None = None
    port: Port | None = None
    meter_number: MeterNumber | None = None


class Sim(BaseModel):
    sim_number: str
    ip_address: str
    port: int
    meter_number: str | None = None
    area_id: str | None = None
    created_at: datetime
    updated_at: datetime


# --- customers ---------------------------------------------------------------------------------

class CustomerCreate(Input):
    name: Text
    address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    phone: Phone
    meter_numbers: Annotated[list[MeterNumber], Field(min_length=1, max_length=50)]
    sim_number: SimNumber | None = None


class CustomerUpdate(Input):
    name: Text | None = None
    address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | None = None
    phone: Phone | None = None
    meter_numbers: Annotated[list[MeterNumber], Field(min_length=1, max_length=50)] | None = None
    sim_number: SimNumber | None = None


class Customer(BaseModel):
    id: str
    name: str
    address: str
    phone: str
    meter_numbers: list[str]
    sim_number: str | None = None
    area_ids: list[str] = []
    created_at: datetime
    updated_at: datetime


# --- users -------------------------------------------------------------------------------------

class UserCreate(Input):
    username: Username
    password: Password
    role: Role
    full_name: Text | None = None
    customer_id: str | None = None


class UserUpdate(Input):
    role: Role | None = None
    full_name: Text | None = None
    customer_id: str | None = None
    disabled: bool | None = None
    password: Password | None = None


class User(BaseModel):
    username: str
    role: Role
    full_name: str | None = None
    customer_id: str | None = None
    disabled: bool = False
    must_change_password: bool = False
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None = None


# --- audit & imports ---------------------------------------------------------------------------

class AuditEntry(BaseModel):
    id: str
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class ImportReport(BaseModel):
    dry_run: bool
    total_rows: int
    valid_rows: int
    created: int
    errors: list[ErrorDetail]
    preview: list[dict[str, Any]]


def page_model(name: str, item: type[BaseModel]) -> type[BaseModel]:
    from pydantic import create_model

    return create_model(name, items=(list[item], ...), total=(int, ...), page=(int, ...), page_size=(int, ...))  # type: ignore[valid-type]


AreaPage = page_model("AreaPage", Area)
MeterPage = page_model("MeterPage", Meter)
SimPage = page_model("SimPage", Sim)
CustomerPage = page_model("CustomerPage", Customer)
UserPage = page_model("UserPage", User)
AuditPage = page_model("AuditPage", AuditEntry)

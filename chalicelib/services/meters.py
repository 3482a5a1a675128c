"""The meter archive: every meter the utility owns, from warehouse to decommissioned."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from chalicelib.adapters.repositories import (
    AreaRepository,
    CustomerRepository,
    DeviceProfileRepository,
    MeterRepository,
    SimRepository,
    now,
)
from chalicelib.domain.models import METER_STATUSES, MeterCreate, MeterSecurityInput, MeterUpdate
from chalicelib.domain.presence import is_online
from chalicelib.domain.secrets_box import SecretBox
from chalicelib.errors import BadRequest, Conflict, NotFound
from chalicelib.services.common import ListQuery, and_, invalid, page_of, require, search
from chalicelib.services.context import Auditor, Principal

EXPORT_HEADERS = [
    "Meter Number",
    "Concentrator ID",
    "Meter Type",
    "Area",
    "Status",
    "Sim Number",
    "Customer",
    "Generating",
    "Created At",
]


class MeterService:
    def __init__(
        self,
        meters: MeterRepository,
        areas: AreaRepository,
        sims: SimRepository,
        customers: CustomerRepository,
        profiles: DeviceProfileRepository,
        audit: Auditor,
        online_window_s: Callable[[], int],
        box: SecretBox,
    ) -> None:
        self.box = box
        self.meters = meters
        self.profiles = profiles
        self.online_window_s = online_window_s
        self.areas = areas
        self.sims = sims
        self.customers = customers
        self.audit = audit

    # --- reading -------------------------------------------------------------------------------
    def _query(self, who: Principal, query: ListQuery) -> dict[str, Any]:
        status = query.filter("status")
        if status and status not in METER_STATUSES:
            raise BadRequest(
                f"unknown status '{status}'", [{"field": "status", "message": "one of " + ", ".join(METER_STATUSES)}]
            )
        unassigned = query.filter("unassigned")
        return and_(
            {"customer_id": who.customer_id or "-"} if who.is_customer else {},
            {"area_id": query.area} if query.area else {},
            {"status": status} if status else {},
            {"customer_id": None} if unassigned in ("true", "1") else {},
            search(query.q, ["_id", "concentrator_id", "meter_type"]),
        )

    def _views(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        areas = self.areas.get_many(d["area_id"] for d in docs if d.get("area_id"))
        customers = self.customers.get_many(d["customer_id"] for d in docs if d.get("customer_id"))
        window, moment = self.online_window_s(), now()
        return [
            {
                "meter_number": d["_id"],
                "concentrator_id": d["concentrator_id"],
                "meter_type": d["meter_type"],
                "area_id": d.get("area_id"),
                "area_name": areas.get(d.get("area_id") or "", {}).get("name"),
                "status": d["status"],
                "sim_number": d.get("sim_number"),
                "customer_id": d.get("customer_id"),
                "customer_name": customers.get(d.get("customer_id") or "", {}).get("name"),
                "device_profile": d.get("device_profile"),
                "security": security_view(d.get("security")),
                "generating": bool(d.get("generating")),
                "online": is_online(d, window, moment),
                "first_seen": d.get("first_seen"),
                "last_seen": d.get("last_seen"),
                "created_at": d["created_at"],
                "updated_at": d["updated_at"],
            }
            for d in docs
        ]

    def find(self, who: Principal, query: ListQuery) -> dict[str, Any]:
        docs, total = self.meters.page(self._query(who, query), query.sort, query.page, query.page_size)
        return page_of(self._views(docs), total, query)

    def get(self, who: Principal, meter_number: str) -> dict[str, Any]:
        return self.view(self.visible(who, meter_number))

    def view(self, doc: dict[str, Any]) -> dict[str, Any]:
        return self._views([doc])[0]

    def visible(self, who: Principal, meter_number: str) -> dict[str, Any]:
        """The stored meter, when this principal may see it."""
        doc = self.meters.get(meter_number)
        if doc is None or (who.is_customer and doc.get("customer_id") != who.customer_id):
            raise NotFound(f"meter '{meter_number}' does not exist")
        return doc

    def export_rows(self, who: Principal, query: ListQuery) -> Iterator[list[Any]]:
        batch: list[dict[str, Any]] = []
        for doc in self.meters.iterate(self._query(who, query), query.sort):
            batch.append(doc)
            if len(batch) == 500:
                yield from self._export_batch(batch)
                batch = []
        yield from self._export_batch(batch)

    def _export_batch(self, docs: list[dict[str, Any]]) -> Iterator[list[Any]]:
        for v in self._views(docs):
            yield [
                v["meter_number"],
                v["concentrator_id"],
                v["meter_type"],
                v["area_name"],
                v["status"],
                v["sim_number"],
                v["customer_name"],
                "yes" if v["generating"] else "no",
                v["created_at"],
            ]

    # --- writing -------------------------------------------------------------------------------
    def _check_area(self, area_id: str | None) -> None:
        if area_id and self.areas.get(area_id) is None:
            raise invalid("area_id", f"unknown area '{area_id}'")

    def _check_title(self, meter_number: str, security: MeterSecurityInput | None) -> None:
        title = security.system_title if security else None
        if title and self.meters.col.count_documents(
                {"security.system_title": title, "_id": {"$ne": meter_number}}) > 0:
            raise invalid("security.system_title", f"system title {title} belongs to another meter")

    def sealed(self, meter_number: str, security: MeterSecurityInput | None) -> dict[str, Any] | None:
        """The security settings as stored: secrets sealed with the meter number as context."""
        if security is None:
            return None
        stored: dict[str, Any] = {"authentication": security.authentication, "system_title": security.system_title}
        for name in ("password", "block_cipher_key", "authentication_key"):
            value = getattr(security, name)
            stored[name] = self.box.seal(value.encode(), f"{meter_number}|{name}") if value else None
        return stored

    def _new_keys(self, before: dict[str, Any], security: MeterSecurityInput | None) -> bool:
        """Whether the HLS keys or the meter's system title change."""
        old = before.get("security") or {}

        def same(a: str | None, b: str | None) -> bool:
            return (a or "").lower() == (b or "").lower()
        return not same(old.get("system_title"), security.system_title if security else None) or not all(
            same(self.secret(before, name), getattr(security, name, None))
            for name in ("block_cipher_key", "authentication_key"))

    def secret(self, meter: dict[str, Any], name: str) -> str | None:
        sealed = (meter.get("security") or {}).get(name)
        return self.box.open(sealed, f"{meter['_id']}|{name}").decode() if sealed else None

    def _check_profile(self, profile_id: str | None) -> None:
        if profile_id and self.profiles.get(profile_id) is None:
            raise invalid("device_profile", f"unknown device profile '{profile_id}'")

    def new_doc(self, body: MeterCreate) -> dict[str, Any]:
        stamp = now()
        return {
            "_id": body.meter_number,
            "concentrator_id": body.concentrator_id,
            "meter_type": body.meter_type,
            "area_id": body.area_id,
            "status": body.status,
            "device_profile": body.device_profile,
            "security": self.sealed(body.meter_number, body.security),
            "generating": body.generating,
            "sim_number": None,
            "customer_id": None,
            "created_at": stamp,
            "updated_at": stamp,
        }

    def create(self, who: Principal, body: MeterCreate) -> dict[str, Any]:
        self._check_area(body.area_id)
        self._check_profile(body.device_profile)
        self._check_title(body.meter_number, body.security)
        doc = self.meters.insert(self.new_doc(body))
        self.meters.commissioned([doc["_id"]])
        self.audit.record(who, "create", "meter", doc["_id"], after=doc)
        return self._views([doc])[0]

    def update(self, who: Principal, meter_number: str, body: MeterUpdate) -> dict[str, Any]:
        before = require(self.meters.get(meter_number), "meter", meter_number)
        fields = body.model_dump(exclude_unset=True)
        for required in ("concentrator_id", "meter_type", "status", "generating"):
            if required in fields and fields[required] is None:
                raise invalid(required, "cannot be empty")
        if "area_id" in fields:
            self._check_area(fields["area_id"])
            if before.get("check_meter_of") and fields["area_id"] != before.get("area_id"):
                raise invalid("area_id", "this meter is its area's check meter; choose another one there first")
        if "device_profile" in fields:
            self._check_profile(fields["device_profile"])
        unset = []
        if "security" in fields:
            self._check_title(meter_number, body.security)
            if self._new_keys(before, body.security):
                unset.append("invocation_counters")  # frame counters belong to keys: new keys count afresh
            fields["security"] = self.sealed(meter_number, body.security)
        after = require(self.meters.update(meter_number, fields, unset), "meter", meter_number)
        if "area_id" in fields and fields["area_id"] != before.get("area_id"):
            self._area_moved(after)
        self.audit.record(who, "update", "meter", meter_number, before=before, after=after)
        return self._views([after])[0]

    def _area_moved(self, meter: dict[str, Any]) -> None:
        if meter.get("sim_number"):
            self.sims.update(meter["sim_number"], {"area_id": meter.get("area_id")})
        if meter.get("customer_id"):
            refresh_customer_areas(self.customers, self.meters, meter["customer_id"])

    def delete(self, who: Principal, meter_number: str) -> None:
        before = require(self.meters.get(meter_number), "meter", meter_number)
        if before.get("check_meter_of"):
            raise Conflict(f"meter '{meter_number}' is its area's check meter; choose another one there first")
        if before.get("customer_id"):
            customer = self.customers.get(before["customer_id"]) or {}
            raise Conflict(
                f"meter '{meter_number}' is assigned to customer '{customer.get('name', before['customer_id'])}'; "
                "unassign it first"
            )
        if before.get("sim_number"):
            self.sims.update(before["sim_number"], {"meter_number": None, "area_id": None})
        self.meters.delete(meter_number)
        self.audit.record(who, "delete", "meter", meter_number, before=before)


def security_view(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    if not stored:
        return None
    return {"authentication": stored.get("authentication"), "system_title": stored.get("system_title"),
            "secrets_stored": any(stored.get(k) for k in ("password", "block_cipher_key", "authentication_key"))}


def refresh_customer_areas(customers: CustomerRepository, meters: MeterRepository, customer_id: str) -> None:
    """A customer's areas are those of its meters (denormalised for the area filter)."""
    customer = customers.get(customer_id)
    if customer:
        docs = meters.get_many(customer.get("meter_numbers", []))
        customers.update(customer_id, {"area_ids": sorted({d["area_id"] for d in docs.values() if d.get("area_id")})})

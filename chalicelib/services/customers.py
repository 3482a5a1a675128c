"""Customers: the people and businesses meters are assigned to."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from chalicelib.adapters.repositories import (
    CustomerRepository,
    MeterRepository,
    SimRepository,
    UserRepository,
    now,
)
from chalicelib.domain.models import CustomerCreate, CustomerUpdate
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services.common import ListQuery, and_, page_of, public, require, search
from chalicelib.services.context import Auditor, Principal

EXPORT_HEADERS = ["Customer Name", "Address", "Phone No", "Meter Number", "Sim Number", "Created At"]
Problem = tuple[str, str]  # (field, message)


def customer_view(doc: dict[str, Any]) -> dict[str, Any]:
    return public(doc)


class CustomerService:
    def __init__(
        self,
        customers: CustomerRepository,
        meters: MeterRepository,
        sims: SimRepository,
        users: UserRepository,
        audit: Auditor,
    ) -> None:
        self.customers = customers
        self.meters = meters
        self.sims = sims
        self.users = users
        self.audit = audit

    # --- reading -------------------------------------------------------------------------------
    def _query(self, who: Principal, query: ListQuery) -> dict[str, Any]:
        return and_(
            {"_id": who.customer_id or "-"} if who.is_customer else {},
            {"area_ids": query.area} if query.area else {},
            search(query.q, ["name", "address", "phone", "meter_numbers", "sim_number"]),
        )

    def find(self, who: Principal, query: ListQuery) -> dict[str, Any]:
        docs, total = self.customers.page(self._query(who, query), query.sort, query.page, query.page_size)
        return page_of([customer_view(d) for d in docs], total, query)

    def get(self, who: Principal, customer_id: str) -> dict[str, Any]:
        doc = self.customers.get(customer_id)
        if doc is None or (who.is_customer and who.customer_id != customer_id):
            raise NotFound(f"customer '{customer_id}' does not exist")
        return customer_view(doc)

    def export_rows(self, who: Principal, query: ListQuery) -> Iterator[list[Any]]:
        for d in self.customers.iterate(self._query(who, query), query.sort):
            yield [d["name"], d["address"], d["phone"], d["meter_numbers"], d.get("sim_number"), d["created_at"]]

    # --- assignment rules (shared with the CSV import) -----------------------------------------
    def assignment_problems(
        self,
        meter_numbers: list[str],
        sim_number: str | None,
        customer_id: str | None = None,
        meters: dict[str, dict[str, Any]] | None = None,
        sims: dict[str, dict[str, Any]] | None = None,
        sim_owners: dict[str, str] | None = None,
    ) -> list[Problem]:
        """Why these meters and this SIM cannot go to this customer (empty when they can)."""
        meters = meters if meters is not None else self.meters.get_many(meter_numbers)
        problems: list[Problem] = []
        if len(set(meter_numbers)) != len(meter_numbers):
            problems.append(("meter_numbers", "a meter is listed twice"))
        for number in meter_numbers:
            meter = meters.get(number)
            if meter is None:
                problems.append(("meter_numbers", f"unknown meter '{number}'"))
            elif meter.get("customer_id") and meter["customer_id"] != customer_id:
                owner = self.customers.get(meter["customer_id"]) or {}
                problems.append(
                    (
                        "meter_numbers",
                        f"meter '{number}' is already assigned to '{owner.get('name', meter['customer_id'])}'",
                    )
                )
        if sim_number:
            sim = (sims if sims is not None else self.sims.get_many([sim_number])).get(sim_number)
            owner_id = (
                (sim_owners or {}).get(sim_number)
                if sim_owners is not None
                else (self.customers.by_sim(sim_number) or {}).get("_id")
            )
            if sim is None:
                problems.append(("sim_number", f"unknown SIM '{sim_number}'"))
            elif owner_id and owner_id != customer_id:
                problems.append(("sim_number", f"SIM '{sim_number}' already belongs to another customer"))
            elif sim.get("meter_number") and sim["meter_number"] not in meter_numbers:
                problems.append(
                    (
                        "sim_number",
                        f"SIM '{sim_number}' is in meter '{sim['meter_number']}', "
                        "which is not one of this customer's meters",
                    )
                )
        return problems

    def _raise(self, problems: list[Problem]) -> None:
        if problems:
            raise ValidationFailed("; ".join(m for _, m in problems), [{"field": f, "message": m} for f, m in problems])

    def new_doc(self, body: CustomerCreate, meters: dict[str, dict[str, Any]]) -> dict[str, Any]:
        stamp = now()
        return {
            "_id": uuid.uuid4().hex[:12],
            "name": body.name,
            "address": body.address,
            "phone": body.phone,
            "meter_numbers": list(body.meter_numbers),
            "sim_number": body.sim_number,
            "area_ids": sorted({m["area_id"] for m in meters.values() if m.get("area_id")}),
            "created_at": stamp,
            "updated_at": stamp,
        }

    def assign(self, customer: dict[str, Any], released: list[str] | None = None) -> None:
        """Point meters and SIM at the customer: meters leave the warehouse, a loose SIM joins a meter."""
        if released:
            self.meters.set_many(list(released), {"customer_id": None})
        numbers = customer["meter_numbers"]
        self.meters.col.update_many(
            {"_id": {"$in": numbers}, "status": "warehouse"}, {"$set": {"status": "installed", "updated_at": now()}}
        )
        self.meters.set_many(numbers, {"customer_id": customer["_id"]})
        sim_number = customer.get("sim_number")
        sim = self.sims.get(sim_number) if sim_number else None
        if sim and not sim.get("meter_number"):
            meters = self.meters.get_many(numbers)
            free = next((n for n in numbers if not meters.get(n, {}).get("sim_number")), None)
            if free:
                self.sims.update(sim["_id"], {"meter_number": free, "area_id": meters[free].get("area_id")})
                self.meters.update(free, {"sim_number": sim["_id"]})

    # --- writing -------------------------------------------------------------------------------
    def create(self, who: Principal, body: CustomerCreate) -> dict[str, Any]:
        meters = self.meters.get_many(body.meter_numbers)
        self._raise(self.assignment_problems(list(body.meter_numbers), body.sim_number, meters=meters))
        doc = self.customers.insert(self.new_doc(body, meters))
        self.assign(doc)
        self.audit.record(who, "create", "customer", doc["_id"], after=doc)
        return customer_view(doc)

    def update(self, who: Principal, customer_id: str, body: CustomerUpdate) -> dict[str, Any]:
        before = require(self.customers.get(customer_id), "customer", customer_id)
        fields = body.model_dump(exclude_unset=True)
        for required in ("name", "address", "phone", "meter_numbers"):
            if required in fields and fields[required] is None:
                self._raise([(required, "cannot be empty")])
        numbers = fields.get("meter_numbers", before["meter_numbers"])
        sim_number = fields.get("sim_number", before.get("sim_number"))
        meters = self.meters.get_many(numbers)
        self._raise(self.assignment_problems(numbers, sim_number, customer_id, meters=meters))
        if "meter_numbers" in fields:
            fields["area_ids"] = sorted({m["area_id"] for m in meters.values() if m.get("area_id")})
        after = require(self.customers.update(customer_id, fields), "customer", customer_id)
        self.assign(after, released=[n for n in before["meter_numbers"] if n not in numbers])
        self.audit.record(who, "update", "customer", customer_id, before=before, after=after)
        return customer_view(after)

    def delete(self, who: Principal, customer_id: str) -> None:
        before = require(self.customers.get(customer_id), "customer", customer_id)
        users = self.users.linked_to_customer(customer_id)
        if users:
            raise Conflict(f"user '{users[0]['_id']}' logs in as this customer; delete or relink the user first")
        self.meters.set_many(before["meter_numbers"], {"customer_id": None})
        self.customers.delete(customer_id)
        self.audit.record(who, "delete", "customer", customer_id, before=before)

    def exists(self, customer_id: str) -> bool:
        return self.customers.get(customer_id) is not None

    def require_exists(self, customer_id: str, field: str = "customer_id") -> None:
        if not self.exists(customer_id):
            raise ValidationFailed(
                f"unknown customer '{customer_id}'", [{"field": field, "message": f"unknown customer '{customer_id}'"}]
            )

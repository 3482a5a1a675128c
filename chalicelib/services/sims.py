"""SIM cards: the meter's modem address (IP:port) the HES can dial."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chalicelib.adapters.repositories import CustomerRepository, MeterRepository, SimRepository, now
from chalicelib.domain.models import SimCreate, SimUpdate
from chalicelib.errors import Conflict
from chalicelib.services.common import ListQuery, and_, invalid, page_of, public, require, search
from chalicelib.services.context import Auditor, Principal

EXPORT_HEADERS = ["Sim Number", "IP Address", "Port", "Meter Number", "Created At"]


def sim_view(doc: dict[str, Any]) -> dict[str, Any]:
    return public(doc, "sim_number")


class SimService:
    def __init__(
        self, sims: SimRepository, meters: MeterRepository, customers: CustomerRepository, audit: Auditor
    ) -> None:
        self.sims = sims
        self.meters = meters
        self.customers = customers
        self.audit = audit

    def _query(self, query: ListQuery) -> dict[str, Any]:
        return and_(
            {"area_id": query.area} if query.area else {},
            {"meter_number": None} if query.filter("unassigned") in ("true", "1") else {},
            search(query.q, ["_id", "ip_address", "meter_number"]),
        )

    def find(self, query: ListQuery) -> dict[str, Any]:
        docs, total = self.sims.page(self._query(query), query.sort, query.page, query.page_size)
        return page_of([sim_view(d) for d in docs], total, query)

    def get(self, sim_number: str) -> dict[str, Any]:
        return sim_view(require(self.sims.get(sim_number), "SIM card", sim_number))

    def export_rows(self, query: ListQuery) -> Iterator[list[Any]]:
        for d in self.sims.iterate(self._query(query), query.sort):
            yield [d["_id"], d["ip_address"], d["port"], d.get("meter_number"), d["created_at"]]

    def check_meter_free(self, meter_number: str, sim_number: str, field: str = "meter_number") -> dict[str, Any]:
        meter = self.meters.get(meter_number)
        if meter is None:
            raise invalid(field, f"unknown meter '{meter_number}'")
        if meter.get("sim_number") and meter["sim_number"] != sim_number:
            raise invalid(field, f"meter '{meter_number}' already uses SIM '{meter['sim_number']}'")
        return meter

    @staticmethod
    def new_doc(body: SimCreate, area_id: str | None) -> dict[str, Any]:
        stamp = now()
        return {
            "_id": body.sim_number, "ip_address": body.ip_address, "port": body.port,
            "meter_number": body.meter_number, "area_id": area_id, "created_at": stamp, "updated_at": stamp,
        }

    def create(self, who: Principal, body: SimCreate) -> dict[str, Any]:
        meter = self.check_meter_free(body.meter_number, body.sim_number) if body.meter_number else None
        doc = self.sims.insert(self.new_doc(body, meter.get("area_id") if meter else None))
        if meter:
            self.meters.update(meter["_id"], {"sim_number": doc["_id"]})
        self.audit.record(who, "create", "sim", doc["_id"], after=doc)
        return sim_view(doc)

    def update(self, who: Principal, sim_number: str, body: SimUpdate) -> dict[str, Any]:
        before = require(self.sims.get(sim_number), "SIM card", sim_number)
        fields = body.model_dump(exclude_unset=True)
        for required in ("ip_address", "port"):
            if required in fields and fields[required] is None:
                raise invalid(required, "cannot be empty")
        relink = "meter_number" in fields and fields["meter_number"] != before.get("meter_number")
        if relink and fields["meter_number"]:
            meter = self.check_meter_free(fields["meter_number"], sim_number)
            fields["area_id"] = meter.get("area_id")
        elif relink:
            fields["area_id"] = None
        after = require(self.sims.update(sim_number, fields), "SIM card", sim_number)
        if relink:
            if before.get("meter_number"):
                self.meters.update(before["meter_number"], {"sim_number": None})
            if after.get("meter_number"):
                self.meters.update(after["meter_number"], {"sim_number": sim_number})
        self.audit.record(who, "update", "sim", sim_number, before=before, after=after)
        return sim_view(after)

    def delete(self, who: Principal, sim_number: str) -> None:
        before = require(self.sims.get(sim_number), "SIM card", sim_number)
        customer = self.customers.by_sim(sim_number)
        if customer:
            raise Conflict(f"SIM '{sim_number}' belongs to customer '{customer['name']}'; change the customer first")
        if before.get("meter_number"):
            self.meters.update(before["meter_number"], {"sim_number": None})
        self.sims.delete(sim_number)
        self.audit.record(who, "delete", "sim", sim_number, before=before)

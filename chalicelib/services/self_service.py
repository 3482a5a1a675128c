"""The customer's own view: only the meters assigned to the customer record the user is linked to.

Every entry point takes the principal and resolves the meter through `_own`, so another customer's meter
(or a meter that does not exist) answers the same 404, and no staff service is reachable from here.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from chalicelib.adapters.repositories import now
from chalicelib.domain.events import FRAUD_LOG
from chalicelib.domain.jobs import CREDIT
from chalicelib.domain.presence import is_online
from chalicelib.domain.self_service import CUSTOMER_EVENT_TYPES
from chalicelib.errors import Forbidden, NotFound
from chalicelib.services.common import ListQuery, page_of
from chalicelib.services.consumption import ConsumptionService
from chalicelib.services.context import Principal
from chalicelib.services.exports import ExportService, Rendered
from chalicelib.services.ingest import obis_key
from chalicelib.services.jobs import JobService
from chalicelib.services.meters import MeterService

CONSUMPTION_PARAMS = ("granularity", "from", "to")


class SelfService:
    def __init__(self, db: Database, meters: MeterService, consumption: ConsumptionService, exports: ExportService,
                 jobs: JobService) -> None:
        self.events = db["events"]
        self.meters, self.energy, self.exports, self.jobs = meters, consumption, exports, jobs

    # --- whose meters ------------------------------------------------------------------------------
    def _customer(self, who: Principal) -> dict[str, Any]:
        if not who.is_customer or not who.customer_id:
            raise Forbidden("only a customer login has its own meters")
        customer = self.meters.customers.get(who.customer_id)
        if customer is None:
            raise NotFound("your customer record no longer exists; ask the utility")
        return customer

    def _own(self, who: Principal, meter_number: str) -> dict[str, Any]:
        """The meter when it is assigned to this customer; any other meter does not exist for them."""
        self._customer(who)
        doc = self.meters.meters.get(meter_number)
        if doc is None or doc.get("customer_id") != who.customer_id:
            raise NotFound(f"meter '{meter_number}' does not exist")
        return doc

    # --- meters and their state ----------------------------------------------------------------
    def meters_of(self, who: Principal) -> dict[str, Any]:
        customer = self._customer(who)
        found = self.meters.meters.get_many(customer.get("meter_numbers") or [])
        docs = sorted((d for d in found.values() if d.get("customer_id") == customer["_id"]), key=lambda d: d["_id"])
        return {"customer_id": customer["_id"], "customer_name": customer["name"], "items": self._views(docs)}

    def meter(self, who: Principal, meter_number: str) -> dict[str, Any]:
        return self._views([self._own(who, meter_number)])[0]

    def _views(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        areas = self.meters.areas.get_many(d["area_id"] for d in docs if d.get("area_id"))
        window, moment = self.meters.online_window_s(), now()
        credit_units: dict[str | None, tuple[bool, str | None]] = {}
        out = []
        for d in docs:
            profile = d.get("device_profile")
            if profile not in credit_units:
                credit_units[profile] = self._credit_object(profile)
            has_credit, unit = credit_units[profile]
            imported = (d.get("registers") or {}).get("import")
            out.append({
                "meter_number": d["_id"], "meter_type": d["meter_type"], "status": d["status"],
                "area_name": areas.get(d.get("area_id") or "", {}).get("name"),
                "online": is_online(d, window, moment), "last_seen": d.get("last_seen"),
                "relay_state": d.get("relay_state"), "relay_state_at": d.get("relay_state_at"),
                "has_credit": has_credit, "credit": _credit(d, unit) if has_credit else None,
                "import_kwh": round(imported / 1000, 3) if isinstance(imported, int | float) else None,
                "last_reading_at": d.get("last_reading_at"),
            })
        return out

    def _credit_object(self, profile_id: str | None) -> tuple[bool, str | None]:
        """Whether the meter's profile (or the default one) has the prepaid credit register, and its unit."""
        profile = (self.meters.profiles.get(profile_id) if profile_id else None) or self.meters.profiles.default()
        credit = next((o for o in (profile or {}).get("objects", [])
                       if o["obis"] == CREDIT and o["kind"] == "attribute" and o["index"] == 2), None)
        return credit is not None, (credit or {}).get("unit")

    # --- consumption -----------------------------------------------------------------------------
    def _consumption_params(self, meter_number: str, params: dict[str, str]) -> dict[str, str]:
        """Only the period may be chosen: the meter is the one in the path, never an area or another meter."""
        return {"meter": meter_number, **{k: params[k] for k in CONSUMPTION_PARAMS if params.get(k)}}

    def consumption(self, who: Principal, meter_number: str, params: dict[str, str]) -> dict[str, Any]:
        self._own(who, meter_number)
        report = self.energy.report(who, self._consumption_params(meter_number, params), rows=False)
        return {"meter_number": meter_number, **{k: report[k] for k in (
            "granularity", "from", "to", "timezone", "unit", "series", "totals")}}

    def consumption_file(self, who: Principal, meter_number: str, params: dict[str, str]) -> Rendered:
        self._own(who, meter_number)
        out = self.exports.render(who, "consumption", params.get("format"),
                                  self._consumption_params(meter_number, params))
        return Rendered(out.content, f"{meter_number}-{out.filename}", out.content_type)

    # --- token loads and events ------------------------------------------------------------------
    def tokens(self, who: Principal, meter_number: str, query: ListQuery) -> dict[str, Any]:
        self._own(who, meter_number)
        return self.jobs.token_history(who, meter_number, query)

    def events_of(self, who: Principal, meter_number: str, query: ListQuery) -> dict[str, Any]:
        """The meter's everyday events, newest first: never tamper, fraud-log or staff events."""
        self._own(who, meter_number)
        criteria = {"meter": meter_number, "type": {"$in": sorted(CUSTOMER_EVENT_TYPES)}, "tamper": {"$ne": True},
                    "log": {"$ne": FRAUD_LOG}}
        total = self.events.count_documents(criteria)
        docs = self.events.find(criteria, {"at": 1, "type": 1, "severity": 1}).sort([("at", -1), ("_id", 1)]).skip(
            (query.page - 1) * query.page_size).limit(query.page_size)
        return page_of([{"at": d["at"], "type": d["type"], "severity": d.get("severity", "info")} for d in docs],
                       total, query)


def _credit(meter: dict[str, Any], unit: str | None) -> dict[str, Any] | None:
    """The newer of the credit the meter pushed (its latest values) and the one last read back by a job."""
    found = []
    pushed = (meter.get("latest") or {}).get(obis_key(CREDIT)) or {}
    if isinstance(pushed.get("value"), int | float) and meter.get("last_reading_at"):
        found.append({"value": float(pushed["value"]), "unit": pushed.get("unit") or unit,
                      "at": meter["last_reading_at"]})
    if isinstance(meter.get("credit_value"), int | float) and meter.get("credit_at"):
        found.append({"value": float(meter["credit_value"]), "unit": meter.get("credit_unit") or unit,
                      "at": meter["credit_at"]})
    return max(found, key=lambda c: c["at"]) if found else None

"""All-or-nothing CSV imports of meters, SIM cards and customers.

Every row is checked (schema, duplicates inside the file, conflicts with the
database, references) before anything is written; one bad row means nothing is
written and the answer lists every problem with its row and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from chalicelib.domain import csv_import
from chalicelib.domain.csv_import import Column, ParsedRow
from chalicelib.domain.models import CustomerCreate, MeterCreate, SimCreate
from chalicelib.errors import PayloadTooLarge, ValidationFailed
from chalicelib.services.context import Auditor, Principal
from chalicelib.services.customers import CustomerService
from chalicelib.services.meters import MeterService
from chalicelib.services.sims import SimService

METER_COLUMNS = [
    Column("Meter Number", "meter_number", True, "04312000000"),
    Column("Concentrator ID", "concentrator_id", True, "DCU-0001"),
    Column("Meter Type", "meter_type", True, "Single Phase"),
    Column("Area", "area", False, "Industrial Park"),
    Column("Status", "status", False, "warehouse"),
    Column("Generating", "generating", False, "no"),
]
SIM_COLUMNS = [
    Column("Sim Number", "sim_number", True, "8923401000000000000"),
    Column("IP Address", "ip_address", True, "10.20.0.10"),
    Column("Port", "port", True, "4059"),
    Column("Meter Number", "meter_number", False, ""),
]
CUSTOMER_COLUMNS = [
    Column("Customer Name", "name", True, "Chukwuemeka Okafor"),
    Column("Address", "address", True, "10 Admiralty Way, Lekki, Lagos"),
    Column("Phone No", "phone", True, "+234 8076627625"),
    Column("Meter Number", "meter_numbers", True, "04312000000"),
    Column("Sim Number", "sim_number", True, "8923401000000000000"),
]
PREVIEW_ROWS = 20


@dataclass
class Checked:
    rows: list[tuple[ParsedRow, Any]]
    errors: list[dict[str, Any]]

    def add(self, row: int, field: str, message: str) -> None:
        self.errors.append({"row": row, "field": field, "message": message})


class ImportService:
    def __init__(
        self, meters: MeterService, sims: SimService, customers: CustomerService, audit: Auditor, max_bytes: int
    ) -> None:
        self.meters = meters
        self.sims = sims
        self.customers = customers
        self.audit = audit
        self.max_bytes = max_bytes
        self.columns = {"meters": METER_COLUMNS, "sims": SIM_COLUMNS, "customers": CUSTOMER_COLUMNS}

    def template(self, kind: str) -> str:
        return csv_import.template(self.columns[kind])

    def run(self, who: Principal, kind: str, data: bytes, dry_run: bool) -> dict[str, Any]:
        check: Callable[[list[ParsedRow]], Checked] = getattr(self, f"_check_{kind}")
        report, checked = checked_file(data, self.columns[kind], check, self.max_bytes, dry_run)
        if dry_run:
            return report
        created: int = getattr(self, f"_write_{kind}")(checked.rows)
        ids = [_key(model) for _, model in checked.rows]
        self.audit.record(who, "import", kind.rstrip("s"), None, after={"created": created, "ids": ids})
        return {**report, "created": created}

    # --- meters --------------------------------------------------------------------------------
    def _check_meters(self, rows: list[ParsedRow]) -> Checked:
        out = Checked([], [])
        areas = {a["name_key"]: a["_id"] for a in self.meters.areas.all()}
        seen: dict[str, int] = {}
        for row in rows:
            area_name = row.values.get("area", "")
            area_id = areas.get(area_name.lower()) if area_name else None
            status = row.values.get("status", "").lower() or "warehouse"
            model, errors = csv_import.to_model(row, MeterCreate, METER_COLUMNS, {"area_id": area_id, "status": status})
            out.errors += errors
            if area_name and area_id is None:
                out.add(row.row, "Area", f"unknown area '{area_name}'; create it first")
            _dedupe(out, row, "Meter Number", row.values["meter_number"], seen)
            if model is not None:
                out.rows.append((row, model))
        existing = self.meters.meters.get_many(m.meter_number for _, m in out.rows)
        for row, model in out.rows:
            if model.meter_number in existing:
                out.add(row.row, "Meter Number", f"meter '{model.meter_number}' already exists")
        return out

    def _write_meters(self, rows: list[tuple[ParsedRow, MeterCreate]]) -> int:
        created = self.meters.meters.insert_all([self.meters.new_doc(m) for _, m in rows])
        self.meters.meters.commissioned([m.meter_number for _, m in rows])
        return created

    # --- SIM cards -----------------------------------------------------------------------------
    def _check_sims(self, rows: list[ParsedRow]) -> Checked:
        out = Checked([], [])
        seen: dict[str, int] = {}
        seen_meters: dict[str, int] = {}
        for row in rows:
            model, errors = csv_import.to_model(row, SimCreate, SIM_COLUMNS)
            out.errors += errors
            _dedupe(out, row, "Sim Number", row.values["sim_number"], seen)
            _dedupe(out, row, "Meter Number", row.values.get("meter_number", ""), seen_meters)
            if model is not None:
                out.rows.append((row, model))
        existing = self.sims.sims.get_many(s.sim_number for _, s in out.rows)
        meters = self.sims.meters.get_many(s.meter_number for _, s in out.rows if s.meter_number)
        for row, sim in out.rows:
            if sim.sim_number in existing:
                out.add(row.row, "Sim Number", f"SIM '{sim.sim_number}' already exists")
            meter = meters.get(sim.meter_number) if sim.meter_number else None
            if sim.meter_number and meter is None:
                out.add(row.row, "Meter Number", f"unknown meter '{sim.meter_number}'")
            elif meter and meter.get("sim_number"):
                out.add(row.row, "Meter Number", f"meter '{sim.meter_number}' already uses SIM '{meter['sim_number']}'")
        return out

    def _write_sims(self, rows: list[tuple[ParsedRow, SimCreate]]) -> int:
        meters = self.sims.meters.get_many(s.meter_number for _, s in rows if s.meter_number)
        docs = [self.sims.new_doc(s, meters.get(s.meter_number or "", {}).get("area_id")) for _, s in rows]
        created = self.sims.sims.insert_all(docs)
        for _, sim in rows:
            if sim.meter_number:
                self.sims.meters.update(sim.meter_number, {"sim_number": sim.sim_number})
        return created

    # --- customers -----------------------------------------------------------------------------
    def _check_customers(self, rows: list[ParsedRow]) -> Checked:
        out = Checked([], [])
        seen_meters: dict[str, int] = {}
        seen_sims: dict[str, int] = {}
        for row in rows:
            numbers = [n.strip() for n in row.values["meter_numbers"].replace(",", ";").split(";") if n.strip()]
            model, errors = csv_import.to_model(row, CustomerCreate, CUSTOMER_COLUMNS, {"meter_numbers": numbers})
            out.errors += errors
            for number in numbers:
                _dedupe(out, row, "Meter Number", number, seen_meters)
            _dedupe(out, row, "Sim Number", row.values["sim_number"], seen_sims)
            if model is not None:
                out.rows.append((row, model))
        all_meters = self.customers.meters.get_many(n for _, c in out.rows for n in c.meter_numbers)
        sim_numbers = [c.sim_number for _, c in out.rows if c.sim_number]
        sims = self.customers.sims.get_many(sim_numbers)
        owners = {
            d["sim_number"]: d["_id"] for d in self.customers.customers.col.find({"sim_number": {"$in": sim_numbers}})
        }
        labels = {"meter_numbers": "Meter Number", "sim_number": "Sim Number"}
        for row, customer in out.rows:
            for field, message in self.customers.assignment_problems(
                customer.meter_numbers,
                customer.sim_number,
                meters=all_meters,
                sims=sims,
                sim_owners=owners,
            ):
                out.add(row.row, labels[field], message)
        return out

    def _write_customers(self, rows: list[tuple[ParsedRow, CustomerCreate]]) -> int:
        meters = self.customers.meters.get_many(n for _, c in rows for n in c.meter_numbers)
        docs = [self.customers.new_doc(c, {n: meters[n] for n in c.meter_numbers}) for _, c in rows]
        created = self.customers.customers.insert_all(docs)
        for doc in docs:
            self.customers.assign(doc)
        return created


def checked_file(
    data: bytes, columns: list[Column], check: Callable[[list[ParsedRow]], Checked], max_bytes: int, dry_run: bool
) -> tuple[dict[str, Any], Checked]:
    """Parse and check a whole file; a real run with any bad row raises and so writes nothing."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"the file is {len(data) / 1_048_576:.1f} MiB; imports are limited to "
            f"{max_bytes / 1_048_576:.1f} MiB — split it into smaller files"
        )
    parsed = csv_import.parse(data, columns)
    if not parsed.rows:
        raise ValidationFailed("the file has a header but no data rows")
    checked = check(parsed.rows)
    checked.errors.sort(key=lambda e: (e["row"], e["field"] or ""))
    bad = len({e["row"] for e in checked.errors})
    report = {
        "dry_run": dry_run, "total_rows": len(parsed.rows), "valid_rows": len(parsed.rows) - bad, "created": 0,
        "errors": checked.errors, "preview": [_preview(row, columns) for row, _ in checked.rows[:PREVIEW_ROWS]],
    }
    if checked.errors and not dry_run:
        raise ValidationFailed(f"{bad} row(s) have problems; nothing was imported", checked.errors)
    return report, checked


def _dedupe(out: Checked, row: ParsedRow, header: str, value: str, seen: dict[str, int]) -> None:
    if not value:
        return
    if value in seen:
        out.add(row.row, header, f"'{value}' is already used on row {seen[value]} of this file")
    else:
        seen[value] = row.row


def _preview(row: ParsedRow, columns: list[Column]) -> dict[str, Any]:
    """A valid row as the user wrote it, keyed by the file's column names."""
    return {c.header: row.values.get(c.field, "") for c in columns if row.values.get(c.field, "") or c.required}


def _key(model: BaseModel) -> str:
    for name in ("meter_number", "sim_number", "name"):
        if hasattr(model, name):
            return str(getattr(model, name))
    return ""

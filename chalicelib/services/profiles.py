"""Device profiles: create, edit, and fill from an "OBIS file" (all or nothing)."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from chalicelib.adapters.repositories import DeviceProfileRepository, MeterRepository, now
from chalicelib.domain import csv_import
from chalicelib.domain.csv_import import Column, ParsedRow
from chalicelib.domain.profiles import (
    CosemObject,
    DeviceProfileCreate,
    DeviceProfileUpdate,
    PushEntry,
    layout_problems,
)
from chalicelib.errors import Conflict, ValidationFailed
from chalicelib.services.common import ListQuery, page_of, public, require, search
from chalicelib.services.context import Auditor, Principal
from chalicelib.services.imports import Checked, checked_file

OBJECT_COLUMNS = [
    Column("OBIS Code", "obis", True, "1.0.1.8.0.255"),
    Column("Class ID", "class_id", True, "3"),
    Column("Kind", "kind", False, "attribute"),
    Column("Index", "index", True, "2"),
    Column("Name", "name", True, "Active energy import (+A) total"),
    Column("Group", "group", False, "Energy"),
    Column("Unit", "unit", False, "kWh"),
    Column("Scaler", "scaler", False, "0.01"),
    Column("Access", "access", False, "R"),
    Column("Data Type", "data_type", False, "double-long-unsigned"),
]


DEFAULT_PROFILE_FILE = Path(__file__).resolve().parent.parent / "data" / "default_profile.csv"
DEFAULT_PUSH_LAYOUT: list[dict[str, Any]] = [  # what the simulated meters push, in order (simulator/README.md)
    {"position": 1, "obis": "0.0.96.1.0.255", "class_id": 1, "index": 2},
    {"position": 2, "obis": "0.0.1.0.0.255", "class_id": 8, "index": 2},
    {"position": 3, "obis": "1.0.1.8.0.255", "class_id": 3, "index": 2},
    {"position": 4, "obis": "1.0.2.8.0.255", "class_id": 3, "index": 2},
    {"position": 5, "obis": "1.0.32.7.0.255", "class_id": 3, "index": 2},
    {"position": 6, "obis": "1.0.31.7.0.255", "class_id": 3, "index": 2},
    {"position": 7, "obis": "1.0.1.7.0.255", "class_id": 3, "index": 2},
]


def _key(brand: str, model: str) -> str:
    return f"{brand.strip().lower()}|{model.strip().lower()}"


class ProfileService:
    def __init__(self, profiles: DeviceProfileRepository, meters: MeterRepository, audit: Auditor,
                 max_bytes: int) -> None:
        self.profiles = profiles
        self.meters = meters
        self.audit = audit
        self.max_bytes = max_bytes

    def _view(self, doc: dict[str, Any], meter_count: int | None = None) -> dict[str, Any]:
        if meter_count is None:
            meter_count = self.meters.count_where("device_profile", doc["_id"])
        view = public(doc)
        view.pop("key", None)
        return {**view, "meter_count": meter_count}

    def find(self, query: ListQuery) -> dict[str, Any]:
        docs, total = self.profiles.page(search(query.q, ["brand", "model", "meter_type"]), query.sort,
                                         query.page, query.page_size)
        counts = self.meters.count_by("device_profile")
        return page_of([self._view(d, counts.get(d["_id"], 0)) for d in docs], total, query)

    def ensure_default(self, who: Principal) -> None:
        """The profile meters without one use: the simulated meter's objects, itself just an OBIS file."""
        if self.profiles.default() is not None:
            return
        _, checked = checked_file(DEFAULT_PROFILE_FILE.read_bytes(), OBJECT_COLUMNS, _check_objects,
                                  self.max_bytes, dry_run=False)
        objects = [o for _, o in checked.rows]
        layout = [PushEntry(**e) for e in DEFAULT_PUSH_LAYOUT]
        assert not layout_problems(objects, layout), layout_problems(objects, layout)
        self.create(who, DeviceProfileCreate(brand="HES Core", model="Simulated single-phase meter",
                                             meter_type="Single Phase"),
                    [o.model_dump() for o in objects], [e.model_dump() for e in layout], is_default=True)

    def get(self, profile_id: str) -> dict[str, Any]:
        return self._view(require(self.profiles.get(profile_id), "device profile", profile_id))

    def create(self, who: Principal, body: DeviceProfileCreate, objects: list[dict[str, Any]] | None = None,
               push_layout: list[dict[str, Any]] | None = None, is_default: bool = False) -> dict[str, Any]:
        stamp = now()
        doc: dict[str, Any] = {
            "_id": uuid.uuid4().hex[:12], "key": _key(body.brand, body.model), "brand": body.brand,
            "model": body.model, "meter_type": body.meter_type, "objects": objects or [],
            "push_layout": push_layout or [], "is_default": is_default, "created_at": stamp, "updated_at": stamp,
        }
        self.profiles.insert(doc)
        self.audit.record(who, "create", "device_profile", doc["_id"], after=doc)
        return self._view(doc, 0)

    def update(self, who: Principal, profile_id: str, body: DeviceProfileUpdate) -> dict[str, Any]:
        before = require(self.profiles.get(profile_id), "device profile", profile_id)
        fields = body.model_dump(exclude_unset=True, exclude={"objects", "push_layout"})
        for required in ("brand", "model"):
            if required in fields and fields[required] is None:
                raise ValidationFailed(f"{required} cannot be empty", [{"field": required, "message": "is required"}])
        if "brand" in fields or "model" in fields:
            fields["key"] = _key(fields.get("brand", before["brand"]), fields.get("model", before["model"]))
        objects = body.objects if body.objects is not None else [CosemObject(**o) for o in before["objects"]]
        if body.objects is not None:
            _check_unique(objects)
            fields["objects"] = [o.model_dump() for o in objects]
        if body.push_layout is not None or body.objects is not None:
            entries = body.push_layout if body.push_layout is not None else [
                PushEntry(**e) for e in before["push_layout"]]
            problems = layout_problems(objects, entries)
            if problems:
                raise ValidationFailed("; ".join(problems), [{"field": "push_layout", "message": p} for p in problems])
            fields["push_layout"] = [e.model_dump() for e in entries]
        after = require(self.profiles.update(profile_id, fields), "device profile", profile_id)
        self.audit.record(who, "update", "device_profile", profile_id, before=before, after=after)
        return self._view(after)

    def delete(self, who: Principal, profile_id: str) -> None:
        before = require(self.profiles.get(profile_id), "device profile", profile_id)
        if before.get("is_default"):
            raise Conflict("the default profile serves every meter without a profile of its own; it cannot be deleted")
        used = self.meters.count_where("device_profile", profile_id)
        if used:
            raise Conflict(f"{used} meter(s) use this profile; give them another profile first")
        self.profiles.delete(profile_id)
        self.audit.record(who, "delete", "device_profile", profile_id, before=before)

    # --- OBIS file -------------------------------------------------------------------------------
    def import_objects(self, who: Principal, profile_id: str, data: bytes, dry_run: bool) -> dict[str, Any]:
        """The file becomes the profile's object list; the push layout must still fit it."""
        before = require(self.profiles.get(profile_id), "device profile", profile_id)
        report, checked = checked_file(data, OBJECT_COLUMNS, _check_objects, self.max_bytes, dry_run)
        if dry_run:
            return report
        objects = [o.model_dump() for _, o in checked.rows]
        problems = layout_problems([o for _, o in checked.rows], [PushEntry(**e) for e in before["push_layout"]])
        if problems:
            raise ValidationFailed("the profile's push layout no longer fits: " + "; ".join(problems),
                                   [{"field": "push_layout", "message": p} for p in problems])
        after = require(self.profiles.update(profile_id, {"objects": objects}), "device profile", profile_id)
        self.audit.record(who, "import_objects", "device_profile", profile_id,
                          before={"objects": len(before["objects"])}, after={"objects": len(objects)})
        return {**report, "created": len(after["objects"])}


def _check_objects(rows: list[ParsedRow]) -> Checked:
    out = Checked([], [])
    seen: dict[tuple[str, str, int], int] = {}
    for row in rows:
        extra = {"kind": row.values.get("kind", "").lower() or "attribute",
                 "access": row.values.get("access", "").upper() or None}
        if extra["access"] is None:
            extra.pop("access")
        model, errors = csv_import.to_model(row, CosemObject, OBJECT_COLUMNS, extra)
        out.errors += errors
        if isinstance(model, CosemObject):
            if model.key in seen:
                out.add(row.row, "OBIS Code",
                        f"{model.obis} {model.kind} {model.index} is already on row {seen[model.key]}")
            else:
                seen[model.key] = row.row
                out.rows.append((row, model))
    return out


def _check_unique(objects: list[CosemObject]) -> None:
    seen: set[tuple[str, str, int]] = set()
    for i, obj in enumerate(objects):
        if obj.key in seen:
            raise ValidationFailed(f"objects[{i}]: {obj.obis} {obj.kind} {obj.index} is listed twice",
                                   [{"field": f"objects.{i}", "message": "listed twice"}])
        seen.add(obj.key)

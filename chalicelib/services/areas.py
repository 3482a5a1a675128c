"""Areas: the grouping every list, report and filter is organised by."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from chalicelib.adapters.repositories import AreaRepository, MeterRepository, now
from chalicelib.domain.models import AreaCreate, AreaUpdate
from chalicelib.errors import Conflict
from chalicelib.services.common import ListQuery, invalid, page_of, public, require, search
from chalicelib.services.context import Auditor, Principal

CheckMeterMoved = Callable[[str, str | None, str | None], None]  # (area, old check meter, new check meter)


class AreaService:
    def __init__(self, areas: AreaRepository, meters: MeterRepository, audit: Auditor,
                 check_meter_moved: CheckMeterMoved | None = None) -> None:
        self.areas = areas
        self.meters = meters
        self.audit = audit
        self.check_meter_moved = check_meter_moved

    def _view(self, doc: dict[str, Any], counts: dict[str | None, int]) -> dict[str, Any]:
        return {**public(doc), "meter_count": counts.get(doc["_id"], 0)}

    def find(self, query: ListQuery) -> dict[str, Any]:
        docs, total = self.areas.page(search(query.q, ["name", "description"]), query.sort, query.page, query.page_size)
        counts = self.meters.count_by("area_id")
        return page_of([self._view(d, counts) for d in docs], total, query)

    def get(self, area_id: str) -> dict[str, Any]:
        doc = require(self.areas.get(area_id), "area", area_id)
        return self._view(doc, {area_id: self.meters.count_where("area_id", area_id)})

    def create(self, who: Principal, body: AreaCreate) -> dict[str, Any]:
        stamp = now()
        doc: dict[str, Any] = {
            "_id": uuid.uuid4().hex[:12], "name": body.name, "name_key": body.name.lower(),
            "description": body.description, "created_at": stamp, "updated_at": stamp,
        }
        self.areas.insert(doc)
        self.audit.record(who, "create", "area", doc["_id"], after=doc)
        return self._view(doc, {})

    def update(self, who: Principal, area_id: str, body: AreaUpdate) -> dict[str, Any]:
        before = require(self.areas.get(area_id), "area", area_id)
        fields = body.model_dump(exclude_unset=True)
        if fields.get("name"):
            fields["name_key"] = fields["name"].lower()
        elif "name" in fields:
            fields.pop("name")
        if body.supply is not None:
            self._check_meter(area_id, body.supply.check_meter)
            fields["supply"] = body.supply.model_dump()  # stored whole, defaults included
        after = require(self.areas.update(area_id, fields), "area", area_id)
        if "supply" in fields and self.check_meter_moved:
            self.check_meter_moved(area_id, (before.get("supply") or {}).get("check_meter"),
                                   (after.get("supply") or {}).get("check_meter"))
        self.audit.record(who, "update", "area", area_id, before=before, after=after)
        return self._view(after, {area_id: self.meters.count_where("area_id", area_id)})

    def _check_meter(self, area_id: str, number: str) -> None:
        meter = self.meters.get(number)
        if meter is None:
            raise invalid("supply.check_meter", f"unknown meter '{number}'")
        if meter.get("area_id") != area_id:
            raise invalid("supply.check_meter", f"meter '{number}' is not in this area")

    def delete(self, who: Principal, area_id: str) -> None:
        before = require(self.areas.get(area_id), "area", area_id)
        in_use = self.meters.count_where("area_id", area_id)
        if in_use:
            raise Conflict(f"area '{before['name']}' still has {in_use} meter(s); move or delete them first")
        self.areas.delete(area_id)
        self.audit.record(who, "delete", "area", area_id, before=before)

"""System settings, kept as one document."""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from chalicelib.adapters.repositories import now
from chalicelib.domain.system import SystemSettings
from chalicelib.services.context import Auditor, Principal

_ID = "system"


class SystemService:
    def __init__(self, db: Database, audit: Auditor) -> None:
        self.col = db["settings"]
        self.audit = audit

    def get(self) -> dict[str, Any]:
        stored = self.col.find_one({"_id": _ID}) or {}
        return SystemSettings(**{k: v for k, v in stored.items() if k in SystemSettings.model_fields}).model_dump()

    def put(self, who: Principal, body: SystemSettings) -> dict[str, Any]:
        before = self.get()
        after = body.model_dump()
        self.col.update_one({"_id": _ID}, {"$set": {**after, "updated_at": now()}}, upsert=True)
        self.audit.record(who, "update", "settings", _ID, before=before, after=after)
        return after

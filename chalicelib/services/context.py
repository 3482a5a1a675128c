"""Who is acting, and the audit trail every write leaves behind."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.adapters.repositories import AuditRepository, now
from chalicelib.domain.permissions import ROLE_PERMISSIONS


@dataclass(frozen=True)
class Principal:
    username: str
    role: str
    customer_id: str | None = None

    @property
    def is_customer(self) -> bool:
        return self.role == "customer"

    @property
    def permissions(self) -> list[str]:
        return sorted(ROLE_PERMISSIONS.get(self.role, ()))


SYSTEM = Principal(username="system", role="admin")
_SECRET_FIELDS = {"password_hash", "password"}
_METER_SECRETS = {"password", "block_cipher_key", "authentication_key"}


def _plain(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key in _SECRET_FIELDS:
            continue
        if key == "security" and isinstance(value, dict):  # sealed meter secrets: say only that they are set
            value = {k: ("(set)" if v and k in _METER_SECRETS else v) for k, v in value.items()}
        out[key] = value.isoformat() if isinstance(value, datetime) else value
    return out


class Auditor:
    def __init__(self, repo: AuditRepository) -> None:
        self.repo = repo

    def record(
        self,
        who: Principal,
        action: str,
        entity: str,
        entity_id: str | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self.repo.insert({
            "_id": uuid.uuid4().hex,
            "at": now(),
            "username": who.username,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": _plain(before),
            "after": _plain(after),
        })

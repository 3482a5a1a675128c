"""Small helpers shared by the master-data services."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.adapters.repositories import contains
from chalicelib.errors import NotFound, ValidationFailed

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class ListQuery:
    q: str | None = None
    area: str | None = None
    page: int = 1
    page_size: int = 25
    sort: str | None = None
    filters: tuple[tuple[str, str], ...] = ()

    def filter(self, name: str) -> str | None:
        return dict(self.filters).get(name)


def search(q: str | None, fields: list[str]) -> dict[str, Any]:
    if not q or not q.strip():
        return {}
    return {"$or": [{f: contains(q.strip())} for f in fields]}


def and_(*parts: dict[str, Any]) -> dict[str, Any]:
    parts_ = [p for p in parts if p]
    if not parts_:
        return {}
    return parts_[0] if len(parts_) == 1 else {"$and": parts_}


def page_of(items: list[dict[str, Any]], total: int, query: ListQuery) -> dict[str, Any]:
    return {"items": items, "total": total, "page": query.page, "page_size": query.page_size}


def require(doc: dict[str, Any] | None, what: str, key: str) -> dict[str, Any]:
    if doc is None:
        raise NotFound(f"{what} '{key}' does not exist")
    return doc


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", [{"field": field, "message": message}])


def public(doc: dict[str, Any], id_field: str = "id") -> dict[str, Any]:
    """A stored document as the API shows it: `_id` renamed, internal fields dropped."""
    out = {k: v for k, v in doc.items() if not k.startswith("_") and k not in ("name_key",)}
    out[id_field] = doc["_id"]
    return out

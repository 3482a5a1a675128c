"""MongoDB repositories: the only code that builds queries."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from chalicelib.errors import BadRequest, Conflict

Doc = dict[str, Any]


def now() -> datetime:
    """UTC now at millisecond precision, exactly what MongoDB stores and returns."""
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def is_duplicate_key(exc: OperationFailure) -> bool:
    """MongoDB says 11000; FerretDB's SQLite backend says code 1 "UNIQUE constraint failed" on updates."""
    return exc.code == 11000 or (exc.code == 1 and "UNIQUE constraint" in str(exc))


def contains(text: str) -> dict[str, str]:
    """A case-insensitive substring match with the user's text taken literally."""
    return {"$regex": re.escape(text), "$options": "i"}


ID_CHUNK = 4000  # the embedded FerretDB answers `_id` $in from its index up to 5,000 values


def find_ids(col: Collection, ids: Iterable[str], projection: dict[str, Any] | None = None,
             parallel: int = 1) -> Iterator[Doc]:
    """The documents with these `_id`s, looked up in index-sized chunks. With `parallel` > 1 the keys are
    split into that many lookups run at once (for many large documents: the server decodes them on
    several cores while the client decodes the ones already received)."""
    keys = list(dict.fromkeys(ids))
    size = min(ID_CHUNK, max(50, -(-len(keys) // max(parallel, 1))))
    chunks = [keys[n:n + size] for n in range(0, len(keys), size)]
    if parallel <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield from col.find({"_id": {"$in": chunk}}, projection)
        return
    with ThreadPoolExecutor(max_workers=min(parallel, len(chunks))) as pool:
        for docs in pool.map(lambda chunk: list(col.find({"_id": {"$in": chunk}}, projection)), chunks):
            yield from docs


STRING_IDS: Doc = {"_id": {"$type": "string"}}


class Repository:
    collection_name = ""
    # API sort name -> stored field; the first entry is the default sort
    sort_fields: dict[str, str] = {"id": "_id"}
    conflict_message = "already exists"

    def __init__(self, db: Database) -> None:
        self.col = db[self.collection_name]

    def get(self, key: str) -> Doc | None:
        return self.col.find_one({"_id": key})

    def get_many(self, keys: Iterable[str]) -> dict[str, Doc]:
        return {d["_id"]: d for d in find_ids(self.col, keys)}

    def insert(self, doc: Doc) -> Doc:
        try:
            self.col.insert_one(doc)
        except DuplicateKeyError:
            raise Conflict(self.conflict_message) from None
        return doc

    def insert_all(self, docs: list[Doc]) -> int:
        """Insert every document or none: a failure part-way removes what was written."""
        if not docs:
            return 0
        try:
            return len(self.col.insert_many(docs, ordered=True).inserted_ids)
        except BulkWriteError as exc:
            written = exc.details.get("nInserted", 0)
            self.col.delete_many({"_id": {"$in": [d["_id"] for d in docs[:written]]}})
            raise Conflict(f"{self.conflict_message} (written concurrently); nothing was imported") from None

    def update(self, key: str, fields: Doc, unset: Iterable[str] = ()) -> Doc | None:
        change: Doc = {"$set": {**fields, "updated_at": now()}}
        unset = list(unset)
        if unset:
            change["$unset"] = {f: "" for f in unset}
        try:
            return self.col.find_one_and_update({"_id": key}, change, return_document=ReturnDocument.AFTER)
        except OperationFailure as exc:
            if is_duplicate_key(exc):
                raise Conflict(self.conflict_message) from None
            raise

    def delete(self, key: str) -> bool:
        return self.col.delete_one({"_id": key}).deleted_count == 1

    def _sort(self, sort: str | None) -> list[tuple[str, int]]:
        name = (sort or next(iter(self.sort_fields))).strip()
        direction = DESCENDING if name.startswith("-") else ASCENDING
        name = name.lstrip("-")
        if name not in self.sort_fields:
            raise BadRequest(
                f"cannot sort by '{name}'",
                [{"field": "sort", "message": "one of " + ", ".join(sorted(self.sort_fields))}],
            )
        field = self.sort_fields[name]
        return [(field, direction)] if field == "_id" else [(field, direction), ("_id", ASCENDING)]

    def page(self, query: Doc, sort: str | None, page: int, page_size: int) -> tuple[list[Doc], int]:
        total = self.col.count_documents(query)
        order = self._sort(sort)
        if order[0][0] == "_id":  # every key here is a string; saying so lets a server page in its own order
            query = {"$and": [query, STRING_IDS]} if query else STRING_IDS
        cursor = self.col.find(query).sort(order).skip((page - 1) * page_size).limit(page_size)
        return list(cursor), total

    def iterate(self, query: Doc, sort: str | None = None) -> Iterator[Doc]:
        return iter(self.col.find(query).sort(self._sort(sort)))


class AreaRepository(Repository):
    collection_name = "areas"
    sort_fields = {"name": "name_key", "created_at": "created_at", "updated_at": "updated_at"}
    conflict_message = "an area with this name already exists"

    def by_name(self, name: str) -> Doc | None:
        return self.col.find_one({"name_key": name.strip().lower()})

    def all(self) -> list[Doc]:
        return list(self.col.find({}).sort([("name_key", ASCENDING)]))


class MeterRepository(Repository):
    collection_name = "meters"
    sort_fields = {
        "meter_number": "_id", "concentrator_id": "concentrator_id", "meter_type": "meter_type",
        "status": "status", "area_id": "area_id", "created_at": "created_at", "updated_at": "updated_at",
    }
    conflict_message = "a meter with this number already exists"

    def count_by(self, field: str) -> dict[str | None, int]:
        """Meters per value of a field (area_id, device_profile), in one aggregation."""
        rows = self.col.aggregate([{"$group": {"_id": f"${field}", "n": {"$sum": 1}}}])
        return {r["_id"]: r["n"] for r in rows}

    def count_where(self, field: str, value: str) -> int:
        return self.col.count_documents({field: value})

    def commissioned(self, numbers: list[str]) -> None:
        """Meters now in the archive are no longer unregistered devices."""
        if numbers:
            self.col.database["unregistered_devices"].delete_many({"_id": {"$in": numbers}})

    def set_many(self, keys: list[str], fields: Doc) -> None:
        if keys:
            self.col.update_many({"_id": {"$in": keys}}, {"$set": {**fields, "updated_at": now()}})


class SimRepository(Repository):
    collection_name = "sims"
    sort_fields = {
        "sim_number": "_id", "ip_address": "ip_address", "port": "port", "meter_number": "meter_number",
        "created_at": "created_at", "updated_at": "updated_at",
    }
    conflict_message = "a SIM card with this number already exists"

    def by_meter(self, meter_number: str) -> Doc | None:
        return self.col.find_one({"meter_number": meter_number})

    def linked_to(self, meter_numbers: list[str]) -> dict[str, Doc]:
        if not meter_numbers:
            return {}
        return {d["meter_number"]: d for d in self.col.find({"meter_number": {"$in": meter_numbers}})}


class CustomerRepository(Repository):
    collection_name = "customers"
    sort_fields = {"name": "name", "phone": "phone", "created_at": "created_at", "updated_at": "updated_at"}
    conflict_message = "this customer already exists"

    def by_sim(self, sim_number: str) -> Doc | None:
        return self.col.find_one({"sim_number": sim_number})


class UserRepository(Repository):
    collection_name = "users"
    sort_fields = {"username": "_id", "role": "role", "created_at": "created_at", "last_login_at": "last_login_at"}
    conflict_message = "a user with this name already exists"

    def record_failure(self, username: str, lock_after: int, locked_until: datetime) -> Doc | None:
        doc = self.col.find_one_and_update(
            {"_id": username}, {"$inc": {"failed_logins": 1}}, return_document=ReturnDocument.AFTER
        )
        if doc and doc.get("failed_logins", 0) >= lock_after:
            self.col.update_one({"_id": username}, {"$set": {"locked_until": locked_until, "failed_logins": 0}})
        return doc

    def record_success(self, username: str) -> None:
        self.col.update_one(
            {"_id": username}, {"$set": {"failed_logins": 0, "last_login_at": now()}, "$unset": {"locked_until": ""}}
        )

    def linked_to_customer(self, customer_id: str) -> list[Doc]:
        return list(self.col.find({"customer_id": customer_id}))


class RefreshTokenRepository(Repository):
    collection_name = "refresh_tokens"

    def revoke(self, token_hash: str) -> Doc | None:
        return self.col.find_one_and_update(
            {"_id": token_hash, "revoked": False}, {"$set": {"revoked": True, "revoked_at": now()}}
        )

    def revoke_all(self, username: str) -> None:
        self.col.update_many({"username": username, "revoked": False}, {"$set": {"revoked": True, "revoked_at": now()}})


class AuditRepository(Repository):
    collection_name = "audit_log"
    sort_fields = {"at": "at", "username": "username", "entity": "entity", "action": "action"}



class DeviceProfileRepository(Repository):
    collection_name = "device_profiles"
    sort_fields = {"brand": "key", "created_at": "created_at", "updated_at": "updated_at"}
    conflict_message = "a profile for this brand and model already exists"

    def default(self) -> Doc | None:
        return self.col.find_one({"is_default": True})

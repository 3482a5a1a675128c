"""Many upserts at once: documents that do not exist yet are inserted in batches, the rest updated.

On MongoDB both are fast; on the embedded FerretDB an insert batch is one SQL transaction while
every upsert is a read-modify-write of its own, so bulk imports go several times faster this way.
The result is the same as running each change as an upsert with $inc / $set / $max / $setOnInsert.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo import UpdateOne
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

CHUNK = 1000


@dataclass
class Change:
    id: str
    inc: dict[str, Any] = field(default_factory=dict)
    set: dict[str, Any] = field(default_factory=dict)
    max: dict[str, Any] = field(default_factory=dict)
    on_insert: dict[str, Any] = field(default_factory=dict)

    def update(self) -> UpdateOne:
        doc: dict[str, Any] = {}
        for op, values in (("$inc", self.inc), ("$set", self.set), ("$max", self.max),
                           ("$setOnInsert", self.on_insert)):
            if values:
                doc[op] = values
        return UpdateOne({"_id": self.id}, doc, upsert=True)

    def new_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"_id": self.id}
        for values in (self.on_insert, self.set, self.max, self.inc):
            for path, value in values.items():
                _put(doc, path, value)
        return doc


def merge(changes: list[Change]) -> list[Change]:
    """One change per _id: increments add up, later $set values win, $max keeps the larger."""
    out: dict[str, Change] = {}
    for c in changes:
        into = out.get(c.id)
        if into is None:
            out[c.id] = Change(c.id, dict(c.inc), dict(c.set), dict(c.max), dict(c.on_insert))
            continue
        for k, v in c.inc.items():
            into.inc[k] = into.inc.get(k, 0) + v
        into.set.update(c.set)
        for k, v in c.max.items():
            into.max[k] = v if k not in into.max else max(into.max[k], v)
        for k, v in c.on_insert.items():
            into.on_insert.setdefault(k, v)
    return list(out.values())


def _put(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for name in parents:
        doc = doc.setdefault(name, {})
    doc[last] = value


def write(col: Collection, changes: list[Change]) -> None:
    """Apply the changes (one per _id) to the collection."""
    for n in range(0, len(changes), CHUNK):
        chunk = changes[n:n + CHUNK]
        existing = {d["_id"] for d in col.find({"_id": {"$in": [c.id for c in chunk]}}, {"_id": 1})}
        fresh = [c for c in chunk if c.id not in existing]
        updates = [c.update() for c in chunk if c.id in existing]
        if fresh:
            try:
                col.insert_many([c.new_document() for c in fresh], ordered=False)
            except BulkWriteError as exc:  # written meanwhile by someone else: apply ours as an update
                taken = {e.get("op", {}).get("_id") for e in exc.details.get("writeErrors", [])}
                updates += [c.update() for c in fresh if c.id in taken]
        if updates:
            col.bulk_write(updates, ordered=False)

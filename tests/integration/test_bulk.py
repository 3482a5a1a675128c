"""adapters.bulk: inserting what is new and updating what exists gives exactly what upserts give."""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from chalicelib.adapters import bulk
from chalicelib.adapters.bulk import Change


def changes() -> list[Change]:
    return [
        Change("a", inc={"n": 2, "hours.h01.wh": 5.0}, on_insert={"kind": "x"}, max={"last": 3}),
        Change("b", inc={"n": 1}, set={"points.t0100": {"v": 1}, "day": "2026-10-01"}, on_insert={"kind": "y"}),
        Change("a", inc={"n": 1, "hours.h02.wh": 1.0}, max={"last": 7}),
    ]


def test_bulk_write_equals_one_upsert_per_change(db: Database) -> None:
    left, right = db["bulk_left"], db["bulk_right"]
    for col in (left, right):
        col.insert_one({"_id": "b", "n": 10, "points": {"t0000": {"v": 0}}, "kind": "old"})
    bulk.write(left, bulk.merge(changes()))
    for change in changes():
        right.bulk_write([change.update()])
    docs: dict[str, Any] = {c: {d["_id"]: d for d in db[c].find()} for c in ("bulk_left", "bulk_right")}
    assert docs["bulk_left"] == docs["bulk_right"]
    assert docs["bulk_left"]["a"] == {"_id": "a", "n": 3, "hours": {"h01": {"wh": 5.0}, "h02": {"wh": 1.0}},
                                      "kind": "x", "last": 7}
    assert docs["bulk_left"]["b"]["points"] == {"t0000": {"v": 0}, "t0100": {"v": 1}}
    assert docs["bulk_left"]["b"]["kind"] == "old" and docs["bulk_left"]["b"]["n"] == 11

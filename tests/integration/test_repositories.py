"""Repositories against the real embedded server (or HES_MONGODB_URI when set)."""
from __future__ import annotations

import pytest
from pymongo.database import Database

from chalicelib.adapters.db import ensure_indexes
from chalicelib.adapters.repositories import AreaRepository, MeterRepository, UserRepository, now
from chalicelib.errors import BadRequest, Conflict


def meter_doc(number: str, area: str | None = None, customer: str | None = None) -> dict:
    stamp = now()
    return {"_id": number, "concentrator_id": "D", "meter_type": "Single Phase", "area_id": area,
            "status": "warehouse", "sim_number": None, "customer_id": customer, "created_at": stamp,
            "updated_at": stamp}


def test_indexes_are_created_idempotently(db: Database) -> None:
    ensure_indexes(db)
    ensure_indexes(db)
    names = {i["name"] for i in db["areas"].list_indexes()}
    assert "uniq_area_name" in names


def test_area_names_are_unique_in_the_database(db: Database) -> None:
    ensure_indexes(db)
    areas = AreaRepository(db)
    areas.insert({"_id": "a1", "name": "Downtown", "name_key": "downtown"})
    with pytest.raises(Conflict):
        areas.insert({"_id": "a2", "name": "DOWNTOWN", "name_key": "downtown"})


def test_insert_all_writes_everything_or_nothing(db: Database) -> None:
    meters = MeterRepository(db)
    meters.insert(meter_doc("3"))
    with pytest.raises(Conflict) as err:
        meters.insert_all([meter_doc("1"), meter_doc("2"), meter_doc("3"), meter_doc("4")])
    assert "nothing was imported" in err.value.message
    assert meters.col.count_documents({}) == 1
    assert meters.insert_all([meter_doc("1"), meter_doc("2")]) == 2


def test_pages_are_sorted_and_counted(db: Database) -> None:
    meters = MeterRepository(db)
    meters.insert_all([meter_doc(f"{i:04d}", "a" if i % 3 == 0 else "b") for i in range(25)])
    docs, total = meters.page({"area_id": "b"}, "-meter_number", page=2, page_size=5)
    assert total == 16
    assert [d["_id"] for d in docs] == ["0016", "0014", "0013", "0011", "0010"]
    with pytest.raises(BadRequest):
        meters.page({}, "nonsense", 1, 5)


def test_meter_counts_per_area_come_from_one_aggregation(db: Database) -> None:
    meters = MeterRepository(db)
    meters.insert_all([meter_doc("1", "a"), meter_doc("2", "a"), meter_doc("3", "b"), meter_doc("4")])
    assert meters.count_by("area_id") == {"a": 2, "b": 1, None: 1}


def test_a_null_filter_finds_unassigned_meters(db: Database) -> None:
    meters = MeterRepository(db)
    meters.insert_all([meter_doc("1", customer="c1"), meter_doc("2")])
    assert [d["_id"] for d in meters.col.find({"customer_id": None})] == ["2"]


def test_failed_logins_count_up_and_lock(db: Database) -> None:
    users = UserRepository(db)
    users.insert({"_id": "u", "failed_logins": 0})
    until = now()
    users.record_failure("u", 2, until)
    assert users.get("u")["failed_logins"] == 1
    users.record_failure("u", 2, until)
    locked = users.get("u")
    assert locked["failed_logins"] == 0 and locked["locked_until"] == until
    users.record_success("u")
    assert "locked_until" not in users.get("u")

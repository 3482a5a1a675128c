"""Integration tests: pymongo against the embedded FerretDB (v1.24, SQLite backend).

A fresh ``hes-mongod`` (local/ferretdb, built by scripts/build_db.sh on first
use) is started once for this module in a temporary directory on a free port.

Besides checking the MongoDB operations HES Core relies on, a few tests pin
*known deviations* of FerretDB 1.24/SQLite from MongoDB (``test_known_deviation_*``).
If one of them starts failing after a FerretDB upgrade, the deviation is gone:
delete the test and the corresponding workaround.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bson import Regex
from pymongo import ASCENDING, DESCENDING, MongoClient, ReturnDocument, UpdateOne
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, OperationFailure

from local.embedded_db import EmbeddedDB, EmbeddedDBError, free_port, start_embedded_db

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def embedded_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedDB]:
    data_dir = tmp_path_factory.mktemp("embedded-db") / "data"
    with start_embedded_db(data_dir, free_port()) as server:
        yield server


@pytest.fixture(scope="module")
def client(embedded_db: EmbeddedDB) -> Iterator[MongoClient[Doc]]:
    c: MongoClient[Doc] = MongoClient(embedded_db.uri, serverSelectionTimeoutMS=5000)
    yield c
    c.close()


@pytest.fixture(scope="module")
def database(client: MongoClient[Doc]) -> Database[Doc]:
    return client["hes_test"]


@pytest.fixture
def coll(database: Database[Doc], request: pytest.FixtureRequest) -> Collection[Doc]:
    """A fresh collection named after the test."""
    name = re.sub(r"\W", "_", request.node.name)[:60]
    database.drop_collection(name)
    return database[name]


def _meters(n: int) -> list[Doc]:
    return [
        {
            "_id": f"M{i:05d}",
            "serial": f"SN{i:05d}",
            "kind": ("single", "three", "prepaid")[i % 3],
            "n": i,
        }
        for i in range(n)
    ]


# -- lifecycle -----------------------------------------------------------------


def test_uri_and_ping(embedded_db: EmbeddedDB, client: MongoClient[Doc]) -> None:
    assert embedded_db.uri == f"mongodb://127.0.0.1:{embedded_db.port}/"
    assert embedded_db.running
    assert client.admin.command("ping")["ok"] == 1.0
    assert (embedded_db.data_dir).is_dir()


def test_second_instance_on_busy_port_fails_fast(embedded_db: EmbeddedDB, tmp_path: Path) -> None:
    with pytest.raises(EmbeddedDBError, match="already in use"):
        start_embedded_db(tmp_path / "other", embedded_db.port, embedded_db.binary)


def test_start_stop_restart_keeps_data(tmp_path: Path, embedded_db: EmbeddedDB) -> None:
    data_dir = tmp_path / "persist"
    port = free_port()
    with start_embedded_db(data_dir, port, embedded_db.binary) as db1:
        c: MongoClient[Doc] = MongoClient(db1.uri)
        c.hes.meters.insert_one({"_id": "A", "v": 1})
        c.close()
    assert not db1.running
    assert db1.stop() == 0  # idempotent; clean exit code on SIGTERM
    with start_embedded_db(data_dir, free_port(), embedded_db.binary) as db2:
        c = MongoClient(db2.uri)
        assert c.hes.meters.find_one({"_id": "A"}) == {"_id": "A", "v": 1}
        c.close()


# -- updates -------------------------------------------------------------------


def test_insert_find_update_operators(coll: Collection[Doc]) -> None:
    coll.insert_one({"_id": "m1", "serial": "SN1", "n": 5, "lo": 10, "hi": 10, "tags": ["a"]})
    assert coll.find_one({"serial": "SN1"})["n"] == 5  # type: ignore[index]

    res = coll.update_one(
        {"_id": "m1"},
        {
            "$set": {"status": "active", "meta.fw": "1.2"},
            "$inc": {"n": 2, "counters.reads": 1},
            "$min": {"lo": 3},
            "$max": {"hi": 42},
            "$addToSet": {"tags": "b"},
        },
    )
    assert (res.matched_count, res.modified_count) == (1, 1)
    doc = coll.find_one({"_id": "m1"})
    assert doc == {
        "_id": "m1",
        "serial": "SN1",
        "n": 7,
        "lo": 3,
        "hi": 42,
        "tags": ["a", "b"],
        "status": "active",
        "meta": {"fw": "1.2"},
        "counters": {"reads": 1},
    }

    # $min/$max that do not change anything, $addToSet of an existing value
    res = coll.update_one({"_id": "m1"}, {"$min": {"lo": 100}, "$max": {"hi": 0}, "$addToSet": {"tags": "a"}})
    assert (res.matched_count, res.modified_count) == (1, 0)

    coll.update_one({"_id": "m1"}, {"$addToSet": {"tags": {"$each": ["b", "c", "c"]}}})
    assert coll.find_one({"_id": "m1"})["tags"] == ["a", "b", "c"]  # type: ignore[index]

    assert coll.update_many({}, {"$set": {"flag": True}}).modified_count == 1
    assert coll.update_one({"_id": "nope"}, {"$set": {"x": 1}}).matched_count == 0


def test_id_filters_the_patched_server_pushes_down_answer_like_mongodb(coll: Collection[Doc]) -> None:
    """local/ferretdb/patches/0001: `_id` next to other conditions and `_id: {$in}` narrow the scan in SQLite;
    the answers must stay MongoDB's."""
    coll.insert_many([{"_id": f"k{i}", "g": i % 3} for i in range(30)] + [{"_id": 7, "g": 1}])
    assert coll.find_one({"_id": "k4", "g": 1}) == {"_id": "k4", "g": 1}
    assert coll.find_one({"_id": "k4", "g": 2}) is None
    assert coll.count_documents({"_id": "k5", "$or": [{"x": {"$exists": False}}, {"g": 9}]}) == 1
    assert sorted(d["_id"] for d in coll.find({"_id": {"$in": ["k1", "k2", "nope"]}})) == ["k1", "k2"]
    assert sorted(str(d["_id"]) for d in coll.find({"_id": {"$in": ["k1", 7]}})) == ["7", "k1"]  # mixed: no pushdown
    many = [f"k{i}" for i in range(6000)]  # above the pushdown bound
    assert coll.count_documents({"_id": {"$in": many}}) == 30
    assert coll.count_documents({"_id": {"$in": ["k1", "k2"]}, "g": 1}) == 1
    assert coll.update_one({"_id": "k3", "g": 1}, {"$set": {"y": 1}}).matched_count == 0
    assert coll.update_one({"_id": "k3", "g": 0}, {"$set": {"y": 1}}).modified_count == 1
    assert coll.delete_many({"_id": {"$in": ["k3", "k6"]}, "y": 1}).deleted_count == 1


def test_a_bulk_of_hundreds_of_updates_to_existing_documents_completes(coll: Collection[Doc]) -> None:
    """local/ferretdb/patches/0002: unpatched FerretDB 1.24 hung on about 100 such updates in one command."""
    coll.insert_many([{"_id": f"d{i}", "n": 0} for i in range(400)])
    ops = [UpdateOne({"_id": f"d{i}"}, {"$inc": {"n": 1, "nested.h01.x": 2}}, upsert=True) for i in range(400)]
    assert coll.bulk_write(ops, ordered=False).modified_count == 400
    assert coll.count_documents({"n": 1, "nested.h01.x": 2}) == 400


def test_upsert_with_set_on_insert(coll: Collection[Doc]) -> None:
    res = coll.update_one(
        {"serial": "SN9"},
        {"$set": {"status": "new"}, "$setOnInsert": {"created": 1}, "$inc": {"seen": 1}},
        upsert=True,
    )
    assert res.upserted_id is not None
    assert res.matched_count == 0
    doc = coll.find_one({"serial": "SN9"}, {"_id": 0})
    assert doc == {"serial": "SN9", "status": "new", "created": 1, "seen": 1}

    res = coll.update_one(
        {"serial": "SN9"},
        {"$set": {"status": "seen"}, "$setOnInsert": {"created": 2}, "$inc": {"seen": 1}},
        upsert=True,
    )
    assert res.upserted_id is None
    assert (res.matched_count, res.modified_count) == (1, 1)
    doc = coll.find_one({"serial": "SN9"}, {"_id": 0})
    assert doc == {"serial": "SN9", "status": "seen", "created": 1, "seen": 2}

    # upsert with an explicit _id in the filter
    coll.update_one({"_id": "X1"}, {"$setOnInsert": {"v": 1}}, upsert=True)
    assert coll.find_one({"_id": "X1"}) == {"_id": "X1", "v": 1}


def test_find_one_and_update(coll: Collection[Doc]) -> None:
    coll.insert_many(_meters(6))
    before = coll.find_one_and_update({"_id": "M00001"}, {"$inc": {"n": 10}})
    assert before is not None and before["n"] == 1
    after = coll.find_one_and_update({"_id": "M00001"}, {"$inc": {"n": 10}}, return_document=ReturnDocument.AFTER)
    assert after is not None and after["n"] == 21

    # with sort: picks the highest n of kind=single (ids 0 and 3)
    picked = coll.find_one_and_update(
        {"kind": "single"}, {"$set": {"picked": True}}, sort=[("n", DESCENDING)], return_document=ReturnDocument.AFTER
    )
    assert picked is not None and picked["_id"] == "M00003" and picked["picked"] is True

    # upsert (a "get or create" counter)
    created = coll.find_one_and_update(
        {"_id": "seq:readings"},
        {"$inc": {"value": 1}, "$setOnInsert": {"kind": "sequence"}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    assert created == {"_id": "seq:readings", "value": 1, "kind": "sequence"}
    again = coll.find_one_and_update(
        {"_id": "seq:readings"}, {"$inc": {"value": 1}}, upsert=True, return_document=ReturnDocument.AFTER
    )
    assert again is not None and again["value"] == 2

    assert coll.find_one_and_update({"_id": "missing"}, {"$set": {"x": 1}}) is None


def test_bulk_write_update_one_upserts(coll: Collection[Doc]) -> None:
    coll.insert_one({"serial": "SN0", "v": -1})
    ops = [
        UpdateOne({"serial": f"SN{i}"}, {"$set": {"v": i}, "$setOnInsert": {"created": True}}, upsert=True)
        for i in range(5)
    ]
    res = coll.bulk_write(ops, ordered=False)
    assert res.upserted_count == 4
    assert res.matched_count == 1
    assert res.modified_count == 1
    assert (
        res.upserted_ids is not None and len(res.upserted_ids) == 4
    )
    assert coll.count_documents({}) == 5
    assert coll.count_documents({"created": True}) == 4

    # same batch again: everything matches, nothing is inserted
    res = coll.bulk_write(ops, ordered=True)
    assert (res.upserted_count, res.matched_count, res.modified_count) == (0, 5, 0)
    assert {d["serial"]: d["v"] for d in coll.find({}, {"_id": 0})} == {f"SN{i}": i for i in range(5)}


def test_bulk_upserted_ids_keys_are_the_op_indexes(coll: Collection[Doc]) -> None:
    """As MongoDB reports them: FerretDB 1.24 reported each upsert's ordinal among the upserts instead
    (0, 1, 2, ...), so `BulkWriteResult.upserted_ids` pointed to the wrong ops whenever some ops matched
    (fixed by local/ferretdb/patches/0009)."""
    coll.insert_one({"serial": "SN0"})
    res = coll.bulk_write([UpdateOne({"serial": f"SN{i}"}, {"$set": {"v": i}}, upsert=True) for i in range(3)])
    assert res.upserted_count == 2
    assert res.upserted_ids is not None and sorted(res.upserted_ids) == [1, 2]
    assert {coll.find_one({"_id": i})["serial"] for i in res.upserted_ids.values()} == {"SN1", "SN2"}
    res = coll.bulk_write([UpdateOne({"serial": s}, {"$set": {"w": 1}}, upsert=True)
                           for s in ("SN9", "SN1", "SN8", "SN2")], ordered=False)
    assert res.upserted_ids is not None and sorted(res.upserted_ids) == [0, 2]


# -- indexes -------------------------------------------------------------------


def test_create_index_idempotent_unique_and_compound(coll: Collection[Doc]) -> None:
    for _ in range(2):  # calling twice is a no-op, same names returned
        assert coll.create_index([("serial", ASCENDING)], unique=True) == "serial_1"
        assert coll.create_index([("kind", ASCENDING), ("n", DESCENDING)]) == "kind_1_n_-1"
        assert coll.create_index([("kind", ASCENDING), ("serial", ASCENDING)], unique=True, name="kind_serial") == (
            "kind_serial"
        )
    info = coll.index_information()
    assert info["serial_1"]["unique"] is True
    assert info["serial_1"]["key"] == [("serial", 1)]
    assert info["kind_1_n_-1"]["key"] == [("kind", 1), ("n", -1)]
    assert info["kind_serial"]["unique"] is True
    assert set(info) == {"_id_", "serial_1", "kind_1_n_-1", "kind_serial"}


def test_duplicate_key_error_on_insert_and_upsert(coll: Collection[Doc]) -> None:
    coll.create_index("serial", unique=True)
    coll.create_index([("kind", ASCENDING), ("n", ASCENDING)], unique=True)
    coll.insert_one({"_id": 1, "serial": "SN1", "kind": "k", "n": 1})

    with pytest.raises(DuplicateKeyError) as exc:
        coll.insert_one({"serial": "SN1"})
    assert exc.value.code == 11000
    with pytest.raises(DuplicateKeyError):
        coll.insert_one({"_id": 1})
    with pytest.raises(DuplicateKeyError):  # compound unique
        coll.insert_one({"serial": "SN2", "kind": "k", "n": 1})
    with pytest.raises(DuplicateKeyError):  # upsert that inserts
        coll.update_one({"serial": "SNX"}, {"$set": {"serial": "SN1"}}, upsert=True)
    assert coll.count_documents({}) == 1


def test_known_deviation_unique_violation_on_update_is_not_duplicate_key_error(coll: Collection[Doc]) -> None:
    """FerretDB 1.24/SQLite: an update of an *existing* document that violates a
    unique index fails with a generic OperationFailure (code 1, "UNIQUE
    constraint failed"), not DuplicateKeyError/11000 as in MongoDB. Same for
    update_many, replace_one, find_one_and_update and bulk UpdateOne."""
    coll.create_index("serial", unique=True)
    coll.insert_many([{"_id": 1, "serial": "SN1"}, {"_id": 2, "serial": "SN2"}])
    with pytest.raises(OperationFailure) as exc:
        coll.update_one({"_id": 2}, {"$set": {"serial": "SN1"}})
    assert not isinstance(exc.value, DuplicateKeyError)
    assert exc.value.code == 1
    assert "UNIQUE constraint failed" in str(exc.value)
    assert coll.find_one({"_id": 2}) == {"_id": 2, "serial": "SN2"}


# -- queries -------------------------------------------------------------------


def test_count_documents_regex_and_in(coll: Collection[Doc]) -> None:
    coll.insert_many(_meters(30))
    assert coll.count_documents({"serial": {"$regex": "^SN0001"}}) == 10
    assert coll.count_documents({"serial": {"$regex": "sn0001", "$options": "i"}}) == 10
    assert coll.count_documents({"serial": Regex("^SN0002")}) == 10
    assert coll.count_documents({"kind": {"$in": ["single", "prepaid"]}}) == 20
    assert coll.count_documents({"_id": {"$in": ["M00001", "M00002", "nope"]}}) == 2
    assert coll.count_documents({"kind": {"$in": ["three"]}, "serial": {"$regex": "^SN0000"}}) == 3
    assert coll.count_documents({"_id": {"$in": []}}) == 0
    assert coll.count_documents({}, skip=5, limit=10) == 10
    assert coll.count_documents({"kind": {"$nin": ["single"]}, "n": {"$gte": 10, "$lt": 20}}) == 7


def test_known_deviation_compiled_python_regex_rejected(coll: Collection[Doc]) -> None:
    """pymongo encodes a Python ``re.Pattern`` with the "u" flag, which FerretDB
    rejects (code 51108). Use ``{"$regex": "..."}`` or ``bson.Regex`` instead."""
    coll.insert_one({"serial": "SN1"})
    with pytest.raises(OperationFailure) as exc:
        coll.count_documents({"serial": re.compile("^SN")})
    assert exc.value.code == 51108


def test_distinct(coll: Collection[Doc]) -> None:
    coll.insert_many(_meters(9))
    coll.update_many({"kind": "single"}, {"$set": {"tags": ["x", "y"]}})
    assert sorted(coll.distinct("kind")) == ["prepaid", "single", "three"]
    assert sorted(coll.distinct("serial", {"kind": "three"})) == ["SN00001", "SN00004", "SN00007"]
    assert sorted(coll.distinct("tags")) == ["x", "y"]  # arrays are unwound
    assert coll.distinct("kind", {"kind": "none"}) == []


def test_find_sort_skip_limit(coll: Collection[Doc]) -> None:
    coll.insert_many(_meters(25))
    ids = [d["_id"] for d in coll.find({"n": {"$gte": 5}}).sort("n", DESCENDING).skip(3).limit(4)]
    assert ids == ["M00021", "M00020", "M00019", "M00018"]
    page = list(coll.find({}, {"serial": 1, "_id": 0}).sort([("kind", ASCENDING), ("n", DESCENDING)]).skip(1).limit(2))
    assert page == [{"serial": "SN00020"}, {"serial": "SN00017"}]  # prepaid: 23, 20, 17, ...
    assert list(coll.find({"kind": "none"}).limit(5)) == []
    assert len(list(coll.find().skip(20))) == 5


def test_aggregate_match_group_sort_skip_limit_count(coll: Collection[Doc]) -> None:
    coll.insert_many(_meters(30))
    per_kind = list(
        coll.aggregate(
            [
                {"$match": {"n": {"$gte": 3}}},
                {"$group": {"_id": "$kind", "total": {"$sum": "$n"}}},
                {"$sort": {"total": -1}},
                {"$skip": 0},
                {"$limit": 10},
            ]
        )
    )
    # single: 3..27 step 3; three: 4..28; prepaid: 5..29
    assert per_kind == [
        {"_id": "prepaid", "total": sum(range(5, 30, 3))},
        {"_id": "three", "total": sum(range(4, 30, 3))},
        {"_id": "single", "total": sum(range(3, 30, 3))},
    ]

    counts = list(
        coll.aggregate(
            [
                {"$match": {"kind": {"$in": ["single", "three"]}}},
                {"$group": {"_id": "$kind", "count": {"$sum": 1}}},
                {"$sort": {"_id": 1}},
                {"$skip": 1},
                {"$limit": 1},
            ]
        )
    )
    assert counts == [{"_id": "three", "count": 10}]

    assert list(coll.aggregate([{"$match": {"serial": {"$regex": "^SN0000"}}}, {"$count": "n"}])) == [{"n": 10}]
    assert list(coll.aggregate([{"$match": {"kind": "none"}}, {"$count": "n"}])) == []

    top = list(coll.aggregate([{"$sort": {"n": -1}}, {"$skip": 2}, {"$limit": 3}, {"$project": {"n": 1}}]))
    assert top == [{"_id": "M00027", "n": 27}, {"_id": "M00026", "n": 26}, {"_id": "M00025", "n": 25}]


def test_known_deviation_group_computes_only_first_accumulator(coll: Collection[Doc]) -> None:
    """FerretDB 1.24 bug: in a $group with several accumulators only the first
    one is computed, all later ones come back as 0 (the grouped documents
    iterator is shared and already exhausted). Use one accumulator per $group
    (i.e. one aggregate call per metric). $avg/$min/$max/$push/$first/... are
    not implemented at all (NotImplemented, code 238)."""
    coll.insert_many(_meters(6))
    res = list(coll.aggregate([{"$group": {"_id": None, "count": {"$sum": 1}, "total": {"$sum": "$n"}}}]))
    assert res == [{"_id": None, "count": 6, "total": 0}]  # MongoDB: total == 15
    with pytest.raises(OperationFailure) as exc:
        list(coll.aggregate([{"$group": {"_id": None, "mx": {"$max": "$n"}}}]))
    assert exc.value.code == 238


# -- rough performance -----------------------------------------------------------


def test_rough_performance(database: Database[Doc], capsys: pytest.CaptureFixture[str]) -> None:
    """Not a benchmark: prints rough numbers and guards against gross regressions."""
    single = database["perf_single"]
    single.drop()
    t0 = time.perf_counter()
    for i in range(1000):
        single.insert_one({"serial": f"SN{i:06d}", "n": i})
    t_insert = time.perf_counter() - t0

    big = database["perf_big"]
    big.drop()
    t0 = time.perf_counter()
    big.insert_many([{"serial": f"SN{i:06d}", "n": i, "kind": ("a", "b", "c", "d")[i % 4]} for i in range(10_000)])
    t_bulk = time.perf_counter() - t0

    t0 = time.perf_counter()
    found = big.find_one({"serial": "SN009999"})
    t_find = time.perf_counter() - t0
    assert found is not None and found["n"] == 9999

    big.create_index("serial", unique=True)
    t0 = time.perf_counter()
    found = big.find_one({"serial": "SN009999"})
    t_find_idx = time.perf_counter() - t0
    assert found is not None

    with capsys.disabled():
        print(
            f"\n[embedded-db perf] 1000 insert_one: {t_insert:.2f}s; insert_many 10k: {t_bulk:.2f}s; "
            f"find_one by non-_id field in 10k docs: {t_find * 1000:.0f} ms "
            f"(with unique index: {t_find_idx * 1000:.0f} ms)"
        )
    assert t_insert < 60
    assert t_find < 30

"""The embedded database's filter, count, sort and limit pushdown (local/ferretdb/patches/0003) answers
exactly like FerretDB's own query engine.

The patch translates common filter shapes into SQL over the stored JSON, counts in SQL and stops at the
requested limit when the whole filter was translated exactly. The oracle is the same query wrapped in
``{"$nor": [{"$nor": [filter]}]}``: the same documents by MongoDB's semantics, but a shape the patch does
not translate, so FerretDB evaluates it in Go, document by document, as it did before the patch.
The documents are chosen to break a careless translation: arrays (matched by any element), values of
other types that look alike in JSON (ObjectIds and strings, dates and numbers, booleans and 0/1), nulls,
missing fields, ties on the sort key, and fields with and without an index.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, MongoClient
from pymongo.collection import Collection
from pymongo.database import Database

from local.embedded_db import free_port, start_embedded_db

Doc = dict[str, Any]
T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database[Doc]]:
    with start_embedded_db(tmp_path_factory.mktemp("pushdown") / "data", free_port()) as server:
        client: MongoClient[Doc] = MongoClient(server.uri, serverSelectionTimeoutMS=5000, tz_aware=True)
        yield client["hes_pushdown"]
        client.close()


def _docs(with_arrays: bool) -> list[Doc]:
    docs: list[Doc] = []
    for n in range(240):
        doc: Doc = {"_id": f"d{n:04d}", "area": f"a{n % 4}", "kind": ["tamper", "outage", "relay"][n % 3],
                    "on": n % 5 != 0, "at": T0 + timedelta(minutes=(n * 7) % 100), "n": n % 9}
        if n % 11 == 0:
            doc["area"] = None
        if n % 13 == 0:
            del doc["area"]
        if n % 17 == 0:
            doc["on"] = 1  # a number, not a boolean
        if n % 19 == 0:
            doc["at"] = int((T0 + timedelta(minutes=30)).timestamp() * 1000)  # a number, not a date
        if n % 23 == 0:
            doc["kind"] = ObjectId("74616d7065720000000000aa")
        if n % 29 == 0:
            doc["area"] = {"nested": "a1"}
        if n % 31 == 0:
            doc["kind"] = "[not an array]"
        docs.append(doc)
    if with_arrays:
        docs += [{"_id": "arr1", "area": ["a1", "a9"], "kind": "tamper", "on": True, "at": T0},
                 {"_id": "arr2", "area": "a2", "kind": ["relay", "x"], "on": [False, True],
                  "at": [T0, T0 + timedelta(hours=5)]}]
    return docs


@pytest.fixture(scope="module", params=["indexed", "unindexed", "indexed_with_arrays"])
def coll(database: Database[Doc], request: pytest.FixtureRequest) -> Collection[Doc]:
    name = re.sub(r"\W", "_", request.param)
    database.drop_collection(name)
    c = database[name]
    if request.param != "unindexed":
        c.create_index([("area", ASCENDING), ("at", DESCENDING)])
        c.create_index([("at", DESCENDING)])
        c.create_index([("on", ASCENDING)])
    c.insert_many(_docs(with_arrays=request.param.endswith("arrays")))
    return c


def _oracle(filter_: Doc) -> Doc:
    return {"$nor": [{"$nor": [filter_]}]}


FILTERS: list[Doc] = [
    {},
    {"area": "a1"},
    {"area": "a9"},
    {"area": None},
    {"area": {"$eq": None}},
    {"area": {"$ne": None}},
    {"area": {"$ne": "a1"}},
    {"area": {"$in": ["a1", "a2"]}},
    {"area": {"$exists": False}},
    {"area": {"$exists": True}},
    {"kind": "tamper"},
    {"kind": "[not an array]"},
    {"kind": "74616d7065720000000000aa"},
    {"kind": {"$gte": "outage", "$lt": "tamper"}},
    {"on": True},
    {"on": False},
    {"on": {"$ne": True}},
    {"at": {"$gte": T0 + timedelta(minutes=30)}},
    {"at": {"$gte": T0 + timedelta(minutes=20), "$lt": T0 + timedelta(minutes=60)}},
    {"at": {"$lte": T0 + timedelta(minutes=10)}},
    {"at": T0},
    {"at": {"$type": "date"}},
    {"area": "a2", "at": {"$type": "date", "$gte": T0 + timedelta(minutes=5)}},
    {"$or": [{"on": True}, {"at": {"$gte": T0 + timedelta(minutes=90)}}]},
    {"$or": [{"on": True}, {"n": {"$gt": 5}}]},
    {"$and": [{"area": "a1"}, {"kind": {"$in": ["tamper", "relay"]}}]},
    {"area": "a1", "n": {"$gt": 3}},
    {"area": "a1", "area.nested": {"$exists": False}},
    {"_id": {"$in": ["d0001", "d0002", "d0005", "arr1"]}, "on": True},
    {"$comment": "pushdown", "area": "a3"},
    {"_id": {"$type": "string"}, "on": True},
]


def _ids(cursor: Any) -> list[str]:
    return [d["_id"] for d in cursor]


@pytest.mark.parametrize("filter_", FILTERS, ids=[str(n) for n in range(len(FILTERS))])
def test_find_and_count_match_the_unpatched_engine(coll: Collection[Doc], filter_: Doc) -> None:
    expected = sorted(_ids(coll.find(_oracle(filter_))))
    assert sorted(_ids(coll.find(filter_))) == expected
    assert coll.count_documents(filter_) == len(expected)
    assert coll.count_documents(_oracle(filter_)) == len(expected)


SORTED: list[tuple[Doc, list[tuple[str, int]]]] = [
    ({"at": {"$type": "date"}}, [("at", DESCENDING), ("_id", ASCENDING)]),
    ({"at": {"$type": "date"}}, [("at", ASCENDING), ("_id", DESCENDING)]),
    ({"area": "a1", "at": {"$type": "date"}}, [("at", DESCENDING), ("_id", ASCENDING)]),
    ({"at": {"$gte": T0 + timedelta(minutes=40)}}, [("at", DESCENDING), ("_id", ASCENDING)]),
    ({"kind": {"$in": ["tamper", "outage"]}}, [("kind", ASCENDING), ("_id", DESCENDING)]),
    ({}, [("at", DESCENDING), ("_id", ASCENDING)]),
    ({"on": True}, [("_id", ASCENDING)]),
    ({"_id": {"$type": "string"}}, [("_id", ASCENDING)]),
    ({"_id": {"$type": "string"}, "area": "a2"}, [("_id", DESCENDING)]),
    ({"on": True}, []),
]


@pytest.mark.parametrize(("filter_", "sort"), SORTED, ids=[str(n) for n in range(len(SORTED))])
@pytest.mark.parametrize(("skip", "limit"), [(0, 1), (0, 8), (3, 5), (20, 20), (0, 500)])
def test_sorted_pages_match_the_unpatched_engine(coll: Collection[Doc], filter_: Doc, sort: list[tuple[str, int]],
                                                 skip: int, limit: int) -> None:
    def page(f: Doc) -> list[str]:
        cursor = coll.find(f)
        if sort:
            cursor = cursor.sort(sort)
        return _ids(cursor.skip(skip).limit(limit))

    got, expected = page(filter_), page(_oracle(filter_))
    if sort:
        assert got == expected
    else:  # no order asked: any `limit` of the matches will do
        everything = set(_ids(coll.find(filter_)))
        assert len(got) == len(expected) and set(got) <= everything


def test_counting_pipeline_shape_and_count_command(coll: Collection[Doc]) -> None:
    db = coll.database
    for filter_ in ({"area": "a1"}, {"area": "nowhere"}, {"n": {"$gt": 4}}):
        expected = len(list(coll.find(_oracle(filter_))))
        grouped = list(coll.aggregate([{"$match": filter_}, {"$group": {"_id": 1, "n": {"$sum": 1}}}]))
        assert grouped == ([{"_id": 1, "n": expected}] if expected else [])
        assert db.command("count", coll.name, query=filter_)["n"] == expected


@pytest.mark.parametrize("parallel", [1, 4])
def test_find_ids_returns_each_document_once_in_chunks_at_once(database: Database[Doc], parallel: int) -> None:
    from chalicelib.adapters.repositories import find_ids

    coll = database["find_ids"]
    coll.drop()
    coll.insert_many([{"_id": f"k{n:04d}", "n": n} for n in range(450)])
    wanted = [f"k{n:04d}" for n in range(0, 450, 2)] + ["k0000", "missing"]
    assert sorted(d["_id"] for d in find_ids(coll, wanted, parallel=parallel)) == sorted(set(wanted) - {"missing"})
    assert list(find_ids(coll, [], parallel=parallel)) == []

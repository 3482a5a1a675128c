"""MongoDB access: one lazily created client per process, indexes created idempotently.

Only the MongoDB subset in DESIGN §2 is used, so the same code runs on the
embedded FerretDB server and on MongoDB Atlas.
"""
from __future__ import annotations

import threading

from pymongo import ASCENDING, DESCENDING, MongoClient
from pymongo.database import Database

_lock = threading.Lock()
_clients: dict[str, MongoClient] = {}

INDEXES: dict[str, list[tuple[list[tuple[str, int]], dict]]] = {
    "areas": [([("name_key", ASCENDING)], {"unique": True, "name": "uniq_area_name"})],
    "meters": [
        ([("area_id", ASCENDING)], {"name": "area"}),
        ([("status", ASCENDING)], {"name": "status"}),
        ([("customer_id", ASCENDING)], {"name": "customer"}),
        ([("security.system_title", ASCENDING)], {"name": "system_title"}),
        ([("last_seen", ASCENDING)], {"name": "last_seen"}),
        ([("first_seen", ASCENDING)], {"name": "first_seen"}),
        # the dashboard's "online now" count, answered from the index alone
        ([("online", ASCENDING), ("last_seen", ASCENDING), ("first_seen", ASCENDING)], {"name": "online_now"}),
    ],
    "sims": [([("meter_number", ASCENDING)], {"name": "meter"})],
    "customers": [
        ([("meter_numbers", ASCENDING)], {"name": "meters"}),
        ([("area_ids", ASCENDING)], {"name": "areas"}),
    ],
    "device_profiles": [([("key", ASCENDING)], {"unique": True, "name": "uniq_brand_model"})],
    "events": [
        ([("meter", ASCENDING), ("at", DESCENDING)], {"name": "meter_at"}),
        ([("at", DESCENDING)], {"name": "at"}),
        ([("area_id", ASCENDING), ("at", DESCENDING)], {"name": "area_at"}),
    ],
    "alerts": [
        ([("meter", ASCENDING), ("type", ASCENDING), ("active", ASCENDING)], {"name": "meter_type"}),
        ([("active", ASCENDING), ("rank", DESCENDING), ("last_at", DESCENDING)], {"name": "inbox"}),
    ],
    "readings": [([("meter", ASCENDING), ("day", DESCENDING)], {"name": "meter_day"})],
    "refresh_tokens": [([("username", ASCENDING)], {"name": "user"})],
    "audit_log": [
        ([("at", DESCENDING)], {"name": "at"}),
        ([("entity", ASCENDING), ("entity_id", ASCENDING)], {"name": "entity"}),
    ],
}


def client_for(uri: str) -> MongoClient:
    with _lock:
        if uri not in _clients:
            _clients[uri] = MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000, appname="hes-core")
        return _clients[uri]


def ensure_indexes(db: Database) -> None:
    for collection, indexes in INDEXES.items():
        for keys, options in indexes:
            db[collection].create_index(keys, **options)


def ping(db: Database) -> bool:
    try:
        db.command("ping")
        return True
    except Exception:  # noqa: BLE001 - health reports any failure as "down"
        return False

"""Shared fixtures: a real MongoDB-compatible server for every test that needs one.

With HES_MONGODB_URI unset the embedded FerretDB server is built (if needed)
and started once per session; with it set (e.g. a real MongoDB) that server is
used. Every test gets a database of its own, dropped afterwards.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymongo import MongoClient
from pymongo.database import Database

from chalicelib.bootstrap import Services, bootstrap, reset_services
from chalicelib.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mongo_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    uri = os.environ.get("HES_MONGODB_URI")
    if uri:
        yield uri
        return
    from local.embedded_db import free_port, start_embedded_db

    with start_embedded_db(tmp_path_factory.mktemp("hesdb"), free_port()) as server:
        yield server.uri


@pytest.fixture(scope="session")
def mongo_client(mongo_uri: str) -> Iterator[MongoClient]:
    client: MongoClient = MongoClient(mongo_uri, tz_aware=True)
    yield client
    client.close()


@pytest.fixture
def db(mongo_client: MongoClient) -> Iterator[Database]:
    name = f"hes_test_{uuid.uuid4().hex[:10]}"
    yield mongo_client[name]
    mongo_client.drop_database(name)


@pytest.fixture
def settings(mongo_uri: str) -> Settings:
    return Settings(stage="local", mongodb_uri=mongo_uri, login_max_failures=3, login_lockout_s=60)


@pytest.fixture
def services(settings: Settings, db: Database) -> Iterator[Services]:
    svc = bootstrap(settings, db)
    reset_services(svc)
    yield svc
    reset_services(None)


@pytest.fixture(scope="session")
def aws() -> Iterator[None]:
    """moto's SQS/S3 for the whole session; the environment is put back afterwards."""
    from local.aws import start_moto
    from local.embedded_db import free_port

    saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                            "AWS_DEFAULT_REGION")}
    server = start_moto(Settings(), free_port())
    yield
    server.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()

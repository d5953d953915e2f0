"""Shared fixtures: a migrated database per run, a rolled-back transaction per test, the app.

The suite runs on SQLite by default and on PostgreSQL when ``DATABASE_URL`` points at one.
Each test runs inside an outer transaction that is rolled back afterwards, so tests see each
other's data never; code under test commits to savepoints inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from models.config import Settings, load_settings
from models.db import Database, make_engine
from models.migrate import upgrade
from tests.services import temporary_database
from webapp.app import create_app

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    env = {
        "TIERLIGHT_MODE": "test",
        "TIERLIGHT_INSTANCE": str(tmp_path),
        "CELERY_BROKER_URL": "memory://",
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DEFAULT_LOCALE": "en",
    }
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return load_settings(env).with_overrides(**overrides)


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The run's database, migrated to the newest revision."""
    if os.environ.get("DATABASE_URL"):
        url = load_settings(
            {"DATABASE_URL": os.environ["DATABASE_URL"], "TIERLIGHT_MODE": "test"}
        ).database_url
        upgrade(url)
        yield url
        return
    path = tmp_path_factory.mktemp("db") / "tierlight-test.sqlite"
    url = f"sqlite:///{path}"
    upgrade(url)
    yield url


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def database(engine: Engine, connection: Connection) -> Database:
    return Database(engine, bind=connection)


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    session = database.session()
    yield session
    session.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def app(settings: Settings, database: Database) -> Flask:
    return create_app(settings, database)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def fresh_db_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own, migrated, whose commits are real (for other processes to see)."""
    with temporary_database(tmp_path) as url:
        upgrade(url)
        yield url

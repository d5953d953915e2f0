"""Reaching the real services tests may need: PostgreSQL and Redis on this machine.

A test that needs a service skips with the reason when it is absent, and fails instead when
``CI`` is set, so a CI run can never pass by skipping.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from models.config import normalise_database_url
from models.db import Database, make_engine
from models.demo import seed_demo
from models.migrate import upgrade

_SUITE_URL = os.environ.get("DATABASE_URL", "")
POSTGRES_URL = normalise_database_url(
    os.environ.get("TEST_POSTGRES_URL")
    or (_SUITE_URL if _SUITE_URL.startswith("postgres") else "")
    or "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url.replace("+psycopg", ""))
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def require(service: str, reachable: bool, where: str) -> None:
    if reachable:
        return
    message = f"{service} is not reachable at {where}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set: service tests must run)")
    pytest.skip(message)


def require_postgres() -> str:
    require("PostgreSQL", _reachable(POSTGRES_URL, 5432), POSTGRES_URL)
    return POSTGRES_URL


def require_redis() -> str:
    require("Redis", _reachable(REDIS_URL, 6379), REDIS_URL)
    return REDIS_URL


@contextmanager
def temporary_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    server = require_postgres()
    name = f"tierlight_t_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated_postgres_database() -> Iterator[Database]:
    """A new PostgreSQL database brought to the newest migration, open; dropped afterwards."""
    with temporary_postgres_database() as url:
        upgrade(url)
        database = Database.from_url(url)
        try:
            yield database
        finally:
            database.dispose()


@contextmanager
def temporary_database(tmp_path: Path) -> Iterator[str]:
    """A database of the suite's backend (PostgreSQL when DATABASE_URL is one, else SQLite)."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        with temporary_postgres_database() as url:
            yield url
        return
    yield f"sqlite:///{tmp_path / f'fresh-{uuid.uuid4().hex[:8]}.sqlite'}"


@contextmanager
def demo_database(tmp_path: Path) -> Iterator[Database]:
    """A database of its own (see :func:`temporary_database`) with the demo supply chain."""
    with temporary_database(tmp_path) as url:
        upgrade(url)
        database = Database.from_url(url)
        try:
            with database.unit_of_work() as session:
                seed_demo(session)
            yield database
        finally:
            database.dispose()

"""Pooled PostgreSQL connections: an idle one the server dropped is replaced before it is used;
one dropped while busy fails its own request once, and the pool recovers at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from models.db import make_engine
from tests.services import require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def admin() -> Iterator[Engine]:
    engine = make_engine(require_postgres(), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def drop(admin: Engine, pid: int) -> None:
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(admin):
    engine = make_engine(require_postgres(), ping_after_idle_s=0)
    try:
        dropped = backend_pid(engine)
        drop(admin, dropped)
        assert backend_pid(engine) != dropped
    finally:
        engine.dispose()


def test_a_connection_dropped_while_busy_fails_once_and_the_pool_recovers(admin):
    engine = make_engine(require_postgres(), ping_after_idle_s=3600)
    try:
        dropped = backend_pid(engine)
        drop(admin, dropped)
        with pytest.raises(OperationalError):
            backend_pid(engine)
        assert backend_pid(engine) != dropped
    finally:
        engine.dispose()

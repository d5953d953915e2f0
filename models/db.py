"""Engines, sessions and the unit of work: the one place that states the commit policy.

Domain operations take a :class:`~sqlalchemy.orm.Session` and never commit; the caller (a view, a
task, the CLI) wraps them in :meth:`Database.unit_of_work`, which commits on success and rolls
back on any error, so one request or one EDI message is all-or-nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: A pooled server connection unused for this long is pinged before it is used again.
PING_AFTER_IDLE_S = 10.0
#: Server connections are replaced after this long (server and proxy idle limits are longer).
POOL_RECYCLE_S = 1800
_IDLE_SINCE = "tierlight_idle_since"


def dialect_insert(dialect: str, table: Table) -> Any:
    """The INSERT of ``dialect`` ("postgresql" or "sqlite"), which has ``on_conflict_do_*``."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine tuned for its backend: SQLite gets WAL, foreign keys and real transactions;
    a server database gets its idle connections checked before use (``ping_after_idle_s``,
    see :func:`_ping_when_idle`)."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        _make_sqlite_transactional(engine)
        return engine
    ping_after_idle_s = kwargs.pop("ping_after_idle_s", PING_AFTER_IDLE_S)
    kwargs.setdefault("pool_recycle", POOL_RECYCLE_S)
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine, ping_after_idle_s)
    return engine


def _ping_when_idle(engine: Engine, idle_s: float) -> None:
    """Ping a pooled connection before use only when it sat idle for ``idle_s`` seconds.

    ``pool_pre_ping`` costs a round trip on every checkout, that is on every request, though a
    connection handed back milliseconds ago is as good as the query that just ran on it. The
    connections that go bad (a restarted or failed-over server, a proxy or firewall dropping
    idle sessions) are the ones that sat unused: those are pinged, and when the ping finds
    the server gone every connection older than that is replaced, as pre-ping does.
    ``pool_recycle`` replaces connections before server-side idle limits close them.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < idle_s:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise InvalidatePoolError() from error
            raise


def _make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, decide when transactions begin.

    pysqlite's own transaction handling breaks SAVEPOINT (which the tests' rolled-back outer
    transaction relies on). ``BEGIN IMMEDIATE`` takes the write lock up front, so the web process
    and the worker process queue behind ``busy_timeout`` instead of failing on a lock upgrade.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine and the session factory bound to it (or to one connection, in tests)."""

    def __init__(self, engine: Engine, bind: Engine | Connection | None = None) -> None:
        self.engine = engine
        self._sessions = sessionmaker(
            bind=bind if bind is not None else engine,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )

    @classmethod
    def from_url(cls, url: str, *, pooled: bool = True) -> Database:
        return cls(make_engine(url) if pooled else make_engine(url, poolclass=NullPool))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        """A new session; the caller closes it (the web layer does so at request teardown)."""
        return self._sessions()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """Yield a session; commit when the block ends normally, roll back when it raises."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()

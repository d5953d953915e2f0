"""The request's database session: opened on first use, closed at teardown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from models.db import Database

EXTENSION_KEY = "tierlight.database"


def init_database(app: Flask, database: Database) -> None:
    app.extensions[EXTENSION_KEY] = database
    app.teardown_appcontext(_close_session)


def current_database() -> Database:
    return current_app.extensions[EXTENSION_KEY]


def db_session() -> Session:
    """The session of this request, for reads and for writes finished by :func:`commit`."""
    if "db_session" not in g:
        g.db_session = current_database().session()
    return g.db_session


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """The request's session as a unit of work: committed on success, rolled back on error."""
    session = db_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()

"""Names of the organisations and parts a trace shows, kept in a cache of this process.

A trace reaches a few hundred lots of a few dozen makers and parts. Carrying each lot's maker
and part names (seven text columns) on every row of the trace's statement cost about as much
as the walk itself, so the statement returns ids and the names come from here: one query for
the ids the cache lacks, nothing for those it holds.

Names are not what the access rule guards (a trace names only the makers the viewer may see,
whatever the cache holds) and they change rarely. The cache of a database is dropped as a whole
every :data:`TTL_SECONDS`, so a rename made by another process (a web worker, the Celery
worker) shows within that time; one written through the ORM in this process drops the names it
changed at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import Connection, event, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, UOWTransaction

from models.orders.entities import Part
from models.orgs.entities import Organisation

TTL_SECONDS = 60.0
MAX_ENTRIES = 100_000  # per database, organisations and parts together


@dataclass(frozen=True, slots=True)
class OrgName:
    code: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class PartName:
    number: str
    zh: str
    en: str
    unit: str


@dataclass(frozen=True, slots=True)
class Names:
    """The names of the organisations and parts one trace asked for, by id."""

    orgs: dict[int, OrgName]
    parts: dict[int, PartName]


def _now() -> float:
    return time.monotonic()


@dataclass
class _Book:
    """The names cached for one database, all dropped together when they are too old.

    Plain dictionaries: a trace looks up hundreds of ids, and a cache that expires entries one
    by one (cachetools) cost as much per trace as the columns it saves.
    """

    born: float
    orgs: dict[int, OrgName] = field(default_factory=dict)
    parts: dict[int, PartName] = field(default_factory=dict)

    def usable(self, now: float) -> bool:
        return now - self.born < TTL_SECONDS and len(self.orgs) + len(self.parts) < MAX_ENTRIES


_books: dict[URL, _Book] = {}
_lock = threading.Lock()


def names(connection: Connection, org_ids: Collection[int], part_ids: Collection[int]) -> Names:
    """The names of ``org_ids`` and ``part_ids`` in the database of ``connection``."""
    url, now = connection.engine.url, _now()
    with _lock:
        book = _books.get(url)
        if book is None or not book.usable(now):
            book = _books[url] = _Book(now)
    orgs = {i: book.orgs.get(i) for i in org_ids}
    parts = {i: book.parts.get(i) for i in part_ids}
    missing_orgs = [i for i, name in orgs.items() if name is None]
    missing_parts = [i for i, name in parts.items() if name is None]
    if missing_orgs:
        loaded_orgs = _load_orgs(connection, missing_orgs)
        book.orgs.update(loaded_orgs)
        orgs.update(loaded_orgs)
    if missing_parts:
        loaded_parts = _load_parts(connection, missing_parts)
        book.parts.update(loaded_parts)
        parts.update(loaded_parts)
    return Names(orgs, parts)  # type: ignore[arg-type]


def _load_orgs(connection: Connection, ids: list[int]) -> dict[int, OrgName]:
    query = select(
        Organisation.id, Organisation.credit_code, Organisation.name_zh, Organisation.name_en
    ).where(Organisation.id.in_(ids))
    return {org_id: OrgName(code, zh, en) for org_id, code, zh, en in connection.execute(query)}


def _load_parts(connection: Connection, ids: list[int]) -> dict[int, PartName]:
    query = select(Part.id, Part.part_number, Part.name_zh, Part.name_en, Part.unit).where(
        Part.id.in_(ids)
    )
    return {
        part_id: PartName(number, zh, en, unit)
        for part_id, number, zh, en, unit in connection.execute(query)
    }


def forget(kind: type, ids: Iterable[int]) -> None:
    """Drop the names of these organisations (``kind`` :class:`Organisation`) or parts from
    the cache of every database: the next trace reads them again."""
    ids = list(ids)
    with _lock:
        books = list(_books.values())
    for book in books:
        cached = book.orgs if kind is Organisation else book.parts
        for i in ids:
            cached.pop(i, None)


@event.listens_for(Session, "after_flush")
def _forget_written_names(session: Session, _flush: UOWTransaction) -> None:
    """A new row may reuse the id of one rolled back (SQLite), an edited one has new names."""
    for kind in (Organisation, Part):
        written = chain(session.new, session.dirty, session.deleted)
        forget(kind, [obj.id for obj in written if isinstance(obj, kind) and obj.id is not None])

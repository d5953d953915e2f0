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
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import TypeVar

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


_Name = TypeVar("_Name", OrgName, PartName)


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
    return Names(
        _looked_up(book.orgs, org_ids, lambda ids: _load_orgs(connection, ids)),
        _looked_up(book.parts, part_ids, lambda ids: _load_parts(connection, ids)),
    )


def _looked_up(
    cached: dict[int, _Name], ids: Collection[int], load: Callable[[list[int]], dict[int, _Name]]
) -> dict[int, _Name]:
    """The names of ``ids``: from ``cached``, and from ``load`` (then cached) for the rest."""
    found = {i: cached.get(i) for i in ids}
    missing = [i for i, name in found.items() if name is None]
    if missing:
        loaded = load(missing)
        cached.update(loaded)
        found.update(loaded)
    return found  # type: ignore[return-value]


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
    written = [
        obj
        for obj in chain(session.new, session.dirty, session.deleted)
        if isinstance(obj, Organisation | Part) and obj.id is not None
    ]
    for kind in (Organisation, Part):
        ids = [obj.id for obj in written if isinstance(obj, kind)]
        if ids:
            forget(kind, ids)

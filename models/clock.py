"""The product's clock: the time zone people type and read times in.

Every time is stored in UTC. People write and read them on the wall clock of the place the
deployment serves: a shop floor in Suzhou that writes 8:00 means 08:00 Beijing time, and a
report made then is shown as 08:00, not as 00:00. One zone per deployment (``TIME_ZONE``,
default Asia/Shanghai), set by each process when it starts; a time that carries its own offset
(an API client's ISO 8601 with ``+08:00`` or ``Z``) keeps it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import DateTime, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

DEFAULT_TIME_ZONE = "Asia/Shanghai"

_zone: list[ZoneInfo] = [ZoneInfo(DEFAULT_TIME_ZONE)]


def zone_named(name: str) -> ZoneInfo:
    """The zone of an IANA name such as ``Asia/Shanghai``; ValueError for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (give a name like Asia/Shanghai)") from None


def use_time_zone(name: str) -> None:
    """Make ``name`` this process's zone (the settings' ``time_zone``, at start-up)."""
    _zone[0] = zone_named(name)


def local_zone() -> ZoneInfo:
    return _zone[0]


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive one is read on the local wall clock."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment.astimezone(UTC)


def local_midnight(day: date) -> datetime:
    """The start of ``day`` on the local wall clock, in UTC."""
    return as_utc(datetime.combine(day, time()))


def local_today() -> date:
    return datetime.now(local_zone()).date()


def local_day(moment: datetime) -> date:
    """The day ``moment`` (aware) falls on, on the local wall clock."""
    return moment.astimezone(local_zone()).date()


def local_offset_minutes() -> int:
    """The local zone's offset from UTC today, in minutes (SQLite's stand-in for zone rules)."""
    offset = datetime.now(local_zone()).utcoffset() or timedelta()
    return round(offset.total_seconds() / 60)


def on_local_clock(moment: datetime) -> datetime:
    """``moment`` (aware) as the local wall clock reads it."""
    return moment.astimezone(local_zone())


class local_time(FunctionElement[datetime]):
    """A stored UTC timestamp on the local wall clock, in SQL: for grouping by local month.

    PostgreSQL converts with the zone's rules (``timezone(zone, ts)``); SQLite, the embedded
    default, shifts by the zone's offset of today, which is exact for a zone without daylight
    saving such as Asia/Shanghai."""

    type = DateTime()
    name = "local_time"
    inherit_cache = True


@compiles(local_time, "postgresql")
def _local_time_postgresql(element: local_time, compiler: SQLCompiler, **kw: Any) -> str:
    zone = compiler.render_literal_value(local_zone().key, String())
    return f"timezone({zone}, {compiler.process(element.clauses, **kw)})"


@compiles(local_time, "sqlite")
def _local_time_sqlite(element: local_time, compiler: SQLCompiler, **kw: Any) -> str:
    minutes = local_offset_minutes()
    return f"datetime({compiler.process(element.clauses, **kw)}, '{minutes:+d} minutes')"

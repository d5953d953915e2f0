"""Inserting many derived rows at once: COPY on PostgreSQL, an executemany elsewhere.

Recomputed statistics and alerts are written by the thousand; on PostgreSQL ``COPY FROM
STDIN`` takes them in one stream instead of one statement per row. Rows must give every
column they set (no ORM defaults are applied on this path).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Table, insert
from sqlalchemy.orm import Session


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts keyed by column name) into ``table`` in the caller's transaction."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    as_json = {name for name in names if isinstance(table.c[name].type, JSON)}
    columns = ", ".join(f'"{name}"' for name in names)
    statement = f"COPY {table.name} ({columns}) FROM STDIN"
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(row[name]) if name in as_json else row[name] for name in names]
            )

"""COPY helpers of the dashboard benchmark: rows of Python values, or pre-formatted text."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import datetime

import psycopg


def _text(value: object) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def copy(
    conn: psycopg.Connection, table: str, columns: Iterable[str], rows: Iterable[tuple]
) -> int:
    """COPY rows (tuples of Python values) into ``table``; returns how many."""
    names = list(columns)
    count = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as out:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_text(v) for v in row))
            buffer.write("\n")
            count += 1
            if count % 50_000 == 0:
                out.write(buffer.getvalue())
                buffer = io.StringIO()
        out.write(buffer.getvalue())
    return count


def copy_text(
    conn: psycopg.Connection, table: str, columns: Iterable[str], chunks: Iterator[str]
) -> None:
    """COPY pre-formatted text chunks (tab-separated lines) into ``table``."""
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
        for chunk in chunks:
            out.write(chunk)

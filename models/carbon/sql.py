"""SQL helpers shared by the carbon queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def among(session: Session, column: Any, ids: Iterable[int]) -> Any:
    """``column IN ids``: one array parameter on PostgreSQL (no statement per list length)."""
    values = list(ids)
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(BigInteger)))
    return column.in_(values)

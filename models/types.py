"""Column types shared across entities."""

from __future__ import annotations

from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB

#: JSON on SQLite, JSONB on PostgreSQL.
JsonDoc = JSON().with_variant(JSONB(), "postgresql")

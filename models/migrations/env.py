"""Alembic environment: runs migrations on the connection it is given, or on the configured URL."""

from typing import Any

import sqlalchemy as sa
from alembic import context

from models.db import make_engine
from models.registry import metadata

config = context.config


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our shared column types by name instead of spelling out their variants."""
    variants = getattr(obj, "_variant_mapping", {})
    if type_ == "type" and isinstance(obj, sa.JSON) and "postgresql" in variants:
        return "models.types.JsonDoc"
    if type_ == "type" and isinstance(obj, sa.BigInteger) and "sqlite" in variants:
        return "models.base.BigId"
    return False


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


run_migrations()

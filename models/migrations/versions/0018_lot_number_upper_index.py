"""an index on upper(lot_number) for the search box's prefix match in any case (PostgreSQL)

Revision ID: 0018_lot_number_upper_index
Revises: 0017_link_early_inspections
Create Date: 2026-11-25 09:00:00

The search box finds a lot by the beginning of its number in any case, with
``upper(lot_number) LIKE upper('abc%')``. PostgreSQL serves that from an index on the same
expression with ``text_pattern_ops`` (whatever the database's collation); SQLite cannot use an
index for LIKE on an expression, so it gets none.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018_lot_number_upper_index"
down_revision: str | Sequence[str] | None = "0017_link_early_inspections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_lots_lot_number_upper ON lots (upper(lot_number) text_pattern_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_lots_lot_number_upper")

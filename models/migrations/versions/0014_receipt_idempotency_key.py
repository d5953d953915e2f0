"""a receipt carries its client's idempotency key, so a double tap or a retry records it once

Revision ID: 0014_receipt_idempotency_key
Revises: 0013_inspection_void
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_receipt_idempotency_key"
down_revision: str | Sequence[str] | None = "0013_inspection_void"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_receipts_idempotency_key"), ["idempotency_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipts_idempotency_key"))
        batch_op.drop_column("idempotency_key")

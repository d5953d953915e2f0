"""an inspection carries its client's idempotency key, so a retry records it once

Revision ID: 0015_inspection_idempotency_key
Revises: 0014_receipt_idempotency_key
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_inspection_idempotency_key"
down_revision: str | Sequence[str] | None = "0014_receipt_idempotency_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quality_inspections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_quality_inspections_supplier_org_id_idempotency_key"),
            ["supplier_org_id", "idempotency_key"],
        )


def downgrade() -> None:
    with op.batch_alter_table("quality_inspections", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_quality_inspections_supplier_org_id_idempotency_key"), type_="unique"
        )
        batch_op.drop_column("idempotency_key")

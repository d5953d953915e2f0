"""a supplier voids a mistaken inspection: when, by whom and why

Revision ID: 0013_inspection_void
Revises: 0012_upload_attempts
Create Date: 2026-11-24 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0013_inspection_void"
down_revision: str | Sequence[str] | None = "0012_upload_attempts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quality_inspections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voided_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("voided_by_user_id", models.base.BigId, nullable=True)
        )
        batch_op.add_column(sa.Column("void_reason", sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_quality_inspections_voided_by_user_id_users"),
            "users",
            ["voided_by_user_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("quality_inspections", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_quality_inspections_voided_by_user_id_users", type_="foreignkey"
        )
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_by_user_id")
        batch_op.drop_column("voided_at")

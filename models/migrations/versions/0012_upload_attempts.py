"""a spreadsheet sent again after a rejection is a new attempt; the rejected one is kept

Revision ID: 0012_upload_attempts
Revises: 0011_factor_owner
Create Date: 2026-11-24 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_upload_attempts"
down_revision: str | Sequence[str] | None = "0011_factor_owner"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempt", sa.Integer(), server_default="1", nullable=False))
        batch_op.drop_constraint("uq_uploads_org_id_kind_sha256", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_uploads_org_id_kind_sha256_attempt"),
            ["org_id", "kind", "sha256", "attempt"],
        )


def downgrade() -> None:
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_constraint("uq_uploads_org_id_kind_sha256_attempt", type_="unique")
        batch_op.create_unique_constraint(
            "uq_uploads_org_id_kind_sha256", ["org_id", "kind", "sha256"]
        )
        batch_op.drop_column("attempt")

"""an index to find an interchange control number a sender used before

Revision ID: 0016_edi_interchange_index
Revises: 0015_inspection_idempotency_key
Create Date: 2026-11-25 00:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_edi_interchange_index"
down_revision: str | Sequence[str] | None = "0015_inspection_idempotency_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_edi_messages_sender_interchange",
        "edi_messages",
        ["sender_org_id", "interchange_control"],
    )


def downgrade() -> None:
    op.drop_index("ix_edi_messages_sender_interchange", table_name="edi_messages")

"""sessions their user signed out of, so that a copy of the cookie no longer signs in

Revision ID: 0019_ended_sessions
Revises: 0018_lot_number_upper_index
Create Date: 2026-11-25 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0019_ended_sessions"
down_revision: str | Sequence[str] | None = "0018_lot_number_upper_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ended_sessions",
        sa.Column("sid", sa.String(length=32), nullable=False),
        sa.Column("user_id", models.base.BigId, nullable=False),
        sa.Column("ended_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ended_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("sid", name=op.f("pk_ended_sessions")),
    )
    op.create_index(op.f("ix_ended_sessions_ended_at"), "ended_sessions", ["ended_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ended_sessions_ended_at"), table_name="ended_sessions")
    op.drop_table("ended_sessions")

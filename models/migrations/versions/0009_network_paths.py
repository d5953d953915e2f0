"""network paths: the shortest chain of active supplier links between two organisations

Revision ID: 0009_network_paths
Revises: 0008_merge_features
Create Date: 2026-11-24 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0009_network_paths"
down_revision: str | Sequence[str] | None = "0008_merge_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


#: The paths of the links already there (what ``models.orgs.paths`` rebuilds after each change).
FILL = """
INSERT INTO network_paths (upper_org_id, lower_org_id, depth)
WITH RECURSIVE reach(upper_org_id, lower_org_id, depth) AS (
    SELECT buyer_id, supplier_id, 1 FROM supplier_links WHERE status = 'active'
    UNION
    SELECT reach.upper_org_id, link.supplier_id, reach.depth + 1
    FROM reach JOIN supplier_links AS link ON link.buyer_id = reach.lower_org_id
    WHERE link.status = 'active' AND reach.depth < 12
)
SELECT upper_org_id, lower_org_id, min(depth) FROM reach GROUP BY upper_org_id, lower_org_id
"""


def upgrade() -> None:
    op.create_table(
        "network_paths",
        sa.Column("upper_org_id", models.base.BigId, nullable=False),
        sa.Column("lower_org_id", models.base.BigId, nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lower_org_id"],
            ["organisations.id"],
            name=op.f("fk_network_paths_lower_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["upper_org_id"],
            ["organisations.id"],
            name=op.f("fk_network_paths_upper_org_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("upper_org_id", "lower_org_id", name=op.f("pk_network_paths")),
    )
    with op.batch_alter_table("network_paths", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_paths_lower_org_id"), ["lower_org_id"], unique=False
        )
    op.execute(FILL)


def downgrade() -> None:
    with op.batch_alter_table("network_paths", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_paths_lower_org_id"))
    op.drop_table("network_paths")

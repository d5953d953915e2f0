"""network paths carry what the sharing agreements let the upper organisation see

Revision ID: 0010_path_sharing
Revises: 0009_network_paths
Create Date: 2026-11-24 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_path_sharing"
down_revision: str | Sequence[str] | None = "0009_network_paths"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("progress", "quality", "carbon", "traceability")

#: The flags of the paths already there (what ``models.orgs.paths`` sets after each change).
FILL = """
UPDATE network_paths SET {category} = EXISTS (
    SELECT 1 FROM supplier_links AS own_link
    JOIN sharing_agreements AS agreement ON agreement.id = own_link.current_agreement_id
    WHERE own_link.supplier_id = network_paths.lower_org_id
    AND own_link.status = 'active'
    AND agreement.{category}_buyer
    AND (
        own_link.buyer_id = network_paths.upper_org_id
        OR (agreement.{category}_upstream AND EXISTS (
            SELECT 1 FROM network_paths AS buyer_path
            WHERE buyer_path.upper_org_id = network_paths.upper_org_id
            AND buyer_path.lower_org_id = own_link.buyer_id
        ))
    )
)
"""


def upgrade() -> None:
    with op.batch_alter_table("network_paths", schema=None) as batch_op:
        for category in CATEGORIES:
            batch_op.add_column(
                sa.Column(category, sa.Boolean(), nullable=False, server_default=sa.false())
            )
    for category in CATEGORIES:
        op.execute(FILL.format(category=category))


def downgrade() -> None:
    with op.batch_alter_table("network_paths", schema=None) as batch_op:
        for category in CATEGORIES:
            batch_op.drop_column(category)

"""link inspections recorded before their lot existed to the lot created since

Revision ID: 0017_link_early_inspections
Revises: 0016_edi_interchange_index
Create Date: 2026-11-25 03:10:00

Until now a lot created after an inspection of its number never got the inspection; from now
on the operations that create lots link them (models.quality.lot_links). This links the ones
left behind: same maker, part and lot number, as the operations do.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_link_early_inspections"
down_revision: str | Sequence[str] | None = "0016_edi_interchange_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SAME_LOT = """
    SELECT lots.id FROM lots
    WHERE lots.maker_org_id = quality_inspections.supplier_org_id
      AND lots.part_id = quality_inspections.part_id
      AND lots.lot_number = quality_inspections.lot_number
"""


def upgrade() -> None:
    op.execute(
        f"UPDATE quality_inspections SET lot_id = ({SAME_LOT}) "
        f"WHERE lot_id IS NULL AND EXISTS ({SAME_LOT})"
    )


def downgrade() -> None:
    """Nothing to undo: the links are what the data always meant."""

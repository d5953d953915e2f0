"""merge the feature branches (trace, quality, carbon, EDI, scorecards) into one head

Revision ID: 0008_merge_features
Revises: 0003_trace, 0004_quality, 0005_carbon, 0006_edi, 0007_scorecards
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

revision: str = "0008_merge_features"
down_revision: str | Sequence[str] | None = (
    "0003_trace",
    "0004_quality",
    "0005_carbon",
    "0006_edi",
    "0007_scorecards",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the branches touch separate tables; later revisions build on this."""


def downgrade() -> None:
    """Nothing to undo."""

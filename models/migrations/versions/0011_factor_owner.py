"""an emission factor version an anchor adds is the anchor's own

Revision ID: 0011_factor_owner
Revises: 0010_path_sharing
Create Date: 2026-11-24 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0011_factor_owner"
down_revision: str | Sequence[str] | None = "0010_path_sharing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The versions added so far belong to the organisation whose member added them (the audit
#: trail names it); the seeded published factors keep no owner.
FILL = """
UPDATE emission_factors SET owner_org_id = (
    SELECT audit_events.actor_org_id FROM audit_events
    WHERE audit_events.action = 'emission_factor.version'
    AND audit_events.entity = 'emission_factor'
    AND audit_events.entity_id = CAST(emission_factors.id AS VARCHAR(64))
    ORDER BY audit_events.id LIMIT 1
)
WHERE created_by_user_id IS NOT NULL
"""


def upgrade() -> None:
    with op.batch_alter_table("emission_factors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_org_id", models.base.BigId, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_emission_factors_owner_org_id_organisations"),
            "organisations",
            ["owner_org_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_emission_factors_owner_org_id"), ["owner_org_id"], unique=False
        )
        batch_op.drop_constraint("uq_emission_factors_fuel_region_year_version", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_emission_factors_owner_org_id_fuel_region_year_version"),
            ["owner_org_id", "fuel", "region", "year", "version"],
        )
    op.execute(FILL)


def downgrade() -> None:
    with op.batch_alter_table("emission_factors", schema=None) as batch_op:
        batch_op.drop_constraint(
            "uq_emission_factors_owner_org_id_fuel_region_year_version", type_="unique"
        )
        batch_op.create_unique_constraint(
            "uq_emission_factors_fuel_region_year_version", ["fuel", "region", "year", "version"]
        )
        batch_op.drop_index(batch_op.f("ix_emission_factors_owner_org_id"))
        batch_op.drop_constraint(
            "fk_emission_factors_owner_org_id_organisations", type_="foreignkey"
        )
        batch_op.drop_column("owner_org_id")

"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from models.base import utcnow
from models.db import make_engine
from models.migrate import alembic_config, pending_revisions, upgrade
from models.registry import metadata
from tests.services import temporary_postgres_database


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def test_models_and_migrations_agree_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    upgrade(url)
    assert _differences(url) == []
    assert pending_revisions(url) == set()


@pytest.mark.postgres
def test_models_and_migrations_agree_on_postgres():
    with temporary_postgres_database() as url:
        upgrade(url)
        assert _differences(url) == []
        assert pending_revisions(url) == set()


def test_a_new_database_has_pending_migrations(tmp_path):
    assert pending_revisions(f"sqlite:///{tmp_path / 'empty.sqlite'}")


def test_the_migrations_have_one_head(tmp_path):
    """A second head means two branches nobody merged: their order on upgrade would be chance."""
    heads = ScriptDirectory.from_config(alembic_config(f"sqlite:///{tmp_path / 'h.sqlite'}"))
    assert len(heads.get_heads()) == 1


def test_factor_versions_added_before_owners_existed_become_their_anchors_own(tmp_path):
    url = f"sqlite:///{tmp_path / 'f.sqlite'}"
    upgrade(url, "0010_path_sharing")
    table = metadata.tables
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                table["organisations"].insert(),
                {"id": 7, "kind": "anchor", "name_zh": "A", "name_en": "A", "credit_code": "X"},
            )
            connection.execute(
                table["users"].insert(),
                {"id": 3, "email": "c@a.test", "name": "c", "password_hash": "x"},
            )
            connection.execute(
                table["emission_factors"].insert(),
                {
                    "id": 900,
                    "fuel": "diesel",
                    "region": "*",
                    "year": 2006,
                    "version": 2,
                    "value": 2.7,
                    "unit": "kgCO2e/L",
                    "scope": 1,
                    "source": "test",
                    "created_by_user_id": 3,
                },
            )
            connection.execute(
                table["audit_events"].insert(),
                {
                    "actor_user_id": 3,
                    "actor_org_id": 7,
                    "channel": "web",
                    "action": "emission_factor.version",
                    "entity": "emission_factor",
                    "entity_id": "900",
                },
            )
        upgrade(url)
        with engine.connect() as connection:
            owners = dict(
                connection.execute(
                    text("SELECT version, owner_org_id FROM emission_factors WHERE fuel = 'diesel'")
                ).all()
            )
    finally:
        engine.dispose()
    assert owners == {1: None, 2: 7}


def test_inspections_recorded_before_their_lot_are_linked_to_it(tmp_path):
    """Same maker, part and number links; a lot of the same number of another part does not."""
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    upgrade(url, "0016_edi_interchange_index")
    table = metadata.tables
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                table["organisations"].insert(),
                [
                    {"id": o, "kind": k, "name_zh": k, "name_en": k, "credit_code": f"X{o}"}
                    for o, k in ((1, "anchor"), (2, "supplier"))
                ],
            )
            connection.execute(
                table["parts"].insert(),
                [
                    {"id": p, "owner_org_id": 1, "supplier_org_id": 2, "part_number": f"P{p}",
                     "name_zh": "p", "name_en": "p", "unit": "PCE"}
                    for p in (10, 11)
                ],
            )  # fmt: skip
            connection.execute(
                table["lots"].insert(),
                [
                    {"id": 20, "maker_org_id": 2, "part_id": 10, "lot_number": "L-A"},
                    {"id": 21, "maker_org_id": 2, "part_id": 11, "lot_number": "L-B"},
                ],
            )
            connection.execute(
                table["quality_inspections"].insert(),
                [
                    {"id": i, "supplier_org_id": 2, "buyer_org_id": 1, "part_id": 10,
                     "lot_number": n, "inspected_at": utcnow(), "source": "form"}
                    for i, n in ((30, "L-A"), (31, "L-B"))
                ],
            )  # fmt: skip
        upgrade(url)
        with engine.connect() as connection:
            links = dict(
                connection.execute(text("SELECT id, lot_id FROM quality_inspections")).all()
            )
    finally:
        engine.dispose()
    assert links == {30: 20, 31: None}

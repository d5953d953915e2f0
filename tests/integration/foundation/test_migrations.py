"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

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

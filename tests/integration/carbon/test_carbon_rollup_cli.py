"""``tierlight carbon rollup --year Y``: the operator's roll-up of every organisation's chain."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from models.clock import local_today
from models.db import Database
from tests.integration.carbon.builders import YEAR, chain
from tests.integration.carbon.test_carbon_rollup import active
from tests.integration.carbon.test_carbon_rollup_scope import _counts, _seed
from webapp.cli import main


@pytest.fixture
def cli_env(fresh_db_url, tmp_path, monkeypatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("TIERLIGHT_MODE", "test")
    monkeypatch.setenv("TIERLIGHT_INSTANCE", str(tmp_path))
    database = Database.from_url(fresh_db_url)
    yield database
    database.dispose()


def test_the_rollup_covers_every_chain_and_prints_its_counts(cli_env):
    with cli_env.unit_of_work() as session:
        chains = [chain(session), chain(session)]
        for made in chains:
            _seed(session, made)

    result = CliRunner().invoke(main, ["carbon", "rollup", "--year", str(YEAR)])

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["scope"] == "all"
    assert _counts(summary) == (8, 6, 0, 2, 0)
    with cli_env.unit_of_work() as session:
        assert all(active(session, p) for c in chains for p in (c.fin, c.pa, c.px))
    again = json.loads(CliRunner().invoke(main, ["carbon", "rollup", "--year", str(YEAR)]).output)
    assert _counts(again) == (8, 0, 6, 2, 0)


def test_a_year_out_of_range_is_refused_by_name(cli_env):
    result = CliRunner().invoke(main, ["carbon", "rollup", "--year", "1850"])

    assert result.exit_code == 2
    assert "--year" in result.output and "2000<=x<=2100" in result.output


def test_a_year_not_begun_is_refused_by_name(cli_env):
    next_year = local_today().year + 1

    result = CliRunner().invoke(main, ["carbon", "rollup", "--year", str(next_year)])

    assert result.exit_code == 2
    assert "--year" in result.output and "The year has not started yet." in result.output

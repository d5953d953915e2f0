"""``tierlight trace``: the stable JSON interface, the operator's and an organisation's view."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from models.db import Database
from tests.integration.trace.builders import add_lot, build_network
from webapp.cli import main


@pytest.fixture
def codes(fresh_db_url):
    database = Database.from_url(fresh_db_url)
    try:
        with database.unit_of_work() as session:
            net = build_network(session)
            add_lot(net, "brakes", net.parts["BRAKE"], "STEEL-2", 5)
            return {key: org.credit_code for key, org in net.orgs.items()}
    finally:
        database.dispose()


def run(fresh_db_url, tmp_path, *args):
    env = {"DATABASE_URL": fresh_db_url, "TIERLIGHT_INSTANCE": str(tmp_path)}
    return CliRunner().invoke(main, ["trace", *args], env=env)


def test_operator_view_prints_the_whole_genealogy(fresh_db_url, tmp_path, codes):
    result = run(fresh_db_url, tmp_path, "CAR-1", "--direction", "up")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["root"] == "CAR-1"
    node = next(n for n in data["nodes"] if n["lot_number"] == "PLAS-1")
    keys = ("maker", "tier", "part_number", "depth", "quantity", "withheld")
    assert [node[k] for k in keys] == [codes["plastics"], 2, "COVER", 2, 300, False]
    assert {"from": "PLAS-1", "to": "SEAT-1", "quantity": 200} in [
        {k: e[k] for k in ("from", "to", "quantity")} for e in data["edges"]
    ]


def test_as_an_organisation_the_access_rule_applies(fresh_db_url, tmp_path, codes):
    result = run(fresh_db_url, tmp_path, "CAR-1", "--direction", "up", "--as-org", codes["anchor"])
    data = json.loads(result.output)
    withheld = [n for n in data["nodes"] if n["withheld"]]
    assert len(withheld) == 1 and withheld[0]["lot_number"] is None and withheld[0]["tier"] == 2
    assert "PLAS-1" not in result.output and codes["plastics"] not in result.output
    hidden = run(fresh_db_url, tmp_path, "PLAS-1", "--direction", "up", "--as-org", codes["anchor"])
    assert hidden.exit_code == 1 and "not found" in hidden.output


def test_an_ambiguous_or_unknown_lot_number_is_explained(fresh_db_url, tmp_path, codes):
    ambiguous = run(fresh_db_url, tmp_path, "STEEL-2", "--direction", "down")
    assert ambiguous.exit_code == 1 and "maker" in ambiguous.output
    chosen = run(
        fresh_db_url, tmp_path, "STEEL-2", "--direction", "down", "--maker", codes["steel"]
    )
    assert "BRAKE-1" in {n["lot_number"] for n in json.loads(chosen.output)["nodes"]}
    unknown = run(fresh_db_url, tmp_path, "NO-SUCH-LOT", "--direction", "up")
    assert unknown.exit_code == 1 and "not found: No lot NO-SUCH-LOT" in unknown.output
    assert run(fresh_db_url, tmp_path, "CAR-1").exit_code == 2


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_lot_number_is_a_usage_error_naming_the_argument(fresh_db_url, tmp_path, blank):
    result = run(fresh_db_url, tmp_path, blank, "--direction", "up")
    assert result.exit_code == 2, result.output
    assert "LOT_NUMBER" in result.output and "empty" in result.output
    assert "not found" not in result.output

"""``tierlight edi parse``: JSON on stdout, exit 0 without errors and 1 with them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from webapp.cli import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edi"


def test_a_clean_ship_notice_exits_0_with_its_records():
    result = CliRunner().invoke(main, ["edi", "parse", str(FIXTURES / "x12_856_sopi_ref_lt.edi")])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["errors"] == []
    record = document["interchanges"][0]["messages"][0]["records"][0]
    assert record["kind"] == "ship_notice"
    assert all(lot["lot_number"] for line in record["lines"] for lot in line["lots"])


def test_a_file_with_a_bad_set_exits_1_and_still_prints_json():
    result = CliRunner().invoke(main, ["edi", "parse", str(FIXTURES / "x12_856_one_bad_set.edi")])
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["errors"]
    error = document["errors"][0]
    assert set(error) == {
        "interchange",
        "message",
        "segment_position",
        "interchange_position",
        "segment_tag",
        "element",
        "code",
        "text",
    }

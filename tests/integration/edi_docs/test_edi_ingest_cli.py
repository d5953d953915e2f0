"""``tierlight edi ingest FILE``: stores and processes a file, prints the document as JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from models.db import Database
from models.files import Upload
from models.orgs.codes import uscc_check_character
from tests.fixtures.edi_docs.world import FILES, ORGS, build_world
from webapp.cli import main


@pytest.fixture
def cli_db(fresh_db_url, tmp_path, monkeypatch) -> str:
    database = Database.from_url(fresh_db_url)
    with database.unit_of_work() as session:
        build_world(session)
    database.dispose()
    monkeypatch.setenv("DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("TIERLIGHT_MODE", "test")
    monkeypatch.setenv("TIERLIGHT_INSTANCE", str(tmp_path))
    return fresh_db_url


def _run(*args: str):
    result = CliRunner().invoke(main, ["edi", "ingest", *args])
    return result.exit_code, json.loads(result.output)


def test_ingest_prints_the_status_and_errors(cli_db):
    code, report = _run(str(FILES / "x12_856_two_sets.edi"))
    assert code == 1
    assert report["status"] == "partially_accepted"
    assert report["duplicate"] is False
    assert [m["status"] for m in report["messages"]] == ["accepted", "rejected"]
    assert report["errors"][0]["message"] == "0002"
    assert report["errors"][0]["text"] == "No such order line of yours."
    assert [a["kind"] for a in report["acks"]] == ["997"]
    code, again = _run(str(FILES / "x12_856_two_sets.edi"))
    assert (again["document"], again["duplicate"]) == (report["document"], True)


def test_ingest_of_an_accepted_file_exits_0_and_org_names_the_sender(cli_db):
    code, report = _run(str(FILES / "edifact_desadv.edi"))
    assert (code, report["status"]) == (0, "accepted")
    first17 = ORGS["supplier"][3]
    supplier_code = first17 + uscc_check_character(first17)
    code, confirmed = _run(str(FILES / "x12_855_from_supplier.edi"), "--org", supplier_code)
    assert (code, confirmed["status"]) == (0, "accepted")
    code, other = _run(str(FILES / "x12_855_from_supplier.edi"), "--org", "91320100MA1ED00099")
    assert code == 1 and other["document"] is None
    assert other["errors"][0]["text"] == "No organisation has the credit code 91320100MA1ED00099."


def test_ingest_of_a_file_from_an_unknown_sender_stores_nothing(cli_db, tmp_path):
    path = tmp_path / "nobody.edi"
    path.write_bytes((FILES / "edifact_desadv.edi").read_bytes().replace(b"SUPPLIER01:", b"X:"))
    code, report = _run(str(path))
    assert code == 1
    assert report == {
        "document": None,
        "status": "rejected",
        "duplicate": False,
        "errors": [
            {
                "code": "unknown_sender",
                "text": "The file's sender is not a known EDI identity; name it with --org.",
                "interchange": None,
                "group": None,
                "message": None,
                "segment_position": None,
                "segment_tag": None,
                "element": None,
                "field": None,
                "interchange_position": None,
            }
        ],
    }


def test_ingest_of_a_file_that_is_not_edi_says_so_and_stores_nothing(cli_db, tmp_path):
    path = tmp_path / "README.txt"
    path.write_text("Tierlight: read me first.\n")
    code, report = _run(str(path))
    assert code == 1 and report["document"] is None
    assert [(e["code"], e["text"]) for e in report["errors"]] == [
        ("unknown_format", "The file is not X12 or EDIFACT")
    ]
    database = Database.from_url(cli_db)
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Upload)) == 0
    database.dispose()

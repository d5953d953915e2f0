"""Every public sample file reads or gives structured errors, as its MANIFEST.tsv says.

The samples stay in ../shared/data/edi next to the repository (their licences forbid copying
them here); without that folder these tests are skipped.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from edi import document_to_dict, parse_document

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "edi"

pytestmark = pytest.mark.skipif(
    not (SAMPLES / "MANIFEST.tsv").is_file(),
    reason=f"public EDI samples not found at {SAMPLES} (../shared/data/edi next to the repo)",
)

# The file names the manifest gives to deliberately broken samples.
BROKEN_NAME = re.compile(r"invalid|bad|corrupt|duplicate|fail|error", re.IGNORECASE)
# Broken samples whose fault is not structural; the reader does not judge code lists or content.
NOT_STRUCTURAL = {
    "edifact/ORDERS/EdiFabric_EDIFACT.NET_PurchaseOrderInvalid.txt": "code values (FTX 3055 AA)",
    "edifact/ORDERS/php-edifact_edifact_example_order_error.edi": "content only",
    "x12/850/kputnam_stupidedi_fail_1.edi": "short ISA fields, which we tolerate on purpose",
    "x12/997/xlate_staedi_invalid997.edi": "code values (AK101 not in its code list)",
}
# The manifest counts 5 interchanges here; the file holds 8 ISA..IEA pairs (grep -c 'ISA\*').
INTERCHANGE_COUNT_FIXES = {"x12/997/bots-edi_bots-plugins_mailbag01.x12": 8}


def manifest() -> list[dict[str, str]]:
    with (SAMPLES / "MANIFEST.tsv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def parse(row: dict[str, str]):
    return parse_document((SAMPLES / row["file"]).read_bytes())


def test_every_file_reads_or_gives_structured_errors():
    failures = []
    for row in manifest():
        try:
            document = parse(row)
            json.dumps(document_to_dict(document))
        except Exception as exc:  # collect them all, then fail once
            failures.append(f"{row['file']}: {exc!r}")
            continue
        for interchange in document.interchanges:
            for group in interchange.groups:
                for message in group.messages:
                    accounted = message.records or message.errors or group.errors
                    if not (accounted or interchange.errors):
                        failures.append(f"{row['file']}: message {message.control_number} lost")
    assert failures == []


def test_every_file_of_the_manifest_is_there():
    listed = {row["file"] for row in manifest()}
    present = {
        str(path.relative_to(SAMPLES))
        for path in SAMPLES.rglob("*")
        if path.is_file() and path.name not in ("MANIFEST.tsv", "README.md")
    }
    assert listed == present


def test_ebcdic_files_give_the_ebcdic_code():
    rows = [row for row in manifest() if "EBCDIC" in row["notes"]]
    assert rows
    for row in rows:
        assert [e.code for e in parse(row).errors] == ["ebcdic"], row["file"]


def test_vda_files_are_not_x12_or_edifact():
    rows = [row for row in manifest() if row["standard"] == "vda"]
    assert rows
    for row in rows:
        assert [e.code for e in parse(row).errors] == ["unknown_format"], row["file"]


def test_interchange_counts_match_the_manifest():
    checked = 0
    for row in manifest():
        found = re.search(r"(\d+) interchanges", row["notes"])
        if found:
            expected = INTERCHANGE_COUNT_FIXES.get(row["file"], int(found.group(1)))
            assert len(parse(row).interchanges) == expected, row["file"]
            checked += 1
    assert checked >= 10


def test_broken_files_give_errors():
    broken = [row for row in manifest() if BROKEN_NAME.search(row["file"].rsplit("/", 1)[1])]
    assert len(broken) >= 10
    for row in broken:
        if row["file"] in NOT_STRUCTURAL:
            continue
        assert parse(row).all_errors(), row["file"]


def test_x12_and_edifact_files_are_recognised():
    for row in manifest():
        if row["standard"] in ("x12", "edifact") and "EBCDIC" not in row["notes"]:
            document = parse(row)
            assert document.interchanges, row["file"]
            assert {ic.standard for ic in document.interchanges} == {row["standard"]}, row["file"]

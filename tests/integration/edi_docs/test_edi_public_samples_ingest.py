"""Every public sample file, sent between the two partners of the trading world in either
direction, is taken whole through ingestion (reading, mapping, the domain operations): it ends
accepted or rejected with its reasons, never in an error of ours. The samples name their own
partners; their envelopes are rewritten to name ours, so their messages reach the operations.

The samples stay in ../shared/data/edi next to the repository (their licences forbid copying
them here); without that folder these tests are skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.edi_docs.ingest import ingest_bytes
from tests.unit.edi.test_edi_public_samples import SAMPLES, manifest

pytestmark = pytest.mark.skipif(
    not (SAMPLES / "MANIFEST.tsv").is_file(),
    reason=f"public EDI samples not found at {SAMPLES} (../shared/data/edi next to the repo)",
)

#: (sender, its identity, receiver's identity): the supplier's messages up, the anchor's down.
DIRECTIONS = {
    "up": ("admin@supplier.edi", "SUPPLIER01", "ANCHORCO"),
    "down": ("admin@anchor.edi", "ANCHORCO", "SUPPLIER01"),
}


def _x12_between(text: str, start: int, sender: str, receiver: str) -> str:
    separator = text[start + 3]
    fields = text[start:].split(separator, 16)
    if len(fields) <= 16:
        return text
    fields[5:9] = ["ZZ", sender.ljust(15), "ZZ", receiver.ljust(15)]
    return text[:start] + separator.join(fields)


def _edifact_between(text: str, start: int, sender: str, receiver: str) -> str:
    una = text.find("UNA")
    component, element, terminator = (
        (text[una + 3], text[una + 4], text[una + 8]) if 0 <= una < start else (":", "+", "'")
    )
    end = text.find(terminator, start)
    fields = text[start:end].split(element)
    if end < 0 or len(fields) <= 3:
        return text
    fields[2:4] = [f"{sender}{component}14", f"{receiver}{component}14"]
    return text[:start] + element.join(fields) + text[end:]


def between(data: bytes, sender: str, receiver: str) -> bytes:
    """The file's first envelope addressed from ``sender`` to ``receiver`` (byte for byte
    elsewhere: latin-1 maps every byte to one character and back)."""
    text = data.decode("latin-1")
    isa, unb = text.find("ISA"), text.find("UNB")
    if isa >= 0 and (unb < 0 or isa < unb):
        text = _x12_between(text, isa, sender, receiver)
    elif unb >= 0:
        text = _edifact_between(text, unb, sender, receiver)
    return text.encode("latin-1")


@pytest.mark.slow
@pytest.mark.parametrize("direction", sorted(DIRECTIONS))
@pytest.mark.parametrize("name", [row["file"] for row in manifest()] if SAMPLES.is_dir() else [])
def test_a_public_sample_ends_accepted_or_rejected_with_reasons(database, world, name, direction):
    email, sender, receiver = DIRECTIONS[direction]
    content = between((SAMPLES / name).read_bytes(), sender, receiver)
    report = ingest_bytes(database, world.actor(email, "web"), content, Path(name).name)
    assert report["status"] in ("accepted", "partially_accepted", "rejected"), report
    if report["status"] != "accepted":
        assert report["errors"] and all(error["text"] for error in report["errors"]), report

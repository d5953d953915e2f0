"""EDIFACT names its character set in UNB; files from Chinese systems are often GBK whatever
they declare. Bytes that are not the declared set but are GB18030 holding Chinese are read as
that; a declared set the bytes fit is followed, and Latin-1 names stay Latin-1."""

from __future__ import annotations

import pytest

from edi import has_errors, parse_document


def _orders(syntax: str, part: str) -> str:
    return (
        f"UNB+{syntax}:3+S+R+240301:1200+9'UNH+1+ORDERS:D:96A:UN'BGM+220+PO-9+9'"
        f"LIN+1++{part}:BP'QTY+21:1'UNT+5+1'UNZ+1+9'"
    )


def _part(data: bytes) -> str:
    document = parse_document(data)
    assert not has_errors(document), document.all_errors()
    return document.interchanges[0].messages[0].records[0]["lines"][0]["part_number"]


@pytest.mark.parametrize("syntax", ["UNOC", "UNOY", "UNOW"])
def test_gbk_bytes_whatever_the_declared_set_are_read_as_chinese(syntax):
    assert _part(_orders(syntax, "支架德邦").encode("gbk")) == "支架德邦"


def test_utf_8_as_declared_stays_utf_8():
    assert _part(_orders("UNOY", "支架德邦").encode("utf-8")) == "支架德邦"


@pytest.mark.parametrize("name", ["Müller", "Açúcar", "Ørsted"])
def test_latin_1_in_unoc_is_not_taken_for_chinese(name):
    assert _part(_orders("UNOC", name).encode("latin-1")) == name

"""Units as EDI partners write them and as parts name them."""

from __future__ import annotations

import pytest

from models.edi_docs.units import as_local_unit, edi_unit


@pytest.mark.parametrize(
    ("unit", "x12", "edifact"),
    [("pcs", "EA", "PCE"), ("件", "EA", "PCE"), ("kg", "KG", "KGM"), ("米", "MR", "MTR")],
)
def test_a_known_unit_is_written_with_the_code_of_the_standard(unit, x12, edifact):
    assert (edi_unit(unit, "x12"), edi_unit(unit, "edifact")) == (x12, edifact)


def test_a_unit_of_no_known_family_is_written_as_the_partners_agreed_it():
    assert edi_unit("drum", "x12") == "drum"
    assert edi_unit(None, "edifact") is None


def test_a_code_read_back_is_the_parts_own_unit_and_other_families_stay_apart():
    assert as_local_unit("PCE", "件") == "件"
    assert as_local_unit("KGM", "pcs") == "KGM"

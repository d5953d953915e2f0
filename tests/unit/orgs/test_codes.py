"""Unified social credit codes (GB 32100-2015) and enterprise size classes (2017)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.errors import ValidationFailed
from models.orgs.codes import size_class, uscc_check_character, uscc_problem
from models.orgs.schemas import OrganisationSchema
from models.validation import load

#: Published example codes (check characters verified against GB 32100-2015).
REAL_CODES = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code):
    assert uscc_problem(code) is None


def test_check_character_is_recomputed():
    assert uscc_check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y44", "check"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100YO3", "charset"),
    ],
)
def test_bad_codes_name_the_problem(code, problem):
    assert uscc_problem(code) == problem


def test_schema_message_gives_the_expected_check_character():
    with pytest.raises(ValidationFailed) as caught:
        load(OrganisationSchema(), {"name_zh": "某公司", "credit_code": "91350100m000100y44"})
    assert caught.value.errors["credit_code"] == [
        "The check character (last character) is wrong: expected 3."
    ]


def test_schema_normalises_case_and_spaces():
    data = load(OrganisationSchema(), {"name_zh": "某公司", "credit_code": " 91350100m000100y43 "})
    assert data["credit_code"] == "91350100M000100Y43"


def test_schema_reads_a_code_typed_with_a_chinese_input_method():
    """Full-width digits and letters, and the ideographic space, are the same code."""
    typed = "９１３５０１００ｍ０００１００Ｙ４３\u3000"
    data = load(OrganisationSchema(), {"name_zh": "某公司", "credit_code": typed})
    assert data["credit_code"] == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (1200, 50000, "large"),
        (1200, 30000, "medium"),
        (300, 2000, "medium"),
        (299, 50000, "small"),
        (20, 300, "small"),
        (19, 100000, "micro"),
        (500, 299, "micro"),
    ],
)
def test_size_class_needs_both_thresholds(employees, revenue, expected):
    assert size_class(employees, Decimal(revenue)) == expected

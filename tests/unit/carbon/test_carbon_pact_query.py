"""How the host reads a ListFootprints query (v3 filters, paging; v2's $filter refused)."""

from __future__ import annotations

import pytest

from models.carbon.pact_query import NotImplementedHere, read_query
from models.errors import ValidationFailed


def test_identifying_values_are_matched_as_given_and_the_rest_validated():
    query = read_query(
        [
            ("companyId", "urn:uuid:a"),
            ("companyid", "abcdefgh"),
            ("status", "BogusStatus"),
            ("limit", "5"),
            ("offset", "10"),
            ("validOn", "2025-04-01T00:00:00Z"),
        ],
        3,
    )
    assert query.filter.company_ids == ("urn:uuid:a", "abcdefgh")
    assert query.filter.status == "BogusStatus"
    assert (query.limit, query.offset) == (5, 10)
    assert query.filter.valid_on is not None


@pytest.mark.parametrize(
    ("pairs", "field"),
    [
        ([("validOn", "soon")], "validOn"),
        ([("offset", "-1")], "offset"),
        ([("status", "Active"), ("status", "Deprecated")], "status"),
        ([("page", "2")], "page"),
    ],
)
def test_malformed_parameters_are_refused_by_name(pairs, field):
    with pytest.raises(ValidationFailed) as refused:
        read_query(pairs, 3)
    assert field in refused.value.errors


def test_v2_pages_and_refuses_odata():
    assert read_query([("limit", "3"), ("offset", "6")], 2).offset == 6
    with pytest.raises(NotImplementedHere):
        read_query([("$filter", "created ge '2023-01-01'")], 2)

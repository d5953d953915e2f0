"""The `Link: <url>; rel="next"` pagination header, built for our pages and read from others."""

from __future__ import annotations

import pytest

from models.carbon.pact import next_link, next_url, page_url, parse_links


def test_the_next_page_keeps_the_request_and_moves_the_offset() -> None:
    request = "https://api.tierlight.example/3/footprints?geography=FR&geography=DE&limit=10"

    header = next_link(page_url(request, offset=10))

    assert header == (
        "<https://api.tierlight.example/3/footprints?geography=FR&geography=DE&limit=10"
        '&offset=10>; rel="next"'
    )
    assert next_url(header) == page_url(request, offset=10)


def test_a_page_parameter_can_be_replaced_or_removed() -> None:
    url = "https://h.example/3/footprints?offset=10&limit=5"

    assert page_url(url, offset=15) == "https://h.example/3/footprints?limit=5&offset=15"
    assert page_url(url, offset=None) == "https://h.example/3/footprints?limit=5"


@pytest.mark.parametrize("url", ["/3/footprints?offset=10", "ftp://h.example/x", "https:///x"])
def test_a_pagination_link_must_be_absolute(url: str) -> None:
    with pytest.raises(ValueError, match="absolute"):
        next_link(url)


def test_a_link_header_with_several_links_is_read_per_relation() -> None:
    header = (
        '<https://a.example/3/footprints?offset=20>; rel="next last"; title="p, 3", '
        "<https://a.example/3/footprints?offset=0>; rel=first"
    )

    assert parse_links(header) == {
        "next": "https://a.example/3/footprints?offset=20",
        "last": "https://a.example/3/footprints?offset=20",
        "first": "https://a.example/3/footprints?offset=0",
    }


def test_no_header_or_no_next_link_means_the_last_page() -> None:
    assert next_url(None) is None
    assert next_url('<https://a.example/3/footprints>; rel="prev"') is None


def test_a_malformed_link_header_is_refused() -> None:
    with pytest.raises(ValueError, match="RFC 8288"):
        parse_links("https://a.example/3/footprints; rel=next")

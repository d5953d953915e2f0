"""Long lists come a page at a time: which page ``?page=`` names, and what the pager keeps."""

from __future__ import annotations

import pytest

from webapp.paging import paged_list, pager_args


@pytest.mark.parametrize(
    ("asked", "page", "rows"),
    [("", 1, list(range(50))), ("2", 2, list(range(50, 60))), ("9", 2, list(range(50, 60))),
     ("0", 1, list(range(50))), ("x", 1, list(range(50)))],
)  # fmt: skip
def test_a_list_is_cut_into_pages_and_a_page_past_the_end_is_the_last(app, asked, page, rows):
    with app.test_request_context(f"/?page={asked}"):
        paged = paged_list(list(range(60)))
    assert (paged.page, paged.pages, paged.total, paged.rows) == (page, 2, 60, rows)


def test_the_pager_keeps_the_filters_but_the_page_and_what_is_left_out(app):
    with app.test_request_context("/?supplier=7&page=3&job=12&q=螺栓"):
        assert pager_args("job") == {"supplier": "7", "q": "螺栓"}

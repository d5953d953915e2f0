"""Pages of long lists: which page the ``page`` argument names, and that page's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select, func, select

from webapp.database import db_session
from webapp.query_args import whole_number

PAGE_SIZE = 50


@dataclass
class Paged:
    """One page of a list: its rows, its number and how many pages there are."""

    rows: list[Any]
    page: int
    pages: int
    size: int = PAGE_SIZE
    total: int = 0

    @property
    def offset(self) -> int:
        """How many rows come before this page."""
        return (self.page - 1) * self.size


def page_for(total: int, size: int = PAGE_SIZE) -> Paged:
    """The page the ``page`` argument names, without its rows: the first when it is missing,
    the last when it is past the end."""
    pages = max(1, -(-total // size))
    asked = request.args.get("page", 1, type=whole_number)
    return Paged([], min(max(1, asked), pages), pages, size, total)


def paged(query: Select[Any], size: int = PAGE_SIZE) -> Paged:
    """That page of the query's rows (scalars)."""
    page = _page_of(query, size)
    page.rows = list(db_session().scalars(query.limit(size).offset(page.offset)))
    return page


def paged_rows(query: Select[Any], size: int = PAGE_SIZE) -> Paged:
    """That page of the query's rows, whole (for a select of several columns)."""
    page = _page_of(query, size)
    page.rows = list(db_session().execute(query.limit(size).offset(page.offset)))
    return page


def paged_list(items: list[Any], size: int = PAGE_SIZE) -> Paged:
    """That page of a list made in Python (filtered or sorted beyond what SQL does)."""
    page = page_for(len(items), size)
    page.rows = items[page.offset : page.offset + size]
    return page


def pager_args(*left_out: str) -> dict[str, str]:
    """The query string's arguments but the page and ``left_out``: what the pager's links
    keep."""
    dropped = {"page", *left_out}
    return {name: value for name, value in request.args.items() if name not in dropped}


def _page_of(query: Select[Any], size: int) -> Paged:
    counted = select(func.count()).select_from(query.order_by(None).subquery())
    return page_for(db_session().scalar(counted) or 0, size)

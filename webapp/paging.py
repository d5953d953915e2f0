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

    @property
    def offset(self) -> int:
        """How many rows come before this page."""
        return (self.page - 1) * self.size


def page_for(total: int, size: int = PAGE_SIZE) -> Paged:
    """The page the ``page`` argument names, without its rows: the first when it is missing,
    the last when it is past the end."""
    pages = max(1, -(-total // size))
    return Paged(
        [], min(max(1, request.args.get("page", 1, type=whole_number)), pages), pages, size
    )


def paged(query: Select[Any], size: int = PAGE_SIZE) -> Paged:
    """That page of the query's rows (scalars)."""
    session = db_session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = page_for(total or 0, size)
    page.rows = list(session.scalars(query.limit(size).offset(page.offset)))
    return page

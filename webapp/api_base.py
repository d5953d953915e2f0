"""The /api/v1 base: flask-smorest with one JSON error shape and one pagination convention.

Errors always look like ``{"code": "...", "message": "...", "errors": {"field": ["..."]}}``.
Lists are paged with ``?page=N&page_size=M``; the body is the list and the ``X-Pagination``
header carries ``total``, ``page``, ``total_pages`` and the neighbouring pages.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Api, Blueprint, Page
from flask_smorest.pagination import PaginationParameters
from marshmallow import Schema
from sqlalchemy import Select, func, select

from models.errors import ValidationFailed
from models.i18n import N_, Msg
from models.validation import MAX_DB_INT

API_PREFIX = "/api/v1"


class TierlightApi(Api):
    """flask-smorest's Api whose error handlers are ours (see :mod:`webapp.errors`).

    flask-smorest would answer every HTTP error of the whole app, pages included, with its own
    JSON shape; our handlers choose JSON or HTML by path and keep one JSON shape.
    """

    def _register_error_handlers(self) -> None:
        return None


class SelectPage(Page):
    """Pages through a SQLAlchemy ``select`` with LIMIT/OFFSET and one COUNT query."""

    def __init__(self, collection: Select[Any], page_params: Any) -> None:
        super().__init__(collection, page_params)

    @property
    def items(self) -> list[Any]:
        from webapp.database import db_session

        params = self.page_params
        query = self.collection.limit(params.page_size).offset(first_item(params))
        return list(db_session().scalars(query))

    @property
    def item_count(self) -> int:
        from webapp.database import db_session

        counted = select(func.count()).select_from(self.collection.order_by(None).subquery())
        return int(db_session().scalar(counted) or 0)


def first_item(params: PaginationParameters) -> int:
    """The offset of the page asked for; past every row for a page number too large for the
    database (such a page is empty, like any page past the end)."""
    return min(params.first_item, MAX_DB_INT)


def json_body(schema: type[Schema] | Schema, description: str = "") -> Any:
    """Document a JSON request body that the domain operation itself validates.

    The one door of a write is its domain operation, which loads the input through its own
    schema; the API only passes the JSON object on, so the body is documented, not parsed twice.
    """
    return Blueprint.doc(
        requestBody={
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    )


def json_object() -> dict[str, Any]:
    """The request's JSON body, which must be an object."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed({"_schema": [Msg(N_("Expected a JSON object."))]})
    return data

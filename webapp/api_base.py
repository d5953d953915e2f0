"""The /api/v1 base: flask-smorest with one JSON error shape and one pagination convention.

Errors always look like ``{"code": "...", "message": "...", "errors": {"field": ["..."]}}``.
Lists are paged with ``?page=N&page_size=M``; the body is the list and the ``X-Pagination``
header carries ``total``, ``page``, ``total_pages`` and the neighbouring pages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask, request
from flask_smorest import Api, Blueprint, Page
from flask_smorest.pagination import PaginationParameters
from marshmallow import Schema, fields
from sqlalchemy import Select, func, select

from models.errors import ValidationFailed
from models.i18n import N_, Msg
from models.validation import MAX_DB_INT

API_PREFIX = "/api/v1"


class ErrorSchema(Schema):
    """The one JSON shape of an API error (see :func:`webapp.errors.error_response`)."""

    code = fields.String(
        required=True,
        metadata={"description": "What went wrong, for programs: validation_error, not_found, "
                  "conflict, forbidden, unauthorized, ..."},
    )  # fmt: skip
    message = fields.String(
        required=True, metadata={"description": "What went wrong, in the request's language"}
    )
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Per field (or row and column) of the input, its problems"},
    )


def or_error(schema: type[Schema]) -> dict[str, Any]:
    """A response that is ``schema`` or, for the same status, the error shape (an upload
    refused with its errors kept, or a request refused before any upload was made)."""
    return {"oneOf": [schema, ErrorSchema]}


class TierlightApi(Api):
    """flask-smorest's Api whose error handlers are ours (see :mod:`webapp.errors`).

    flask-smorest would answer every HTTP error of the whole app, pages included, with its own
    JSON shape; our handlers choose JSON or HTML by path and keep one JSON shape, which the
    document describes (:class:`ErrorSchema`).
    """

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        return None

    def init_app(self, app: Flask, *args: Any, **kwargs: Any) -> None:
        super().init_app(app, *args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(decimal_property)


def decimal_property(_converter: Any, field: fields.Field, ret: dict[str, Any], **_: Any) -> dict:
    """A decimal in the OpenAPI document as it travels. One answered as a string (``"12.50"``,
    exact) is a string of format ``decimal``, its bounds kept as ``x-minimum``/``x-maximum``;
    the bounds and default of one read as a number are JSON numbers. apispec writes them
    through the field, as strings, which makes the document invalid for every OpenAPI tool."""
    if not isinstance(field, fields.Decimal):
        return {}
    if field.as_string:
        bounds = {f"x-{key}": ret.pop(key) for key in ("minimum", "maximum") if key in ret}
        return {"type": "string", "format": "decimal", **bounds}
    numbers = ("minimum", "maximum", "default")
    return {key: _json_number(ret[key]) for key in numbers if ret.get(key) is not None}


def _json_number(value: Any) -> int | float:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


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

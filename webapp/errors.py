"""Error handlers: one JSON shape under /api, an HTML page elsewhere, in the user's language."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from models.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from models.i18n import N_
from webapp.i18n import translate, translate_errors

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}

DOMAIN_STATUS = {ValidationFailed: 422, NotFound: 404, Forbidden: 403, Conflict: 409}

#: English source texts for the HTTP errors, so they are extracted and translated.
HTTP_MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Please sign in first."),
    403: N_("Your role does not allow this action."),
    404: N_("Not found."),
    405: N_("This method is not allowed here."),
    409: N_("This clashes with the current state of the record."),
    413: N_("The upload is larger than the %(mb)s MB allowed."),
    415: N_("This content type is not supported."),
    422: N_("The input is not valid."),
    429: N_("Too many attempts. Please wait a minute and try again."),
    500: N_("Something went wrong on our side. The error has been logged."),
    503: N_("The service is temporarily unavailable."),
}

#: webargs' own message for a body that does not parse, marked so that it is translated.
INVALID_JSON = N_("Invalid JSON body.")


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(
    status: int,
    code: str,
    message: str,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response | tuple[Any, ...]:
    """Render an error as JSON (API) or as a page, with ``message`` already translated."""
    if wants_json():
        response = _json(status, code, message, errors)
    else:
        body = render_template("error.html", status=status, message=message, errors=errors or {})
        response = Response(body, status=status, mimetype="text/html")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _json(status: int, code: str, message: str, errors: dict[str, Any] | None) -> Response:
    response = jsonify({"code": code, "message": message, "errors": errors or {}})
    response.status_code = status
    return response


def status_of(error: DomainError) -> int:
    """The HTTP status that answers a domain error, on a page as in the API."""
    return next((s for cls, s in DOMAIN_STATUS.items() if isinstance(error, cls)), 400)


def _domain_parts(error: DomainError) -> tuple[int, str, str, dict[str, Any] | None]:
    """Status, code, message and field errors of a domain error, in the user's language."""
    status = status_of(error)
    errors = translate_errors(error.errors) if isinstance(error, ValidationFailed) else None
    return status, error.code, translate(error.message), errors


def handle_domain_error(error: DomainError) -> Response | tuple[Any, ...]:
    return error_response(*_domain_parts(error))


def json_error(error: DomainError) -> Response:
    """The API's JSON answer to a domain error, for a page link whose answer is a JSON file."""
    return _json(*_domain_parts(error))


def handle_http_error(error: HTTPException) -> Response | tuple[Any, ...]:
    status = error.code or 500
    if isinstance(error, InternalServerError):
        log.exception("unhandled error", exc_info=error.original_exception)
    data = getattr(error, "data", None) or {}
    errors = _webargs_errors(data.get("messages")) if data.get("messages") else None
    settings = current_app.extensions["tierlight.settings"]
    message = gettext(HTTP_MESSAGES.get(status, error.name), mb=settings.max_upload_mb)
    headers = dict(data.get("headers") or {})
    allow = error.get_headers()
    headers.update({k: v for k, v in allow if k in {"Allow", "Retry-After", "WWW-Authenticate"}})
    return error_response(
        status,
        HTTP_CODES.get(status, "error"),
        message,
        translate_errors(errors) if errors else None,
        headers,
    )


def _webargs_errors(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs nests errors by location (``json``, ``query``); one location of field errors
    needs no nesting, but a location's own messages (a body that is not JSON) stay under it,
    so that ``errors`` is always an object."""
    if len(messages) == 1 and isinstance(inner := next(iter(messages.values())), dict):
        return inner
    return messages


def handle_csrf_error(error: CSRFError) -> Response | tuple[Any, ...]:
    """A form sent without a valid token: most often a page left open past the session's end
    or sent after signing in again elsewhere. Say so, and how to send it again."""
    log.info("CSRF refused: %s", error.description)
    return error_response(
        400,
        "csrf_failed",
        gettext(
            "This form has expired: the page was open too long, or you signed in again "
            "meanwhile. Nothing was saved. Go back, reload the page and send the form again."
        ),
    )


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)

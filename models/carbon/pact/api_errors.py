"""PACT API error codes with their HTTP statuses (v2 and v3) and the JSON error body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import fields

from models.carbon.pact.fields import PactSchema, load_or_raise, one_of
from models.errors import DomainError, Forbidden, NotFound, ValidationFailed
from models.i18n import N_


@dataclass(frozen=True)
class PactError:
    code: str
    status: int
    message: str


# v2 error table (spec v2 "Error responses"). NotImplemented is 400 in v2.
ERRORS_V2 = {
    e.code: e
    for e in (
        PactError("AccessDenied", 403, "Access denied"),
        PactError("BadRequest", 400, "Bad Request"),
        PactError("NoSuchFootprint", 404, "The specified footprint does not exist."),
        PactError(
            "NotImplemented",
            400,
            "The specified Action or header you provided implies functionality that is not "
            "implemented",
        ),
        PactError("TokenExpired", 401, "The specified access token has expired"),
        PactError("InternalError", 500, "An internal or unexpected error has occurred"),
    )
}

# v3 (OpenAPI `Error`): NoSuchFootprint became NotFound, and NotImplemented answers 501.
ERRORS_V3 = {
    e.code: e
    for e in (
        PactError("AccessDenied", 403, "Access denied"),
        PactError("BadRequest", 400, "Bad Request"),
        PactError("NotFound", 404, "The requested footprint could not be found."),
        PactError("NotImplemented", 501, "The requested functionality is not implemented"),
        PactError("TokenExpired", 401, "The specified access token has expired"),
        PactError("InternalError", 500, "An internal or unexpected error has occurred"),
    )
}

_NOT_FOUND = {2: "NoSuchFootprint", 3: "NotFound"}


def error_table(version: int) -> Mapping[str, PactError]:
    """The error codes of PACT major ``version`` (2 or 3)."""
    if version not in (2, 3):
        raise ValueError(f"PACT version must be 2 or 3, not {version!r}")
    return ERRORS_V2 if version == 2 else ERRORS_V3


def error_response(
    code: str, version: int, message: str | None = None
) -> tuple[int, dict[str, str]]:
    """The HTTP status and JSON body ``{"code", "message"}`` for error ``code`` in ``version``.

    Accepts the other version's name for "not found" (NoSuchFootprint / NotFound) and answers
    with this version's; any other unknown code raises ValueError.
    """
    table = error_table(version)
    if code in _NOT_FOUND.values():
        code = _NOT_FOUND[version]
    if code not in table:
        raise ValueError(f"{code!r} is not a PACT v{version} error code")
    error = table[code]
    return error.status, {"code": error.code, "message": message or error.message}


def error_for(exc: Exception, version: int) -> tuple[int, dict[str, str]]:
    """The PACT error answering a domain exception: invalid input is BadRequest (its message lists
    the JSON paths), NotFound is NoSuchFootprint/NotFound, Forbidden is AccessDenied, anything else
    InternalError with the table's message (nothing internal leaks)."""
    if isinstance(exc, ValidationFailed):
        details = "; ".join(f"{path}: {' '.join(msgs)}" for path, msgs in exc.errors.items())
        return error_response("BadRequest", version, f"{exc.message} {details}".strip())
    if isinstance(exc, NotFound):
        return error_response(_NOT_FOUND[version], version, exc.message)
    if isinstance(exc, Forbidden):
        return error_response("AccessDenied", version, exc.message)
    if isinstance(exc, DomainError):
        return error_response("BadRequest", version, exc.message)
    return error_response("InternalError", version)


class ErrorBodySchema(PactSchema):
    code = one_of(tuple(sorted({*ERRORS_V2, *ERRORS_V3})), required=True)
    message = fields.Str(required=True)


def parse_error_body(body: Any) -> PactError:
    """An error body received from another host (or inside a rejected-request event).

    The status is the one the v3 table gives (v2's for NoSuchFootprint)."""
    data = load_or_raise(ErrorBodySchema(), body, N_("This is not a valid PACT error object."))
    status = {**ERRORS_V2, **ERRORS_V3}[data["code"]].status
    return PactError(data["code"], status, data["message"])

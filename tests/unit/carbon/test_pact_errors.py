"""PACT error responses: the code table per version, and the JSON error body."""

from __future__ import annotations

import pytest

from models.carbon.pact import error_for, error_response, parse_error_body
from models.carbon.pact.api_errors import PactError
from models.errors import Forbidden, NotFound, ValidationFailed

from .samples import example


@pytest.mark.parametrize(
    ("code", "v2", "v3"),
    [
        ("AccessDenied", 403, 403),
        ("BadRequest", 400, 400),
        ("NoSuchFootprint", 404, 404),
        ("NotImplemented", 400, 501),
        ("TokenExpired", 401, 401),
        ("InternalError", 500, 500),
    ],
)
def test_each_error_code_has_its_status_per_version(code: str, v2: int, v3: int) -> None:
    assert error_response(code, 2)[0] == v2
    assert error_response(code, 3)[0] == v3


def test_not_found_is_named_per_version() -> None:
    assert error_response("NotFound", 2)[1]["code"] == "NoSuchFootprint"
    assert error_response("NoSuchFootprint", 3) == (
        404,
        {"code": "NotFound", "message": "The requested footprint could not be found."},
    )


def test_the_body_matches_the_specification_example() -> None:
    for version in (2, 3):
        sent = example(f"v{version}", "error-response-access-denied.json")

        assert error_response("AccessDenied", version, "Access Denied") == (403, sent)
        assert parse_error_body(sent) == PactError("AccessDenied", 403, "Access Denied")


def test_an_unknown_code_or_version_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not a PACT v3 error code"):
        error_response("Teapot", 3)
    with pytest.raises(ValueError, match="must be 2 or 3"):
        error_response("BadRequest", 1)


def test_domain_errors_become_pact_errors() -> None:
    invalid = ValidationFailed({"pcf.declaredUnit": ["Must be one of: liter, kilogram."]})

    assert error_for(invalid, 3) == (
        400,
        {
            "code": "BadRequest",
            "message": "The input is not valid. pcf.declaredUnit: Must be one of: liter, kilogram.",
        },
    )
    assert error_for(NotFound(), 2) == (404, {"code": "NoSuchFootprint", "message": "Not found."})
    assert error_for(Forbidden(), 3)[1]["code"] == "AccessDenied"
    assert error_for(RuntimeError("db password in here"), 3) == (
        500,
        {"code": "InternalError", "message": "An internal or unexpected error has occurred"},
    )


def test_a_malformed_error_body_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_error_body({"code": "Oops"})

    assert refused.value.errors == {
        "code": [
            "Must be one of: AccessDenied, BadRequest, InternalError, NoSuchFootprint, "
            "NotFound, NotImplemented, TokenExpired."
        ],
        "message": ["Missing data for required field."],
    }

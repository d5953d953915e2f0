"""The PACT HTTP API: /auth/token, /2|3/footprints, /2|3/footprints/<id>, /2|3/events.

Clients authenticate with OAuth2 client credentials (HTTP Basic or form fields) made on the
PACT API access page, then send ``Authorization: Bearer <token>``. Errors use the PACT shape
``{"code", "message"}`` with the status of the version's error table. When the public URL is
https, plain-http requests are refused without data.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from models.carbon.entities import PactClient
from models.carbon.pact import error_for, error_response, next_link, page_url
from models.carbon.pact_clients import (
    TOKEN_LIFETIME_S,
    ExpiredToken,
    InvalidToken,
    authenticate_client,
    issue_token,
    resolve_token,
)
from models.carbon.pact_events import receive_event
from models.carbon.pact_host import get_document, list_page
from models.carbon.pact_query import NotImplementedHere, read_query
from models.errors import DomainError
from webapp.database import db_session, unit_of_work
from webapp.tasks import enqueue
from worker.tasks.carbon import answer_pact_request

log = logging.getLogger(__name__)
bp = Blueprint("pact", __name__)
VERSIONS = (2, 3)


def _settings() -> Any:
    return current_app.extensions["tierlight.settings"]


def _https_required() -> bool:
    """True when the service is public over https and this request came over plain http."""
    if not _settings().public_base_url.startswith("https"):
        return False
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip()
    return not (request.is_secure or forwarded == "https")


def _version() -> int:
    return 2 if request.path.startswith("/2/") else 3


def _pact_error(code: str, message: str | None = None) -> tuple[Response, int]:
    status, body = error_response(code, _version(), message)
    return jsonify(body), status


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> tuple[Response, int]:
    if isinstance(error, InvalidToken):
        return _pact_error("BadRequest", "Invalid token provided")
    if isinstance(error, ExpiredToken):
        response, status = _pact_error("TokenExpired")
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response, status
    if isinstance(error, NotImplementedHere):
        return _pact_error("NotImplemented", str(error.message))
    status, body = error_for(error, _version())
    return jsonify(body), status


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> tuple[Response, int] | HTTPException:
    if isinstance(error, HTTPException):
        return error
    log.exception("PACT API error", exc_info=error)
    status, body = error_for(error, _version())
    return jsonify(body), status


def _client() -> PactClient:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not header[7:].strip():
        raise InvalidToken()
    return resolve_token(db_session(), header[7:].strip(), _settings().secret_key)


@bp.post("/auth/token")
def token() -> tuple[Response, int] | Response:
    if _https_required():
        return jsonify(error="invalid_request", error_description="HTTPS is required."), 400
    auth = request.authorization
    client_id = (auth.username if auth and auth.type == "basic" else None) or request.form.get(
        "client_id", ""
    )
    secret = (auth.password if auth and auth.type == "basic" else None) or request.form.get(
        "client_secret", ""
    )
    with unit_of_work() as session:
        client = authenticate_client(session, client_id or "", secret or "")
        if client is None:
            response = jsonify(
                error="invalid_client", error_description="Client authentication failed"
            )
            response.headers["WWW-Authenticate"] = 'Basic realm="PACT"'
            return response, 401
        access_token = issue_token(client, _settings().secret_key)
    if request.form.get("grant_type") != "client_credentials":
        return jsonify(error="unsupported_grant_type"), 400
    response = jsonify(
        access_token=access_token,
        token_type="Bearer",
        expires_in=TOKEN_LIFETIME_S,
        scope="footprint:list footprint:read",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/.well-known/openid-configuration")
def openid_configuration() -> Response:
    base = _settings().public_base_url.rstrip("/")
    return jsonify(
        issuer=base,
        token_endpoint=f"{base}/auth/token",
        grant_types_supported=["client_credentials"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        response_types_supported=["token"],
    )


def _next_url(offset: int) -> str:
    url = page_url(request.url, offset=offset)
    if _settings().public_base_url.startswith("https") and url.startswith("http:"):
        url = "https:" + url[5:]
    return url


@bp.get("/<int:version>/footprints")
def list_footprints(version: int) -> tuple[Response, int] | Response:
    if version not in VERSIONS:
        return _pact_error("NotImplemented")
    if _https_required():
        return _pact_error("BadRequest", "HTTPS is required.")
    client = _client()
    query = read_query(request.args.items(multi=True), version)
    page, following = list_page(
        db_session(), client.org_id, version, query.filter, query.limit, query.offset
    )
    response = jsonify(data=page)
    if following is not None:
        response.headers["Link"] = next_link(_next_url(following))
    return response


@bp.get("/<int:version>/footprints/<pf_id>")
def get_footprint(version: int, pf_id: str) -> tuple[Response, int] | Response:
    if version not in VERSIONS:
        return _pact_error("NotImplemented")
    if _https_required():
        return _pact_error("BadRequest", "HTTPS is required.")
    client = _client()
    return jsonify(data=get_document(db_session(), client.org_id, pf_id, version))


@bp.post("/<int:version>/events")
def events(version: int) -> tuple[Response | str, int]:
    if version not in VERSIONS:
        return _pact_error("NotImplemented")
    if _https_required():
        return _pact_error("BadRequest", "HTTPS is required.")
    client = _client()
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        return _pact_error("BadRequest", "The body must be a CloudEvents JSON object.")
    with unit_of_work() as session:
        event = receive_event(session, client, version, body)
        answer = event.id if event.status == "queued" else None
    if answer is not None:
        enqueue(answer_pact_request, answer)
    return "", 200


@bp.route("/<int:version>/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_implemented(version: int, rest: str) -> tuple[Response, int]:
    if version not in VERSIONS:
        return jsonify(code="NotFound", message="Not found."), 404
    return _pact_error("NotImplemented")

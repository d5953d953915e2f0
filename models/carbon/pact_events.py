"""PACT Action Events: receiving them, answering footprint requests, and sending the answers.

Every event received is kept as sent. A RequestCreatedEvent is answered, by a task, with a
RequestFulfilledEvent carrying the matching footprints the client's organisation may see, or a
RequestRejectedEvent (NotFound) when there are none; the answer is kept and then POSTed to
the requester's events endpoint.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import SplitResult, urlsplit

from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.carbon.entities import PactClient, PactEvent
from models.carbon.pact import (
    CONTENT_TYPE,
    REQUEST_CREATED,
    REQUEST_FULFILLED,
    REQUEST_REJECTED,
    PactError,
    event_body,
    new_event,
    parse_event,
)
from models.carbon.pact_host import visible_pact_footprints
from models.errors import NotFound, ValidationFailed
from models.i18n import N_

MAX_FOOTPRINTS_PER_ANSWER = 100
SEND_TIMEOUT_S = 15
NOT_HTTP = "target is not an http(s) URL"


def receive_event(session: Session, client: PactClient, version: int, body: Any) -> PactEvent:
    """Validate and keep an event posted to ``/<version>/events``.

    ValidationFailed (PACT BadRequest) for an invalid event or one of the other version. The
    caller answers a request (``status == "queued"``) with :func:`answer_request` in a task.
    """
    event = parse_event(body)
    if event.version != version:
        raise ValidationFailed.on(
            "type",
            N_("This is a PACT v%(version)s event; post it to /%(version)s/events."),
            version=event.version,
        )
    row = PactEvent(
        org_id=client.org_id,
        client_pk=client.id,
        direction="in",
        version=version,
        kind=event.kind,
        event_id=event.id[:200],
        source=event.source,
        body=body,
        status="queued" if event.kind == REQUEST_CREATED else "received",
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        Actor(None, client.org_id, None, "api"),
        "pact_event.receive",
        "pact_event",
        row.id,
        {"type": body.get("type"), "event_id": row.event_id, "client": client.client_id},
    )
    return row


def callback_url(source: str, version: int) -> str | None:
    """Where to POST the answer: the requester's events endpoint, from the event's source."""
    url = "https:" + source if source.startswith("//") else source
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if parts.path.rstrip("/").endswith("/events"):
        return url
    return url.rstrip("/") + f"/{version}/events"


def answer_request(session: Session, request_pk: int, base_url: str) -> PactEvent | None:
    """Build and keep the answer to a received RequestCreatedEvent (idempotent: a request is
    answered once). Our events URL under ``base_url`` is the answer's CloudEvents source."""
    request = session.get(PactEvent, request_pk)
    if request is None or request.kind != REQUEST_CREATED:
        raise NotFound()
    if request.status != "queued":
        return None
    event = parse_event(request.body)
    our_source = f"{base_url.rstrip('/')}/{request.version}/events"
    target = callback_url(request.source, request.version)
    if target is None:
        request.status, request.error = "unanswerable", "source is not an http(s) URL"
        return None
    found = visible_pact_footprints(session, request.org_id, request.version, event.criteria)
    if found:
        answer = new_event(
            request.version,
            REQUEST_FULFILLED,
            source=our_source,
            request_event_id=event.id,
            footprints=tuple(found[:MAX_FOOTPRINTS_PER_ANSWER]),
        )
    else:
        error = PactError("NotFound", 404, "The requested footprint could not be found.")
        answer = new_event(
            request.version,
            REQUEST_REJECTED,
            source=our_source,
            request_event_id=event.id,
            error=error,
        )
    row = PactEvent(
        org_id=request.org_id,
        client_pk=request.client_pk,
        direction="out",
        version=request.version,
        kind=answer.kind,
        event_id=answer.id,
        source=our_source,
        body=event_body(answer),
        status="pending",
        target_url=target,
        answer_to_id=request.id,
    )
    session.add(row)
    request.status = "answered"
    session.flush()
    record_audit(
        session,
        Actor.system(),
        "pact_event.answer",
        "pact_event",
        row.id,
        {"kind": answer.kind, "request": request.id, "footprints": len(found), "to": target},
    )
    return row


def deliver(session: Session, event_pk: int, allow_private: bool = False) -> str:
    """POST a pending outgoing event to its target; records the outcome ("sent" or "failed").

    The target comes from a client's event, so it is refused when it resolves to a loopback,
    private, link-local or otherwise non-public address (unless ``allow_private``: a test rig
    or a private network of partners), and redirects are not followed: a PACT client must not
    be able to make us call into our own network. The address checked is the address called
    (see :func:`public_socket`).
    """
    row = session.get(PactEvent, event_pk)
    if row is None or row.direction != "out":
        raise NotFound()
    if row.status == "sent":
        return row.status
    row.attempts += 1
    target = row.target_url or ""
    if not _is_http(urlsplit(target)):
        row.status, row.error = "failed", NOT_HTTP
        return row.status
    request = urllib.request.Request(
        target,
        data=json.dumps(row.body).encode(),
        headers={"Content-Type": CONTENT_TYPE},
        method="POST",
    )
    opener = _OPEN_ANY if allow_private else _OPEN_PUBLIC
    try:
        with opener.open(request, timeout=SEND_TIMEOUT_S) as response:
            ok = 200 <= response.status < 300
            row.error = None if ok else f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        ok, row.error = False, f"HTTP {error.code}"
    except urllib.error.URLError as error:
        refused = isinstance(error.reason, RefusedTarget)
        ok, row.error = False, str(error.reason if refused else error)[:500]
    except (OSError, ValueError) as error:
        ok, row.error = False, str(error)[:500]
    row.status = "sent" if ok else "failed"
    row.sent_at = utcnow() if ok else row.sent_at
    return row.status


class RefusedTarget(OSError):
    """The target's host cannot be resolved, or resolves to an address we do not call."""


def public_addresses(host: str, port: int) -> list[tuple[Any, ...]]:
    """``host``'s addresses (as ``getaddrinfo`` gives them), resolved once; every one must be a
    public internet address, else :class:`RefusedTarget` says why."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as error:
        raise RefusedTarget(f"target host cannot be resolved: {error}"[:500]) from None
    for *_, address in found:
        ip = ipaddress.ip_address(address[0])
        if not ip.is_global:
            raise RefusedTarget(f"target {host} resolves to a non-public address ({ip}); refused")
    return found


def public_socket(host: str, port: int, timeout: object) -> socket.socket:
    """A socket connected to one of the addresses :func:`public_addresses` approved.

    Checking the name and then letting the HTTP client resolve it again to connect would let a
    name server answer a public address to the check and an internal one to the connection
    (DNS rebinding); here the one answer is both checked and called."""
    failure: OSError = RefusedTarget(f"target {host} has no address")
    for family, kind, proto, _name, address in public_addresses(host, port):
        connection = socket.socket(family, kind, proto)
        try:
            if isinstance(timeout, int | float):
                connection.settimeout(timeout)
            connection.connect(address)
            return connection
        except OSError as error:
            connection.close()
            failure = error
    raise failure


def non_public_address(url: str) -> str | None:
    """Why ``url`` may not be called (its host is not a public internet address), or None."""
    parts = urlsplit(url)
    if not _is_http(parts):
        return NOT_HTTP
    try:
        public_addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (RefusedTarget, ValueError) as error:
        return str(error)
    return None


def _is_http(parts: SplitResult) -> bool:
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class _PublicHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = public_socket(self.host, self.port, self.timeout)


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        connection = public_socket(self.host, self.port, self.timeout)
        self.sock = self._context.wrap_socket(connection, server_hostname=self.host)


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


#: Public targets only, connected where they were checked; no proxy from the environment (the
#: proxy, not the target, would be the address connected to).
_OPEN_PUBLIC = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _NoRedirect, _PublicHTTPHandler, _PublicHTTPSHandler
)
_OPEN_ANY = urllib.request.build_opener(_NoRedirect)

"""PACT API client credentials (OAuth2 client credentials grant) and their access tokens.

An organisation makes credentials for a partner system on a page; the system exchanges them at
``/auth/token`` for a signed, expiring bearer token and then sees what that organisation may
see. Only a digest of the secret is stored; tokens are signed, not stored.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.carbon.entities import PactClient
from models.carbon.schemas import PactClientSchema
from models.errors import Conflict, DomainError, NotFound
from models.i18n import N_
from models.roles import require_permission
from models.tokens import digest, new_token
from models.validation import load

TOKEN_LIFETIME_S = 3600
_SALT = "pact-access-token"


class InvalidToken(DomainError):
    """A bearer token that is not one of ours (PACT BadRequest)."""

    code = "BadRequest"
    default_message = N_("Invalid token provided.")


class ExpiredToken(DomainError):
    """A bearer token of ours that has expired (PACT TokenExpired)."""

    code = "TokenExpired"
    default_message = N_("The specified access token has expired.")


def create_pact_client(
    session: Session,
    actor: Actor,
    data: dict[str, Any],
    *,
    known: tuple[str, str] | None = None,
) -> tuple[PactClient, str]:
    """New credentials for the actor's organisation; the secret is returned once, never stored.

    ``known`` (client id, secret) is for the demo data only, so its instructions can name them.
    """
    require_permission(actor.role, "manage_carbon")
    loaded = load(PactClientSchema(), data)
    client_id, secret = known or (f"tl-{secrets.token_hex(8)}", new_token(32))
    client = PactClient(
        org_id=actor.org_id,
        name=loaded["name"],
        client_id=client_id,
        secret_digest=digest(secret),
        created_by_user_id=actor.user_id,
    )
    session.add(client)
    session.flush()
    record_audit(
        session,
        actor,
        "pact_client.create",
        "pact_client",
        client.id,
        {"name": client.name, "client_id": client.client_id},
    )
    return client, secret


def revoke_pact_client(session: Session, actor: Actor, client_pk: int) -> PactClient:
    require_permission(actor.role, "manage_carbon")
    client = session.get(PactClient, client_pk)
    if client is None or client.org_id != actor.org_id:
        raise NotFound()
    if client.revoked_at is not None:
        raise Conflict(N_("These credentials are already revoked."))
    client.revoked_at = utcnow()
    record_audit(session, actor, "pact_client.revoke", "pact_client", client.id, {})
    return client


def pact_clients(session: Session, org_id: int) -> list[PactClient]:
    return list(
        session.scalars(
            select(PactClient).where(PactClient.org_id == org_id).order_by(PactClient.id.desc())
        )
    )


def authenticate_client(session: Session, client_id: str, secret: str) -> PactClient | None:
    """The live client with these credentials, or None (unknown, wrong secret or revoked)."""
    client = session.scalar(select(PactClient).where(PactClient.client_id == client_id))
    expected = client.secret_digest if client is not None else digest("")
    if not hmac.compare_digest(expected, digest(secret)) or client is None:
        return None
    if client.revoked_at is not None:
        return None
    client.last_used_at = utcnow()
    return client


def issue_token(client: PactClient, signing_key: str) -> str:
    return URLSafeTimedSerializer(signing_key, salt=_SALT).dumps({"c": client.id})


def resolve_token(session: Session, token: str, signing_key: str) -> PactClient:
    """The client a bearer token was issued to; InvalidToken or ExpiredToken otherwise.

    A revoked client's tokens stop working at once.
    """
    serializer = URLSafeTimedSerializer(signing_key, salt=_SALT)
    try:
        claims = serializer.loads(token, max_age=TOKEN_LIFETIME_S)
    except SignatureExpired:
        raise ExpiredToken() from None
    except BadSignature:
        raise InvalidToken() from None
    client = session.get(PactClient, claims.get("c")) if isinstance(claims, dict) else None
    if client is None or client.revoked_at is not None:
        raise InvalidToken()
    return client

"""Invitations: a buyer invites a supplier, an admin invites a colleague; single-use, expiring."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.accounts.entities import Membership, User
from models.accounts.operations import create_user, find_user_by_email
from models.accounts.passwords import verify_password
from models.actor import Actor, Channel
from models.audit import record_audit
from models.base import utcnow
from models.errors import Conflict, NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.notify import notify, queue_email
from models.orgs.entities import Invitation, Organisation
from models.orgs.operations import add_site, create_organisation, find_by_credit_code
from models.orgs.schemas import (
    ColleagueInvitationSchema,
    RegistrationSchema,
    SupplierInvitationSchema,
)
from models.orgs.sharing import find_link, link_supplier
from models.roles import has_permission, require_permission, roles_for_kind
from models.tokens import new_token
from models.validation import load

INVITATION_LIFETIME = timedelta(days=14)


def invitation_link(base_url: str, invitation: Invitation) -> str:
    return f"{base_url}/invite/{invitation.token}"


def invite_supplier(
    session: Session, actor: Actor, data: dict[str, Any], base_url: str
) -> Invitation:
    """A supplier invitation from the actor's organisation, e-mailed when an address is given."""
    require_permission(actor.role, "invite_supplier")
    loaded = load(SupplierInvitationSchema(), data)
    invitee = find_user_by_email(session, loaded["email"]) if loaded.get("email") else None
    if invitee is not None and any(m.org_id == actor.org_id for m in invitee.memberships):
        raise Conflict(N_("You cannot invite your own organisation as a supplier."))
    invitation = _create(
        session, actor, "supplier", loaded.get("email"), None, loaded.get("company_hint")
    )
    if invitation.email:
        buyer = session.get(Organisation, actor.org_id)
        assert buyer is not None
        queue_email(
            session,
            invitation.email,
            Msg(N_("%(buyer)s invites you to Tierlight"), buyer=buyer.local_name()),
            Msg(
                N_(
                    "%(buyer)s invites your company to report orders, quality and carbon data "
                    "on Tierlight. Register within 14 days:\n%(link)s"
                ),
                buyer=buyer.local_name(),
                link=invitation_link(base_url, invitation),
            ),
            kind="invitation",
            org_id=actor.org_id,
        )
    return invitation


def invite_colleague(
    session: Session, actor: Actor, data: dict[str, Any], base_url: str
) -> Invitation:
    """An invitation to join the actor's organisation with a role."""
    require_permission(actor.role, "manage_people")
    loaded = load(ColleagueInvitationSchema(), data)
    org = session.get(Organisation, actor.org_id)
    assert org is not None
    if loaded["role"] not in roles_for_kind(org.kind):
        raise ValidationFailed.on("role", N_("This role does not exist for this organisation."))
    existing = find_user_by_email(session, loaded["email"])
    if existing is not None and any(m.org_id == org.id for m in existing.memberships):
        raise Conflict(N_("This person is already a member of your organisation."))
    invitation = _create(session, actor, "colleague", loaded["email"], loaded["role"], None)
    queue_email(
        session,
        invitation.email or "",
        Msg(N_("Join %(org)s on Tierlight"), org=org.local_name()),
        Msg(
            N_("You are invited to join %(org)s on Tierlight. Accept within 14 days:\n%(link)s"),
            org=org.local_name(),
            link=invitation_link(base_url, invitation),
        ),
        kind="invitation",
        org_id=org.id,
    )
    return invitation


def _create(
    session: Session,
    actor: Actor,
    kind: str,
    email: str | None,
    role: str | None,
    company_hint: str | None,
) -> Invitation:
    invitation = Invitation(
        token=new_token(24),
        kind=kind,
        org_id=actor.org_id,
        invited_by_user_id=actor.user_id,
        email=email.strip().lower() if email else None,
        role=role,
        company_hint=company_hint,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    session.add(invitation)
    session.flush()
    record_audit(
        session,
        actor,
        f"invitation.{kind}",
        "invitation",
        invitation.id,
        {"email": invitation.email, "role": role},
    )
    return invitation


def open_invitation(session: Session, token: str) -> Invitation:
    """A usable invitation; a used, expired or revoked one is refused with the reason."""
    invitation = session.scalar(select(Invitation).where(Invitation.token == token))
    if invitation is None:
        raise NotFound(N_("This invitation link is not valid."))
    status = invitation.status(utcnow())
    if status == "used":
        raise Conflict(N_("This invitation has already been used."))
    if status == "expired":
        raise Conflict(N_("This invitation has expired. Ask for a new one."))
    if status == "revoked":
        raise Conflict(N_("This invitation was withdrawn."))
    return invitation


def register_supplier(
    session: Session, token: str, data: dict[str, Any], channel: Channel = "web"
) -> tuple[Organisation, User]:
    """An invited supplier registers its organisation and admin, and accepts the agreement.

    A credit code that is already registered is never duplicated: its admin must sign in and
    accept the invitation for the existing organisation instead.
    """
    invitation = open_invitation(session, token)
    if invitation.kind != "supplier":
        raise NotFound(N_("This invitation link is not valid."))
    loaded = load(RegistrationSchema(), data)
    if find_by_credit_code(session, loaded["organisation"]["credit_code"]) is not None:
        raise Conflict(
            N_(
                "This organisation is already registered. Sign in as one of its "
                "admins to accept the invitation for it."
            )
        )
    admin = loaded["admin"]
    try:
        user = create_user(
            session, admin["email"], admin["name"], admin["password"], admin.get("locale")
        )
    except ValidationFailed as error:
        raise error.under("admin") from None
    actor = Actor(user.id, None, "admin", channel)
    try:
        org = create_organisation(session, actor, "supplier", dict(data["organisation"]))
    except ValidationFailed as error:
        raise error.under("organisation") from None
    session.add(Membership(user_id=user.id, org_id=org.id, role="admin"))
    actor = Actor(user.id, org.id, "admin", channel)
    if loaded.get("site"):
        add_site(session, actor, data["site"], org_id=org.id)
    _accept(session, actor, invitation, org, data.get("sharing") or {})
    return org, user


def accept_as_existing(
    session: Session, actor: Actor, token: str, sharing: dict[str, Any]
) -> Organisation:
    """A signed-in supplier admin accepts an invitation for its existing organisation."""
    invitation = open_invitation(session, token)
    if invitation.kind != "supplier":
        raise NotFound(N_("This invitation link is not valid."))
    require_permission(actor.role, "manage_sharing")
    if invitation.org_id == actor.org_id:
        raise Conflict(N_("You cannot accept your own organisation's invitation."))
    org = session.get(Organisation, actor.org_id)
    assert org is not None
    if org.kind == "anchor":
        raise Conflict(N_("An anchor manufacturer cannot become a supplier here."))
    _accept(session, actor, invitation, org, sharing)
    return org


def _accept(
    session: Session,
    actor: Actor,
    invitation: Invitation,
    org: Organisation,
    sharing: dict[str, Any],
) -> None:
    link = find_link(session, invitation.org_id, org.id)
    if link is not None and link.status == "active":
        raise Conflict(N_("Your organisation is already an active supplier of this buyer."))
    link_supplier(session, actor, invitation.org_id, org.id, sharing)
    invitation.used_at = utcnow()
    invitation.used_by_user_id = actor.user_id
    invitation.result_org_id = org.id
    record_audit(
        session, actor, "invitation.accept", "invitation", invitation.id, {"org_id": org.id}
    )
    notify(
        session,
        invitation.org_id,
        "supplier_joined",
        Msg(N_("%(supplier)s accepted your invitation"), supplier=org.local_name()),
        link=f"/suppliers/{org.id}",
    )


def join_as_colleague(session: Session, token: str, data: dict[str, Any]) -> User:
    """An invited colleague creates an account (or reuses theirs) and joins with the role."""
    invitation = open_invitation(session, token)
    if invitation.kind != "colleague":
        raise NotFound(N_("This invitation link is not valid."))
    email = (invitation.email or data.get("email", "")).strip().lower()
    user = find_user_by_email(session, email)
    if user is None:
        user = create_user(
            session, email, data.get("name", ""), data.get("password", ""), data.get("locale")
        )
    elif not _password_matches(user, data.get("password", "")):
        raise ValidationFailed.on("password", N_("Enter the password of your existing account."))
    elif any(m.org_id == invitation.org_id for m in user.memberships):
        org = invitation.organisation
        raise Conflict(N_("You are already a member of %(org)s."), org=org.local_name_in_sentence())
    session.add(Membership(user_id=user.id, org_id=invitation.org_id, role=invitation.role))
    invitation.used_at = utcnow()
    invitation.used_by_user_id = user.id
    actor = Actor(user.id, invitation.org_id, invitation.role, "web")
    record_audit(
        session, actor, "invitation.accept", "invitation", invitation.id, {"role": invitation.role}
    )
    _withdraw_the_others(session, actor, invitation)
    return user


def _withdraw_the_others(session: Session, actor: Actor, used: Invitation) -> None:
    """Withdraw the other pending invitations of the person to the same organisation: a second
    link would otherwise offer another role; an admin changes a member's role on the people page."""
    others = session.scalars(
        select(Invitation).where(
            Invitation.org_id == used.org_id,
            Invitation.kind == "colleague",
            Invitation.email == used.email,
            Invitation.id != used.id,
        )
    )
    now = utcnow()
    for other in others:
        if other.status(now) == "pending":
            other.revoked_at = now
            record_audit(session, actor, "invitation.revoke", "invitation", other.id)


def _password_matches(user: User, password: str) -> bool:
    return verify_password(user.password_hash, password)


def revoke_invitation(session: Session, actor: Actor, invitation_id: int) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.org_id != actor.org_id:
        raise NotFound()
    require_permission(
        actor.role, "invite_supplier" if invitation.kind == "supplier" else "manage_people"
    )
    if invitation.status(utcnow()) != "pending":
        raise Conflict(N_("Only a pending invitation can be withdrawn."))
    invitation.revoked_at = utcnow()
    record_audit(session, actor, "invitation.revoke", "invitation", invitation.id)
    return invitation


#: Who may see (and so use the link of) an invitation of each kind.
MANAGED_BY = {"colleague": "manage_people", "supplier": "invite_supplier"}


def invitations_of(session: Session, actor: Actor) -> list[Invitation]:
    """The invitations of the actor's organisation that its role may send: an open link
    signs anyone up, so a colleague who may not invite does not see it."""
    kinds = [
        kind for kind, permission in MANAGED_BY.items() if has_permission(actor.role, permission)
    ]
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.org_id == actor.org_id, Invitation.kind.in_(kinds))
            .order_by(Invitation.id.desc())
        )
    )

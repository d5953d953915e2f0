"""Supplier links and their sharing agreements: creating, versioning, suspending, ending."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import is_upstream_of
from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import Conflict, Forbidden, NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.orgs.entities import LINK_STATES, SharingAgreement, SupplierLink
from models.orgs.schemas import SharingSchema
from models.roles import require_permission
from models.validation import load

#: Which link states a buyer may move a link to, from each state.
BUYER_TRANSITIONS = {
    "active": {"suspended", "ended"},
    "suspended": {"active", "ended"},
    "invited": {"ended"},
    "ended": set(),
}


def find_link(session: Session, buyer_id: int, supplier_id: int) -> SupplierLink | None:
    return session.scalar(
        select(SupplierLink).where(
            SupplierLink.buyer_id == buyer_id, SupplierLink.supplier_id == supplier_id
        )
    )


def link_supplier(
    session: Session, actor: Actor, buyer_id: int, supplier_id: int, sharing: dict[str, Any]
) -> SupplierLink:
    """Make ``supplier_id`` an active supplier of ``buyer_id`` under the given agreement.

    Refuses a link to oneself and a link that would close a cycle (A supplies B supplies A).
    Re-linking an ended or suspended supplier reactivates the existing link.
    """
    if buyer_id == supplier_id:
        raise Conflict(N_("An organisation cannot be its own supplier."))
    if is_upstream_of(session, supplier_id, buyer_id):
        raise Conflict(
            N_(
                "This link would make a cycle: the buyer already supplies this "
                "supplier, directly or through others."
            )
        )
    link = find_link(session, buyer_id, supplier_id)
    if link is None:
        link = SupplierLink(buyer_id=buyer_id, supplier_id=supplier_id)
        session.add(link)
        session.flush()
    elif link.status == "active":
        raise Conflict(N_("This organisation is already an active supplier of this buyer."))
    link.status = "active"
    link.since = utcnow()
    record_audit(
        session,
        actor,
        "link.activate",
        "supplier_link",
        link.id,
        {"buyer_id": buyer_id, "supplier_id": supplier_id},
    )
    _new_agreement(session, actor, link, sharing)
    return link


def _new_agreement(
    session: Session, actor: Actor, link: SupplierLink, sharing: dict[str, Any]
) -> SharingAgreement:
    flags = load(SharingSchema(), sharing)
    previous = session.scalar(
        select(SharingAgreement.version)
        .where(SharingAgreement.link_id == link.id)
        .order_by(SharingAgreement.version.desc())
        .limit(1)
    )
    agreement = SharingAgreement(
        link_id=link.id, version=(previous or 0) + 1, accepted_by_user_id=actor.user_id, **flags
    )
    session.add(agreement)
    session.flush()
    link.current_agreement_id = agreement.id
    record_audit(
        session,
        actor,
        "sharing.accept",
        "sharing_agreement",
        agreement.id,
        {"link_id": link.id, "version": agreement.version, **flags},
    )
    return agreement


def update_sharing(
    session: Session, actor: Actor, link_id: int, sharing: dict[str, Any]
) -> SharingAgreement:
    """The supplier's admin accepts a new version of the agreement on one of its links."""
    require_permission(actor.role, "manage_sharing")
    link = session.get(SupplierLink, link_id)
    if link is None or actor.org_id not in (link.supplier_id, link.buyer_id):
        raise NotFound()
    if link.supplier_id != actor.org_id:
        raise Forbidden(N_("Only the supplier decides what it shares."))
    if link.status == "ended":
        raise Conflict(N_("This link has ended."))
    return _new_agreement(session, actor, link, sharing)


#: A link's state as a word inside a sentence, translated for each reader.
LINK_STATE_WORDS = {
    "invited": N_("invited"),
    "active": N_("active"),
    "suspended": N_("suspended"),
    "ended": N_("ended"),
}


def set_link_status(session: Session, actor: Actor, link_id: int, status: str) -> SupplierLink:
    """The buyer suspends, reactivates or ends a supplier link."""
    require_permission(actor.role, "manage_suppliers")
    link = session.get(SupplierLink, link_id)
    if link is None or actor.org_id not in (link.supplier_id, link.buyer_id):
        raise NotFound()
    if link.buyer_id != actor.org_id:
        raise Forbidden(N_("Only the buyer can change the status of a supplier link."))
    if status not in LINK_STATES:
        raise ValidationFailed.on("status", N_("Unknown status."))
    if status not in BUYER_TRANSITIONS[link.status]:
        raise Conflict(
            N_("A link that is %(current)s cannot become %(target)s."),
            current=Msg(LINK_STATE_WORDS[link.status]),
            target=Msg(LINK_STATE_WORDS[status]),
        )
    before = link.status
    link.status = status
    record_audit(
        session, actor, "link.status", "supplier_link", link.id, {"from": before, "to": status}
    )
    return link


def agreement_history(session: Session, link_id: int) -> list[SharingAgreement]:
    return list(
        session.scalars(
            select(SharingAgreement)
            .where(SharingAgreement.link_id == link_id)
            .order_by(SharingAgreement.version.desc())
        )
    )


def links_of(session: Session, org_id: int) -> list[SupplierLink]:
    """Links on which the organisation is the buyer or the supplier."""
    return list(
        session.scalars(
            select(SupplierLink)
            .where((SupplierLink.buyer_id == org_id) | (SupplierLink.supplier_id == org_id))
            .order_by(SupplierLink.id)
        )
    )


def link_for(session: Session, org_id: int, link_id: int) -> SupplierLink:
    """A link the organisation is a party to; any other link is not found."""
    link = session.get(SupplierLink, link_id)
    if link is None or org_id not in (link.buyer_id, link.supplier_id):
        raise NotFound()
    return link

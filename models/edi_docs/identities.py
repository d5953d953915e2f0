"""Trading-partner identities: who is who in an envelope, and who may exchange files with whom."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.edi_docs.entities import EdiIdentity
from models.edi_docs.schemas import IdentitySchema
from models.errors import NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.orgs.entities import SupplierLink
from models.roles import require_permission
from models.validation import load


def add_identity(session: Session, actor: Actor, data: dict[str, Any]) -> EdiIdentity:
    """Give the actor's organisation an envelope identity (admins only).

    An identity names one organisation: one that an envelope could take for an identity
    already held (see :func:`same_identity`) is refused on ``identifier``, without saying by
    which organisation, and nothing is written.
    """
    require_permission(actor.role, "manage_organisation")
    loaded = load(IdentitySchema(), data)
    taken = session.scalar(
        select(EdiIdentity.qualifier)
        .where(same_identity(loaded["standard"], loaded["qualifier"], loaded["identifier"]))
        .limit(1)
    )
    if taken is not None:
        raise ValidationFailed.on("identifier", _taken_message(taken == loaded["qualifier"]))
    identity = EdiIdentity(org_id=actor.org_id, created_by_user_id=actor.user_id, **loaded)
    session.add(identity)
    session.flush()
    record_audit(session, actor, "edi_identity.add", "edi_identity", identity.id, dict(loaded))
    return identity


def _taken_message(exact: bool) -> str:
    if exact:
        return N_("This EDI identity is already registered.")
    return N_(
        "This identifier is already registered for EDIFACT; with or without a qualifier "
        "an envelope would name the same organisation."
    )


def remove_identity(session: Session, actor: Actor, identity_id: int) -> None:
    """Remove one of the actor's organisation's identities; another's is not found."""
    require_permission(actor.role, "manage_organisation")
    identity = session.get(EdiIdentity, identity_id)
    if identity is None or identity.org_id != actor.org_id:
        raise NotFound()
    detail = {
        "standard": identity.standard,
        "qualifier": identity.qualifier,
        "identifier": identity.identifier,
    }
    session.delete(identity)
    session.flush()
    record_audit(session, actor, "edi_identity.remove", "edi_identity", identity_id, detail)


def identities_query(org_id: int) -> Select[tuple[EdiIdentity]]:
    return (
        select(EdiIdentity)
        .where(EdiIdentity.org_id == org_id)
        .order_by(EdiIdentity.standard, EdiIdentity.id)
    )


def linked_org_ids(org_id: int) -> Select[tuple[int]]:
    """Organisations over an active link with ``org_id``, as buyer or as supplier."""
    return (
        select(SupplierLink.supplier_id)
        .where(SupplierLink.buyer_id == org_id, SupplierLink.status == "active")
        .union(
            select(SupplierLink.buyer_id).where(
                SupplierLink.supplier_id == org_id, SupplierLink.status == "active"
            )
        )
    )


def partner_identities_query(org_id: int) -> Select[tuple[EdiIdentity]]:
    """The identities of the organisation's active trading partners (to address files)."""
    return (
        select(EdiIdentity)
        .where(EdiIdentity.org_id.in_(linked_org_ids(org_id)))
        .order_by(EdiIdentity.org_id, EdiIdentity.standard, EdiIdentity.id)
    )


def same_identity(standard: str, qualifier: str, identifier: str) -> ColumnElement[bool]:
    """The identities an envelope naming ``qualifier``/``identifier`` may mean: the same one
    or, in EDIFACT where qualifiers are optional, the same identifier when either side has
    no qualifier. Both reading envelopes and registering identities use this one rule."""
    same = and_(EdiIdentity.standard == standard, EdiIdentity.identifier == identifier)
    if standard == "edifact" and not qualifier:
        return same
    if standard == "edifact":
        return and_(same, EdiIdentity.qualifier.in_((qualifier, "")))
    return and_(same, EdiIdentity.qualifier == qualifier)


def find_identity(
    session: Session, standard: str, qualifier: str | None, identifier: str | None
) -> EdiIdentity | None:
    """The identity an envelope names: the exact one, else the only one
    :func:`same_identity` allows (an EDIFACT id without a qualifier, or with one the
    identity lacks)."""
    identifier = (identifier or "").strip()
    qualifier = (qualifier or "").strip().upper()
    if not identifier or not (identifier + qualifier).isprintable():
        return None  # no identity holds control characters (the schema refuses them)
    exact = session.scalar(
        select(EdiIdentity).where(
            EdiIdentity.standard == standard,
            EdiIdentity.qualifier == qualifier,
            EdiIdentity.identifier == identifier,
        )
    )
    if exact is not None or standard != "edifact":
        return exact
    loose = list(
        session.scalars(
            select(EdiIdentity).where(same_identity(standard, qualifier, identifier)).limit(2)
        )
    )
    return loose[0] if len(loose) == 1 else None


def own_identity(session: Session, org_id: int, standard: str) -> EdiIdentity | None:
    """The identity an organisation writes files under in ``standard`` (its first one)."""
    return session.scalar(
        select(EdiIdentity)
        .where(EdiIdentity.org_id == org_id, EdiIdentity.standard == standard)
        .order_by(EdiIdentity.id)
        .limit(1)
    )


def are_linked(session: Session, first: int, second: int) -> bool:
    """True when an active link joins the two organisations, in either direction."""
    return (
        session.scalar(
            select(SupplierLink.id).where(
                SupplierLink.status == "active",
                or_(
                    and_(SupplierLink.buyer_id == first, SupplierLink.supplier_id == second),
                    and_(SupplierLink.buyer_id == second, SupplierLink.supplier_id == first),
                ),
            )
        )
        is not None
    )


@dataclass
class Partners:
    """The organisations an interchange names, and why it may not be taken (``problems``).

    ``sender_codes`` and ``receiver_codes`` are the X12 application codes (GS02, GS03) each
    side may use: the application ID its identity registered, or its interchange identifier;
    None when it registered none, and then any code is taken.
    """

    sender_org_id: int | None = None
    receiver_org_id: int | None = None
    problems: list[Msg] = field(default_factory=list)
    sender_codes: tuple[str, str] | None = None
    receiver_codes: tuple[str, str] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def application_problems(
        self, sender_code: str | None, receiver_code: str | None
    ) -> list[tuple[int, str | None, Msg]]:
        """(GS element position, the code, why) for each of a group's GS02 and GS03 that
        names an application other than the sender's or the receiver's."""
        found = []
        if self.sender_codes is not None and sender_code not in self.sender_codes:
            text = N_("GS02 names application %(code)s, but %(id)s sends as %(application)s.")
            found.append(
                (2, sender_code, _application_problem(text, sender_code, self.sender_codes))
            )
        if self.receiver_codes is not None and receiver_code not in self.receiver_codes:
            text = N_("GS03 names application %(code)s, but %(id)s receives as %(application)s.")
            found.append(
                (3, receiver_code, _application_problem(text, receiver_code, self.receiver_codes))
            )
        return found


def _application_problem(text: str, code: str | None, allowed: tuple[str, str]) -> Msg:
    application, identifier = allowed
    return Msg(text, code=code or "-", id=identifier, application=application)


def _application_codes(identity: EdiIdentity | None) -> tuple[str, str] | None:
    if identity is None or not identity.application_id:
        return None
    return identity.application_id, identity.identifier


def check_partners(
    session: Session,
    standard: str,
    sender: tuple[str | None, str | None],
    receiver: tuple[str | None, str | None],
    uploader_org_id: int,
) -> Partners:
    """Who sends to whom: both identities must be known, the sender must be the organisation
    that uploaded the file, and the two must be linked as buyer and supplier."""
    sender_identity = find_identity(session, standard, *sender)
    receiver_identity = find_identity(session, standard, *receiver)
    partners = Partners(
        sender_codes=_application_codes(sender_identity),
        receiver_codes=_application_codes(receiver_identity),
    )
    if sender_identity is None:
        partners.problems.append(
            Msg(
                N_(
                    "Unknown sender %(id)s (qualifier %(qualifier)s): "
                    "no organisation has this EDI identity."
                ),
                id=(sender[1] or "").strip() or "?",
                qualifier=(sender[0] or "").strip() or "-",
            )
        )
    else:
        partners.sender_org_id = sender_identity.org_id
        if sender_identity.org_id != uploader_org_id:
            partners.problems.append(
                Msg(
                    N_("The file names %(id)s as its sender, which is not your organisation."),
                    id=sender_identity.identifier,
                )
            )
    if receiver_identity is None:
        partners.problems.append(
            Msg(
                N_(
                    "Unknown receiver %(id)s (qualifier %(qualifier)s): "
                    "no organisation has this EDI identity."
                ),
                id=(receiver[1] or "").strip() or "?",
                qualifier=(receiver[0] or "").strip() or "-",
            )
        )
    else:
        partners.receiver_org_id = receiver_identity.org_id
    if (
        sender_identity is not None
        and receiver_identity is not None
        and not are_linked(session, sender_identity.org_id, receiver_identity.org_id)
    ):
        partners.problems.append(
            Msg(
                N_(
                    "Sender %(sender)s and receiver %(receiver)s are not linked "
                    "as buyer and supplier."
                ),
                sender=sender_identity.identifier,
                receiver=receiver_identity.identifier,
            )
        )
    return partners

"""Files we send: acknowledgements of what we received, purchase orders, and their replies.

The bytes are written by the EDI writers (a layer above); this module reserves the control
numbers, chooses the identities, keeps the file and follows the 997/CONTRL that answers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.edi_docs.counters import next_control_number, party_key
from models.edi_docs.entities import EdiDocument, EdiIdentity, EdiOutbound
from models.edi_docs.identities import own_identity
from models.edi_docs.schemas import OutboundOrderSchema
from models.edi_docs.units import edi_unit
from models.errors import Conflict, NotFound, ValidationFailed
from models.files import sha256_of
from models.i18n import N_
from models.orders.entities import PurchaseOrder
from models.roles import require_permission
from models.validation import MAX_DB_INT, load, whole_number_up_to

EXTENSIONS = {"x12": "x12", "edifact": "edi"}
ORDER_KINDS = {"x12": "850", "edifact": "ORDERS"}


@dataclass(frozen=True)
class Side:
    """One end of an envelope: qualifier, id and (X12) application id, and its organisation."""

    qualifier: str
    identifier: str
    application_id: str | None = None
    org_id: int | None = None

    @classmethod
    def of(cls, identity: EdiIdentity) -> Side:
        return cls(
            identity.qualifier, identity.identifier, identity.application_id, identity.org_id
        )

    @property
    def key(self) -> str:
        return party_key(self.qualifier, self.identifier)


@dataclass(frozen=True)
class Envelope:
    """Who writes to whom in which standard, under which (reserved) control number."""

    standard: str
    sender: Side
    receiver: Side
    control: int


def reserve_envelope(session: Session, standard: str, sender: Side, receiver: Side) -> Envelope:
    """An envelope with the next control number from ``sender`` to ``receiver``."""
    control = next_control_number(session, standard, sender.key, receiver.key)
    return Envelope(standard, sender, receiver, control)


def store_outbound(
    session: Session,
    actor: Actor,
    envelope: Envelope,
    kind: str,
    content: bytes,
    *,
    document_id: int | None = None,
    purchase_order_id: int | None = None,
) -> EdiOutbound:
    """Keep a written file under its envelope's control number."""
    name = f"{kind}-{envelope.sender.identifier}-{envelope.control:09d}"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    outbound = EdiOutbound(
        kind=kind,
        standard=envelope.standard,
        sender_org_id=envelope.sender.org_id,
        receiver_org_id=envelope.receiver.org_id,
        sender_key=envelope.sender.key,
        receiver_key=envelope.receiver.key,
        interchange_control=envelope.control,
        group_control=envelope.control,
        filename=f"{safe}.{EXTENSIONS[envelope.standard]}",
        size=len(content),
        sha256=sha256_of(content),
        content=content,
        status="sent",
        document_id=document_id,
        purchase_order_id=purchase_order_id,
        created_by_user_id=actor.user_id,
    )
    session.add(outbound)
    session.flush()
    record_audit(
        session,
        actor,
        "edi_outbound.write",
        "edi_outbound",
        outbound.id,
        {"kind": kind, "control": envelope.control, "document_id": document_id},
    )
    return outbound


def ack_receiver_org(document: EdiDocument) -> int:
    """Acknowledgements go back to the organisation that sent the file."""
    return document.org_id


@dataclass(frozen=True)
class OrderPlan:
    """A purchase order ready to be written: its record and envelope."""

    order_id: int
    kind: str
    record: dict[str, Any]
    envelope: Envelope


def plan_order_file(session: Session, actor: Actor, data: dict[str, Any]) -> OrderPlan:
    """Prepare a purchase order of the actor's organisation for its supplier as an 850 or
    ORDERS: both organisations need an identity in the standard (the supplier's first
    identity is used when none is named); the control number is reserved."""
    require_permission(actor.role, "manage_edi")
    loaded = load(OutboundOrderSchema(), data)
    order = session.get(PurchaseOrder, loaded["purchase_order_id"])
    if order is None or order.buyer_org_id != actor.org_id:
        raise NotFound()
    standard = loaded["standard"] or _partner_standard(session, order)
    ours = own_identity(session, actor.org_id or 0, standard)
    theirs = own_identity(session, order.supplier_org_id, standard)
    if ours is None:
        raise ValidationFailed.on(
            "standard", N_("Your organisation has no EDI identity for this standard yet.")
        )
    if theirs is None:
        raise ValidationFailed.on(
            "standard", N_("The supplier has no EDI identity for this standard.")
        )
    lines = [line for line in order.lines if line.status != "cancelled"]
    if not lines:
        raise Conflict(N_("The order has no open lines to send."))
    envelope = reserve_envelope(session, standard, Side.of(ours), Side.of(theirs))
    return OrderPlan(
        order.id, ORDER_KINDS[standard], order_record(order, lines, standard), envelope
    )


def _partner_standard(session: Session, order: PurchaseOrder) -> str:
    for standard in ("x12", "edifact"):
        if own_identity(session, order.supplier_org_id, standard) is not None and own_identity(
            session, order.buyer_org_id, standard
        ):
            return standard
    raise ValidationFailed.on(
        "standard", N_("The supplier and your organisation share no EDI standard.")
    )


def _decimal(value: Any) -> str | None:
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def order_record(order: PurchaseOrder, lines: list[Any], standard: str) -> dict[str, Any]:
    """The ``purchase_order`` record of an order: the shape the EDI reader gives back, with
    units in ``standard``'s codes."""
    return {
        "kind": "purchase_order",
        "number": order.number,
        "order_date": order.order_date.isoformat(),
        "currency": order.currency,
        "lines": [
            {
                "line": str(line.line_no),
                "part_number": line.part.part_number,
                "supplier_part_number": line.part.supplier_part_number,
                "quantity": _decimal(line.quantity),
                "unit": edi_unit(line.unit, standard),
                "due_date": line.due_date.isoformat(),
                "unit_price": _decimal(line.unit_price),
            }
            for line in lines
        ],
    }


def outbound_query(
    viewer_org_id: int, kind: str | None = None, document_id: int | None = None
) -> Select[tuple[EdiOutbound]]:
    """Files the organisation sent or that were sent to it, newest first."""
    query = select(EdiOutbound).where(
        or_(
            EdiOutbound.sender_org_id == viewer_org_id,
            EdiOutbound.receiver_org_id == viewer_org_id,
        )
    )
    if kind:
        query = query.where(EdiOutbound.kind == kind)
    if document_id is not None:
        query = query.where(EdiOutbound.document_id == document_id)
    return query.order_by(EdiOutbound.id.desc())


def outbound_for(session: Session, viewer_org_id: int, outbound_id: int) -> EdiOutbound:
    """A file the viewer sent or receives; any other is not found."""
    outbound = session.get(EdiOutbound, outbound_id)
    if outbound is None or viewer_org_id not in (outbound.sender_org_id, outbound.receiver_org_id):
        raise NotFound()
    return outbound


def outbound_content(session: Session, outbound: EdiOutbound) -> bytes:
    return session.scalar(select(EdiOutbound.content).where(EdiOutbound.id == outbound.id)) or b""


def acknowledge_outbound(
    session: Session,
    actor: Actor,
    standard: str,
    partner_org_id: int | None,
    our_org_id: int | None,
    control: str | None,
    status: str,
    detail: dict[str, Any],
    ack_document_id: int,
    *,
    whole_interchange: bool = False,
) -> EdiOutbound:
    """Set the status of the file we sent to the acknowledging partner under ``control``
    (an X12 group number, or its interchange number when the acknowledgement answers the
    ``whole_interchange``; an EDIFACT interchange reference). The actor is the partner that
    acknowledges; an acknowledgement of a file we never sent it is refused."""
    number = whole_number_up_to(control or "", MAX_DB_INT)
    outbound = None
    if number is not None and partner_org_id is not None:
        by_group = standard == "x12" and not whole_interchange
        column = EdiOutbound.group_control if by_group else EdiOutbound.interchange_control
        outbound = session.scalar(
            select(EdiOutbound)
            .where(
                EdiOutbound.standard == standard,
                EdiOutbound.receiver_org_id == partner_org_id,
                EdiOutbound.sender_org_id == our_org_id,
                EdiOutbound.kind.in_(tuple(ORDER_KINDS.values())),
                column == number,
            )
            .order_by(EdiOutbound.id.desc())
            .limit(1)
        )
    if outbound is None:
        raise ValidationFailed.on(
            "control_number",
            N_("This acknowledgement answers %(number)s, which was not sent to this partner."),
            number=control or "?",
        )
    before = outbound.status
    outbound.status = status
    outbound.ack_detail = detail
    outbound.ack_document_id = ack_document_id
    outbound.acknowledged_at = utcnow()
    record_audit(
        session,
        actor,
        "edi_outbound.acknowledge",
        "edi_outbound",
        outbound.id,
        {"from": before, "to": status, "document_id": ack_document_id},
    )
    return outbound


def orders_for_edi(session: Session, buyer_org_id: int, limit: int = 100) -> list[PurchaseOrder]:
    """The buyer's open orders whose supplier has an EDI identity (what can be sent as EDI)."""
    with_identity = select(EdiIdentity.org_id)
    return list(
        session.scalars(
            select(PurchaseOrder)
            .where(
                PurchaseOrder.buyer_org_id == buyer_org_id,
                PurchaseOrder.status == "open",
                PurchaseOrder.supplier_org_id.in_(with_identity),
            )
            .order_by(PurchaseOrder.id.desc())
            .limit(limit)
        )
    )

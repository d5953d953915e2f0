"""Each kind of EDI record onto the domain operation that writes it (the one door of a write).

A handler takes the record as the EDI reader gives it and the partners the envelope names,
and calls the same operation a form or the API calls. What it writes is returned as
``(entity, id, reference)`` for the message's history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from models.actor import Actor
from models.edi_docs.entities import EdiDocument
from models.edi_docs.identities import Partners
from models.edi_docs.order_mapping import order_response, purchase_order, ship_notice
from models.edi_docs.outbound import acknowledge_outbound
from models.edi_docs.quality_mapping import quality_report
from models.errors import ValidationFailed
from models.i18n import N_

Written = tuple[str, int, str | None]
Handler = Callable[[Session, Actor, Partners, EdiDocument, dict[str, Any]], Written]

# X12 AK901 / AK501 readings and EDIFACT CONTRL actions as the status of our outbound file.
_ACK_STATUS = {
    "accepted": "accepted",
    "accepted_with_errors": "accepted",
    "partially_accepted": "partially_accepted",
    "rejected": "rejected",
    "received": "received",
}


def _status(reading: str | None, field: str) -> str:
    """Our file's status for what the acknowledgement says; refused on ``field`` if unknown."""
    status = _ACK_STATUS.get(reading or "")
    if status is None:
        raise ValidationFailed.on(field, N_("The acknowledgement has no known status."))
    return status


def _acknowledge(
    session: Session,
    actor: Actor,
    partners: Partners,
    document: EdiDocument,
    standard: str,
    control: str | None,
    status: str,
    detail: dict[str, Any],
    *,
    whole_interchange: bool = False,
) -> Written:
    outbound = acknowledge_outbound(
        session,
        actor,
        standard,
        partners.sender_org_id,
        partners.receiver_org_id,
        control,
        status,
        detail,
        document.id,
        whole_interchange=whole_interchange,
    )
    return "edi_outbound", outbound.id, control


def _functional_ack(
    session: Session, actor: Actor, partners: Partners, document: EdiDocument, record: dict
) -> Written:
    """A 997 from a partner: the status of the group we sent it (AK102 is our GS06)."""
    status = _status(record.get("status"), "status")
    detail = {
        "status_code": record.get("status_code"),
        "error_codes": record.get("error_codes") or [],
        "sets": [
            {key: s.get(key) for key in ("type", "control_number", "status", "error_codes")}
            for s in record.get("sets") or []
        ],
    }
    control = record.get("group_control_number")
    return _acknowledge(session, actor, partners, document, "x12", control, status, detail)


def _interchange_ack(
    session: Session, actor: Actor, partners: Partners, document: EdiDocument, record: dict
) -> Written:
    """A TA1 from a partner: the status of the interchange we sent it (TA101 is our ISA13)."""
    status = _status(record.get("status"), "status")
    detail = {"status_code": record.get("status_code"), "note_code": record.get("note_code")}
    control = record.get("interchange_control_number")
    return _acknowledge(
        session, actor, partners, document, "x12", control, status, detail, whole_interchange=True
    )


def _contrl(
    session: Session, actor: Actor, partners: Partners, document: EdiDocument, record: dict
) -> Written:
    """A CONTRL from a partner: the status of the interchange we sent it (UCI 0020)."""
    status = _status(record.get("action"), "action")
    messages = record.get("messages") or []
    refused = [m for m in messages if m.get("action") == "rejected"]
    if status == "accepted" and refused:
        status = "partially_accepted" if len(refused) < len(messages) else "rejected"
    detail = {
        "action_code": record.get("action_code"),
        "error_code": record.get("error_code"),
        "messages": [
            {key: m.get(key) for key in ("control_number", "type", "action", "error_code")}
            for m in messages
        ],
    }
    control = record.get("interchange")
    return _acknowledge(session, actor, partners, document, "edifact", control, status, detail)


def _without_document(
    operation: Callable[[Session, Actor, Partners, dict[str, Any]], Written],
) -> Handler:
    def handle(
        session: Session, actor: Actor, partners: Partners, _: EdiDocument, record: dict
    ) -> Written:
        return operation(session, actor, partners, record)

    return handle


def _quality_report(
    session: Session, actor: Actor, partners: Partners, document: EdiDocument, record: dict
) -> Written:
    """A QALITY: its inspections remember the file they came in."""
    return quality_report(session, actor, partners, record, document.upload_id)


HANDLERS: dict[str, Handler] = {
    "purchase_order": _without_document(purchase_order),
    "order_response": _without_document(order_response),
    "ship_notice": _without_document(ship_notice),
    "quality_report": _quality_report,
    "functional_ack": _functional_ack,
    "interchange_ack": _interchange_ack,
    "contrl": _contrl,
}


def apply_record(
    session: Session, actor: Actor, partners: Partners, document: EdiDocument, record: dict
) -> Written:
    """Write one record through its domain operation; a kind we cannot take is refused."""
    handler = HANDLERS.get(record.get("kind") or "")
    if handler is None:
        raise ValidationFailed.on(
            "kind",
            N_("Records of kind %(kind)s cannot be taken yet."),
            kind=record.get("kind") or "?",
        )
    return handler(session, actor, partners, document, record)

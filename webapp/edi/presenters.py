"""What pages and the API show of EDI documents and files, in the viewer's language."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext, lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.edi_docs import reprocess, shares
from models.edi_docs.documents import REFUSED_STATES
from models.edi_docs.entities import EdiDocument, EdiOutbound
from models.edi_docs.outbound import outbound_query
from models.edi_docs.problems import PLACE_KEYS
from models.i18n import N_
from models.orgs.entities import Organisation
from models.roles import has_permission
from webapp.files import stored_file_response
from webapp.i18n import translate

STATUS_LABELS = {
    "received": lazy_gettext("Received"),
    "processing": lazy_gettext("Processing"),
    "accepted": lazy_gettext("Accepted"),
    "partially_accepted": lazy_gettext("Partially accepted"),
    "rejected": lazy_gettext("Rejected"),
    "sent": lazy_gettext("Sent"),
    "received_by_partner": lazy_gettext("Received by the partner"),
}
STATUS_CLASSES = {
    "accepted": "status-ok",
    "partially_accepted": "status-warn",
    "rejected": "status-bad",
}
STANDARD_LABELS = {"x12": "X12", "edifact": "EDIFACT"}
#: Repeated parts of a mapped record, named with their 1-based number.
NUMBERED = {
    "lines": N_("line item %(n)s"),
    "items": N_("item %(n)s"),
    "lots": N_("lot %(n)s"),
    "measurements": N_("measurement %(n)s"),
}
#: The record fields an EDI error can name, as the forms label them.
FIELDS = {
    "carrier": N_("Carrier"),
    "currency": N_("Currency"),
    "due_date": N_("Due date"),
    "lines": N_("Lines"),
    "lot_number": N_("Lot number"),
    "lots": N_("Lots"),
    "number": N_("Document number"),
    "order_date": N_("Order date"),
    "order_number": N_("Order number"),
    "part_number": N_("Part number"),
    "po_line": N_("Order line number"),
    "po_number": N_("Order number"),
    "promised_date": N_("Promised date"),
    "quantity": N_("Quantity"),
    "ship_date": N_("Ship date"),
    "supplier_part_number": N_("Supplier part number"),
    "tracking": N_("Tracking number"),
    "unit": N_("Unit"),
    "unit_price": N_("Unit price"),
    "value": N_("Value"),
}
#: Where the record a message wrote is shown (the same pages as records typed in a form).
ENTITY_PAGES = {"ship_notice": "/orders/notices/{id}", "purchase_order": "/orders/{id}"}


def status_label(status: str | None, outbound: bool = False) -> str:
    if outbound and status == "received":
        status = "received_by_partner"
    return str(STATUS_LABELS.get(status or "", status or "—"))


def problem_view(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored problem with its text in the viewer's language."""
    return {
        "code": stored.get("code"),
        "text": translate(stored.get("text")),
        **{key: stored.get(key) for key in PLACE_KEYS},
        "field_label": readable_field(stored.get("field")),
    }


def readable_field(path: str | None) -> str | None:
    """A record field path as a reader says it: ``lines.0.part_number`` -> "line item 1 ›
    Part number" (a field the forms do not label keeps its name)."""
    if not path:
        return None
    parts, words = path.split("."), []
    while parts:
        part = parts.pop(0)
        if part in NUMBERED and parts and parts[0].isdecimal():
            words.append(gettext(NUMBERED[part], n=int(parts.pop(0)) + 1))
        else:
            words.append(gettext(FIELDS[part]) if part in FIELDS else part)
    return " › ".join(words)


def _names(session: Session, org_ids: set[int], locale: str) -> dict[int, str]:
    if not org_ids:
        return {}
    orgs = session.scalars(select(Organisation).where(Organisation.id.in_(org_ids)))
    return {org.id: org.display_name(locale) for org in orgs}


def outbound_view(outbound: EdiOutbound, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": outbound.id,
        "kind": outbound.kind,
        "standard": outbound.standard,
        "filename": outbound.filename,
        "size": outbound.size,
        "sha256": outbound.sha256,
        "status": outbound.status,
        "status_label": status_label(outbound.status, outbound=True),
        "interchange_control": outbound.interchange_control,
        "sender_org_id": outbound.sender_org_id,
        "receiver_org_id": outbound.receiver_org_id,
        "sender_name": names.get(outbound.sender_org_id or 0, "—"),
        "receiver_name": names.get(outbound.receiver_org_id or 0, "—"),
        "document_id": outbound.document_id,
        "purchase_order_id": outbound.purchase_order_id,
        "ack_document_id": outbound.ack_document_id,
        "ack_detail": outbound.ack_detail,
        "created_at": outbound.created_at,
        "acknowledged_at": outbound.acknowledged_at,
    }


def outbound_views(session: Session, rows: list[EdiOutbound], locale: str) -> list[dict[str, Any]]:
    ids = {o.sender_org_id for o in rows if o.sender_org_id} | {
        o.receiver_org_id for o in rows if o.receiver_org_id
    }
    names = _names(session, ids, locale)
    return [outbound_view(row, names) for row in rows]


def document_summary(
    document: EdiDocument, outline: shares.Outline, names: dict[int, str]
) -> dict[str, Any]:
    """A document as the list shows it to one organisation (see :mod:`models.edi_docs.shares`)."""
    upload = document.upload
    return {
        "id": document.id,
        "filename": upload.filename,
        "size": upload.size,
        "sha256": upload.sha256,
        "standard": document.standard,
        "standard_label": STANDARD_LABELS.get(document.standard or "", "—"),
        "status": outline.status,
        "status_label": status_label(outline.status),
        "status_class": STATUS_CLASSES.get(outline.status, ""),
        "sender_org_id": document.org_id,
        "sender_name": names.get(document.org_id, "—"),
        "receiver_org_id": outline.receiver_org_id,
        "receiver_name": names.get(outline.receiver_org_id or 0, "—"),
        "channel": document.channel,
        "summary": outline.summary,
        "created_at": document.created_at,
        "processed_at": document.processed_at,
        "job_id": document.job_id,
        "pending": document.status in ("received", "processing"),
    }


def document_summaries(
    session: Session, viewer_org_id: int, rows: list[EdiDocument], locale: str
) -> list[dict[str, Any]]:
    outlines = shares.outlines_for(session, viewer_org_id, rows)
    ids = {d.org_id for d in rows} | {o.receiver_org_id for o in outlines.values()}
    names = _names(session, {i for i in ids if i}, locale)
    return [document_summary(row, outlines[row.id], names) for row in rows]


def document_detail(
    session: Session, viewer_org_id: int, role: str | None, document: EdiDocument, locale: str
) -> dict[str, Any]:
    """A document with its messages (those the viewer may see), errors and acknowledgements."""
    share = shares.share_for(session, viewer_org_id, document)
    messages = share.messages
    acks = list(session.scalars(outbound_query(viewer_org_id, document_id=document.id)))
    ids = {document.org_id, *(m.receiver_org_id for m in messages if m.receiver_org_id)}
    ids |= {share.receiver_org_id} if share.receiver_org_id else set()
    names = _names(session, ids, locale)
    outline = shares.Outline(share.summary, share.status, share.receiver_org_id)
    view = document_summary(document, outline, names)
    view["errors"] = [problem_view(p) for p in share.problems]
    view["messages"] = [
        {
            "seq": m.seq,
            "type": m.type,
            "standard": m.standard,
            "control_number": m.control_number,
            "interchange_control": m.interchange_control,
            "group_control": m.group_control,
            "status": m.status,
            "status_label": status_label(m.status),
            "status_class": STATUS_CLASSES.get(m.status, ""),
            "record_kind": m.record_kind,
            "entity": m.entity,
            "entity_id": m.entity_id,
            "reference": m.reference,
            "link": ENTITY_PAGES[m.entity].format(id=m.entity_id)
            if m.entity in ENTITY_PAGES and m.entity_id
            else None,
            "receiver_name": names.get(m.receiver_org_id or 0, "—"),
            "errors": [problem_view(p) for p in m.errors or []],
        }
        for m in messages
    ]
    view["acks"] = outbound_views(session, acks, locale)
    view["is_sender"] = document.org_id == viewer_org_id
    view["whole_file"] = share.whole_file
    view.update(_reprocess_view(session, viewer_org_id, role, document, share))
    return view


def _reprocess_view(
    session: Session,
    viewer_org_id: int,
    role: str | None,
    document: EdiDocument,
    share: shares.Share,
) -> dict[str, Any]:
    """Whether the viewer is offered to process the document again, and if not, why: the
    file is at fault (which refused messages, and that the accepted ones are kept), or only
    its sender may ask (see :mod:`models.edi_docs.reprocess`)."""
    outlook = reprocess.outlook(share)
    allowed = reprocess.may_process_again(session, viewer_org_id, document)
    refused = share.status in REFUSED_STATES
    return {
        "can_reprocess": has_permission(role, "manage_edi") and outlook.could_change and allowed,
        "sender_only": outlook.could_change and not allowed,
        "needs_correction": refused and (bool(outlook.in_file) or not outlook.could_change),
        "refused_in_file": [{"seq": m.seq, "reference": m.reference} for m in outlook.in_file],
        "only_in_file": refused and not outlook.could_change and not share.summary.get("accepted"),
    }


def download_response(content: bytes, filename: str) -> Response:
    """An EDI file to save, never shown in the browser, under its own (possibly Chinese) name."""
    return stored_file_response(content, filename or "edi.txt", None)

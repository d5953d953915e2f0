"""An interchange received again: its control number came from the same sender in an earlier
file. Orders and ship notices are protected by their own numbers, so this is a warning on the
new document, never a refusal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.edi_docs.entities import EdiDocument, EdiMessage
from models.edi_docs.problems import problem, storable
from models.i18n import N_, Msg

REPEATED_INTERCHANGE = "repeated_interchange"


def repeated_interchange(
    session: Session,
    document_id: int,
    standard: str,
    sender_org_id: int | None,
    control: str | None,
    sender: str | None,
) -> dict[str, Any] | None:
    """The warning for an interchange whose control number the same sending organisation
    used in an earlier document (one query), or None when it is new or its sender unknown."""
    if sender_org_id is None or not control:
        return None
    earlier = session.execute(
        select(EdiDocument.id, EdiDocument.created_at)
        .join(EdiMessage, EdiMessage.document_id == EdiDocument.id)
        .where(
            EdiMessage.standard == standard,
            EdiMessage.sender_org_id == sender_org_id,
            # As stored: a NUL made visible (PostgreSQL cannot compare one).
            EdiMessage.interchange_control == storable(control[:16]),
            EdiDocument.id < document_id,
        )
        .order_by(EdiDocument.id)
        .limit(1)
    ).first()
    if earlier is None:
        return None
    text = Msg(
        N_(
            "Interchange control number %(number)s from %(sender)s was already received "
            "in file #%(file)s on %(date)s."
        ),
        number=control,
        sender=sender or "—",
        file=earlier.id,
        date=earlier.created_at.date().isoformat(),
    )
    x12 = standard == "x12"
    return problem(
        REPEATED_INTERCHANGE,
        text,
        interchange=control,
        segment_tag="ISA" if x12 else "UNB",
        element="ISA13" if x12 else "UNB/0020",
        interchange_position=1,
    )

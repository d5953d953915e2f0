"""Inspection results from an EDIFACT QALITY, through the quality operation that records them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.edi_docs.identities import Partners
from models.errors import ValidationFailed
from models.i18n import N_, Msg
from models.orgs.entities import Organisation
from models.quality.entities import Inspection, Measurement
from models.quality.measurements import record_inspection

Written = tuple[str, int, str | None]


def quality_report(
    session: Session, actor: Actor, partners: Partners, record: dict, upload_id: int | None = None
) -> Written:
    """A QALITY: each item is one inspection of a lot by the sender, its supplier; the
    document number and date are the inspection's, the file its upload. A refused item names
    its place as ``items.N.<field>``, so every problem of the message is reported.

    A report number the sender already used is refused on ``number``, as an 856 / DESADV or
    ORDERS number is: the same QALITY sent again records nothing twice.
    """
    errors: dict[str, list[str]] = {}
    number = record.get("number")
    if number and _number_used(session, actor.org_id, number):
        errors["number"] = [
            Msg(N_("Quality report number %(number)s is already used."), number=number)
        ]
    first: Any = None
    for index, item in enumerate(record.get("items") or []):
        data = {key: value for key, value in item.items() if value is not None}
        data["document_number"] = record.get("number")
        if record.get("date"):
            data["inspected_at"] = record["date"]
        try:
            with session.begin_nested():
                inspection = record_inspection(session, actor, data, upload_id)
        except ValidationFailed as error:
            errors.update({f"items.{index}.{k}": v for k, v in error.errors.items()})
            continue
        first = first or inspection
    if errors:
        raise ValidationFailed(errors)
    if first is None:
        raise ValidationFailed.on("items", "Missing data for required field.")
    return "quality_inspection", first.id, record.get("number")


def _number_used(session: Session, supplier_id: int | None, number: str) -> bool:
    """Whether the supplier's inspections already carry this report number (voided ones do
    not count: a report voided as a mistake may be sent again, corrected).

    The supplier's row is locked first, so two copies of one report taken at the same time
    are checked one after the other (a number shared by several inspections cannot be held
    unique by the database)."""
    session.execute(select(Organisation.id).where(Organisation.id == supplier_id).with_for_update())
    return (
        session.scalar(
            select(Inspection.id)
            .where(
                Inspection.supplier_org_id == supplier_id,
                Inspection.document_number == number,
                Inspection.voided_at.is_(None),
            )
            .limit(1)
        )
        is not None
    )


def measured_characteristics(session: Session, upload_id: int) -> list[int]:
    """The characteristics the inspections of one file measured: their statistics are
    recomputed once the file is taken."""
    return list(
        session.scalars(
            select(Measurement.characteristic_id)
            .join(Inspection, Inspection.id == Measurement.inspection_id)
            .where(Inspection.upload_id == upload_id)
            .distinct()
            .order_by(Measurement.characteristic_id)
        )
    )

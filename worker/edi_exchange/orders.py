"""Send a purchase order to an EDI supplier as an X12 850 or an EDIFACT ORDERS file."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from edi import ControlNumbers, Party, write_850, write_orders
from models.actor import Actor
from models.edi_docs.entities import EdiOutbound
from models.edi_docs.outbound import Side, plan_order_file, store_outbound
from models.errors import ValidationFailed
from models.i18n import N_


def _party(side: Side) -> Party:
    return Party(side.identifier, side.qualifier or "ZZ", side.application_id)


def send_order_file(session: Session, actor: Actor, data: dict[str, Any]) -> EdiOutbound:
    """Write ``{"purchase_order_id", "standard"?}`` as a file for the order's supplier, under
    the next control number from the buyer to that supplier, and keep it for the supplier to
    fetch. A value that cannot be written in the standard (a separator in a part number) is
    a validation error naming the order."""
    plan = plan_order_file(session, actor, data)
    envelope = plan.envelope
    control = ControlNumbers(envelope.control, envelope.control, 1)
    writer = write_850 if envelope.standard == "x12" else write_orders
    try:
        content = writer(
            plan.record,
            sender=_party(envelope.sender),
            receiver=_party(envelope.receiver),
            control=control,
        )
    except ValueError as error:
        raise ValidationFailed.on(
            "purchase_order_id",
            N_("This order cannot be written as EDI: %(reason)s"),
            reason=str(error),
        ) from None
    return store_outbound(
        session, actor, envelope, plan.kind, content, purchase_order_id=plan.order_id
    )

"""Map each message to plain records with the mapper for its standard and type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from edi import errors
from edi.edifact.contrl import map_contrl
from edi.edifact.desadv import map_desadv
from edi.edifact.orders import map_orders
from edi.edifact.ordrsp import map_ordrsp
from edi.edifact.qality import map_qality
from edi.errors import EdiError
from edi.model import EDIFACT, X12, Message
from edi.view import MessageView
from edi.x12.functional_ack import map_functional_ack
from edi.x12.order_response import map_order_response
from edi.x12.purchase_order import map_purchase_order
from edi.x12.ship_notice import map_ship_notice
from models.i18n import N_, Msg

Mapper = Callable[[MessageView], list[dict[str, Any]]]

MAPPERS: dict[tuple[str, str], Mapper] = {
    (X12, "850"): map_purchase_order,
    (X12, "855"): map_order_response,
    (X12, "856"): map_ship_notice,
    (X12, "997"): map_functional_ack,
    (X12, "999"): map_functional_ack,
    (EDIFACT, "ORDERS"): map_orders,
    (EDIFACT, "ORDRSP"): map_ordrsp,
    (EDIFACT, "DESADV"): map_desadv,
    (EDIFACT, "QALITY"): map_qality,
    (EDIFACT, "CONTRL"): map_contrl,
}


def map_message(message: Message) -> None:
    """Set ``message.records`` from its segments, all or nothing.

    Mapping problems are added to ``message.errors``; a message with any error (from its
    envelope or its mapping) gets no records. ``message.places`` says where the record's
    fields were read. A type without a mapper is an
    ``unsupported_message`` error.
    """
    mapper = MAPPERS.get((message.standard, message.type))
    if mapper is None:
        message.errors.append(
            EdiError(
                errors.UNSUPPORTED_MESSAGE,
                Msg(N_("Message type %(type)s is not supported"), type=message.type or "?"),
                interchange=message.interchange,
                group=message.group,
                message=message.control_number,
                segment_position=1,
                segment_tag="ST" if message.standard == X12 else "UNH",
            )
        )
        message.records = []
        return
    view = MessageView(message)
    records = mapper(view)
    message.errors.extend(view.errors)
    message.records = [] if message.errors else records
    message.places = {} if message.errors else view.places

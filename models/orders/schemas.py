"""Input schemas of the order-to-receipt flow: one per write, shared by every channel.

The shapes are plain dicts that map 1:1 to EDI records (850/ORDERS, 855/ORDRSP, 856/DESADV),
spreadsheet rows and JSON bodies; numbers may come as strings ("12.5"), dates as ISO strings.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from models.clock import as_utc, local_today
from models.i18n import N_, Msg
from models.validation import FIRST_DAY, Day, ExactDecimal, Integer, Text

MAX_QUANTITY = Decimal("99999999999999")
MAX_SHIP_DAYS_AHEAD = 30
#: A ship notice is one business document, all-or-nothing, however it arrives: an EDI 856 /
#: DESADV for a shipment of serialised or small-lot parts carries tens of thousands of item
#: lines (the EDI benchmark sends 50,000), and splitting it would break that. The cap leaves
#: twice that and still bounds one notice: at the cap an EDI ingest takes about 35 s and
#: 0.8 GB in the worker (measured, most of it the parsed file), an API body stays within the
#: upload limit. The form lists a supplier's open lines, so it stays far below on its own.
MAX_NOTICE_LINES = 100_000
CONFIRMATION_ACTIONS = ("confirm", "propose", "accept", "reject")
REJECT_REASONS = (
    "dimension",
    "surface",
    "material",
    "function",
    "packaging",
    "quantity",
    "documents",
    "other",
)
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ._/#:+()-]*$"
KEY_PATTERN = r"^[A-Za-z0-9._:-]+$"
#: A unit as people write it: a code (pcs, KGM, m2) or a Chinese counting word (件, 公斤).
UNIT_PATTERN = r"^[^\W_][\w.%/²³-]*$"


class Code(Text):
    """An identifier typed by people: part, order, lot and notice numbers."""

    def __init__(self, max_length: int = 64, **kwargs: Any) -> None:
        super().__init__(
            validate=[
                validate.Length(max=max_length),
                validate.Regexp(
                    CODE_PATTERN,
                    error=N_("Use letters, digits and - . _ / # : + ( ) only."),
                ),
            ],
            **kwargs,
        )


class Quantity(ExactDecimal):
    """A quantity greater than zero (or at least zero with ``allow_zero``), four decimals."""

    def __init__(self, allow_zero: bool = False, **kwargs: Any) -> None:
        minimum = validate.Range(
            min=0,
            min_inclusive=allow_zero,
            error=N_("Enter a number of at least 0.")
            if allow_zero
            else N_("Enter a quantity greater than 0."),
        )
        maximum = validate.Range(max=MAX_QUANTITY, error=N_("This number is too large."))
        super().__init__(4, validate=[minimum, maximum], **kwargs)


class Unit(Text):
    """A counting unit: letters (Chinese too), digits and . % / ² ³ -, at most 16."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            validate=[
                validate.Length(max=16),
                validate.Regexp(
                    UNIT_PATTERN,
                    error=N_("Write the unit as a code (pcs, kg) or a word such as 件 or 公斤."),
                ),
            ],
            **kwargs,
        )


class IdempotencyKey(Text):
    """A key the client makes up for one request (a uuid4, say): sent again, it names the same
    request, so a double tap or a retry is recorded once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            validate=[
                validate.Length(min=8, max=64),
                validate.Regexp(KEY_PATTERN, error=N_("Use letters, digits and - . _ : only.")),
            ],
            **kwargs,
        )


class CapturedAt(fields.DateTime):
    """When something happened, if earlier than it is sent (an offline phone, an EDI message):
    not in the future, at most a year back. A time without an offset is read on the local wall
    clock (``TIME_ZONE``), as people and most EDI messages write it."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        written = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = as_utc(written)
        except OverflowError:
            moment = (datetime.min if written.year < FIRST_DAY.year else datetime.max).replace(
                tzinfo=UTC
            )
        now = datetime.now(UTC)
        if moment > now + timedelta(minutes=5):
            raise ValidationError(Msg(N_("This time is in the future.")))
        if moment < now - timedelta(days=366):
            raise ValidationError(Msg(N_("This time is more than a year ago.")))
        return moment


class ShipDay(Day):
    """The day goods left: at most :data:`MAX_SHIP_DAYS_AHEAD` days ahead (a notice sent before
    the truck leaves); a later one could never be received."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        day = super()._deserialize(value, attr, data, **kwargs)
        if day > local_today() + timedelta(days=MAX_SHIP_DAYS_AHEAD):
            raise ValidationError(
                Msg(N_("A ship date at most %(days)s days ahead."), days=MAX_SHIP_DAYS_AHEAD)
            )
        return day


class _Input(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _blank_is_missing(self, data: Any, **_: Any) -> Any:
        """Forms and spreadsheets send "" and EDI records send null for an empty optional
        field; both count as absent."""
        if isinstance(data, dict):
            return {
                k: v
                for k, v in data.items()
                if v is not None and not (isinstance(v, str) and not v.strip())
            }
        return data


class PartSchema(_Input):
    """A part of the acting organisation, created or updated by its number."""

    part_number = Code(required=True)
    name_zh = Text(required=True, validate=validate.Length(max=200))
    name_en = Text(load_default=None, validate=validate.Length(max=200))
    unit = Unit(required=True)
    mass_kg = ExactDecimal(
        6,
        precision=18,
        load_default=None,
        validate=validate.Range(min=0, error=N_("Enter a number of at least 0.")),
    )
    supplier_org_id = Integer(load_default=None)
    supplier_part_number = Code(load_default=None)


class BomLineSchema(_Input):
    """``parent_part_number`` consumes ``quantity`` of ``child_part_number`` per unit."""

    parent_part_number = Code(required=True)
    child_part_number = Code(required=True)
    quantity = Quantity(required=True)
    scrap_pct = ExactDecimal(
        3,
        load_default=Decimal(0),
        validate=validate.Range(min=0, max=100, error=N_("Enter a percentage from 0 to 100.")),
    )


class OrderLineInputSchema(_Input):
    line = Integer(load_default=None, validate=validate.Range(min=1, max=99999))
    part_number = Code(load_default=None)
    supplier_part_number = Code(load_default=None)
    quantity = Quantity(required=True)
    unit = Unit(load_default=None)
    due_date = Day(required=True)
    unit_price = ExactDecimal(
        4,
        load_default=None,
        validate=validate.Range(min=0, max=MAX_QUANTITY, error=N_("Enter a number of at least 0.")),
    )

    @validates_schema
    def _part_named(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("part_number") and not data.get("supplier_part_number"):
            raise ValidationError(Msg(N_("Missing data for required field.")), "part_number")


class PurchaseOrderSchema(_Input):
    """A buyer's order to one of its active suppliers (EDI 850 / ORDERS record shape)."""

    number = Code(required=True)
    supplier_org_id = Integer(required=True)
    order_date = Day(load_default=None)
    currency = Text(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))
    note = Text(load_default=None, validate=validate.Length(max=2000))
    lines = fields.List(
        fields.Nested(OrderLineInputSchema),
        required=True,
        validate=validate.Length(min=1, max=500, error=N_("An order needs 1 to 500 lines.")),
    )


class ConfirmationSchema(_Input):
    """The supplier confirms or proposes; the buyer accepts or rejects a proposal."""

    action = Text(required=True, validate=validate.OneOf(CONFIRMATION_ACTIONS))
    quantity = Quantity(load_default=None)
    promised_date = Day(load_default=None)
    note = Text(load_default=None, validate=validate.Length(max=2000))
    at = CapturedAt(load_default=None)

    @validates_schema
    def _proposal_changes_something(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("action") == "propose" and not (
            data.get("quantity") or data.get("promised_date")
        ):
            raise ValidationError(
                Msg(N_("Propose another quantity or another date.")), "promised_date"
            )


class ProgressReportSchema(_Input):
    """One report from the shop floor; the idempotency key makes a retry harmless."""

    stage = Text(required=True, validate=validate.Length(max=32))
    quantity_done = Quantity(allow_zero=True, required=True)
    expected_finish = Day(load_default=None)
    note = Text(load_default=None, validate=validate.Length(max=1000))
    idempotency_key = Text(
        required=True,
        validate=[
            validate.Length(min=8, max=64),
            validate.Regexp(KEY_PATTERN, error=N_("Use letters, digits and - . _ : only.")),
        ],
    )
    supersedes_id = Integer(load_default=None)
    reported_at = CapturedAt(load_default=None)


class ShipLotSchema(_Input):
    lot_number = Code(max_length=80, required=True)
    quantity = Quantity(load_default=None)


class ShipLineSchema(_Input):
    """A shipped order line, named by id or by order number and line number."""

    order_line_id = Integer(load_default=None)
    po_number = Code(load_default=None)
    po_line = Integer(load_default=None)
    part_number = Code(load_default=None)
    supplier_part_number = Code(load_default=None)
    quantity = Quantity(required=True)
    unit = Unit(load_default=None)
    lots = fields.List(
        fields.Nested(ShipLotSchema),
        required=True,
        validate=validate.Length(
            min=1,
            error=N_(
                "The line names no lot: give at least one lot number (and, for several "
                "lots, the quantity of each)."
            ),
        ),
    )

    @validates_schema
    def _line_named(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("order_line_id") is None and not (
            data.get("po_number") and data.get("po_line") is not None
        ):
            raise ValidationError(
                Msg(N_("Name the order line: its id, or the order number and line number.")),
                "order_line_id",
            )


class ShipNoticeSchema(_Input):
    """A ship notice (EDI 856 / DESADV record shape)."""

    number = Code(required=True)
    ship_date = ShipDay(load_default=None)
    buyer_org_id = Integer(load_default=None)
    carrier = Text(load_default=None, validate=validate.Length(max=120))
    tracking = Text(load_default=None, validate=validate.Length(max=120))
    lines = fields.List(
        fields.Nested(ShipLineSchema),
        required=True,
        validate=validate.Length(
            min=1,
            max=MAX_NOTICE_LINES,
            error=N_("A ship notice needs 1 to 100,000 lines."),
        ),
    )


class ConsumedLotSchema(_Input):
    lot_number = Code(max_length=80, required=True)
    supplier_org_id = Integer(load_default=None)
    quantity = Quantity(required=True)


class ConsumptionSchema(_Input):
    """Which input lots went into one output lot of the declaring supplier."""

    output_lot_number = Code(max_length=80, required=True)
    part_number = Code(load_default=None)
    made_at = Day(load_default=None)
    inputs = fields.List(
        fields.Nested(ConsumedLotSchema),
        required=True,
        validate=validate.Length(min=1, max=500, error=N_("Give 1 to 500 input lots.")),
    )


class ReceivedLotSchema(_Input):
    """One lot of the notice; named by its shipment-lot id or by its lot number."""

    shipment_lot_id = Integer(load_default=None)
    lot_number = Code(max_length=80, load_default=None)
    received_quantity = Quantity(allow_zero=True, required=True)
    # Four places, as a given quantity loads and as it is stored, so it is answered alike.
    rejected_quantity = Quantity(allow_zero=True, load_default=Decimal("0.0000"))
    reason_code = Text(load_default=None, validate=validate.OneOf(REJECT_REASONS))

    @validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("shipment_lot_id") is None and not data.get("lot_number"):
            raise ValidationError(Msg(N_("Missing data for required field.")), "lot_number")
        received = data.get("received_quantity")
        rejected = data.get("rejected_quantity") or Decimal(0)
        if received is not None and rejected > received:
            raise ValidationError(
                Msg(N_("Rejected cannot be more than received.")), "rejected_quantity"
            )
        if rejected > 0 and not data.get("reason_code"):
            raise ValidationError(Msg(N_("Give a reason for the rejects.")), "reason_code")


class ReceiptSchema(_Input):
    """The buyer's receipt of a ship notice, lot by lot (with ``all_as_shipped``, every lot not
    named arrived in full); the idempotency key makes a retry harmless."""

    ship_notice_id = Integer(load_default=None)
    notice_number = Code(load_default=None)
    supplier_org_id = Integer(load_default=None)
    received_on = Day(load_default=None)
    idempotency_key = IdempotencyKey(load_default=None)
    all_as_shipped = fields.Boolean(load_default=False)
    lots = fields.List(fields.Nested(ReceivedLotSchema), load_default=list)

    @validates_schema
    def _notice_named(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("ship_notice_id") is None and not data.get("notice_number"):
            raise ValidationError(Msg(N_("Missing data for required field.")), "ship_notice_id")
        if not data.get("lots") and not data.get("all_as_shipped"):
            raise ValidationError(Msg(N_("Give at least one lot.")), "lots")

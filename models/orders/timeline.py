"""The story of one order line: confirmations, reports, shipments and receipts, in time order.

Shipments and receipts carry lot numbers, so a viewer who is not a party to the line sees them
only when the supplier shares traceability with it; prices are never part of the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.access import can_see
from models.orders.entities import (
    LineConfirmation,
    Lot,
    OrderLine,
    ProgressReport,
    Receipt,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from models.orders.lines import visible_line
from models.orders.overview import LineFilters, LineRow, line_rows
from models.orders.stages import Stage, stages_for_buyer


@dataclass
class Event:
    kind: str
    at: datetime
    data: dict[str, Any]


@dataclass
class Timeline:
    row: LineRow
    stages: tuple[Stage, ...]
    events: list[Event] = field(default_factory=list)
    version: str = ""
    predicted_finish: date | None = None
    shows_lots: bool = False


def timeline_version(session: Session, line: OrderLine) -> str:
    """Changes whenever anything is added to the line's story (for pages that poll)."""
    counts = session.execute(
        select(
            select(func.count(ProgressReport.id))
            .where(ProgressReport.line_id == line.id)
            .scalar_subquery(),
            select(func.count(LineConfirmation.id))
            .where(LineConfirmation.line_id == line.id)
            .scalar_subquery(),
            select(func.count(ShipNoticeLine.id))
            .where(ShipNoticeLine.order_line_id == line.id)
            .scalar_subquery(),
            select(func.count(Receipt.id))
            .where(Receipt.order_line_id == line.id)
            .scalar_subquery(),
        )
    ).one()
    return "-".join(str(n) for n in (*counts, line.status, line.confirmation))


def line_timeline(session: Session, viewer_org_id: int, line_id: int) -> Timeline:
    """The line as the viewer may see it, with its events oldest first (else not found)."""
    line = visible_line(session, viewer_org_id, line_id)
    rows = line_rows(
        session,
        viewer_org_id,
        LineFilters(scope="chain", status=None, order_id=line.order_id),
    )
    row = next(r for r in rows if r.line.id == line.id)
    timeline = Timeline(row=row, stages=stages_for_buyer(session, line.buyer_org_id))
    timeline.shows_lots = viewer_org_id in (line.buyer_org_id, line.supplier_org_id) or can_see(
        session, viewer_org_id, line.supplier_org_id, "traceability"
    )
    events = _confirmations(session, line) + _reports(session, line)
    if timeline.shows_lots:
        events += _shipments(session, line) + _receipts(session, line)
    timeline.events = sorted(events, key=lambda e: e.at)
    timeline.version = timeline_version(session, line)
    timeline.predicted_finish = _predict(timeline)
    return timeline


def _confirmations(session: Session, line: OrderLine) -> list[Event]:
    steps = session.scalars(
        select(LineConfirmation).where(LineConfirmation.line_id == line.id)
    ).all()
    return [
        Event(
            "confirmation",
            s.at,
            {
                "action": s.action,
                "quantity": s.quantity,
                "promised_date": s.promised_date,
                "note": s.note,
            },
        )
        for s in steps
    ]


def _reports(session: Session, line: OrderLine) -> list[Event]:
    reports = session.scalars(select(ProgressReport).where(ProgressReport.line_id == line.id)).all()
    superseded = {r.supersedes_id for r in reports if r.supersedes_id}
    return [
        Event(
            "report",
            r.reported_at,
            {
                "id": r.id,
                "stage": r.stage,
                "quantity_done": r.quantity_done,
                "expected_finish": r.expected_finish,
                "note": r.note,
                "photo_id": r.photo_id,
                "supersedes_id": r.supersedes_id,
                "superseded": r.id in superseded,
                "source": r.source,
            },
        )
        for r in reports
    ]


def _on(day: date, created: datetime) -> datetime:
    """A business date as a moment: the record time on that day, else noon UTC."""
    if created.date() == day:
        return created
    return datetime.combine(day, time(12), UTC)


def _shipments(session: Session, line: OrderLine) -> list[Event]:
    rows = session.execute(
        select(ShipNotice, ShipNoticeLine)
        .join(ShipNoticeLine, ShipNoticeLine.notice_id == ShipNotice.id)
        .where(ShipNoticeLine.order_line_id == line.id)
    )
    events = []
    for notice, notice_line in rows:
        lots = session.execute(
            select(Lot.lot_number, ShipmentLot.quantity)
            .join(ShipmentLot, ShipmentLot.lot_id == Lot.id)
            .where(ShipmentLot.notice_line_id == notice_line.id)
            .order_by(ShipmentLot.id)
        ).all()
        events.append(
            Event(
                "shipment",
                _on(notice.ship_date, notice.created_at),
                {
                    "notice_id": notice.id,
                    "number": notice.number,
                    "ship_date": notice.ship_date,
                    "quantity": notice_line.quantity,
                    "carrier": notice.carrier,
                    "tracking": notice.tracking,
                    "lots": [{"lot_number": n, "quantity": q} for n, q in lots],
                },
            )
        )
    return events


def _receipts(session: Session, line: OrderLine) -> list[Event]:
    rows = session.execute(
        select(Receipt, Lot.lot_number)
        .join(ShipmentLot, ShipmentLot.id == Receipt.shipment_lot_id)
        .join(Lot, Lot.id == ShipmentLot.lot_id)
        .where(Receipt.order_line_id == line.id)
    )
    return [
        Event(
            "receipt",
            _on(r.received_on, r.created_at),
            {
                "lot_number": lot_number,
                "received_on": r.received_on,
                "received": r.received_quantity,
                "rejected": r.rejected_quantity,
                "reason_code": r.reason_code,
            },
        )
        for r, lot_number in rows
    ]


def _predict(timeline: Timeline) -> date | None:
    """The supplier's expected finish when given, else a straight line through the reports."""
    row = timeline.row
    if row.line.status != "open":
        return None
    if row.expected_finish:
        return row.expected_finish
    points = [
        (e.at, Decimal(e.data["quantity_done"]))
        for e in timeline.events
        if e.kind == "report" and not e.data["superseded"]
    ]
    if len(points) < 2:
        return None
    (t0, q0), (t1, q1) = points[0], points[-1]
    days = (t1 - t0).total_seconds() / 86400
    if q1 <= q0 or days <= 0:
        return None
    remaining = row.agreed - q1
    if remaining <= 0:
        return t1.date()
    rate = float(q1 - q0) / days
    return (t1 + timedelta(days=float(remaining) / rate)).date()

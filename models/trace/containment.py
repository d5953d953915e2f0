"""Computing an incident's containment scope and telling everyone it reaches.

The scope is built in SQL, each part one ``INSERT ... SELECT`` over a recursive walk:

- the incident's lots themselves;
- downstream: every lot made from them, to the finished lots;
- suspects: every lot upstream of them (one of those may be the cause);
- siblings: every other lot made from a suspect (exposed to the same cause), down to the end;
- the shipments (with receipts) that carried any of those lots, and the organisations that
  made or received them.

:func:`build_snapshot` writes those rows; :func:`publish_snapshot` works out how the alert
travels (from the opener, one supply link at a time) and notifies each organisation. The task
runs them in two transactions so its progress can be seen in between; both are idempotent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, exists, func, insert, literal, select
from sqlalchemy.orm import Session, aliased

from models.base import utcnow
from models.errors import NotFound
from models.jobs import finish_job, start_job
from models.orders.entities import (
    LotConsumption,
    Receipt,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from models.orgs.entities import Organisation
from models.trace.entities import (
    RELATIONS,
    ContainmentLot,
    ContainmentOrg,
    ContainmentShipment,
    ContainmentSnapshot,
    Incident,
    IncidentLot,
)
from models.trace.forwarding import insert_organisations
from models.trace.graph import MAX_DEPTH, Direction, seed_rows, walk
from models.trace.notices import notify_opener, notify_scope


def build_snapshot(session: Session, incident_id: int, job_id: int | None) -> ContainmentSnapshot:
    """Write the scope rows of a new snapshot (status ``computing``); once per job."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound()
    if job_id is not None:
        existing = session.scalar(
            select(ContainmentSnapshot).where(ContainmentSnapshot.job_id == job_id)
        )
        if existing is not None:
            return existing
    snapshot = ContainmentSnapshot(incident_id=incident.id, job_id=job_id, status="computing")
    session.add(snapshot)
    session.flush()
    in_scope = select(ContainmentLot.lot_id).where(ContainmentLot.snapshot_id == snapshot.id)
    seeds = select(IncidentLot.lot_id).where(IncidentLot.incident_id == incident.id)
    _insert_incident_lots(session, snapshot.id, incident.id)
    _insert_lots(session, snapshot.id, seeds, "down", "downstream", in_scope)
    _insert_lots(session, snapshot.id, seeds, "up", "suspect", in_scope)
    suspects = in_scope.where(ContainmentLot.relation == "suspect")
    _insert_lots(session, snapshot.id, suspects, "down", "sibling", in_scope)
    _insert_shipments(session, snapshot.id)
    insert_organisations(session, snapshot.id, incident.opener_org_id)
    return snapshot


_COLUMNS = ["snapshot_id", "lot_id", "relation", "depth", "finished"]


def _finished(lot_id: Any) -> Any:
    """True for a lot no other lot was made from (a finished lot, or one still in stock)."""
    consumer = aliased(LotConsumption, name="consumer")
    return case((~exists().where(consumer.input_lot_id == lot_id), True), else_=False)


def _insert_incident_lots(session: Session, snapshot_id: int, incident_id: int) -> None:
    rows = select(
        literal(snapshot_id),
        IncidentLot.lot_id,
        literal("incident"),
        literal(0),
        _finished(IncidentLot.lot_id),
    ).where(IncidentLot.incident_id == incident_id)
    session.execute(insert(ContainmentLot).from_select(_COLUMNS, rows))


def _insert_lots(
    session: Session,
    snapshot_id: int,
    seeds: Select[tuple[int]],
    direction: Direction,
    relation: str,
    in_scope: Select[tuple[int]],
) -> None:
    """Insert the lots a walk from ``seeds`` reaches that the snapshot does not hold yet."""
    reached = walk(seed_rows(seeds), direction, MAX_DEPTH, name=f"walk_{relation}")
    nearest = (
        select(reached.c.lot_id, func.min(reached.c.depth).label("depth"))
        .where(reached.c.depth > 0)
        .group_by(reached.c.lot_id)
        .subquery(f"nearest_{relation}")
    )
    rows = select(
        literal(snapshot_id),
        nearest.c.lot_id,
        literal(relation),
        nearest.c.depth,
        _finished(nearest.c.lot_id),
    ).where(nearest.c.lot_id.not_in(in_scope))
    session.execute(insert(ContainmentLot).from_select(_COLUMNS, rows))


def _insert_shipments(session: Session, snapshot_id: int) -> None:
    received = (
        select(func.sum(Receipt.received_quantity))
        .where(Receipt.shipment_lot_id == ShipmentLot.id)
        .scalar_subquery()
    )
    rejected = (
        select(func.sum(Receipt.rejected_quantity))
        .where(Receipt.shipment_lot_id == ShipmentLot.id)
        .scalar_subquery()
    )
    rows = (
        select(
            literal(snapshot_id),
            ShipmentLot.id,
            ShipmentLot.lot_id,
            ShipNotice.id,
            ShipNotice.supplier_org_id,
            ShipNotice.buyer_org_id,
            ShipmentLot.quantity,
            received,
            rejected,
        )
        .join(ContainmentLot, ContainmentLot.lot_id == ShipmentLot.lot_id)
        .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
        .join(ShipNotice, ShipNotice.id == ShipNoticeLine.notice_id)
        .where(ContainmentLot.snapshot_id == snapshot_id)
    )
    session.execute(
        insert(ContainmentShipment).from_select(
            [
                "snapshot_id",
                "shipment_lot_id",
                "lot_id",
                "notice_id",
                "supplier_org_id",
                "buyer_org_id",
                "quantity",
                "received_quantity",
                "rejected_quantity",
            ],
            rows,
        )
    )


def publish_snapshot(session: Session, snapshot_id: int, base_url: str = "") -> dict[str, Any]:
    """Notify the snapshot's organisations, mark it complete and make it the incident's scope.

    Idempotent: a snapshot already complete is returned as it is (its summary).
    """
    snapshot = session.get(ContainmentSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound()
    if snapshot.status == "complete":
        return snapshot.summary or {}
    incident = session.get(Incident, snapshot.incident_id)
    assert incident is not None
    involved = list(
        session.scalars(select(ContainmentOrg).where(ContainmentOrg.snapshot_id == snapshot_id))
    )
    names = {
        org.id: org
        for org in session.scalars(
            select(Organisation).where(Organisation.id.in_([row.org_id for row in involved]))
        )
    }
    summary = scope_summary(session, snapshot_id)
    told = notify_scope(session, incident, snapshot_id, involved, names, base_url)
    now = utcnow()
    for row in involved:
        if row.org_id != incident.opener_org_id:
            row.notified_at = now
    summary["notified"] = told
    notify_opener(session, incident, snapshot_id, summary["finished"], told)
    snapshot.summary, snapshot.status, snapshot.completed_at = summary, "complete", now
    incident.snapshot_id = snapshot.id
    return summary


def scope_summary(session: Session, snapshot_id: int) -> dict[str, Any]:
    """Counts of a snapshot: lots per relation, finished lots, shipments, organisations."""
    per_relation = dict(
        session.execute(
            select(ContainmentLot.relation, func.count())
            .where(ContainmentLot.snapshot_id == snapshot_id)
            .group_by(ContainmentLot.relation)
        ).all()
    )
    finished = session.scalar(
        select(func.count()).where(
            ContainmentLot.snapshot_id == snapshot_id,
            ContainmentLot.finished.is_(True),
            ContainmentLot.relation.in_(("incident", "downstream", "sibling")),
        )
    )
    shipments = session.scalar(
        select(func.count()).where(ContainmentShipment.snapshot_id == snapshot_id)
    )
    orgs = session.scalar(select(func.count()).where(ContainmentOrg.snapshot_id == snapshot_id))
    deepest = session.scalar(
        select(func.max(ContainmentLot.depth)).where(ContainmentLot.snapshot_id == snapshot_id)
    )
    return {
        "lots": {relation: per_relation.get(relation, 0) for relation in RELATIONS},
        "finished": int(finished or 0),
        "shipments": int(shipments or 0),
        "organisations": int(orgs or 0),
        "truncated": bool(deepest is not None and deepest >= MAX_DEPTH),
    }


def compute_scope_now(
    session: Session, job_id: int, incident_id: int, base_url: str = ""
) -> dict[str, Any]:
    """Run a containment job start to finish in the caller's transaction (demo, benchmark).

    The worker task does the same in steps, so that its progress shows in between.
    """
    start_job(session, job_id)
    snapshot = build_snapshot(session, incident_id, job_id)
    summary = publish_snapshot(session, snapshot.id, base_url)
    finish_job(session, job_id, {"snapshot_id": snapshot.id, **summary})
    return summary

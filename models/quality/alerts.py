"""Out-of-control alerts: kept in step with each recompute, and closed by the buyer's engineer.

An alert is identified by its characteristic, rule set, rule and the first measurement of its
first point. A recompute adds the signals that are new (and tells the buyer in the app),
updates the points of a pattern that grew, re-activates one that shows again and marks
inactive the ones whose pattern no longer shows. An engineer's status and note are never
touched by a recompute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import Conflict, NotFound
from models.i18n import N_, Msg
from models.notify import notify
from models.quality.bulk import bulk_insert
from models.quality.entities import QualityAlert
from models.quality.schemas import AlertCloseSchema
from models.quality.scope import shared_data
from models.roles import require_permission
from models.validation import load

Key = tuple[int, str, int, int]


@dataclass(frozen=True)
class LocatedSignal:
    """A signal found by a recompute, with the first measurement id of each of its points."""

    characteristic_id: int
    buyer_org_id: int
    supplier_org_id: int
    rules: str
    rule: int
    points: list[int]
    measurement_ids: list[int]

    @property
    def key(self) -> Key:
        return (self.characteristic_id, self.rules, self.rule, self.measurement_ids[0])


def sync_alerts(
    session: Session,
    characteristic_ids: Sequence[int] | None,
    located: list[LocatedSignal],
    now: datetime,
) -> int:
    """Bring the alerts of the recomputed characteristics in line with ``located``.

    Returns the number of new alerts. Set-based: one read, then bulk insert and update.
    """
    query = select(
        QualityAlert.id,
        QualityAlert.characteristic_id,
        QualityAlert.rules,
        QualityAlert.rule,
        QualityAlert.first_measurement_id,
        QualityAlert.points,
        QualityAlert.active,
    )
    if characteristic_ids is not None:
        query = query.where(QualityAlert.characteristic_id.in_(list(characteristic_ids)))
    existing = {(r[1], r[2], r[3], r[4]): r for r in session.execute(query)}
    found = {signal.key: signal for signal in located}
    changes = [
        {
            "id": existing[key][0],
            "points": signal.points,
            "measurement_ids": signal.measurement_ids,
            "active": True,
            "updated_at": now,
        }
        for key, signal in found.items()
        if key in existing and (existing[key][5] != signal.points or not existing[key][6])
    ]
    gone = [row[0] for key, row in existing.items() if key not in found and row[6]]
    fresh = [
        {
            "characteristic_id": signal.characteristic_id,
            "buyer_org_id": signal.buyer_org_id,
            "supplier_org_id": signal.supplier_org_id,
            "rules": signal.rules,
            "rule": signal.rule,
            "first_measurement_id": signal.measurement_ids[0],
            "points": signal.points,
            "measurement_ids": signal.measurement_ids,
            "active": True,
            "status": "open",
            "created_at": now,
            "updated_at": now,
        }
        for key, signal in found.items()
        if key not in existing
    ]
    if changes:
        session.execute(update(QualityAlert), changes)
    for start in range(0, len(gone), 5000):
        session.execute(
            update(QualityAlert)
            .where(QualityAlert.id.in_(gone[start : start + 5000]))
            .values(active=False, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    if fresh:
        bulk_insert(session, QualityAlert.__table__, fresh)
        _tell_buyers(session, fresh)
    return len(fresh)


def _tell_buyers(session: Session, fresh: list[dict[str, Any]]) -> None:
    """One in-app message per buyer: how many new signals, linking to the chart or the list."""
    by_buyer: dict[int, set[int]] = {}
    counts: dict[int, int] = {}
    for row in fresh:
        by_buyer.setdefault(row["buyer_org_id"], set()).add(row["characteristic_id"])
        counts[row["buyer_org_id"]] = counts.get(row["buyer_org_id"], 0) + 1
    for buyer, characteristics in by_buyer.items():
        only = next(iter(characteristics)) if len(characteristics) == 1 else None
        notify(
            session,
            buyer,
            "quality_alert",
            Msg(N_("New out-of-control signals: %(count)d"), count=counts[buyer]),
            Msg(
                N_("Characteristics whose control charts show new signals: %(characteristics)d."),
                characteristics=len(characteristics),
            ),
            link=f"/quality/characteristics/{only}" if only else "/quality/alerts",
        )


def alerts_query(viewer_org_id: int) -> Select[tuple[QualityAlert]]:
    """Alerts on characteristics whose data the viewer may see, newest first."""
    return (
        select(QualityAlert)
        .where(shared_data(viewer_org_id, QualityAlert.supplier_org_id, QualityAlert.buyer_org_id))
        .order_by(QualityAlert.id.desc())
    )


def get_alert(session: Session, viewer_org_id: int, alert_id: int) -> QualityAlert:
    alert = session.scalar(alerts_query(viewer_org_id).where(QualityAlert.id == alert_id))
    if alert is None:
        raise NotFound()
    return alert


def close_alert(
    session: Session, actor: Actor, alert_id: int, data: dict[str, Any]
) -> QualityAlert:
    """The buyer's quality engineer closes an alert, with a note on what was found."""
    require_permission(actor.role, "manage_quality")
    alert = get_alert(session, actor.org_id, alert_id)
    if alert.buyer_org_id != actor.org_id:
        raise NotFound()
    if alert.status == "closed":
        raise Conflict(N_("This alert is already closed."))
    note = (load(AlertCloseSchema(), data)["note"] or "").strip() or None
    alert.status, alert.note = "closed", note
    alert.closed_by_user_id, alert.closed_at = actor.user_id, utcnow()
    record_audit(session, actor, "alert.close", "quality_alert", alert.id, {"note": note})
    return alert

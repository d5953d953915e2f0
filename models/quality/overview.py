"""The supplier quality overview: per supplier, capability, alerts, 8Ds and PPM, set-based.

Five grouped queries (no query per supplier), merged by supplier id. Only suppliers whose
quality data the viewer may see appear, the viewer itself included when it has data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.orgs.entities import Organisation
from models.quality.entities import EightDCase, EightDStep, QualityAlert
from models.quality.ppm import monthly_ppm
from models.quality.queries import critical_capability_by_supplier
from models.quality.scope import shared_data, visible_cases

PPM_MONTHS = 6


@dataclass
class SupplierQuality:
    org: Organisation
    critical: int = 0
    capable: int = 0
    watch: int = 0
    action: int = 0
    unknown: int = 0
    min_cpk: float | None = None
    open_alerts: int = 0
    open_cases: int = 0
    overdue_steps: int = 0
    received: float = 0.0
    rejected: float = 0.0
    ppm_trend: list[tuple[str, float | None]] = field(default_factory=list)

    @property
    def ppm(self) -> float | None:
        return self.rejected / self.received * 1_000_000 if self.received else None


def supplier_overview(
    session: Session, viewer_org_id: int, now: datetime, today: date
) -> list[SupplierQuality]:
    """One row per supplier with any quality record the viewer may see, worst first."""
    rows: dict[int, SupplierQuality] = {}

    def row(org_id: int) -> SupplierQuality:
        if org_id not in rows:
            rows[org_id] = SupplierQuality(org=None)  # type: ignore[arg-type]
        return rows[org_id]

    for found in session.execute(critical_capability_by_supplier(viewer_org_id)):
        item = row(found.supplier_org_id)
        item.critical, item.capable, item.watch = found.characteristics, found.capable, found.watch
        item.action, item.unknown, item.min_cpk = found.action, found.unknown, found.min_cpk
    alerts = (
        select(QualityAlert.supplier_org_id, func.count(QualityAlert.id))
        .where(
            shared_data(viewer_org_id, QualityAlert.supplier_org_id, QualityAlert.buyer_org_id),
            QualityAlert.status == "open",
            QualityAlert.active.is_(True),
        )
        .group_by(QualityAlert.supplier_org_id)
    )
    for org_id, count in session.execute(alerts):
        row(org_id).open_alerts = count
    cases = (
        select(EightDCase.supplier_org_id, func.count(EightDCase.id))
        .where(EightDCase.id.in_(visible_cases(viewer_org_id)), EightDCase.status == "open")
        .group_by(EightDCase.supplier_org_id)
    )
    for org_id, count in session.execute(cases):
        row(org_id).open_cases = count
    overdue = (
        select(EightDCase.supplier_org_id, func.count(EightDStep.id))
        .join(EightDStep, EightDStep.case_id == EightDCase.id)
        .where(
            EightDCase.id.in_(visible_cases(viewer_org_id)),
            EightDCase.status == "open",
            EightDStep.status.in_(("open", "returned")),
            EightDStep.due_at < now,
        )
        .group_by(EightDCase.supplier_org_id)
    )
    for org_id, count in session.execute(overdue):
        row(org_id).overdue_steps = count
    since = (today.replace(day=1) - timedelta(days=31 * (PPM_MONTHS - 1))).replace(day=1)
    for month in monthly_ppm(session, viewer_org_id, since=since, by_part=False):
        if month.supplier_org_id == viewer_org_id:
            continue
        item = row(month.supplier_org_id)
        item.received += month.received
        item.rejected += month.rejected
        item.ppm_trend.append((month.period, month.ppm))
    orgs = session.scalars(select(Organisation).where(Organisation.id.in_(list(rows))))
    for org in orgs:
        rows[org.id].org = org
    return sorted(
        rows.values(),
        key=lambda r: (-r.overdue_steps, -r.action, -r.open_alerts, -(r.ppm or 0), r.org.id),
    )

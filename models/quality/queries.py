"""Read queries of supplier quality for pages, the API and the dashboards, access-scoped.

Each returns a ``select`` so callers can page it, count it or join it further. The critical
capability summary per supplier is a scorecard input for the transparency dashboard.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import joinedload

from models.orders.entities import Part
from models.quality.entities import (
    Characteristic,
    CharacteristicStatistics,
    EightDCase,
    EightDStep,
    Inspection,
    Measurement,
    QualityAlert,
)
from models.quality.scope import (
    characteristic_data,
    shared_data,
    visible_cases,
    visible_characteristics,
)

CRITICAL = ("critical", "special")


def open_alert_counts() -> Select[tuple[int, int]]:
    return (
        select(QualityAlert.characteristic_id, func.count(QualityAlert.id).label("open_alerts"))
        .where(QualityAlert.status == "open", QualityAlert.active.is_(True))
        .group_by(QualityAlert.characteristic_id)
    )


def capability_table(
    viewer_org_id: int,
    supplier_org_id: int | None = None,
    part_id: int | None = None,
    classification: str | None = None,
) -> Select[tuple[Characteristic, Part, CharacteristicStatistics | None, int | None]]:
    """Characteristics the viewer may see with their part, statistics and open alerts.

    Statistics and alert counts only where the viewer may see the supplier's quality data.
    """
    counts = open_alert_counts().subquery()
    data = characteristic_data(viewer_org_id)
    query = (
        select(Characteristic, Part, CharacteristicStatistics, counts.c.open_alerts)
        .join(Part, Part.id == Characteristic.part_id)
        .outerjoin(
            CharacteristicStatistics,
            and_(CharacteristicStatistics.characteristic_id == Characteristic.id, data),
        )
        .outerjoin(counts, and_(counts.c.characteristic_id == Characteristic.id, data))
        .where(Characteristic.id.in_(visible_characteristics(viewer_org_id, shared=data)))
        .order_by(Part.part_number, Characteristic.code, Characteristic.id)
    )
    if supplier_org_id is not None:
        query = query.where(Characteristic.supplier_org_id == supplier_org_id)
    if part_id is not None:
        query = query.where(Characteristic.part_id == part_id)
    if classification is not None:
        query = query.where(Characteristic.classification == classification)
    return query


def critical_capability_by_supplier(
    viewer_org_id: int, classifications: tuple[str, ...] = CRITICAL
) -> Select[tuple[int, ...]]:
    """Per supplier: how many critical/special characteristics are capable, watch, action or
    not yet known, and the lowest Cpk (a scorecard input). Suppliers whose quality data the
    viewer may not see are left out.
    """
    status = CharacteristicStatistics.status

    def counted(value: str | None) -> object:
        condition = status.is_(None) if value is None else status == value
        return func.sum(case((condition, 1), else_=0))

    return (
        select(
            Characteristic.supplier_org_id,
            func.count(Characteristic.id).label("characteristics"),
            counted("capable").label("capable"),
            counted("watch").label("watch"),
            counted("action").label("action"),
            counted(None).label("unknown"),
            func.min(CharacteristicStatistics.cpk).label("min_cpk"),
        )
        .outerjoin(
            CharacteristicStatistics,
            CharacteristicStatistics.characteristic_id == Characteristic.id,
        )
        .where(
            Characteristic.active.is_(True),
            Characteristic.classification.in_(classifications),
            characteristic_data(viewer_org_id),
        )
        .group_by(Characteristic.supplier_org_id)
        .order_by(Characteristic.supplier_org_id)
    )


def cases_query(viewer_org_id: int, status: str | None = None) -> Select[tuple[EightDCase]]:
    query = (
        select(EightDCase)
        .where(EightDCase.id.in_(visible_cases(viewer_org_id)))
        .order_by(EightDCase.id.desc())
    )
    if status is not None:
        query = query.where(EightDCase.status == status)
    return query


def overdue_steps(viewer_org_id: int, now: datetime) -> Select[tuple[EightDStep, EightDCase]]:
    """Steps the supplier still owes past their deadline, on cases the viewer may see."""
    return (
        select(EightDStep, EightDCase)
        .join(EightDCase, EightDCase.id == EightDStep.case_id)
        .where(
            EightDCase.id.in_(visible_cases(viewer_org_id)),
            EightDCase.status == "open",
            EightDStep.status.in_(("open", "returned")),
            EightDStep.due_at < now,
        )
        .order_by(EightDStep.due_at)
    )


def inspections_query(viewer_org_id: int) -> Select[tuple[Inspection]]:
    return (
        select(Inspection)
        .where(shared_data(viewer_org_id, Inspection.supplier_org_id, Inspection.buyer_org_id))
        .order_by(Inspection.inspected_at.desc(), Inspection.id.desc())
    )


def own_inspections_query(org_id: int) -> Select[tuple[Inspection, int]]:
    """The organisation's own inspections, newest first, each with its number of values (the
    list a supplier voids a mistaken one from)."""
    values = (
        select(func.count(Measurement.id))
        .where(Measurement.inspection_id == Inspection.id)
        .scalar_subquery()
    )
    return (
        select(Inspection, values)
        .options(joinedload(Inspection.part))
        .where(Inspection.supplier_org_id == org_id)
        .order_by(Inspection.inspected_at.desc(), Inspection.id.desc())
    )

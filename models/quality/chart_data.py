"""What a characteristic's control chart shows: points, limits, specification and signals.

The points are computed from the stored measurements by the same library the recompute uses;
the limits and signals are the stored ones, so the chart shows what the alerts refer to.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.clock import on_local_clock
from models.quality.entities import (
    Characteristic,
    CharacteristicStatistics,
    Inspection,
    Measurement,
    QualityAlert,
)


def chart_data(session: Session, characteristic: Characteristic) -> dict[str, Any]:
    """A JSON-safe description of the X̄ (or I) chart and its R, S or MR companion."""
    rows = session.execute(
        select(Measurement.value, Measurement.measured_at, Inspection.lot_number)
        .join(Inspection, Inspection.id == Measurement.inspection_id)
        .where(Measurement.characteristic_id == characteristic.id)
        .order_by(Measurement.measured_at, Measurement.id)
    ).all()
    size = characteristic.subgroup_size
    values = np.array([row[0] for row in rows], dtype=float)
    count = values.size // size
    if size == 1:
        points = values
        dispersion = [None, *np.abs(np.diff(values)).tolist()]
    else:
        matrix = values[: count * size].reshape(count, size)
        points = matrix.mean(axis=1)
        if size <= 10:
            dispersion = (matrix.max(axis=1) - matrix.min(axis=1)).tolist()
        else:
            dispersion = matrix.std(axis=1, ddof=1).tolist()
    firsts = [rows[index * size] for index in range(count)]
    stats = session.get(CharacteristicStatistics, characteristic.id)
    alerts = session.scalars(
        select(QualityAlert)
        .where(QualityAlert.characteristic_id == characteristic.id, QualityAlert.active.is_(True))
        .order_by(QualityAlert.id)
    ).all()
    return {
        "chart": stats.chart if stats else None,
        "subgroup_size": size,
        "unit": characteristic.unit,
        "labels": [on_local_clock(row[1]).strftime("%Y-%m-%d %H:%M") for row in firsts],
        "lots": [row[2] for row in firsts],
        "points": points[:count].tolist(),
        "dispersion": dispersion[:count],
        "limits": _limits(stats),
        "spec": {"lsl": characteristic.lsl, "usl": characteristic.usl,
                 "target": characteristic.target},
        "signals": [
            {"id": a.id, "rule": a.rule, "rules": a.rules, "points": a.points,
             "status": a.status}
            for a in alerts
            if all(point < count for point in a.points)
        ],
        "incomplete": int(values.size - count * size),
    }  # fmt: skip


def _limits(stats: CharacteristicStatistics | None) -> dict[str, float | None]:
    names = ("center", "ucl", "lcl", "dispersion_center", "dispersion_ucl", "dispersion_lcl")
    return {name: getattr(stats, name) if stats else None for name in names}

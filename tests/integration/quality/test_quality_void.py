"""A supplier voids an inspection recorded by mistake: its values leave the charts and its counts
the yield, the audit trail keeps them, and bad requests change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.audit import AuditEvent
from models.errors import Conflict, Forbidden, NotFound, ValidationFailed
from models.quality.entities import Inspection, Measurement, QualityAlert
from models.quality.measurements import record_inspection
from models.quality.ppm import monthly_yield
from models.quality.statistics_store import recompute_statistics, statistics_of
from models.quality.voids import void_inspection
from tests.integration.quality.builders import PISTON_RINGS, inspection


def _values(session) -> int:
    return session.scalar(select(func.count()).select_from(Measurement))


def test_a_voided_inspection_leaves_the_chart_and_the_audit_trail_keeps_its_values(
    session, chain, ring
):
    record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS[:20]))
    shifted = [74.030, 74.031, 74.029, 74.032, 74.030]  # the wrong gauge: far above the UCL
    mistake = record_inspection(session, chain.reporter, inspection("L2", "D1", shifted))
    recompute_statistics(session, [ring.id])
    assert statistics_of(session, ring.id).n == 25
    assert session.scalar(select(func.count()).select_from(QualityAlert).where(QualityAlert.active))

    voided = void_inspection(session, chain.reporter, mistake.id, "  Gauge out of calibration ")
    assert voided.characteristic_ids == [ring.id]
    recompute_statistics(session, voided.characteristic_ids)

    assert statistics_of(session, ring.id).n == 20
    assert not session.scalar(
        select(func.count()).select_from(QualityAlert).where(QualityAlert.active)
    )
    kept = session.get(Inspection, mistake.id)
    assert kept.voided_at is not None and kept.void_reason == "Gauge out of calibration"
    assert kept.voided_by_user_id == chain.reporter.user_id
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "inspection.void")).one()
    assert [row[3] for row in event.detail["measurements"]] == shifted
    assert event.detail["reason"] == "Gauge out of calibration"


def test_a_voided_inspection_leaves_the_first_pass_yield(session, chain, ring):
    counts = {"part_number": "RING-1", "inspected_quantity": 100, "defective_quantity": 2}
    record_inspection(session, chain.reporter, {**counts, "lot_number": "L1"})
    typed_twice = record_inspection(session, chain.reporter, {**counts, "lot_number": "L1"})
    void_inspection(session, chain.reporter, typed_twice.id, "Entered twice")
    (month,) = monthly_yield(session, chain.engineer.org_id)
    assert (month.inspected, month.defective) == (100, 2)


@pytest.mark.parametrize("reason", ["", "  ", "no", None, 7, "x" * 501])
def test_a_void_without_a_fitting_reason_is_refused_and_nothing_changes(
    session, chain, ring, reason
):
    recorded = record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS[:5]))
    with pytest.raises(ValidationFailed) as caught:
        void_inspection(session, chain.reporter, recorded.id, reason)
    assert list(caught.value.errors) == ["reason"]
    assert _values(session) == 5 and session.get(Inspection, recorded.id).voided_at is None


def test_only_the_supplier_that_recorded_it_voids_an_inspection_and_only_once(session, chain, ring):
    recorded = record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS[:5]))
    with pytest.raises(NotFound):
        void_inspection(session, chain.sub_admin, recorded.id, "Not ours to void")
    with pytest.raises(Forbidden):
        void_inspection(session, chain.engineer, recorded.id, "The buyer does not record it")
    assert _values(session) == 5
    void_inspection(session, chain.supplier_admin, recorded.id, "Wrong lot")
    with pytest.raises(Conflict):
        void_inspection(session, chain.reporter, recorded.id, "Again")
    assert session.get(Inspection, recorded.id).void_reason == "Wrong lot"

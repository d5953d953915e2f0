"""Stored measurements, recomputed by the worker, give exactly what the pure library gives."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.i18n import Msg, render
from models.notify import Notification
from models.quality.characteristics import create_characteristic, update_characteristic
from models.quality.entities import CharacteristicStatistics, Measurement, QualityAlert
from models.quality.measurements import record_inspection
from models.quality.report import capability_report
from models.quality.settings import update_quality_settings
from models.quality.statistics_store import recompute_statistics
from tests.integration.quality.builders import PISTON_RINGS, inspection

FIGURES = ("mean", "center", "ucl", "lcl", "sigma_within", "sigma_overall", "cp", "cpk")
FIGURES += ("pp", "ppk", "cpm")


def _stored(session, characteristic_id):
    session.expire_all()
    return session.get(CharacteristicStatistics, characteristic_id)


def test_piston_rings_stored_and_recomputed_equal_the_library(session, chain, ring):
    for lot in range(5):  # five lots of five subgroups, in time order
        values = PISTON_RINGS[lot * 25 : (lot + 1) * 25]
        record_inspection(session, chain.reporter, inspection(f"L{lot}", "D1", values))
    summary = recompute_statistics(session, [ring.id])

    stats = _stored(session, ring.id)
    report = capability_report(PISTON_RINGS, 73.95, 74.05, 74.0, subgroup_size=5)
    assert summary["measurements"] == 125
    assert (stats.chart, stats.n, stats.points, stats.status) == ("xbar_r", 125, 25, "watch")
    for name in FIGURES:
        assert getattr(stats, name) == pytest.approx(report[name], rel=1e-12), name
    assert stats.dispersion_center == pytest.approx(report["range_center"], rel=1e-12)
    assert stats.dispersion_ucl == pytest.approx(0.048125, abs=5e-6)
    assert (stats.center, stats.lcl, stats.ucl) == pytest.approx(
        (74.00118, 73.98805, 74.01431), abs=5e-5
    )
    assert stats.cp == pytest.approx(1.703, abs=2e-3)
    assert stats.cpk == pytest.approx(1.663, abs=2e-3)


def test_recompute_twice_changes_nothing(session, chain, ring):
    record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS))
    recompute_statistics(session, [ring.id])
    first = _stored(session, ring.id).cpk
    alerts = session.scalar(select(func.count(QualityAlert.id)))
    assert recompute_statistics(session, [ring.id])["new_alerts"] == 0
    assert _stored(session, ring.id).cpk == first
    assert session.scalar(select(func.count(QualityAlert.id))) == alerts


def test_a_shifted_point_raises_an_alert_tied_to_its_points(session, chain, ring):
    values = list(PISTON_RINGS)
    values[-5:] = [74.030, 74.031, 74.029, 74.032, 74.030]  # last subgroup far above the UCL
    record_inspection(session, chain.reporter, inspection("L1", "D1", values))

    assert recompute_statistics(session, [ring.id])["new_alerts"] >= 1

    report = capability_report(values, 73.95, 74.05, 74.0, subgroup_size=5)
    alerts = session.scalars(select(QualityAlert).order_by(QualityAlert.id)).all()
    assert [(a.rule, a.points) for a in alerts] == [
        (s["rule"], s["points"]) for s in sorted(report["signals"], key=lambda s: s["rule"])
    ] or {(a.rule, tuple(a.points)) for a in alerts} == {
        (s["rule"], tuple(s["points"])) for s in report["signals"]
    }
    beyond = next(a for a in alerts if a.rule == 1)
    assert beyond.points == [24]
    first_of_last = session.scalars(
        select(Measurement.id).order_by(Measurement.id.desc()).limit(5)
    ).all()[-1]
    assert beyond.measurement_ids == [first_of_last]
    note = session.scalars(select(Notification).where(Notification.org_id == chain.anchor.id)).one()
    assert note.kind == "quality_alert"
    assert note.link == f"/quality/characteristics/{ring.id}"
    assert render(Msg.from_dict(note.title), "en") == f"New out-of-control signals: {len(alerts)}"
    assert render(Msg.from_dict(note.body), "zh_Hans_CN") == "控制图出现新信号的特性：1 个。"


def test_alert_keeps_identity_and_goes_inactive_when_the_pattern_goes(session, chain, ring):
    values = list(PISTON_RINGS)
    values[-5:] = [74.030, 74.031, 74.029, 74.032, 74.030]
    record_inspection(session, chain.reporter, inspection("L1", "D1", values))
    recompute_statistics(session, [ring.id])
    alert = session.scalars(select(QualityAlert).where(QualityAlert.rule == 1)).one()

    update_characteristic(session, chain.engineer, ring.id, {"usl": 74.06})
    recompute_statistics(session, [ring.id])
    session.expire_all()
    assert session.get(QualityAlert, alert.id).active  # same data, same signal, same alert

    # Many more widely spread subgroups widen the limits: the old point is no longer beyond 3σ.
    wide = [73.955, 74.045, 74.0, 74.0, 74.0] * 30
    record_inspection(session, chain.reporter, inspection("L2", "D1", wide))
    recompute_statistics(session, [ring.id])
    session.expire_all()
    assert not session.get(QualityAlert, alert.id).active


def test_western_electric_and_thresholds_per_anchor(session, chain, ring):
    update_quality_settings(
        session, chain.engineer, {"capable": 2.0, "watch": 1.0, "rules": "western_electric"}
    )
    record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS))
    recompute_statistics(session, [ring.id])
    stats = _stored(session, ring.id)
    assert (stats.rules, stats.status, stats.capable_threshold) == ("western_electric", "watch", 2)


def test_characteristics_of_every_subgroup_size_in_one_run(session, chain, ring):
    single = create_characteristic(
        session,
        chain.engineer,
        {"part_id": chain.parts["ring"].id, "code": "W", "name": "Weight", "unit": "g",
         "lsl": 10, "usl": 20, "subgroup_size": 1},
    )  # fmt: skip
    large = create_characteristic(
        session,
        chain.engineer,
        {"part_id": chain.parts["ring"].id, "code": "H", "name": "Height", "unit": "mm",
         "lsl": 73.9, "usl": 74.1, "subgroup_size": 25},
    )  # fmt: skip
    record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS))
    record_inspection(session, chain.reporter, inspection("L1", "H", PISTON_RINGS))
    weights = [15.0, 15.5, 14.8, 15.2, 16.0, 15.1, 14.9]
    record_inspection(session, chain.reporter, inspection("L1", "W", weights, unit="GRM"))

    recompute_statistics(session)

    for characteristic, values, lsl, usl, size in (
        (ring, PISTON_RINGS, 73.95, 74.05, 5),
        (large, PISTON_RINGS, 73.9, 74.1, 25),
        (single, weights, 10, 20, 1),
    ):
        report = capability_report(values, lsl, usl, characteristic.target, subgroup_size=size)
        stats = _stored(session, characteristic.id)
        assert stats.chart == report["chart"]
        assert stats.cpk == pytest.approx(report["cpk"], rel=1e-12)
        assert stats.ucl == pytest.approx(report["ucl"], rel=1e-12)

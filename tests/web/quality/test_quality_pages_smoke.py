"""Every quality page renders for the people who use it."""

from __future__ import annotations

import json

from sqlalchemy import select

from models.quality.entities import Measurement
from models.quality.measurements import record_inspection
from models.quality.statistics_store import recompute_statistics
from tests.integration.quality.builders import PISTON_RINGS, inspection


def test_pages_render(session, chain, ring, login):
    values = list(PISTON_RINGS)
    values[-5:] = [74.030, 74.031, 74.029, 74.032, 74.030]
    record_inspection(session, chain.reporter, inspection("L1", "D1", values))
    recompute_statistics(session, [ring.id])
    session.commit()
    engineer = login(chain.engineer)
    for path in (
        "/quality/",
        f"/quality/suppliers/{chain.supplier.id}",
        "/quality/characteristics",
        f"/quality/characteristics/{ring.id}",
        "/quality/alerts",
        "/quality/settings",
        "/quality/8d/",
        "/quality/characteristics/new",
        f"/quality/characteristics/{ring.id}/edit",
    ):
        response = engineer.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:3000])
    reporter = login(chain.reporter)
    for path in (
        "/quality/measure/",
        f"/quality/measure/{ring.id}",
        "/quality/measure/upload",
        "/quality/measure/attributes",
        "/quality/measure/template.csv",
    ):
        response = reporter.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:3000])


def test_an_absurd_value_stored_earlier_breaks_no_page(session, chain, ring, login):
    record_inspection(session, chain.reporter, inspection("L1", "D1", list(PISTON_RINGS)))
    first = session.scalar(select(Measurement).order_by(Measurement.id))
    first.value = 1e300  # as stored before values were bounded
    recompute_statistics(session, [ring.id])
    session.commit()
    engineer = login(chain.engineer)

    assert engineer.get(f"/quality/characteristics/{ring.id}").status_code == 200
    for path in ("statistics", "chart"):
        response = engineer.get(f"/api/v1/quality/characteristics/{ring.id}/{path}")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "Infinity" not in text and "NaN" not in text
        json.loads(text, parse_constant=_refuse)


def _refuse(constant: str) -> None:
    raise AssertionError(f"{constant} is not JSON")


def test_a_computed_characteristic_without_variation_is_not_called_uncomputed(
    session, chain, ring, login
):
    record_inspection(session, chain.reporter, inspection("L-FLAT", "D1", [74.0] * 10))
    recompute_statistics(session, [ring.id])
    session.commit()
    engineer = login(chain.engineer)
    for path in (f"/quality/characteristics/{ring.id}", "/quality/characteristics"):
        page = engineer.get(path).get_data(as_text=True)
        assert "No index: too few values or no variation" in page, path
        assert "Not yet computed" not in page, path

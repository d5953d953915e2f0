"""Quality data is visible per the access rule's "quality" category; what is not is not found."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.errors import NotFound
from models.orgs.sharing import find_link, link_supplier, update_sharing
from models.quality.alerts import alerts_query, close_alert
from models.quality.characteristics import create_characteristic
from models.quality.measurements import record_inspection
from models.quality.ppm import monthly_ppm
from models.quality.queries import (
    capability_table,
    critical_capability_by_supplier,
    inspections_query,
)
from models.quality.recompute_jobs import request_recompute
from models.quality.scope import get_characteristic
from models.quality.statistics_store import recompute_statistics
from tests.integration.quality import builders
from tests.integration.quality.builders import PISTON_RINGS, inspection


def _sub_characteristic(session, chain):
    """A characteristic the supplier (as buyer) specifies for its own sub-supplier."""
    part = builders.part(session, chain.supplier, chain.sub, "SUB-RING")
    made = create_characteristic(
        session,
        chain.supplier_admin,
        {"part_id": part.id, "code": "S1", "name": "Width", "unit": "mm", "lsl": 73.95,
         "usl": 74.05, "classification": "critical", "subgroup_size": 5},
    )  # fmt: skip
    sub_reporter = builders.person(session, chain.sub, "reporter", f"r{made.id}@t.test")
    data = {**inspection("L1", "S1", PISTON_RINGS), "part_number": "SUB-RING"}
    record_inspection(session, sub_reporter, data)
    recompute_statistics(session, [made.id])
    return made


def test_outsiders_get_not_found(session, chain, ring):
    with pytest.raises(NotFound):
        get_characteristic(session, chain.outsider.org_id, ring.id)
    assert session.execute(capability_table(chain.outsider.org_id)).all() == []


def test_sub_supplier_data_stays_with_its_buyer_unless_shared_upstream(session, chain):
    made = _sub_characteristic(session, chain)
    assert get_characteristic(session, chain.supplier.id, made.id, data=True) is made
    assert get_characteristic(session, chain.sub.id, made.id, data=True) is made
    with pytest.raises(NotFound):
        get_characteristic(session, chain.anchor.id, made.id)
    assert session.scalars(alerts_query(chain.anchor.id)).all() == []
    with pytest.raises(NotFound):
        request_recompute(session, chain.engineer, [made.id])


def test_shared_upstream_reaches_the_anchor(session):
    chain = builders.chain(session, sub_sharing=builders.ALL)
    made = _sub_characteristic(session, chain)
    assert get_characteristic(session, chain.anchor.id, made.id, data=True) is made
    rows = session.execute(critical_capability_by_supplier(chain.anchor.id)).all()
    assert [(r.supplier_org_id, r.characteristics, r.watch) for r in rows] == [(chain.sub.id, 1, 1)]


def test_the_buyer_sees_its_definition_but_not_data_its_supplier_stopped_sharing(session, chain):
    made = _sub_characteristic(session, chain)
    link = find_link(session, chain.supplier.id, chain.sub.id)
    update_sharing(session, chain.sub_admin, link.id, {**builders.BUYER_ONLY,
                                                        "quality_buyer": False})  # fmt: skip
    assert get_characteristic(session, chain.supplier.id, made.id).id == made.id
    with pytest.raises(NotFound):
        get_characteristic(session, chain.supplier.id, made.id, data=True)
    row = session.execute(capability_table(chain.supplier.id)).one()
    assert row[2] is None  # no statistics shown


def test_critical_capability_per_supplier(session, chain, ring):
    record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS))
    recompute_statistics(session, [ring.id])
    row = session.execute(critical_capability_by_supplier(chain.anchor.id)).one()
    assert (row.supplier_org_id, row.characteristics, row.capable, row.watch, row.action) == (
        chain.supplier.id, 1, 0, 1, 0,
    )  # fmt: skip
    assert row.min_cpk == pytest.approx(1.663, abs=2e-3)


def test_only_the_buyer_closes_an_alert(session, chain, ring):
    values = list(PISTON_RINGS)
    values[-5:] = [74.030, 74.031, 74.029, 74.032, 74.030]
    record_inspection(session, chain.reporter, inspection("L1", "D1", values))
    recompute_statistics(session, [ring.id])
    alert = session.scalars(alerts_query(chain.anchor.id)).first()
    with pytest.raises(NotFound):
        close_alert(session, chain.supplier_admin, alert.id, {})
    closed = close_alert(session, chain.engineer, alert.id, {"note": "gauge re-calibrated"})
    assert (closed.status, closed.note) == ("closed", "gauge re-calibrated")
    recompute_statistics(session, [ring.id])  # a recompute keeps the engineer's decision
    assert session.scalar(select(type(alert).status).where(type(alert).id == alert.id)) == "closed"


def test_a_supplier_serving_another_customer_keeps_that_customers_data_from_the_anchor(
    session, chain
):
    """The supplier also supplies an unrelated anchor and shares quality with it: what it
    measures on that anchor's characteristic is that anchor's business, not the first one's."""
    admin = builders.person(session, chain.other, "admin", f"admin{chain.other.id}@o.test")
    link_supplier(session, chain.supplier_admin, chain.other.id, chain.supplier.id,
                           builders.ALL)  # fmt: skip
    part = builders.part(session, chain.other, chain.supplier, "OTHER-RING")
    made = create_characteristic(
        session,
        admin,
        {"part_id": part.id, "code": "O1", "name": "Bore", "unit": "mm", "lsl": 73.95,
         "usl": 74.05, "classification": "critical", "subgroup_size": 5},
    )  # fmt: skip
    record_inspection(
        session,
        chain.reporter,
        {**inspection("L9", "O1", PISTON_RINGS), "part_number": "OTHER-RING"},
    )
    recompute_statistics(session, [made.id])
    builders.receipt(session, chain.other, chain.supplier, part, 100, 7, date(2026, 10, 1))

    assert get_characteristic(session, chain.other.id, made.id, data=True) is made
    assert get_characteristic(session, chain.supplier.id, made.id, data=True) is made
    with pytest.raises(NotFound):
        get_characteristic(session, chain.anchor.id, made.id)
    assert session.execute(capability_table(chain.anchor.id)).all() == []
    assert session.execute(critical_capability_by_supplier(chain.anchor.id)).all() == []
    assert session.scalars(inspections_query(chain.anchor.id)).all() == []
    assert session.scalars(alerts_query(chain.anchor.id)).all() == []
    assert monthly_ppm(session, chain.anchor.id) == []
    assert len(session.scalars(inspections_query(chain.other.id)).all()) == 1
    assert [p.rejected for p in monthly_ppm(session, chain.other.id)] == [7]
    with pytest.raises(NotFound):
        request_recompute(session, chain.engineer, [made.id])

"""A supplier's new number propagates upward: only the affected parts get new footprints."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.carbon.activity import affected_parts, record_activity
from models.carbon.entities import ProductFootprint
from models.carbon.footprints import declare_footprint, preceding_ids
from models.carbon.graph import ancestors
from models.carbon.rollup import recompute_footprints
from models.orders.entities import Lot, LotConsumption
from tests.integration.carbon.builders import YEAR, bom, chain, month_of, part


def active(session, part_):
    return session.scalar(
        select(ProductFootprint).where(
            ProductFootprint.part_id == part_.id,
            ProductFootprint.year == YEAR,
            ProductFootprint.status == "Active",
        )
    )


@pytest.fixture
def c(session):
    c = chain(session)
    c.fin2 = part(session, c.anchor, "FIN-2", "3", supplier=c.t1)
    bom(session, c.t1, c.fin2, c.pb, "1")
    record_activity(
        session,
        c.s2_floor,
        month_of(
            c.s2_site,
            f"{YEAR}-01",
            {"electricity": ("1000", "kWh")},
            [(c.pa, "500", "1000"), (c.px, "250", "500")],
        ),
    )
    declare_footprint(session, c.h2_admin, {"part_id": c.pb.id, "year": YEAR, "pcf_kg": "4"})
    recompute_footprints(session, c.carbon, YEAR)
    return c


def test_ancestors_are_found_with_one_recursive_query(session, c):
    assert ancestors(session, {c.pa.id}, YEAR) == {c.fin.id}
    assert ancestors(session, {c.pb.id}, YEAR) == {c.fin.id, c.fin2.id}


def test_a_new_month_of_a_tier_two_changes_only_its_parts_and_their_ancestors(session, c):
    before = {p: active(session, p) for p in (c.pa, c.px, c.fin, c.fin2)}

    record = record_activity(
        session,
        c.s2_floor,
        month_of(
            c.s2_site, f"{YEAR}-02", {"electricity": ("3000", "kWh")}, [(c.pa, "500", "1000")]
        ),
    )
    summary = recompute_footprints(
        session, c.s2_floor, YEAR, affected_parts(session, record.site_id, YEAR)
    )

    after = {p: active(session, p) for p in (c.pa, c.px, c.fin, c.fin2)}
    assert summary["scope"] == "affected" and summary["targets"] == 3  # PA, PX, FIN
    assert after[c.fin2].id == before[c.fin2].id
    for changed in (c.pa, c.fin):
        assert after[changed].id != before[changed].id
        assert after[changed].preceding_id == before[changed].id
        assert session.get(ProductFootprint, before[changed].id).status == "Deprecated"
    assert preceding_ids(session, after[c.fin]) == [before[c.fin].pf_id]
    assert float(after[c.fin].pcf_kg) > float(before[c.fin].pcf_kg)


def test_a_declared_footprint_replaces_the_previous_and_reaches_every_consumer(session, c):
    old = active(session, c.pb)
    new = declare_footprint(session, c.h2_admin, {"part_id": c.pb.id, "year": YEAR, "pcf_kg": "5"})
    recompute_footprints(session, c.h2_admin, YEAR, [c.pb.id])

    assert new.preceding_id == old.id and old.status == "Deprecated"
    assert float(active(session, c.fin2).pcf_kg) == pytest.approx(5.0)
    assert float(active(session, c.fin).inputs_kg) == pytest.approx(
        2 * 1.05 * float(active(session, c.pa).pcf_kg) + 15
    )


def test_lot_consumption_gives_the_inputs_of_a_part_without_a_bill_of_materials(session, c):
    assembly = part(session, c.t1, "ASM-9", "5")
    record_activity(
        session,
        c.t1_floor,
        month_of(
            c.t1_site, f"{YEAR}-01", {"electricity": ("100", "kWh")}, [(assembly, "10", None)]
        ),
    )
    made = Lot(
        maker_org_id=c.t1.id,
        part_id=assembly.id,
        lot_number="A1",
        quantity=10,
        made_at=date(YEAR, 1, 20),
    )
    bought = Lot(maker_org_id=c.h2.id, part_id=c.pb.id, lot_number="B1", quantity=100)
    session.add_all([made, bought])
    session.flush()
    session.add(
        LotConsumption(
            output_lot_id=made.id, input_lot_id=bought.id, quantity=30, declared_by_org_id=c.t1.id
        )
    )
    session.flush()

    recompute_footprints(session, c.t1_admin, YEAR, [assembly.id])

    fp = active(session, assembly)
    (line,) = fp.calc["inputs"]
    assert line["via"] == "lots" and line["quantity"] == pytest.approx(3.0)
    assert float(fp.inputs_kg) == pytest.approx(12.0)


def test_a_missing_input_footprint_is_counted_as_a_gap(session, c):
    hole = part(session, c.t1, "PC-1", "1", supplier=c.h2)
    bom(session, c.t1, c.fin2, hole, "2")
    recompute_footprints(session, c.carbon, YEAR, [hole.id])

    fp = active(session, c.fin2)
    assert fp.missing_inputs == 1
    assert fp.calc["missing"][0]["part_id"] == hole.id

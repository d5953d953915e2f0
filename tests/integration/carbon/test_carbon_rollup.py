"""Allocation and roll-up across tiers, checked against numbers worked out by hand.

Factors (seeded by the migration): North China grid 0.6776, East China grid 0.5617 kgCO2e/kWh
(MEE 2022, the latest year not after 2025); natural gas 2.1840 kgCO2e/m3; diesel 2.6765
kgCO2e/L (IPCC 2006).

S2 (North China), January: 1000 kWh and 100 m3 gas; made 500 PA (1000 kg) and 250 PX (500 kg).
  site: scope 2 = 677.6, scope 1 = 218.4; PA's mass share 2/3
  PA per unit: scope 1 = 145.6 / 500 = 0.2912, scope 2 = 451.7333 / 500 = 0.9034667
H2 declares PB = 4.0 kgCO2e per piece, 50 % primary data.
T1 (East China), January: 2000 kWh and 50 L diesel; made 100 FIN (1000 kg).
  FIN per unit: scope 2 = 11.234, scope 1 = 1.33825
  inputs: 2 x 1.05 x 1.1946667 = 2.5088 (PA) + 3 x 4.0 = 12 (PB)
  total 27.08105; primary = 12.57225 + 2.5088 + 6 = 21.08105 -> 77.844 %
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.carbon.activity import record_activity
from models.carbon.breakdown import breakdown
from models.carbon.entities import ProductFootprint
from models.carbon.footprints import declare_footprint
from models.carbon.rollup import recompute_footprints
from tests.integration.carbon.builders import YEAR, chain, month_of


def active(session, part):
    return session.scalar(
        select(ProductFootprint).where(
            ProductFootprint.part_id == part.id,
            ProductFootprint.year == YEAR,
            ProductFootprint.status == "Active",
        )
    )


@pytest.fixture
def world(session):
    c = chain(session)
    record_activity(
        session,
        c.s2_floor,
        month_of(
            c.s2_site,
            f"{YEAR}-01",
            {"electricity": ("1000", "kWh"), "natural_gas": ("100", "m3")},
            [(c.pa, "500", "1000"), (c.px, "250", "500")],
        ),
    )
    declare_footprint(
        session,
        c.h2_admin,
        {"part_id": c.pb.id, "year": YEAR, "pcf_kg": "4.0", "primary_data_share": "50"},
    )
    record_activity(
        session,
        c.t1_floor,
        month_of(
            c.t1_site,
            f"{YEAR}-01",
            {"electricity": ("2", "MWh"), "diesel": ("50", "L")},
            [(c.fin, "100", None)],
        ),
    )
    return c


def test_own_emissions_are_allocated_by_mass_and_inputs_rolled_up_with_scrap(session, world):
    summary = recompute_footprints(session, world.carbon, YEAR)

    pa, fin = active(session, world.pa), active(session, world.fin)
    assert float(pa.scope1_kg) == pytest.approx(0.2912)
    assert float(pa.scope2_kg) == pytest.approx(0.9034667, rel=1e-6)
    assert float(pa.pcf_kg) == pytest.approx(1.1946667, rel=1e-6)
    assert float(fin.scope2_kg) == pytest.approx(11.234)
    assert float(fin.scope1_kg) == pytest.approx(1.33825)
    assert float(fin.inputs_kg) == pytest.approx(14.5088, rel=1e-6)
    assert float(fin.pcf_kg) == pytest.approx(27.08105, rel=1e-6)
    assert float(fin.primary_data_share) == pytest.approx(77.844, abs=0.001)
    assert fin.origins == pytest.approx(
        {str(world.t1.id): 12.57225, str(world.s2.id): 2.5088, str(world.h2.id): 12.0}
    )
    assert summary["written"] == 3  # PA, PX and FIN; PB is declared


def test_the_calculation_names_every_input_factor_and_version(session, world):
    recompute_footprints(session, world.carbon, YEAR)

    calc = active(session, world.pa).calc
    (site,) = calc["own"]["sites"]
    assert site["allocation"] == "mass"
    assert site["share"] == pytest.approx(2 / 3)
    factors = {f["fuel"]: f["factor"] for f in site["fuels"]}
    assert factors["electricity"]["region"] == "north_china"
    assert factors["electricity"]["year"] == 2022
    assert factors["electricity"]["version"] == 1
    assert factors["natural_gas"]["value"] == pytest.approx(2.184)
    inputs = {i["part_id"]: i for i in active(session, world.fin).calc["inputs"]}
    assert inputs[world.pa.id]["effective_quantity"] == pytest.approx(2.1)
    assert inputs[world.pb.id]["kind"] == "declared"


def test_allocation_by_quantity_is_an_option(session, world):
    from models.carbon.settings import set_allocation_method

    set_allocation_method(session, world.s2_admin, {"allocation_method": "quantity"})
    recompute_footprints(session, world.carbon, YEAR)

    # 500 of 750 pieces: the same 2/3 share here, so per unit PA is unchanged; PX differs
    px = active(session, world.px)
    assert float(px.pcf_kg) == pytest.approx(896 / 3 / 250)
    assert px.calc["own"]["sites"][0]["allocation"] == "quantity"


def test_a_second_roll_up_writes_nothing(session, world):
    recompute_footprints(session, world.carbon, YEAR)
    again = recompute_footprints(session, world.carbon, YEAR)
    assert again["written"] == 0 and again["unchanged"] == 3


def test_the_anchor_sees_tier_shares_and_only_suppliers_that_share_upstream(session, world):
    recompute_footprints(session, world.carbon, YEAR)
    fin = active(session, world.fin)

    view = breakdown(session, world.anchor.id, fin, "en")

    tiers = {t.tier: t for t in view.tiers}
    assert tiers[1].share == pytest.approx(12.57225 / 27.08105)
    assert tiers[2].share == pytest.approx(14.5088 / 27.08105)
    assert [name for _id, name, _kg in tiers[2].named] == ["SteelTwo"]
    assert tiers[2].withheld_kg == pytest.approx(12.0) and tiers[2].withheld_count == 1
    kinds = {bar.kind: bar for bar in view.bars}
    assert kinds["withheld"].kg == pytest.approx(12.0)
    assert [b.org_id for b in view.bars if b.kind == "input"] == [world.s2.id]
    assert "HiddenTwo" not in view.names.values()


def test_the_tier_one_sees_both_of_its_suppliers_by_name(session, world):
    recompute_footprints(session, world.carbon, YEAR)

    view = breakdown(session, world.t1.id, active(session, world.fin), "en")

    assert {b.org_id for b in view.bars if b.kind == "input"} == {world.s2.id, world.h2.id}
    assert not [b for b in view.bars if b.kind == "withheld"]

"""Emission factors: the seeded published values, the choice of factor, versions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.carbon.activity import record_activity
from models.carbon.entities import EmissionFactor, ProductFootprint
from models.carbon.factors import factor_history, factor_table, record_factor
from models.carbon.rollup import recompute_footprints
from models.errors import Forbidden, ValidationFailed
from tests.integration.carbon.builders import YEAR, chain, month_of


def test_the_published_factors_are_seeded_with_their_sources(session):
    table = factor_table(session)

    national = table.choose("electricity", None, 2022)
    assert national.value == pytest.approx(0.5366) and national.region == "national"
    assert table.choose("electricity", "east_china", 2025).value == pytest.approx(0.5617)
    assert table.choose("electricity", "north_china", 2022).value == pytest.approx(0.6776)
    assert table.choose("electricity", None, 2021).value == pytest.approx(0.5568)
    assert table.choose("electricity", "nowhere", 2030).region == "national"
    assert table.choose("diesel", "east_china", 2025).region == "*"
    sources = {f.fuel: f.source for f in session.scalars(select(EmissionFactor))}
    assert "2006 IPCC Guidelines" in sources["natural_gas"]
    assert "0.11 tCO2/GJ" in sources["steam"]
    assert "生态环境部" in session.scalar(
        select(EmissionFactor.source).where(
            EmissionFactor.fuel == "electricity",
            EmissionFactor.year == 2022,
            EmissionFactor.region == "national",
        )
    )


def test_a_new_version_is_used_and_footprints_name_the_version(session):
    c = chain(session)
    record_activity(
        session,
        c.s2_floor,
        month_of(c.s2_site, f"{YEAR}-01", {"electricity": ("1000", "kWh")}, [(c.pa, "500", None)]),
    )
    recompute_footprints(session, c.carbon, YEAR)
    old = session.scalar(select(ProductFootprint).where(ProductFootprint.part_id == c.pa.id))

    factor = record_factor(
        session,
        c.carbon,
        {
            "fuel": "electricity",
            "region": "north_china",
            "year": 2022,
            "value": "0.7",
            "source": "corrected regional factor (test)",
        },
    )
    recompute_footprints(session, c.carbon, YEAR)

    new = session.scalar(
        select(ProductFootprint).where(
            ProductFootprint.part_id == c.pa.id, ProductFootprint.status == "Active"
        )
    )
    assert factor.version == 2 and factor.scope == 2 and factor.unit == "kgCO2e/kWh"
    assert [v.version for v in factor_history(session, factor.id)] == [2, 1]
    used = old.calc["own"]["sites"][0]["fuels"][0]["factor"]
    now = new.calc["own"]["sites"][0]["fuels"][0]["factor"]
    assert (used["version"], now["version"]) == (1, 2)
    assert float(new.pcf_kg) == pytest.approx(1000 * 0.7 / 500)
    assert old.status == "Deprecated"


def test_only_the_anchors_carbon_managers_edit_factors(session):
    c = chain(session)
    data = {"fuel": "diesel", "region": "*", "year": 2024, "value": "2.7", "source": "test"}
    with pytest.raises(Forbidden):
        record_factor(session, c.s2_admin, data)
    with pytest.raises(ValidationFailed) as error:
        record_factor(session, c.carbon, data | {"value": "-1", "region": "mars"})
    assert set(error.value.errors) == {"value", "region"}

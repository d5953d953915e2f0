"""Emission factors: the seeded published values, the choice of factor, versions, and each
anchor's own versions applying only in its own supply chain."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.carbon.activity import record_activity
from models.carbon.entities import EmissionFactor, ProductFootprint
from models.carbon.factors import current_factors, factor_book, factor_history, record_factor
from models.carbon.published_factors import PUBLISHED_FACTOR_TEXTS
from models.carbon.rollup import recompute_footprints
from models.errors import Forbidden, NotFound, ValidationFailed
from models.i18n import render
from models.orgs.sharing import link_supplier
from tests.integration.carbon.builders import ALL, YEAR, chain, month_of, organisation, person

NORTH_2022 = {
    "fuel": "electricity",
    "region": "north_china",
    "year": 2022,
    "source": "corrected regional factor (test)",
}


def test_the_published_factors_are_seeded_with_their_sources(session):
    table = factor_book(session).table(None)

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

    factor = record_factor(session, c.carbon, NORTH_2022 | {"value": "0.7"})
    recompute_footprints(session, c.carbon, YEAR)

    new = session.scalar(
        select(ProductFootprint).where(
            ProductFootprint.part_id == c.pa.id, ProductFootprint.status == "Active"
        )
    )
    assert factor.version == 2 and factor.scope == 2 and factor.unit == "kgCO2e/kWh"
    assert [v.version for v in factor_history(session, c.anchor.id, factor.id)] == [2, 1]
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


def _pa_footprint(session, c) -> ProductFootprint:
    return session.scalar(
        select(ProductFootprint).where(
            ProductFootprint.part_id == c.pa.id, ProductFootprint.status == "Active"
        )
    )


def _pa_made_in_north_china(session, c) -> None:
    record_activity(
        session,
        c.s2_floor,
        month_of(c.s2_site, f"{YEAR}-01", {"electricity": ("1000", "kWh")}, [(c.pa, "500", None)]),
    )


def test_another_anchors_factor_version_moves_nothing_in_this_chain(session):
    c = chain(session)
    other, _ = organisation(session, "anchor", "OtherAnchor", "north_china")
    other_carbon = person(session, other, "carbon", "carbon@other-anchor.test")
    _pa_made_in_north_china(session, c)
    recompute_footprints(session, c.carbon, YEAR)
    before = _pa_footprint(session, c)

    theirs = record_factor(session, other_carbon, NORTH_2022 | {"value": "9.9"})
    recompute_footprints(session, other_carbon, YEAR)

    after = _pa_footprint(session, c)
    assert after.id == before.id and float(after.pcf_kg) == pytest.approx(1000 * 0.6776 / 500)
    assert theirs.owner_org_id == other.id and theirs.version == 2
    mine = {(f.fuel, f.region, f.year): f for f in current_factors(session, c.anchor.id)}
    assert mine["electricity", "north_china", 2022].version == 1
    assert float(mine["electricity", "north_china", 2022].value) == pytest.approx(0.6776)
    with pytest.raises(NotFound):
        factor_history(session, c.anchor.id, theirs.id)
    with pytest.raises(NotFound):
        factor_history(session, c.s2.id, theirs.id)

    ours = record_factor(session, c.carbon, NORTH_2022 | {"value": "0.7"})
    recompute_footprints(session, c.carbon, YEAR)
    assert float(_pa_footprint(session, c).pcf_kg) == pytest.approx(1000 * 0.7 / 500)
    assert ours.version == 2 and ours.owner_org_id == c.anchor.id
    assert [(v.version, v.owner_org_id) for v in factor_history(session, c.s2.id, ours.id)] == [
        (2, c.anchor.id),
        (1, None),
    ]
    theirs_now = {(f.fuel, f.region, f.year): f for f in current_factors(session, other.id)}
    assert float(theirs_now["electricity", "north_china", 2022].value) == pytest.approx(9.9)


def test_a_supplier_serving_two_anchors_is_computed_with_the_published_factors(session):
    c = chain(session)
    other, _ = organisation(session, "anchor", "SecondAnchor", "east_china")
    record_factor(session, c.carbon, NORTH_2022 | {"value": "0.7"})
    link_supplier(session, c.t1_admin, other.id, c.t1.id, ALL)
    _pa_made_in_north_china(session, c)

    recompute_footprints(session, c.carbon, YEAR)

    found = _pa_footprint(session, c)
    used = found.calc["own"]["sites"][0]["fuels"][0]["factor"]
    assert used["version"] == 1
    assert float(found.pcf_kg) == pytest.approx(1000 * 0.6776 / 500)


def test_every_published_factor_text_is_in_the_chinese_catalogue(session):
    published = session.scalars(select(EmissionFactor).where(EmissionFactor.owner_org_id.is_(None)))
    texts = {text for f in published for text in (f.source, f.note) if text}

    assert texts and texts <= set(PUBLISHED_FACTOR_TEXTS)
    untranslated = {t for t in texts if render(t, "zh_Hans_CN") == t}
    assert not untranslated

"""Footprints across customers: a supplier shared by two anchors shows each only its parts."""

from __future__ import annotations

from datetime import date

import pytest

from models.carbon.activity import record_activity
from models.carbon.footprints import declare_footprint, get_footprint, visible_footprints_query
from models.carbon.reports import intensity_by_supplier, missing_data
from models.errors import NotFound
from models.orgs.sharing import link_supplier
from tests.integration.carbon.builders import (
    ALL,
    YEAR,
    chain,
    month_of,
    organisation,
    part,
    person,
)


def test_an_anchor_does_not_see_what_its_supplier_makes_for_another_anchor(session):
    c = chain(session)
    other, _ = organisation(session, "anchor", "OtherAnchor", "east_china")
    person(session, other, "admin", "admin@other.test")
    link_supplier(session, c.t1_admin, other.id, c.t1.id, ALL)
    theirs = part(session, other, "OTHER-1", "1", supplier=c.t1)
    declared = {"year": YEAR, "pcf_kg": "7"}
    for_them = declare_footprint(session, c.t1_admin, {**declared, "part_id": theirs.id})
    for_us = declare_footprint(session, c.t1_admin, {**declared, "part_id": c.fin.id})
    session.flush()

    anchor_sees = {f.id for f in session.scalars(visible_footprints_query(c.anchor.id))}
    assert for_us.id in anchor_sees and for_them.id not in anchor_sees
    with pytest.raises(NotFound):
        get_footprint(session, c.anchor.id, for_them.id)
    assert get_footprint(session, other.id, for_them.id) is for_them
    assert get_footprint(session, c.t1.id, for_them.id) is for_them  # the maker's own
    with pytest.raises(NotFound):
        get_footprint(session, other.id, for_us.id)
    (tier1,) = [s for s in intensity_by_supplier(session, c.anchor.id, YEAR, "en")
                if s.org_id == c.t1.id]  # fmt: skip
    assert "OTHER-1" not in {p.part_number for p, _ in tier1.parts}


def test_the_month_under_way_is_not_listed_as_missing(session):
    """On 10 March, a site that reported January misses February only: March has not ended,
    so its energy and output cannot be entered in full yet."""
    c = chain(session)
    record_activity(
        session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-01", {"electricity": ("900", "kWh")}, [])
    )

    gaps = {g.org_id: g for g in missing_data(session, c.anchor.id, YEAR, "en", date(YEAR, 3, 10))}

    assert gaps[c.s2.id].months_missing == {c.s2_site.name: [f"{YEAR}-02"]}
    assert gaps[c.t1.id].months_missing == {c.t1_site.name: [f"{YEAR}-01", f"{YEAR}-02"]}
    on_new_year = missing_data(session, c.anchor.id, YEAR, "en", date(YEAR + 1, 1, 1))
    assert (
        len(next(g for g in on_new_year if g.org_id == c.t1.id).months_missing[c.t1_site.name])
        == 12
    )
    in_january = missing_data(session, c.anchor.id, YEAR, "en", date(YEAR, 1, 20))
    assert all(not g.months_missing for g in in_january)

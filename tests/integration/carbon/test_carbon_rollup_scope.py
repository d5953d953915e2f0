"""An organisation's roll-up recomputes its own supply chain; only the system's covers all."""

from __future__ import annotations

from models.carbon.activity import record_activity
from models.carbon.footprints import declare_footprint
from models.carbon.rollup_scope import recompute_year
from tests.integration.carbon.builders import YEAR, Chain, chain, month_of
from tests.integration.carbon.test_carbon_rollup import active


def _seed(session, c: Chain) -> None:
    outputs = [(c.pa, "500", "1000"), (c.px, "250", "500")]
    energy = {"electricity": ("1000", "kWh")}
    record_activity(session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-01", energy, outputs))
    declare_footprint(session, c.h2_admin, {"part_id": c.pb.id, "year": YEAR, "pcf_kg": "4.0"})
    outputs = [(c.fin, "100", None)]
    record_activity(session, c.t1_floor, month_of(c.t1_site, f"{YEAR}-01", energy, outputs))


def _counts(summary: dict) -> tuple[int, ...]:
    """The summary's figures, which add up to its targets."""
    parts = ("written", "unchanged", "declared", "without_data")
    assert sum(summary[name] for name in parts) == summary["targets"], summary
    return tuple(summary[name] for name in ("targets", *parts))


def test_an_anchors_roll_up_leaves_another_chain_alone(session):
    mine, other = chain(session), chain(session)
    _seed(session, mine)
    _seed(session, other)

    summary = recompute_year(session, mine.anchor.id, YEAR)

    assert (summary["scope"], summary["org_id"]) == ("organisation", mine.anchor.id)
    assert _counts(summary) == (4, 3, 0, 1, 0)  # FIN, PA, PX written; PB declared
    assert all(active(session, p) for p in (mine.fin, mine.pa, mine.px))
    assert not any(active(session, p) for p in (other.fin, other.pa, other.px))


def test_a_suppliers_roll_up_covers_its_own_parts_and_what_they_go_into(session):
    mine, other = chain(session), chain(session)
    _seed(session, mine)
    _seed(session, other)

    summary = recompute_year(session, mine.s2.id, YEAR)

    assert _counts(summary) == (3, 3, 0, 0, 0)  # PA and PX it makes, FIN they go into
    assert not any(active(session, p) for p in (other.fin, other.pa, other.px))
    assert _counts(recompute_year(session, mine.s2.id, YEAR)) == (3, 0, 3, 0, 0)


def test_the_systems_roll_up_covers_every_organisation(session):
    mine, other = chain(session), chain(session)
    _seed(session, mine)
    _seed(session, other)

    summary = recompute_year(session, None, YEAR)

    assert summary["scope"] == "all"
    assert _counts(summary) == (8, 6, 0, 2, 0)
    assert all(active(session, p) for c in (mine, other) for p in (c.fin, c.pa, c.px))

"""Composing one footprint from own emissions and inputs, by hand (pure, no database)."""

from __future__ import annotations

import pytest

from models.carbon.compose import Effective, InputLine, compose
from models.carbon.own_emissions import OwnEmissions


def child(pcf: float, pds: float | None, org: int, dqr=(2.0, 2.0, 2.0)) -> Effective:
    return Effective(
        part_id=org * 10,
        org_id=org,
        kind="declared",
        pcf=pcf,
        pds=pds,
        dqr=dqr,
        origins={str(org): pcf},
        pf_id=f"pf-{org}",
    )


def test_own_per_unit_plus_inputs_with_scrap_and_weighted_quality():
    own = OwnEmissions(
        part_id=1, scope1=100.0, scope2=300.0, quantity=100.0, mass_kg=200.0, dqr=(2.0, 1.0, 1.0)
    )
    lines = [InputLine(20, 2, 10.0), InputLine(30, 1)]
    children = {20: child(1.0, 50.0, 2), 30: child(6.0, None, 3, dqr=(3.0, 3.0, 3.0))}

    result = compose(1, 1, None, own, lines, children, {20: 2, 30: 3})

    # own 1 + 3 = 4; inputs 2 x 1.1 x 1.0 = 2.2 and 1 x 6 = 6
    assert (result.scope1, result.scope2, result.inputs) == pytest.approx((1.0, 3.0, 8.2))
    assert result.pcf == pytest.approx(12.2)
    assert result.pds == pytest.approx(100 * (4 + 1.1) / 12.2, abs=0.001)
    assert result.dqr == pytest.approx(
        ((4 * 2 + 2.2 * 2 + 6 * 3) / 12.2, (4 + 2.2 * 2 + 18) / 12.2, (4 + 4.4 + 18) / 12.2),
        abs=0.001,
    )
    assert result.origins == pytest.approx({"1": 4.0, "2": 2.2, "3": 6.0})
    assert result.mass_kg == 2.0


def test_a_missing_input_is_a_gap_and_nothing_known_is_no_footprint():
    result = compose(
        1,
        1,
        5.0,
        None,
        [InputLine(20, 1), InputLine(30, 2)],
        {20: child(3.0, 100.0, 2)},
        {20: 2, 30: 3},
    )
    assert result.pcf == 3.0 and result.missing == 1
    assert result.calc["missing"][0]["part_id"] == 30
    assert compose(1, 1, None, None, [InputLine(30, 1)], {}, {}) is None

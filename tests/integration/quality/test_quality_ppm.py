"""PPM per supplier, part and month from hand-made receipts; scoped by the access rule."""

from __future__ import annotations

from datetime import date

import pytest

from models.quality.ppm import monthly_ppm
from tests.integration.quality import builders


@pytest.fixture
def receipts(session, chain):
    ring = chain.parts["ring"]
    seal = builders.part(session, chain.anchor, chain.supplier, "SEAL-1")
    builders.receipt(session, chain.anchor, chain.supplier, ring, 1000, 0, date(2026, 9, 3))
    builders.receipt(session, chain.anchor, chain.supplier, ring, 4000, 6, date(2026, 9, 20))
    builders.receipt(session, chain.anchor, chain.supplier, seal, 500, 500, date(2026, 9, 21))
    builders.receipt(session, chain.anchor, chain.supplier, ring, 2000, 1, date(2026, 10, 1))
    return {"ring": ring, "seal": seal}


def test_ppm_per_part_and_month(session, chain, receipts):
    rows = {(r.part_id, r.period): r for r in monthly_ppm(session, chain.anchor.id)}
    september = rows[receipts["ring"].id, "2026-09"]
    assert (september.received, september.rejected, september.lots) == (5000, 6, 2)
    assert september.ppm == pytest.approx(1200.0)  # 6 / 5000 × 10⁶
    assert september.rejected_lots == 1
    assert rows[receipts["ring"].id, "2026-10"].ppm == pytest.approx(500.0)
    # A lot rejected as a whole counts with every piece it had.
    assert rows[receipts["seal"].id, "2026-09"].ppm == pytest.approx(1_000_000.0)


def test_ppm_per_supplier_over_parts(session, chain, receipts):
    months = monthly_ppm(session, chain.anchor.id, by_part=False)
    assert [(m.period, m.received, m.rejected) for m in months] == [
        ("2026-09", 5500, 506),
        ("2026-10", 2000, 1),
    ]
    assert months[0].ppm == pytest.approx(506 / 5500 * 1e6)


def test_filters(session, chain, receipts):
    only_seal = monthly_ppm(session, chain.anchor.id, part_id=receipts["seal"].id)
    assert [m.period for m in only_seal] == ["2026-09"]
    since = monthly_ppm(session, chain.anchor.id, since=date(2026, 10, 1))
    assert [m.period for m in since] == ["2026-10"]


def test_supplier_sees_its_own_and_outsiders_nothing(session, chain, receipts):
    assert len(monthly_ppm(session, chain.supplier.id)) == 3
    assert monthly_ppm(session, chain.other.id) == []


def test_sub_supplier_ppm_reaches_the_anchor_only_when_shared_upstream(session, chain):
    part = builders.part(session, chain.supplier, chain.sub, "SUB-1")
    builders.receipt(session, chain.supplier, chain.sub, part, 100, 1, date(2026, 9, 1))
    assert len(monthly_ppm(session, chain.supplier.id)) == 1
    assert monthly_ppm(session, chain.anchor.id) == []  # the sub shares with its buyer only

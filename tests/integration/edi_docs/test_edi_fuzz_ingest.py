"""Whatever is done to a valid file, ingesting it never raises and never writes half a message."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models.edi_docs.entities import EdiDocument, EdiMessage
from models.orders.entities import (
    LineConfirmation,
    Lot,
    PurchaseOrder,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from tests.fixtures.edi_docs.ingest import ingest_bytes
from tests.fixtures.edi_docs.world import FILES
from tests.unit.edi.test_edi_fuzz import MUTATION

VALID = sorted(path.read_bytes() for path in FILES.glob("*.edi"))


def _sender(data: bytes) -> str:
    """Who sends the original file: the anchor its orders, the supplier everything else."""
    return (
        "buyer@anchor.edi" if b"ZZ*ANCHORCO       *ZZ*SUPPLIER01" in data else "admin@supplier.edi"
    )


def _counts(session) -> dict[str, int]:
    return {
        entity.__name__: session.scalar(select(func.count()).select_from(entity))
        for entity in (
            PurchaseOrder,
            ShipNotice,
            ShipNoticeLine,
            ShipmentLot,
            Lot,
            LineConfirmation,
        )
    }


def _check_whole_notices(session) -> None:
    """Every ship notice has lines, and every line's lots add up to the line."""
    for notice in session.scalars(select(ShipNotice)):
        assert notice.lines
        for line in notice.lines:
            assert sum(lot.quantity for lot in line.lots) == line.quantity


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(VALID),
    st.lists(MUTATION, min_size=1, max_size=2),
)
def test_mutated_files_ingest_without_error_or_partial_writes(
    world, database, connection, session, original, mutations
):
    data, sender = original, _sender(original)
    for operation, *arguments in mutations:
        data = operation(data, *arguments)
    if not data:
        data = b" "
    example = connection.begin_nested()
    try:
        before = _counts(session)
        report = ingest_bytes(database, world.actor(sender), data)
        assert report["status"] in ("accepted", "partially_accepted", "rejected")
        session.expire_all()
        after = _counts(session)
        messages = session.scalars(
            select(EdiMessage).where(EdiMessage.document_id == report["document"])
        ).all()
        taken = Counter(m.entity for m in messages if m.status == "accepted")
        for m in messages:
            assert (m.status == "rejected") == bool(m.errors)
            if m.status == "rejected":
                assert m.entity is None
        assert after["ShipNotice"] - before["ShipNotice"] == taken["ship_notice"]
        new_orders = after["PurchaseOrder"] - before["PurchaseOrder"]
        assert new_orders == sum(
            1 for m in messages if m.status == "accepted" and m.record_kind == "purchase_order"
        )
        if not taken:
            assert after == before
        _check_whole_notices(session)
        document = session.get(EdiDocument, report["document"])
        assert document.status == report["status"]
    finally:
        session.rollback()  # its savepoint lies inside the example's: end it first
        example.rollback()

"""The demo's EDI partners and the 856 Ningyuan sends, taken as the worker takes it."""

from __future__ import annotations

from sqlalchemy import select

from models.demo import seed_demo
from models.edi_docs.documents import waiting_documents
from models.edi_docs.entities import EdiDocument
from models.edi_docs.report import document_report
from models.orders.entities import ShipNotice
from worker.edi_exchange.ingest import ingest_document


def test_the_demo_856_becomes_changfengs_ship_notice_with_a_997(session, database):
    seed_demo(session)
    session.commit()
    document = session.scalars(select(EdiDocument)).one()
    assert document.status == "received"
    assert waiting_documents(session, 0) == [document.id]
    assert ingest_document(database, document.id) == "accepted"
    with database.unit_of_work() as s:
        report = document_report(s, document.id)
    assert report["errors"] == [] and [a["kind"] for a in report["acks"]] == ["997"]
    notice = session.scalar(select(ShipNotice).where(ShipNotice.number == "NY-ASN-2411-01"))
    assert notice.source == "edi"
    assert [(s.lot.lot_number, int(s.quantity)) for s in notice.lines[0].lots] == [
        ("NY-2411-01", 400),
        ("NY-2411-02", 200),
    ]
    assert ingest_document(database, document.id) is None

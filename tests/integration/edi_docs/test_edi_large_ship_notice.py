"""An 856 with more lines than one purchase order holds is one ship notice, all or nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models.orders.entities import Lot, ShipmentLot, ShipNotice, ShipNoticeLine

ORDERS = 3
PER_ORDER = 300  # 900 lines: more than the 500 a notice could once hold


def big_856(lines_per_order: int, bad_line: int | None = None) -> bytes:
    """One 856 set from SUPPLIER01 to ANCHORCO: an order level per order PO-BIG-k, an item per
    order line (BRK-100, 1 EA, its own lot); ``bad_line`` names a line the order lacks."""
    body = ["ST*856*0001", "BSN*00*ASN-BIG*20240305*1400", "HL*1**S", "TD5**2*SFEX"]
    hl = 1
    for k in range(ORDERS):
        hl += 1
        order = hl
        body += [f"HL*{order}*1*O", f"PRF*PO-BIG-{k}"]
        for n in range(1, lines_per_order + 1):
            hl += 1
            line = 999 if k * lines_per_order + n == bad_line else n
            body += [
                f"HL*{hl}*{order}*I",
                f"LIN*{line}*BP*BRK-100",
                "SN1**1*EA",
                f"REF*LT*LB-{k}-{n}",
            ]
    body.append(f"SE*{len(body) + 1}*0001")
    segments = [
        "ISA*00*          *00*          *ZZ*SUPPLIER01     *ZZ*ANCHORCO       *240305*1400*U*"
        "00401*000000801*0*P*>",
        "GS*SH*SUPPLIER01*ANCHORCO*20240305*1400*801*X*004010",
        *body,
        "GE*1*801",
        "IEA*1*000000801",
    ]
    return ("~\n".join(segments) + "~\n").encode()


def orders(world, session) -> None:
    due = (world.today + timedelta(days=21)).isoformat()
    for k in range(ORDERS):
        lines = [
            {"line": n, "part_number": "BRK-100", "quantity": "5", "due_date": due}
            for n in range(1, PER_ORDER + 1)
        ]
        world.order(f"PO-BIG-{k}", lines=lines)
    session.commit()


def count(session, entity) -> int:
    return session.scalar(select(func.count()).select_from(entity))


def test_a_900_line_856_becomes_one_ship_notice(ingest, world, session):
    orders(world, session)
    report = ingest("big.x12", content=big_856(PER_ORDER))
    assert report["status"] == "accepted", report["errors"]
    notice = session.scalar(select(ShipNotice).where(ShipNotice.number == "ASN-BIG"))
    assert notice.source == "edi" and len(notice.lines) == ORDERS * PER_ORDER
    assert count(session, ShipmentLot) == ORDERS * PER_ORDER
    assert session.scalar(select(Lot).where(Lot.lot_number == "LB-2-300")).quantity == 1


def test_one_unknown_line_rejects_the_whole_856_and_says_where(ingest, world, session):
    orders(world, session)
    report = ingest("big.x12", content=big_856(PER_ORDER, bad_line=750))
    assert report["status"] == "rejected"
    assert [(e["field"], e["text"]) for e in report["errors"] if e.get("field")] == [
        ("lines.749.po_number", "No such order line of yours.")
    ]
    assert count(session, ShipNotice) == count(session, ShipNoticeLine) == count(session, Lot) == 0

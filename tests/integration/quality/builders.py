"""Small builders of the rows quality tests need: a supply chain, parts, lots and receipts.

Organisations and links go through their domain operations; parts, orders, lots and receipts
are added directly (the orders feature owns their operations).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy.orm import Session

from models.accounts.entities import User
from models.accounts.passwords import hash_password
from models.actor import Actor
from models.orders.entities import (
    Lot,
    OrderLine,
    Part,
    PurchaseOrder,
    Receipt,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from models.orgs.bootstrap import add_member
from models.orgs.codes import uscc_check_character
from models.orgs.entities import Organisation
from models.orgs.operations import create_organisation
from models.orgs.sharing import link_supplier

PASSWORD = "quality-test-pw"
ALL = {f"{c}_{s}": True for c in ("progress", "quality", "carbon", "traceability")
       for s in ("buyer", "upstream")}  # fmt: skip
BUYER_ONLY = {f"{c}_buyer": True for c in ("progress", "quality", "carbon", "traceability")}
NOTHING = {f"{c}_buyer": False for c in ("progress", "quality", "carbon", "traceability")}
_serial = itertools.count(1)


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def _credit_code() -> str:
    first17 = f"91320100MA{next(_serial):07d}"
    return first17 + uscc_check_character(first17)


def organisation(session: Session, kind: str, name: str) -> Organisation:
    return create_organisation(
        session,
        Actor.system("cli"),
        kind,
        {"name_zh": name, "name_en": name, "credit_code": _credit_code()},
    )


def person(session: Session, org: Organisation, role: str, email: str) -> Actor:
    """A user of ``org`` with ``role``, as the actor they act as."""
    user = User(email=email, name=email.split("@")[0], password_hash=_password_hash())
    session.add(user)
    session.flush()
    add_member(session, org.id, user, role)
    return Actor(user.id, org.id, role, "web")


@dataclass
class Chain:
    """Anchor -> supplier -> sub-supplier, plus an unrelated anchor, with their people."""

    anchor: Organisation
    supplier: Organisation
    sub: Organisation
    other: Organisation
    engineer: Actor
    buyer: Actor
    viewer: Actor
    supplier_admin: Actor
    reporter: Actor
    sub_admin: Actor
    outsider: Actor
    parts: dict[str, Part] = field(default_factory=dict)


def chain(session: Session, sub_sharing: dict[str, bool] | None = None) -> Chain:
    """A small supply chain; the sub-supplier shares with its buyer only, by default."""
    tag = next(_serial)
    anchor = organisation(session, "anchor", f"Anchor {tag}")
    supplier = organisation(session, "supplier", f"Supplier {tag}")
    sub = organisation(session, "supplier", f"Sub {tag}")
    other = organisation(session, "anchor", f"Other {tag}")
    people = Chain(
        anchor=anchor,
        supplier=supplier,
        sub=sub,
        other=other,
        engineer=person(session, anchor, "quality", f"quality{tag}@a.test"),
        buyer=person(session, anchor, "procurement", f"buyer{tag}@a.test"),
        viewer=person(session, anchor, "viewer", f"viewer{tag}@a.test"),
        supplier_admin=person(session, supplier, "admin", f"admin{tag}@s.test"),
        reporter=person(session, supplier, "reporter", f"floor{tag}@s.test"),
        sub_admin=person(session, sub, "admin", f"admin{tag}@t.test"),
        outsider=person(session, other, "quality", f"quality{tag}@o.test"),
    )
    link_supplier(session, people.supplier_admin, anchor.id, supplier.id, ALL)
    link_supplier(session, people.sub_admin, supplier.id, sub.id, sub_sharing or BUYER_ONLY)
    return people


def part(session: Session, owner: Organisation, supplier: Organisation | None, number: str) -> Part:
    made = Part(
        owner_org_id=owner.id,
        part_number=number,
        name_zh=number,
        name_en=number,
        unit="PCE",
        supplier_org_id=supplier.id if supplier else None,
    )
    session.add(made)
    session.flush()
    return made


def lot(session: Session, maker: Organisation, made_part: Part, number: str) -> Lot:
    made = Lot(maker_org_id=maker.id, part_id=made_part.id, lot_number=number)
    session.add(made)
    session.flush()
    return made


def order_line(
    session: Session,
    buyer: Organisation,
    supplier: Organisation,
    made_part: Part,
    quantity: int,
    on: date,
) -> OrderLine:
    """An open line of a purchase order of ``quantity`` pieces of the part."""
    serial = next(_serial)
    order = PurchaseOrder(
        number=f"PO-{serial}", buyer_org_id=buyer.id, supplier_org_id=supplier.id, order_date=on
    )
    session.add(order)
    session.flush()
    line = OrderLine(
        order_id=order.id,
        line_no=1,
        buyer_org_id=buyer.id,
        supplier_org_id=supplier.id,
        part_id=made_part.id,
        quantity=Decimal(quantity),
        unit="PCE",
        due_date=on,
        short_code=f"Q{serial:08d}",
    )
    session.add(line)
    session.flush()
    return line


def receipt(
    session: Session,
    buyer: Organisation,
    supplier: Organisation,
    made_part: Part,
    received: int,
    rejected: int,
    on: date,
) -> Receipt:
    """An order line shipped as one lot and received with ``rejected`` pieces refused."""
    line = order_line(session, buyer, supplier, made_part, received, on)
    serial = next(_serial)
    notice = ShipNotice(
        number=f"ASN-{serial}", supplier_org_id=supplier.id, buyer_org_id=buyer.id, ship_date=on
    )
    session.add(notice)
    session.flush()
    notice_line = ShipNoticeLine(notice_id=notice.id, order_line_id=line.id, quantity=received)
    shipped = lot(session, supplier, made_part, f"LOT-{serial}")
    session.add(notice_line)
    session.flush()
    shipment = ShipmentLot(notice_line_id=notice_line.id, lot_id=shipped.id, quantity=received)
    session.add(shipment)
    session.flush()
    made = Receipt(
        shipment_lot_id=shipment.id,
        order_line_id=line.id,
        buyer_org_id=buyer.id,
        supplier_org_id=supplier.id,
        received_quantity=Decimal(received),
        rejected_quantity=Decimal(rejected),
        received_on=on,
    )
    session.add(made)
    session.flush()
    return made


# Montgomery's piston-ring inside diameters: 25 subgroups of 5 (also in tests/unit/quality).
PISTON_RINGS = [
    74.030, 74.002, 74.019, 73.992, 74.008, 73.995, 73.992, 74.001, 74.011, 74.004,
    73.988, 74.024, 74.021, 74.005, 74.002, 74.002, 73.996, 73.993, 74.015, 74.009,
    73.992, 74.007, 74.015, 73.989, 74.014, 74.009, 73.994, 73.997, 73.985, 73.993,
    73.995, 74.006, 73.994, 74.000, 74.005, 73.985, 74.003, 73.993, 74.015, 73.988,
    74.008, 73.995, 74.009, 74.005, 74.004, 73.998, 74.000, 73.990, 74.007, 73.995,
    73.994, 73.998, 73.994, 73.995, 73.990, 74.004, 74.000, 74.007, 74.000, 73.996,
    73.983, 74.002, 73.998, 73.997, 74.012, 74.006, 73.967, 73.994, 74.000, 73.984,
    74.012, 74.014, 73.998, 73.999, 74.007, 74.000, 73.984, 74.005, 73.998, 73.996,
    73.994, 74.012, 73.986, 74.005, 74.007, 74.006, 74.010, 74.018, 74.003, 74.000,
    73.984, 74.002, 74.003, 74.005, 73.997, 74.000, 74.010, 74.013, 74.020, 74.003,
    73.988, 74.001, 74.009, 74.005, 73.996, 74.004, 73.999, 73.990, 74.006, 74.009,
    74.010, 73.989, 73.990, 74.009, 74.014, 74.015, 74.008, 73.993, 74.000, 74.010,
    73.982, 73.984, 73.995, 74.017, 74.013,
]  # fmt: skip


def inspection(lot: str, code: str, values: list[float], unit: str = "mm", **extra) -> dict:
    return {
        "part_number": "RING-1",
        "lot_number": lot,
        "characteristics": [{"code": code, "unit": unit, "measurements": values}],
        **extra,
    }

"""A hand-built multi-tier lot graph for trace tests, with rows added directly.

The network (``->`` means "supplies"):

    ore (t3) -> steel (t2) -> seats (t1) -> anchor
                steel (t2) -> brakes (t1) -> anchor
    plastics (t2, shares with its buyer only) -> seats (t1)
    other anchor <- brakes (t1, shares with it as buyer only)

The lots (``<-`` means "consumed"): CAR-1 <- SEAT-1, BRAKE-1; CAR-2 <- BRAKE-1; SEAT-1 <-
FRAME-1, PLAS-1, STEEL-1 (a diamond: STEEL-1 also went into FRAME-1); FRAME-1 <- STEEL-1;
BRAKE-1 <- STEEL-2; STEEL-1 and STEEL-2 <- ORE-1; OTHER-CAR-1 (other anchor) <- BRAKE-1.
Everything shares everything upstream except plastics (buyer only) and brakes towards the other
anchor (buyer only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy.orm import Session

from models.accounts.entities import Membership, User
from models.accounts.passwords import hash_password
from models.actor import Actor
from models.orders.entities import (
    Lot,
    LotConsumption,
    OrderLine,
    Part,
    PurchaseOrder,
    Receipt,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from models.orgs.codes import uscc_check_character
from models.orgs.entities import Organisation
from models.orgs.operations import create_organisation
from models.orgs.sharing import link_supplier

PASSWORD = "trace-test-pass"
ALL = {
    f"{c}_{scope}": True
    for c in ("progress", "quality", "carbon", "traceability")
    for scope in ("buyer", "upstream")
}
BUYER_ONLY = {f"{c}_buyer": True for c in ("progress", "quality", "carbon", "traceability")}

#: key -> (kind, Chinese name, English name)
ORGS = {
    "anchor": ("anchor", "锚点汽车", "Anchor Motors"),
    "other": ("anchor", "另一锚点", "Other Anchor"),
    "seats": ("supplier", "座椅一级", "Seats Tier One"),
    "brakes": ("supplier", "制动一级", "Brakes Tier One"),
    "steel": ("supplier", "钢材二级", "Steel Tier Two"),
    "plastics": ("supplier", "塑料二级", "Plastics Tier Two"),
    "ore": ("supplier", "矿石三级", "Ore Tier Three"),
}
#: (buyer, supplier, agreement)
LINKS = [
    ("anchor", "seats", ALL),
    ("anchor", "brakes", ALL),
    ("other", "brakes", BUYER_ONLY),
    ("seats", "steel", ALL),
    ("brakes", "steel", ALL),
    ("seats", "plastics", BUYER_ONLY),
    ("steel", "ore", ALL),
]
#: lot number -> (maker, part number, quantity)
LOTS = {
    "CAR-1": ("anchor", "CAR", 1),
    "CAR-2": ("anchor", "CAR", 1),
    "OTHER-CAR-1": ("other", "EV", 1),
    "SEAT-1": ("seats", "SEAT", 100),
    "FRAME-1": ("seats", "FRAME", 100),
    "BRAKE-1": ("brakes", "BRAKE", 200),
    "STEEL-1": ("steel", "COIL", 5000),
    "STEEL-2": ("steel", "COIL", 5000),
    "PLAS-1": ("plastics", "COVER", 300),
    "ORE-1": ("ore", "ORE", 20000),
}
#: (output, input, quantity)
CONSUMPTIONS = [
    ("CAR-1", "SEAT-1", 1),
    ("CAR-1", "BRAKE-1", 4),
    ("CAR-2", "BRAKE-1", 4),
    ("OTHER-CAR-1", "BRAKE-1", 4),
    ("SEAT-1", "FRAME-1", 100),
    ("SEAT-1", "PLAS-1", 200),
    ("SEAT-1", "STEEL-1", 50),
    ("FRAME-1", "STEEL-1", 800),
    ("BRAKE-1", "STEEL-2", 900),
    ("STEEL-1", "ORE-1", 6000),
    ("STEEL-2", "ORE-1", 6000),
]


def credit_code(n: int) -> str:
    first17 = f"91440000MA1TR{n:04d}"
    return first17 + uscc_check_character(first17)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class Network:
    session: Session
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    parts: dict[str, Part] = field(default_factory=dict)
    lots: dict[str, Lot] = field(default_factory=dict)

    def actor(self, org_key: str, role: str = "admin") -> Actor:
        user = self.users[org_key]
        return Actor(user.id, self.orgs[org_key].id, role)

    def lot_id(self, number: str) -> int:
        return self.lots[number].id

    def email(self, org_key: str) -> str:
        return self.users[org_key].email


def add_user(session: Session, org: Organisation, email: str, role: str) -> User:
    user = User(email=email, name=email.split("@")[0], password_hash=_password_hash())
    session.add(user)
    session.flush()
    session.add(Membership(user_id=user.id, org_id=org.id, role=role))
    session.flush()
    return user


def build_network(session: Session, offset: int = 0) -> Network:
    """The organisations, links, parts, lots and consumptions described above."""
    net = Network(session)
    for n, (key, (kind, name_zh, name_en)) in enumerate(ORGS.items(), start=1 + offset):
        org = create_organisation(
            session,
            Actor.system("cli"),
            kind,
            {"name_zh": name_zh, "name_en": name_en, "credit_code": credit_code(n)},
        )
        net.orgs[key] = org
        net.users[key] = add_user(session, org, f"admin-{key}{offset}@trace.test", "admin")
    for buyer, supplier, sharing in LINKS:
        link_supplier(
            session, net.actor(supplier), net.orgs[buyer].id, net.orgs[supplier].id, sharing
        )
    for number, (maker, part_number, quantity) in LOTS.items():
        part = net.parts.get(part_number) or add_part(net, maker, part_number)
        net.lots[number] = add_lot(net, maker, part, number, quantity)
    for output, input_, quantity in CONSUMPTIONS:
        consume(net, output, input_, quantity)
    session.flush()
    return net


def add_part(net: Network, owner: str, part_number: str) -> Part:
    part = Part(
        owner_org_id=net.orgs[owner].id,
        part_number=part_number,
        name_zh=f"零件{part_number}",
        name_en=f"Part {part_number}",
        unit="pcs",
    )
    net.session.add(part)
    net.session.flush()
    net.parts[part_number] = part
    return part


def add_lot(net: Network, maker: str, part: Part, number: str, quantity: int) -> Lot:
    lot = Lot(
        maker_org_id=net.orgs[maker].id,
        part_id=part.id,
        lot_number=number,
        quantity=Decimal(quantity),
        made_at=date(2026, 10, 1),
    )
    net.session.add(lot)
    net.session.flush()
    net.lots[number] = lot
    return lot


def consume(net: Network, output: str, input_: str, quantity: int | None = None) -> None:
    """A consumption row added directly (no cycle check: tests use it to plant cycles)."""
    net.session.add(
        LotConsumption(
            output_lot_id=net.lots[output].id,
            input_lot_id=net.lots[input_].id,
            quantity=Decimal(quantity) if quantity is not None else None,
            declared_by_org_id=net.lots[output].maker_org_id,
        )
    )
    net.session.flush()


def ship(
    net: Network,
    lot_number: str,
    buyer: str,
    quantity: int,
    received: int | None = None,
    rejected: int = 0,
    notice_number: str | None = None,
) -> ShipmentLot:
    """An order line, a ship notice carrying the lot to ``buyer``, and optionally its receipt."""
    lot = net.lots[lot_number]
    supplier_id, buyer_id = lot.maker_org_id, net.orgs[buyer].id
    order = PurchaseOrder(
        number=f"PO-{lot_number}-{buyer}",
        buyer_org_id=buyer_id,
        supplier_org_id=supplier_id,
        order_date=date(2026, 9, 1),
    )
    net.session.add(order)
    net.session.flush()
    line = OrderLine(
        order_id=order.id,
        line_no=1,
        buyer_org_id=buyer_id,
        supplier_org_id=supplier_id,
        part_id=lot.part_id,
        quantity=Decimal(quantity),
        unit="pcs",
        due_date=date(2026, 10, 20),
        short_code=f"T{lot.id:05d}{buyer_id:03d}"[:16],
    )
    net.session.add(line)
    net.session.flush()
    notice = ShipNotice(
        number=notice_number or f"ASN-{lot_number}-{buyer}",
        supplier_org_id=supplier_id,
        buyer_org_id=buyer_id,
        ship_date=date(2026, 10, 5),
    )
    net.session.add(notice)
    net.session.flush()
    notice_line = ShipNoticeLine(notice_id=notice.id, order_line_id=line.id, quantity=quantity)
    net.session.add(notice_line)
    net.session.flush()
    shipped = ShipmentLot(notice_line_id=notice_line.id, lot_id=lot.id, quantity=quantity)
    net.session.add(shipped)
    net.session.flush()
    if received is not None:
        net.session.add(
            Receipt(
                shipment_lot_id=shipped.id,
                order_line_id=line.id,
                buyer_org_id=buyer_id,
                supplier_org_id=supplier_id,
                received_quantity=Decimal(received),
                rejected_quantity=Decimal(rejected),
                received_on=date(2026, 10, 7),
            )
        )
        net.session.flush()
    return shipped

"""A small supply chain for carbon tests, with numbers that can be checked by hand.

Anchor A buys the finished part FIN from tier-1 T1. T1 makes FIN from 2 x PA (5 % scrap),
bought from tier-2 S2, and 3 x PB, bought from tier-2 H2. S2 lets its carbon data pass up to
the anchor; H2 shares with its buyer only. Organisations and links go through their domain
operations; parts and bills of materials are added directly (the orders feature owns those).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy.orm import Session

from models.accounts.entities import User
from models.accounts.passwords import hash_password
from models.actor import Actor
from models.orders.entities import BomLine, OrderLine, Part, PurchaseOrder
from models.orgs.bootstrap import add_member
from models.orgs.codes import uscc_check_character
from models.orgs.entities import Organisation, Site
from models.orgs.operations import add_site, create_organisation
from models.orgs.sharing import link_supplier

PASSWORD = "carbon-test-pw"
YEAR = 2025
ALL = {
    f"{c}_{s}": True
    for c in ("progress", "quality", "carbon", "traceability")
    for s in ("buyer", "upstream")
}
BUYER_ONLY = {f"{c}_buyer": True for c in ("progress", "quality", "carbon", "traceability")}
_serial = itertools.count(1)


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def organisation(session: Session, kind: str, name: str, region: str) -> tuple[Organisation, Site]:
    first17 = f"91440300MC{next(_serial):07d}"
    org = create_organisation(
        session,
        Actor.system("cli"),
        kind,
        {"name_zh": name, "name_en": name, "credit_code": first17 + uscc_check_character(first17)},
    )
    site = add_site(
        session, Actor.system("cli"), {"name": f"{name} plant", "region": region}, org_id=org.id
    )
    return org, site


def person(session: Session, org: Organisation, role: str, email: str) -> Actor:
    user = User(email=email, name=email.split("@")[0], password_hash=_password_hash())
    session.add(user)
    session.flush()
    add_member(session, org.id, user, role)
    return Actor(user.id, org.id, role, "web")


def part(
    session: Session,
    owner: Organisation,
    number: str,
    mass: str | None,
    supplier: Organisation | None = None,
    unit: str = "pcs",
) -> Part:
    made = Part(
        owner_org_id=owner.id,
        part_number=number,
        name_zh=number,
        name_en=f"Part {number}",
        unit=unit,
        mass_kg=Decimal(mass) if mass else None,
        supplier_org_id=supplier.id if supplier else None,
    )
    session.add(made)
    session.flush()
    return made


def bom(
    session: Session, owner: Organisation, parent: Part, child: Part, qty: str, scrap: str = "0"
) -> BomLine:
    line = BomLine(
        owner_org_id=owner.id,
        parent_part_id=parent.id,
        child_part_id=child.id,
        quantity=Decimal(qty),
        scrap_pct=Decimal(scrap),
    )
    session.add(line)
    session.flush()
    return line


@dataclass
class Chain:
    anchor: Organisation
    t1: Organisation
    s2: Organisation
    h2: Organisation
    t1_site: Site
    s2_site: Site
    h2_site: Site
    fin: Part
    pa: Part
    pb: Part
    px: Part
    carbon: Actor
    t1_admin: Actor
    t1_floor: Actor
    s2_admin: Actor
    s2_floor: Actor
    h2_admin: Actor


def chain(session: Session) -> Chain:
    anchor, _ = organisation(session, "anchor", "Anchor", "east_china")
    t1, t1_site = organisation(session, "supplier", "TierOne", "east_china")
    s2, s2_site = organisation(session, "supplier", "SteelTwo", "north_china")
    h2, h2_site = organisation(session, "supplier", "HiddenTwo", "south_china")
    n = next(_serial)
    people = {
        "carbon": person(session, anchor, "carbon", f"carbon{n}@a.test"),
        "t1_admin": person(session, t1, "admin", f"admin{n}@t1.test"),
        "t1_floor": person(session, t1, "reporter", f"floor{n}@t1.test"),
        "s2_admin": person(session, s2, "admin", f"admin{n}@s2.test"),
        "s2_floor": person(session, s2, "reporter", f"floor{n}@s2.test"),
        "h2_admin": person(session, h2, "admin", f"admin{n}@h2.test"),
    }
    link_supplier(session, people["t1_admin"], anchor.id, t1.id, ALL)
    link_supplier(session, people["s2_admin"], t1.id, s2.id, ALL)
    link_supplier(session, people["h2_admin"], t1.id, h2.id, BUYER_ONLY)
    fin = part(session, anchor, "FIN-1", "10", supplier=t1)
    pa = part(session, t1, "PA-1", "2", supplier=s2)
    pb = part(session, t1, "PB-1", "1", supplier=h2)
    px = part(session, s2, "PX-1", "2")
    bom(session, t1, fin, pa, "2", "5")
    bom(session, t1, fin, pb, "3")
    return Chain(anchor, t1, s2, h2, t1_site, s2_site, h2_site, fin, pa, pb, px, **people)


def month_of(
    site: Site,
    month: str,
    energy: dict[str, tuple[str, str]],
    outputs: list[tuple[Part, str, str | None]],
) -> dict:
    """The input of record_activity for one site and month; a month without outputs comes
    with the maker's confirmation that nothing was made."""
    return {
        "site_id": site.id,
        "month": month,
        "energy": {fuel: {"quantity": q, "unit": u} for fuel, (q, u) in energy.items()},
        "outputs": [
            {"part_id": p.id, "quantity": q, **({"mass_kg": m} if m else {})} for p, q, m in outputs
        ],
        **({} if outputs else {"no_output": True}),
    }


def purchase(
    session: Session,
    buyer: Organisation,
    supplier: Organisation,
    bought: Part,
    quantity: str,
    on: date,
) -> OrderLine:
    """A purchase order of one line (added directly; the orders feature owns the operation)."""
    order = PurchaseOrder(
        number=f"PO-{next(_serial)}",
        buyer_org_id=buyer.id,
        supplier_org_id=supplier.id,
        order_date=on,
    )
    session.add(order)
    session.flush()
    line = OrderLine(
        order_id=order.id,
        line_no=1,
        buyer_org_id=buyer.id,
        supplier_org_id=supplier.id,
        part_id=bought.id,
        quantity=Decimal(quantity),
        unit=bought.unit,
        due_date=on,
        short_code=f"C{next(_serial):06d}",
    )
    session.add(line)
    session.flush()
    return line

"""Builders of the facts scorecard tests score: a network, lines, reports, deliveries, quality.

Organisations and links go through their domain operations; orders, reports, receipts,
incidents and 8D cases are added directly (their features own the operations), with the
times the tests need.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache

from sqlalchemy.orm import Session

from models.accounts.entities import User
from models.accounts.passwords import hash_password
from models.actor import Actor
from models.orders.entities import (
    LineConfirmation,
    Lot,
    OrderLine,
    Part,
    ProgressReport,
    PurchaseOrder,
    Receipt,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from models.orgs.bootstrap import add_member
from models.orgs.codes import uscc_check_character
from models.orgs.entities import Organisation
from models.orgs.operations import add_site, create_organisation
from models.orgs.sharing import link_supplier
from models.quality.entities import (
    Characteristic,
    CharacteristicStatistics,
    EightDCase,
    EightDStep,
)
from models.trace.entities import Incident

PASSWORD = "scorecard-test-pw"
#: A Wednesday noon: the current week started on Monday 2026-03-16, the month on 2026-03-01.
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
CATEGORIES = ("progress", "quality", "carbon", "traceability")
ALL = {f"{c}_{s}": True for c in CATEGORIES for s in ("buyer", "upstream")}
BUYER_ONLY = {f"{c}_buyer": True for c in CATEGORIES}
NO_CARBON_UPSTREAM = {**ALL, "carbon_upstream": False}
_serial = itertools.count(1)


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def _credit_code() -> str:
    first17 = f"91330100MA{next(_serial) + 5000000:07d}"
    return first17 + uscc_check_character(first17)


def organisation(session: Session, kind: str, name: str) -> Organisation:
    org = create_organisation(
        session,
        Actor.system("cli"),
        kind,
        {"name_zh": name, "name_en": name, "credit_code": _credit_code()},
    )
    add_site(session, Actor.system("cli"), {"name": f"{name} plant"}, org_id=org.id)
    return org


def person(session: Session, org: Organisation, role: str, email: str) -> Actor:
    user = User(email=email, name=email.split("@")[0], password_hash=_password_hash())
    session.add(user)
    session.flush()
    add_member(session, org.id, user, role)
    return Actor(user.id, org.id, role, "web")


@dataclass
class Net:
    """anchor -> t1 (shares all), anchor -> t1b; t1 -> t2 (all but carbon upstream),
    t1 -> hidden (shares with its buyer only); an unrelated anchor ``other``."""

    anchor: Organisation
    t1: Organisation
    t1b: Organisation
    t2: Organisation
    hidden: Organisation
    other: Organisation
    anchor_admin: Actor
    anchor_buyer: Actor
    anchor_viewer: Actor
    t1_admin: Actor
    t1_reporter: Actor
    t1b_admin: Actor
    t2_admin: Actor
    hidden_admin: Actor
    other_admin: Actor


def network(session: Session) -> Net:
    tag = next(_serial)
    anchor = organisation(session, "anchor", f"Anchor {tag}")
    t1 = organisation(session, "supplier", f"Tier1 {tag}")
    t1b = organisation(session, "supplier", f"Tier1b {tag}")
    t2 = organisation(session, "supplier", f"Tier2 {tag}")
    hidden = organisation(session, "supplier", f"Hidden {tag}")
    other = organisation(session, "anchor", f"Other {tag}")
    net = Net(
        anchor,
        t1,
        t1b,
        t2,
        hidden,
        other,
        person(session, anchor, "admin", f"admin{tag}@anchor.test"),
        person(session, anchor, "procurement", f"buyer{tag}@anchor.test"),
        person(session, anchor, "viewer", f"viewer{tag}@anchor.test"),
        person(session, t1, "admin", f"admin{tag}@t1.test"),
        person(session, t1, "reporter", f"floor{tag}@t1.test"),
        person(session, t1b, "admin", f"admin{tag}@t1b.test"),
        person(session, t2, "admin", f"admin{tag}@t2.test"),
        person(session, hidden, "admin", f"admin{tag}@hidden.test"),
        person(session, other, "admin", f"admin{tag}@other.test"),
    )
    link_supplier(session, net.t1_admin, anchor.id, t1.id, ALL)
    link_supplier(session, net.t1b_admin, anchor.id, t1b.id, ALL)
    link_supplier(session, net.t2_admin, t1.id, t2.id, NO_CARBON_UPSTREAM)
    link_supplier(session, net.hidden_admin, t1.id, hidden.id, BUYER_ONLY)
    return net


def part(session: Session, owner: Organisation, supplier: Organisation) -> Part:
    made = Part(
        owner_org_id=owner.id,
        part_number=f"P-{next(_serial)}",
        name_zh="零件",
        name_en="Part",
        unit="PCE",
        supplier_org_id=supplier.id,
        mass_kg=Decimal(2),
    )
    session.add(made)
    session.flush()
    return made


def line(
    session: Session,
    buyer: Organisation,
    supplier: Organisation,
    *,
    due: date,
    quantity: int = 100,
    ordered: date | None = None,
    confirmed: date | None = None,
    created_at: datetime | None = None,
    status: str = "open",
    made_part: Part | None = None,
) -> OrderLine:
    serial = next(_serial)
    ordered = ordered or TODAY - timedelta(days=20)
    order = PurchaseOrder(
        number=f"PO-{serial}",
        buyer_org_id=buyer.id,
        supplier_org_id=supplier.id,
        order_date=ordered,
        created_at=created_at or _noon(ordered),
    )
    session.add(order)
    session.flush()
    made = OrderLine(
        order_id=order.id,
        line_no=1,
        buyer_org_id=buyer.id,
        supplier_org_id=supplier.id,
        part_id=(made_part or part(session, buyer, supplier)).id,
        quantity=Decimal(quantity),
        unit="PCE",
        due_date=due,
        short_code=f"S{serial:09d}",
        confirmation="confirmed" if confirmed else "pending",
        confirmed_date=confirmed,
        confirmed_quantity=Decimal(quantity) if confirmed else None,
        status=status,
        created_at=created_at or _noon(ordered),
        closed_at=NOW - timedelta(days=1) if status == "closed" else None,
    )
    session.add(made)
    session.flush()
    return made


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def report(
    session: Session,
    on: OrderLine,
    done: int,
    at: datetime,
    expected: date | None = None,
    supersedes: ProgressReport | None = None,
) -> ProgressReport:
    made = ProgressReport(
        line_id=on.id,
        supplier_org_id=on.supplier_org_id,
        stage="machining",
        quantity_done=Decimal(done),
        expected_finish=expected,
        idempotency_key=f"k-{next(_serial)}",
        reported_at=at,
        supersedes_id=supersedes.id if supersedes else None,
    )
    session.add(made)
    session.flush()
    return made


def confirm(session: Session, on: OrderLine, at: datetime) -> LineConfirmation:
    made = LineConfirmation(line_id=on.id, action="confirm", by_org_id=on.supplier_org_id, at=at)
    session.add(made)
    session.flush()
    return made


def deliver(
    session: Session, on: OrderLine, received: int, on_day: date, rejected: int = 0
) -> Receipt:
    """The line shipped (on the same day) as one lot and received."""
    serial = next(_serial)
    notice = ShipNotice(
        number=f"ASN-{serial}",
        supplier_org_id=on.supplier_org_id,
        buyer_org_id=on.buyer_org_id,
        ship_date=on_day,
    )
    session.add(notice)
    session.flush()
    notice_line = ShipNoticeLine(notice_id=notice.id, order_line_id=on.id, quantity=received)
    made_lot = Lot(maker_org_id=on.supplier_org_id, part_id=on.part_id, lot_number=f"L-{serial}")
    session.add_all([notice_line, made_lot])
    session.flush()
    shipment = ShipmentLot(notice_line_id=notice_line.id, lot_id=made_lot.id, quantity=received)
    session.add(shipment)
    session.flush()
    made = Receipt(
        shipment_lot_id=shipment.id,
        order_line_id=on.id,
        buyer_org_id=on.buyer_org_id,
        supplier_org_id=on.supplier_org_id,
        received_quantity=Decimal(received),
        rejected_quantity=Decimal(rejected),
        received_on=on_day,
    )
    session.add(made)
    session.flush()
    return made


def incident(
    session: Session,
    opener: Organisation,
    supplier: Organisation,
    severity: str = "critical",
    state: str = "open",
    created_at: datetime = NOW - timedelta(days=2),
) -> Incident:
    made = Incident(
        reference=f"INC-{next(_serial)}",
        opener_org_id=opener.id,
        supplier_org_id=supplier.id,
        title="Cracked housing",
        severity=severity,
        state=state,
        created_at=created_at,
        updated_at=created_at,
        closed_at=NOW - timedelta(hours=1) if state == "closed" else None,
    )
    session.add(made)
    session.flush()
    return made


def eightd(
    session: Session,
    buyer: Organisation,
    supplier: Organisation,
    opened_at: datetime,
    steps: list[tuple[str, datetime, datetime | None]],
) -> EightDCase:
    case = EightDCase(
        number=f"8D-{next(_serial)}",
        buyer_org_id=buyer.id,
        supplier_org_id=supplier.id,
        title="Burr on edge",
        opened_at=opened_at,
    )
    session.add(case)
    session.flush()
    for step, due_at, submitted_at in steps:
        session.add(
            EightDStep(
                case_id=case.id,
                step=step,
                due_at=due_at,
                submitted_at=submitted_at,
                status="submitted" if submitted_at else "open",
            )
        )
    session.flush()
    return case


def characteristic(
    session: Session,
    buyer: Organisation,
    supplier: Organisation,
    status: str | None,
    classification: str = "critical",
    made_part: Part | None = None,
) -> Characteristic:
    made = Characteristic(
        part_id=(made_part or part(session, buyer, supplier)).id,
        buyer_org_id=buyer.id,
        supplier_org_id=supplier.id,
        code=f"C{next(_serial)}",
        name="Bore",
        unit="mm",
        lsl=9.9,
        usl=10.1,
        classification=classification,
    )
    session.add(made)
    session.flush()
    if status is not None:
        session.add(
            CharacteristicStatistics(
                characteristic_id=made.id,
                computed_at=NOW,
                chart="I-MR",
                subgroup_size=1,
                rules="nelson",
                n=30,
                ignored=0,
                points=30,
                cpk=1.2,
                status=status,
                capable_threshold=1.67,
                watch_threshold=1.33,
                signal_counts={},
            )
        )
        session.flush()
    return made


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def stored(session: Session, org_id: int, kind: str = "week", day: date = TODAY) -> dict | None:
    """The stored scorecard row of a supplier for the period containing ``day``."""
    from sqlalchemy import select

    from models.scorecards.entities import scorecards_table as table
    from models.scorecards.periods import period_of

    period = period_of(kind, day)
    row = session.execute(
        select(table).where(
            table.c.supplier_org_id == org_id,
            table.c.period_kind == kind,
            table.c.period_start == period.start,
        )
    ).first()
    return None if row is None else dict(row._mapping)

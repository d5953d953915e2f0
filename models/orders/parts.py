"""Parts and bills of materials: each organisation keeps its own part numbers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.errors import NotFound, ValidationFailed
from models.i18n import N_
from models.orders.entities import BomLine, OrderLine, Part
from models.orders.schemas import BomLineSchema, PartSchema
from models.orgs.sharing import find_link
from models.roles import require_permission
from models.validation import load


def own_part(session: Session, org_id: int | None, part_number: str) -> Part | None:
    return session.scalar(
        select(Part).where(Part.owner_org_id == org_id, Part.part_number == part_number)
    )


def part_by_supplier_number(
    session: Session, org_id: int | None, supplier_org_id: int | None, supplier_part_number: str
) -> Part | None:
    """The buyer's part that ``supplier_org_id`` knows as ``supplier_part_number``."""
    return session.scalars(
        select(Part).where(
            Part.owner_org_id == org_id,
            Part.supplier_part_number == supplier_part_number,
            or_(Part.supplier_org_id == supplier_org_id, Part.supplier_org_id.is_(None)),
        )
    ).first()


def made_part(session: Session, org_id: int | None, part_number: str) -> Part | None:
    """A part the organisation makes: its own, else a buyer's part it supplies, by number.

    A buyer's part counts when the organisation is named as its supplier or has been ordered
    it; the buyer's number and the supplier part number are both accepted.
    """
    found = own_part(session, org_id, part_number)
    if found is not None:
        return found
    ordered = select(OrderLine.part_id).where(OrderLine.supplier_org_id == org_id)
    return session.scalars(
        select(Part)
        .where(
            or_(Part.part_number == part_number, Part.supplier_part_number == part_number),
            or_(Part.supplier_org_id == org_id, Part.id.in_(ordered)),
        )
        .order_by(Part.id)
    ).first()


def define_part(session: Session, actor: Actor, data: dict[str, Any]) -> Part:
    """Create the actor's part with this number, or update it when it exists.

    A named supplier must be an active or suspended supplier of the actor.
    """
    require_permission(actor.role, "manage_parts")
    loaded = load(PartSchema(), data)
    supplier_id = loaded["supplier_org_id"]
    if supplier_id is not None:
        link = find_link(session, actor.org_id, supplier_id)  # type: ignore[arg-type]
        if link is None or link.status not in ("active", "suspended"):
            raise ValidationFailed.on("supplier_org_id", N_("Not one of your suppliers."))
    part = own_part(session, actor.org_id, loaded["part_number"])
    action = "part.update"
    if part is None:
        part = Part(owner_org_id=actor.org_id, part_number=loaded["part_number"])
        session.add(part)
        action = "part.create"
    part.name_zh = loaded["name_zh"]
    part.name_en = loaded["name_en"] or ""
    part.unit = loaded["unit"]
    part.mass_kg = loaded["mass_kg"]
    part.supplier_org_id = supplier_id
    part.supplier_part_number = loaded["supplier_part_number"]
    session.flush()
    record_audit(session, actor, action, "part", part.id, {"part_number": part.part_number})
    return part


def set_bom_line(session: Session, actor: Actor, data: dict[str, Any]) -> BomLine:
    """Declare (or change) how much of a child part one unit of a part the actor makes needs.

    The parent is a part the actor makes (see :func:`made_part`); the child is one of the
    actor's own parts (what it buys or makes itself). A part never contains itself.
    """
    require_permission(actor.role, "manage_parts")
    loaded = load(BomLineSchema(), data)
    errors: dict[str, list[str]] = {}
    parent = made_part(session, actor.org_id, loaded["parent_part_number"])
    child = own_part(session, actor.org_id, loaded["child_part_number"])
    if parent is None:
        errors["parent_part_number"] = [N_("Unknown part number.")]
    if child is None:
        errors["child_part_number"] = [N_("Unknown part number.")]
    if errors:
        raise ValidationFailed(errors)
    assert parent is not None and child is not None
    if parent.id == child.id:
        raise ValidationFailed.on("child_part_number", N_("A part cannot contain itself."))
    line = session.scalar(
        select(BomLine).where(
            BomLine.parent_part_id == parent.id, BomLine.child_part_id == child.id
        )
    )
    if line is None:
        line = BomLine(owner_org_id=actor.org_id, parent_part_id=parent.id, child_part_id=child.id)
        session.add(line)
    line.quantity = loaded["quantity"]
    line.scrap_pct = loaded["scrap_pct"]
    session.flush()
    record_audit(
        session,
        actor,
        "bom_line.set",
        "bom_line",
        line.id,
        {"parent": parent.part_number, "child": child.part_number, "quantity": str(line.quantity)},
    )
    return line


def get_part(session: Session, org_id: int | None, part_id: int) -> Part:
    """One of the organisation's parts, or a part it makes for a buyer; else not found."""
    part = session.get(Part, part_id)
    if part is None:
        raise NotFound()
    if part.owner_org_id == org_id or made_part(session, org_id, part.part_number) is part:
        return part
    raise NotFound()


@dataclass(frozen=True)
class PartSeen:
    """A part as one organisation may see it (see :func:`seen_by`)."""

    id: int
    part_number: str
    name_zh: str
    name_en: str
    unit: str
    mass_kg: Decimal | None
    supplier_org_id: int | None
    supplier_part_number: str | None


def seen_by(part: Part, org_id: int | None) -> PartSeen:
    """``part`` as ``org_id`` may see it. The supplier the buyer named for the part and that
    supplier's own part number are the buyer's and that supplier's business: a second source
    ordered the same part does not see them."""
    party = org_id in (part.owner_org_id, part.supplier_org_id)
    return PartSeen(
        part.id,
        part.part_number,
        part.name_zh,
        part.name_en,
        part.unit,
        part.mass_kg,
        part.supplier_org_id if party else None,
        part.supplier_part_number if party else None,
    )


def parts_query(org_id: int | None, search: str | None = None):  # type: ignore[no-untyped-def]
    """The organisation's own parts, by number."""
    query = select(Part).where(Part.owner_org_id == org_id).order_by(Part.part_number)
    if search:
        pattern = f"%{search.strip()}%"
        query = query.where(
            or_(
                Part.part_number.ilike(pattern),
                Part.name_zh.ilike(pattern),
                Part.name_en.ilike(pattern),
            )
        )
    return query


def bom_of(session: Session, part_id: int, owner_org_id: int | None) -> list[tuple[BomLine, Part]]:
    """The BOM lines the organisation declared for a part, with each child part."""
    return list(
        session.execute(
            select(BomLine, Part)
            .join(Part, Part.id == BomLine.child_part_id)
            .where(BomLine.parent_part_id == part_id, BomLine.owner_org_id == owner_org_id)
            .order_by(Part.part_number)
        )
    )

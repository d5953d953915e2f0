"""Who may see which quality records: the access rule's "quality" category, applied.

A characteristic's measured data (inspections, statistics, alerts) belongs to its supplier and
is visible where the supplier's quality data is (see :mod:`models.access`). Its definition is
also visible to the buyer that specified it. Whatever may not be seen is reported not found.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from models.access import can_see, visible_org_ids_query
from models.errors import NotFound
from models.quality.entities import Characteristic, EightDCase


def quality_orgs(viewer_org_id: int) -> Select[tuple[int]]:
    """Ids of the organisations whose quality data the viewer may see (itself included)."""
    return visible_org_ids_query(viewer_org_id, "quality")


def visible_characteristics(
    viewer_org_id: int, data: bool = False, orgs: Select[tuple[int]] | None = None
) -> Select[tuple[int]]:
    """Ids of the characteristics the viewer may see; with ``data``, whose measurements too.

    ``orgs`` is the viewer's :func:`quality_orgs` when the caller uses it elsewhere in the same
    statement (one recursive CTE may appear only once per statement).
    """
    orgs = orgs if orgs is not None else quality_orgs(viewer_org_id)
    supplier_visible = Characteristic.supplier_org_id.in_(orgs)
    condition = (
        supplier_visible
        if data
        else or_(Characteristic.buyer_org_id == viewer_org_id, supplier_visible)
    )
    return select(Characteristic.id).where(condition)


def get_characteristic(
    session: Session, viewer_org_id: int, characteristic_id: int, data: bool = False
) -> Characteristic:
    """A characteristic the viewer may see (its data too, with ``data``), else NotFound."""
    characteristic = session.get(Characteristic, characteristic_id)
    if characteristic is None:
        raise NotFound()
    checked = data or characteristic.buyer_org_id != viewer_org_id
    if checked and not can_see(session, viewer_org_id, characteristic.supplier_org_id, "quality"):
        raise NotFound()
    return characteristic


def visible_cases(viewer_org_id: int) -> Select[tuple[int]]:
    """Ids of the 8D cases the viewer may see: its own as buyer, and its suppliers' as shared."""
    return select(EightDCase.id).where(
        or_(
            EightDCase.buyer_org_id == viewer_org_id,
            EightDCase.supplier_org_id.in_(quality_orgs(viewer_org_id)),
        )
    )


def get_case(session: Session, viewer_org_id: int, case_id: int) -> EightDCase:
    case = session.get(EightDCase, case_id)
    if case is None:
        raise NotFound()
    if viewer_org_id != case.buyer_org_id and not can_see(
        session, viewer_org_id, case.supplier_org_id, "quality"
    ):
        raise NotFound()
    return case

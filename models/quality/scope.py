"""Who may see which quality records: the access rule's "quality" category, applied.

A characteristic's measured data (inspections, statistics, alerts) belongs to its supplier and
is visible where the supplier's quality data is (see :mod:`models.access`), for the customer it
was made for: a supplier serving several customers shares with each the quality data of that
customer's supply chain (:func:`models.access.made_for_chain`), not what it measures for
another customer. The definition is also visible to the buyer that specified it. Whatever may
not be seen is reported not found.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from models.access import can_see, chain_org_ids_query, tiers, visible_org_ids_query
from models.errors import NotFound
from models.quality.entities import Characteristic, EightDCase


def quality_orgs(viewer_org_id: int) -> Select[tuple[int]]:
    """Ids of the organisations whose quality data the viewer may see (itself included)."""
    return visible_org_ids_query(viewer_org_id, "quality")


def shared_data(
    viewer_org_id: int, supplier: ColumnElement[int], buyer: ColumnElement[int]
) -> ColumnElement[bool]:
    """The quality data of ``supplier`` for its customer ``buyer`` that the viewer may see: its
    own, or data of a supplier that shares quality with it, for a customer in its own chain.

    Build it once per statement and reuse it: each call adds its own recursive CTEs, and a
    statement may hold only one of each name.
    """
    shared = and_(
        supplier.in_(quality_orgs(viewer_org_id)), buyer.in_(chain_org_ids_query(viewer_org_id))
    )
    return or_(supplier == viewer_org_id, shared)


def characteristic_data(viewer_org_id: int) -> ColumnElement[bool]:
    """:func:`shared_data` for ``Characteristic`` rows."""
    return shared_data(viewer_org_id, Characteristic.supplier_org_id, Characteristic.buyer_org_id)


def visible_characteristics(
    viewer_org_id: int, data: bool = False, shared: ColumnElement[bool] | None = None
) -> Select[tuple[int]]:
    """Ids of the characteristics the viewer may see; with ``data``, whose measurements too.

    ``shared`` is the viewer's :func:`characteristic_data` when the caller uses it elsewhere in
    the same statement.
    """
    shared = shared if shared is not None else characteristic_data(viewer_org_id)
    condition = shared if data else or_(Characteristic.buyer_org_id == viewer_org_id, shared)
    return select(Characteristic.id).where(condition)


def _sees_data(
    session: Session, viewer_org_id: int, supplier_org_id: int, buyer_org_id: int
) -> bool:
    """The Python form of :func:`shared_data`, for one record."""
    if viewer_org_id == supplier_org_id:
        return True
    in_chain = buyer_org_id == viewer_org_id or buyer_org_id in tiers(session, viewer_org_id)
    return in_chain and can_see(session, viewer_org_id, supplier_org_id, "quality")


def get_characteristic(
    session: Session, viewer_org_id: int, characteristic_id: int, data: bool = False
) -> Characteristic:
    """A characteristic the viewer may see (its data too, with ``data``), else NotFound."""
    characteristic = session.get(Characteristic, characteristic_id)
    if characteristic is None:
        raise NotFound()
    checked = data or characteristic.buyer_org_id != viewer_org_id
    if checked and not _sees_data(
        session, viewer_org_id, characteristic.supplier_org_id, characteristic.buyer_org_id
    ):
        raise NotFound()
    return characteristic


def visible_cases(viewer_org_id: int) -> Select[tuple[int]]:
    """Ids of the 8D cases the viewer may see: its own as buyer, and its suppliers' as shared."""
    return select(EightDCase.id).where(
        or_(
            EightDCase.buyer_org_id == viewer_org_id,
            shared_data(viewer_org_id, EightDCase.supplier_org_id, EightDCase.buyer_org_id),
        )
    )


def get_case(session: Session, viewer_org_id: int, case_id: int) -> EightDCase:
    case = session.get(EightDCase, case_id)
    if case is None:
        raise NotFound()
    if viewer_org_id != case.buyer_org_id and not _sees_data(
        session, viewer_org_id, case.supplier_org_id, case.buyer_org_id
    ):
        raise NotFound()
    return case

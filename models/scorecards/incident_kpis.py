"""Incident facts: a supplier's open incidents (a KPI) and sub-tier critical incidents (a risk).

An incident is open until it is closed; critical means severity ``critical`` or ``safety``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from models.orgs.entities import MAX_CHAIN_DEPTH, SharingAgreement, SupplierLink
from models.scorecards.aggregates import count_of
from models.scorecards.context import Context
from models.trace.entities import Incident

CRITICAL = ("critical", "safety")


def open_incidents_facts(ctx: Context) -> Select[Any]:
    """Incidents on the supplier open at the cutoff (by state now, by dates for the past)."""
    cutoff = ctx.p("cutoff")
    if ctx.window.is_current:
        still_open = Incident.state != "closed"
    else:
        still_open = and_(
            Incident.created_at <= cutoff,
            or_(Incident.closed_at.is_(None), Incident.closed_at > cutoff),
        )
    return select(
        Incident.id.label("incident_id"),
        Incident.supplier_org_id,
        Incident.reference,
        Incident.severity,
        Incident.state,
        Incident.created_at,
        case((Incident.severity.in_(CRITICAL), 1), else_=0).label("critical"),
    ).where(still_open, ctx.scoped(Incident.supplier_org_id))


def open_incidents(facts: Any, _ctx: Context) -> Select[Any]:
    return count_of(facts, "open_incidents", "critical")


def troubled_ancestors() -> CTE:
    """Rows ``(org_id, source_org_id)``: ``org_id`` lies above a supplier with an open critical
    incident (``source_org_id``) over active links, one row per pair, where ``org_id``'s own
    buyers may know of it.

    ``org_id``'s buyers are warned, and they are two links or more above the source: by the
    access rule (:mod:`models.access`) they see its quality data only when the source's
    agreement with the buyer it supplies lets quality data pass upstream. A sub-tier that keeps
    its data to its direct buyer is not counted, not even as a number. Walks up from the few
    organisations with such incidents, not down the whole tree.
    """
    sources = (
        select(Incident.supplier_org_id)
        .where(Incident.state != "closed", Incident.severity.in_(CRITICAL))
        .distinct()
    )
    first = select(
        SupplierLink.buyer_id.label("org_id"),
        SupplierLink.supplier_id.label("source_org_id"),
        literal(1).label("depth"),
    ).where(
        SupplierLink.supplier_id.in_(sources),
        SupplierLink.status == "active",
        SupplierLink.current_agreement_id.in_(
            select(SharingAgreement.id).where(
                SharingAgreement.quality_buyer.is_(True),
                SharingAgreement.quality_upstream.is_(True),
            )
        ),
    )
    climb = first.cte("troubled", recursive=True)
    up = aliased(SupplierLink, name="troubled_up")
    climb = climb.union(
        select(up.buyer_id, climb.c.source_org_id, climb.c.depth + 1).where(
            up.supplier_id == climb.c.org_id,
            up.status == "active",
            climb.c.depth < MAX_CHAIN_DEPTH,
        )
    )
    return (
        select(climb.c.org_id, climb.c.source_org_id)
        .where(climb.c.org_id != climb.c.source_org_id)
        .distinct()
        .cte("troubled_pair")
    )


def subtier_incident_counts() -> Select[Any]:
    """Per organisation, how many open critical incidents its sub-tiers have."""
    pairs = troubled_ancestors()
    counted = (
        select(Incident.supplier_org_id, func.count().label("incidents"))
        .where(Incident.state != "closed", Incident.severity.in_(CRITICAL))
        .group_by(Incident.supplier_org_id)
        .subquery("critical_incidents")
    )
    return (
        select(pairs.c.org_id, func.sum(counted.c.incidents).label("incidents"))
        .join(counted, counted.c.supplier_org_id == pairs.c.source_org_id)
        .group_by(pairs.c.org_id)
    )

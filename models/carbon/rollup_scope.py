"""Whose footprints a roll-up recomputes: an organisation's own supply chain, or (for the
system: the command line, a scheduled run) the whole platform."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.access import made_for_chain
from models.actor import Actor
from models.carbon.rollup import recompute_footprints
from models.errors import ValidationFailed
from models.i18n import N_
from models.orders.entities import Part

#: The kind of the job that runs an organisation's roll-up of a year.
ROLLUP_JOB = "footprint_rollup"


def check_rollup_year(year: int, today: date) -> None:
    """Refuse a roll-up of a year that has not begun: it has no data, and a job that does
    nothing would read as if the footprints had been brought up to date."""
    if year > today.year:
        raise ValidationFailed.on("year", N_("The year has not started yet."))


def chain_parts(session: Session, org_id: int) -> set[int]:
    """The parts of an organisation's own supply chain: those it makes (for any customer) and
    those it or an organisation below it defined."""
    maker = func.coalesce(Part.supplier_org_id, Part.owner_org_id)
    return set(
        session.scalars(
            select(Part.id).where(or_(maker == org_id, made_for_chain(org_id, Part.owner_org_id)))
        )
    )


def recompute_year(session: Session, org_id: int | None, year: int) -> dict[str, Any]:
    """The roll-up of ``year`` asked for by ``org_id``: the footprints of its own supply chain
    and of the parts above them (a buyer's footprint counts its suppliers' numbers, as when a
    supplier records new data). Another chain's footprints are left alone: only the system
    (``org_id`` None) recomputes every organisation's.

    The caller checks that the person asking may manage carbon data.
    """
    if org_id is None:
        return recompute_footprints(session, Actor.system(), year)
    parts = chain_parts(session, org_id)
    summary = recompute_footprints(session, Actor.system(), year, parts)
    return summary | {"scope": "organisation", "org_id": org_id}

"""What the carbon pages and API share: the year asked for, propagating a change, and a
factor's source and note in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_babel import gettext, lazy_gettext

from models.carbon.entities import EmissionFactor
from models.clock import local_today
from webapp.tasks import enqueue
from worker.tasks.carbon import propagate_footprints

#: How a footprint came to be, as the carbon pages and the dashboard's records say it.
KIND_LABELS = {"declared": lazy_gettext("declared"), "computed": lazy_gettext("computed")}


def year_arg() -> int:
    """The reporting year of the request (``?year=``), this year by default."""
    this_year = local_today().year
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= this_year + 1 else this_year


def propagate(year: int, part_ids: Iterable[int]) -> None:
    """After the write has committed: recompute these parts and everything above them."""
    parts = sorted(set(part_ids))
    if parts:
        enqueue(propagate_footprints, year, parts)


def factor_text(factor: EmissionFactor, text: str | None) -> str | None:
    """A factor's source or note in the reader's language.

    A published factor's texts are fixed (models.carbon.published_factors) and in the catalogue;
    an anchor's own version says what its carbon managers wrote, which stays as written.
    """
    if text and factor.owner_org_id is None:
        return gettext(text)
    return text

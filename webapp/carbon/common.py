"""What the carbon pages and API share: the year asked for, propagating a change, and a
factor's source and note in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_babel import gettext, lazy_gettext

from models.carbon.entities import EmissionFactor
from models.clock import local_today
from models.errors import ValidationFailed
from models.i18n import N_
from models.validation import whole_number_up_to
from webapp.tasks import enqueue
from worker.tasks.carbon import propagate_footprints

#: How a footprint came to be, as the carbon pages and the dashboard's records say it.
KIND_LABELS = {"declared": lazy_gettext("declared"), "computed": lazy_gettext("computed")}


FIRST_YEAR = 2000


def year_arg() -> int:
    """The reporting year of the request (``?year=``), this year by default. A year given
    that is no year of reporting is refused on ``year``, as the API refuses it: shown this
    year's figures instead, a reader would take them for the year asked for."""
    this_year = local_today().year
    given = request.args.get("year", "").strip()
    if not given:
        return this_year
    year = whole_number_up_to(given, this_year + 1) if given.isascii() else None
    if year is None or not FIRST_YEAR <= year <= this_year + 1:
        raise ValidationFailed.on(
            "year",
            N_("Give a year from %(first)s to %(last)s."),
            first=FIRST_YEAR,
            last=this_year + 1,
        )
    return year


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

"""What the carbon pages and API share: the year asked for, and propagating a change."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request

from models.base import utcnow
from webapp.tasks import enqueue
from worker.tasks.carbon import propagate_footprints


def year_arg() -> int:
    """The reporting year of the request (``?year=``), this year by default."""
    this_year = utcnow().year
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= this_year + 1 else this_year


def propagate(year: int, part_ids: Iterable[int]) -> None:
    """After the write has committed: recompute these parts and everything above them."""
    parts = sorted(set(part_ids))
    if parts:
        enqueue(propagate_footprints, year, parts)

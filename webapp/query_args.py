"""Whole numbers in a page's query string (``?page=2&supplier=7&due_within=14``).

Used as ``request.args.get(name, type=...)``: a value out of range counts as absent, as one that
is not a number does with ``type=int``, so a mistyped or tampered link shows the unfiltered
page instead of an error from deep in the database.
"""

from __future__ import annotations

from collections.abc import Callable

from models.validation import MAX_DB_INT


def up_to(highest: int) -> Callable[[str], int]:
    """A whole number from 0 to ``highest``; ValueError otherwise."""

    def convert(text: str) -> int:
        value = int(text)
        if not 0 <= value <= highest:
            raise ValueError(f"{value} is not between 0 and {highest}")
        return value

    return convert


#: An id, a page or a job number: anything a database column holds.
whole_number = up_to(MAX_DB_INT)

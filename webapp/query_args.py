"""Whole numbers in a page's query string (``?page=2&supplier=7&due_within=14``).

Used as ``request.args.get(name, type=...)``: a value out of range counts as absent, as one that
is not a number does with ``type=int``, so a mistyped or tampered link shows the unfiltered
page instead of an error from deep in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from models.validation import MAX_DB_INT, whole_number_up_to


def up_to(highest: int) -> Callable[[str], int]:
    """A whole number from 0 to ``highest``; ValueError otherwise."""

    def convert(text: str) -> int:
        value = whole_number_up_to(text, highest)
        if value is None:
            raise ValueError(f"{text!r} is not a whole number from 0 to {highest}")
        return value

    return convert


#: An id, a page or a job number: anything a database column holds.
whole_number = up_to(MAX_DB_INT)


def whole_numbers(values: Iterable[str]) -> list[int]:
    """The values that are ids (``?lot=3&lot=9``), in order and once each; the others are
    dropped, as one bad value of a single id is."""
    found: dict[int, None] = {}
    for value in values:
        try:
            found[whole_number(value)] = None
        except ValueError:
            continue
    return list(found)

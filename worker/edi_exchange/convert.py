"""The reader's results as the plain data the domain layer takes."""

from __future__ import annotations

from typing import Any

from edi import EdiError, Interchange
from models.edi_docs.problems import problem


def as_problem(error: EdiError) -> dict[str, Any]:
    """An :class:`edi.EdiError` as a stored problem (its English text keeps its template)."""
    return problem(
        error.code,
        error.text,
        interchange=error.interchange,
        group=error.group,
        message=error.message,
        segment_position=error.segment_position,
        segment_tag=error.segment_tag,
        element=error.element,
        interchange_position=error.interchange_position,
    )


def envelope_problems(interchange: Interchange) -> list[dict[str, Any]]:
    """The errors of an interchange's envelope and of its groups (not of its messages)."""
    found = [as_problem(error) for error in interchange.errors]
    for group in interchange.groups:
        found.extend(as_problem(error) for error in group.errors)
    return found

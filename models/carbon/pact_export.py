"""A footprint as a PACT JSON document to download, or why PACT cannot take it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.carbon.entities import ProductFootprint
from models.carbon.footprints import preceding_ids
from models.carbon.pact import to_v2, to_v3
from models.carbon.pact_exchange import to_pact
from models.errors import ValidationFailed
from models.i18n import N_
from models.orders.entities import Part
from models.orgs.entities import Organisation

#: What a footprint lacks, in the words of its page, when PACT refuses the property at this JSON
#: path (or one inside it): PACT's own rule alone names a property, not the data to add.
MISSING_DATA = {
    "pcf.dqi": N_("The data quality ratings (technological, temporal, geographical) are missing."),
    "pcf.primaryDataShare": N_("The primary data share is missing."),
}


def export_document(session: Session, row: ProductFootprint, version: int) -> dict[str, Any]:
    """The footprint as a PACT JSON object of major ``version``.

    Raises ValidationFailed when PACT ``version`` cannot take it: the message names the version,
    the errors (by JSON path) say which data is missing and which PACT rule asks for it.
    """
    part = session.get(Part, row.part_id)
    assert part is not None
    try:
        footprint = to_pact(
            row,
            part,
            session.get(Organisation, row.org_id),  # type: ignore[arg-type]
            session.get(Organisation, part.owner_org_id),  # type: ignore[arg-type]
            preceding_ids(session, row),
            version,
        )
        return to_v2(footprint) if version == 2 else to_v3(footprint)
    except ValidationFailed as error:
        raise _not_exportable(error, version) from None


def export_problem(
    session: Session, row: ProductFootprint, version: int
) -> ValidationFailed | None:
    """Why the footprint cannot be exported as PACT ``version``; None when it can."""
    try:
        export_document(session, row, version)
    except ValidationFailed as error:
        return error
    return None


def _not_exportable(error: ValidationFailed, version: int) -> ValidationFailed:
    errors = {path: _named(path) + messages for path, messages in error.errors.items()}
    return ValidationFailed(
        errors, N_("This footprint cannot be exported as PACT v%(version)s."), version=version
    )


def _named(path: str) -> list[str]:
    return [
        label
        for prefix, label in MISSING_DATA.items()
        if path == prefix or path.startswith(f"{prefix}.")
    ]

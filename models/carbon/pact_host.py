"""The PACT host: the footprints a client's organisation may see, listed, filtered and paged.

A footprint one PACT version cannot express (v2 and a part in pieces without a mass) is left
out of that version's list rather than failing it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.carbon.entities import ProductFootprint
from models.carbon.footprints import get_by_pf_id, visible_footprints_query
from models.carbon.pact import Footprint, FootprintFilter, matches, to_v2, to_v3
from models.carbon.pact_exchange import footprint_rows, to_pact
from models.errors import NotFound, ValidationFailed

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _chains(session: Session, org_id: int, ids: list[int]) -> dict[int, list[str]]:
    """PACT ids of each footprint's predecessors, newest first, from one query (a predecessor
    is an older footprint of the same maker, so it is visible too)."""
    rows = {
        fid: (pf_id, preceding)
        for fid, pf_id, preceding in session.execute(
            visible_footprints_query(org_id).with_only_columns(
                ProductFootprint.id, ProductFootprint.pf_id, ProductFootprint.preceding_id
            )
        )
    }
    chains: dict[int, list[str]] = {}
    for fid in ids:
        chain, current = [], rows[fid][1]
        while current is not None and current in rows and len(chain) < 100:
            chain.append(rows[current][0])
            current = rows[current][1]
        chains[fid] = chain
    return chains


def visible_pact_footprints(
    session: Session, org_id: int, version: int, flt: FootprintFilter | None = None
) -> list[Footprint]:
    """Every footprint the organisation may see, as PACT Footprints of ``version``, oldest
    first; with ``flt``, those it matches (v3 filter semantics)."""
    ids = list(
        session.scalars(
            visible_footprints_query(org_id)
            .with_only_columns(ProductFootprint.id)
            .order_by(ProductFootprint.id)
        )
    )
    chains = _chains(session, org_id, ids) if ids else {}
    result = []
    for row, part, maker, owner in footprint_rows(session, ids):
        try:
            footprint = to_pact(row, part, maker, owner, chains[row.id], version)
        except ValidationFailed:
            continue
        if flt is None or matches(flt, footprint):
            result.append(footprint)
    return result


def export(footprint: Footprint, version: int) -> dict[str, Any] | None:
    """The JSON of a footprint in ``version``, or None when the version cannot express it."""
    try:
        return to_v2(footprint) if version == 2 else to_v3(footprint)
    except ValidationFailed:
        return None


def list_page(
    session: Session,
    org_id: int,
    version: int,
    flt: FootprintFilter | None,
    limit: int | None,
    offset: int,
) -> tuple[list[dict[str, Any]], int | None]:
    """One page of the list and the offset of the next page (None on the last)."""
    size = min(limit if limit is not None else DEFAULT_LIMIT, MAX_LIMIT)
    documents = [
        document
        for document in (
            export(f, version) for f in visible_pact_footprints(session, org_id, version, flt)
        )
        if document is not None
    ]
    page = documents[offset : offset + size]
    following = offset + size if offset + size < len(documents) else None
    return page, following


def get_document(session: Session, org_id: int, pf_id: str, version: int) -> dict[str, Any]:
    """One footprint the organisation may see, as a PACT JSON object; NotFound otherwise."""
    row = get_by_pf_id(session, org_id, pf_id)
    ((row, part, maker, owner),) = footprint_rows(session, [row.id])
    try:
        footprint = to_pact(
            row, part, maker, owner, _chains(session, org_id, [row.id])[row.id], version
        )
    except ValidationFailed:
        raise NotFound() from None
    document = export(footprint, version)
    if document is None:
        raise NotFound()
    return document

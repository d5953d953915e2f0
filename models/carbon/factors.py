"""Emission factors: which one applies to a site's fuel in a year, and new versions of them.

Formulas never hold a factor of their own: every emission is a quantity times a row of
``emission_factors``, and the footprint records that row's id and version. The published factors
(MEE/NBS grid averages, IPCC 2006 fuel defaults, the purchased-heat factor for steam) are seeded
as version 1 by the migration ``0005_carbon``, so every database ``tierlight db upgrade`` makes
has them, with no owner. An anchor's carbon managers add versions of their own: they apply to
the parts the anchor defines and to those its suppliers define when they serve that anchor
alone. One anchor's edit never moves a number another anchor sees: a part of a supplier that
serves several anchors is computed with the published factors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.carbon.constants import ANY_REGION, CANONICAL_UNIT, NATIONAL
from models.carbon.entities import EmissionFactor
from models.carbon.schemas import EmissionFactorSchema
from models.carbon.sql import among
from models.errors import Forbidden, NotFound
from models.i18n import N_
from models.orgs.entities import Organisation
from models.orgs.paths import NetworkPath
from models.roles import require_permission
from models.validation import load

#: Scope of each fuel when a new factor does not say: burnt on site (1) or bought (2).
DEFAULT_SCOPE = {"electricity": 2, "steam": 2, "natural_gas": 1, "diesel": 1, "gasoline": 1}


@dataclass(frozen=True)
class Factor:
    """The parts of a factor a calculation needs and records."""

    id: int
    fuel: str
    region: str
    year: int
    version: int
    value: float
    unit: str
    scope: int

    def as_record(self) -> dict[str, object]:
        return {
            "factor_id": self.id,
            "version": self.version,
            "region": self.region,
            "year": self.year,
            "value": self.value,
            "unit": self.unit,
            "scope": self.scope,
        }


class FactorTable:
    """The current version of every factor, loaded once, answering ``choose`` in memory."""

    def __init__(self, factors: list[Factor]) -> None:
        self._by_key: dict[tuple[str, str], list[Factor]] = {}
        for factor in sorted(factors, key=lambda f: f.year):
            self._by_key.setdefault((factor.fuel, factor.region), []).append(factor)

    def choose(self, fuel: str, region: str | None, year: int) -> Factor | None:
        """The most specific region first (the site's grid, then national, then any region);
        within it the latest year not after ``year``, else the earliest year there is."""
        for candidate in (region, NATIONAL, ANY_REGION):
            found = self._by_key.get((fuel, candidate or NATIONAL))
            if found:
                earlier = [f for f in found if f.year <= year]
                return earlier[-1] if earlier else found[0]
        return None


FactorKey = tuple[str, str, int]


def _key(factor: EmissionFactor) -> FactorKey:
    return factor.fuel, factor.region, factor.year


def _newest(rows: Iterable[EmissionFactor]) -> dict[FactorKey, EmissionFactor]:
    """The newest version of each (fuel, region, year); an anchor's own version wins a tie
    with a published one of the same number."""
    newest: dict[FactorKey, EmissionFactor] = {}
    for row in rows:
        held = newest.get(_key(row))
        rank = (row.version, row.owner_org_id is not None)
        if held is None or rank > (held.version, held.owner_org_id is not None):
            newest[_key(row)] = row
    return newest


def _as_factor(row: EmissionFactor) -> Factor:
    return Factor(
        row.id, row.fuel, row.region, row.year, row.version, float(row.value), row.unit, row.scope
    )


def _visible_to(anchor_id: int | None):  # type: ignore[no-untyped-def]
    published = EmissionFactor.owner_org_id.is_(None)
    return (
        published if anchor_id is None else or_(published, EmissionFactor.owner_org_id == anchor_id)
    )


def current_factors(session: Session, anchor_id: int | None) -> list[EmissionFactor]:
    """The factors that apply in ``anchor_id``'s supply chain (the published ones without):
    the newest version of each, the anchor's own over the published."""
    rows = session.scalars(select(EmissionFactor).where(_visible_to(anchor_id)))
    return sorted(_newest(rows).values(), key=_key)


class FactorBook:
    """The factor table of every anchor's supply chain, from one read of the (small) table."""

    def __init__(self, rows: Iterable[EmissionFactor]) -> None:
        self._published: list[EmissionFactor] = []
        self._own: dict[int, list[EmissionFactor]] = defaultdict(list)
        for row in rows:
            if row.owner_org_id is None:
                self._published.append(row)
            else:
                self._own[row.owner_org_id].append(row)
        self._tables: dict[int | None, FactorTable] = {}

    def table(self, anchor_id: int | None) -> FactorTable:
        """Published factors, with ``anchor_id``'s own versions over them."""
        if anchor_id not in self._tables:
            rows = self._published + (self._own.get(anchor_id, []) if anchor_id else [])
            self._tables[anchor_id] = FactorTable([_as_factor(r) for r in _newest(rows).values()])
        return self._tables[anchor_id]


def factor_book(session: Session) -> FactorBook:
    return FactorBook(session.scalars(select(EmissionFactor)))


def _anchors_above(session: Session, org_ids: set[int]) -> dict[int, set[int]]:
    """Every anchor whose supply chain each organisation is in (itself, if an anchor)."""
    found: dict[int, set[int]] = defaultdict(set)
    anchors = select(Organisation.id).where(Organisation.kind == "anchor")
    for org_id in session.scalars(anchors.where(among(session, Organisation.id, org_ids))):
        found[org_id].add(org_id)
    for lower, anchor in session.execute(
        select(NetworkPath.lower_org_id, NetworkPath.upper_org_id).where(
            among(session, NetworkPath.lower_org_id, org_ids), NetworkPath.upper_org_id.in_(anchors)
        )
    ):
        found[lower].add(anchor)
    return found


def anchors_of(session: Session, org_ids: Iterable[int]) -> dict[int, int | None]:
    """The anchor whose factor versions apply to the parts each organisation defines: itself
    when it is an anchor, else the one anchor whose supply chain it is in; ``None`` (the
    published factors) when it serves several anchors or none."""
    ids = set(org_ids)
    if not ids:
        return {}
    above = _anchors_above(session, ids)
    result: dict[int, int | None] = {}
    for org_id in ids:
        chains = above.get(org_id, set())
        result[org_id] = org_id if org_id in chains else (min(chains) if len(chains) == 1 else None)
    return result


def anchor_of(session: Session, org_id: int) -> int | None:
    return anchors_of(session, [org_id])[org_id]


def factor_history(session: Session, viewer_org_id: int, factor_id: int) -> list[EmissionFactor]:
    """Every version, newest first, of the factor ``factor_id`` belongs to, in the chain it
    applies in (published versions, and its anchor's own). An anchor's own version is found
    only by organisations in that anchor's supply chain."""
    factor = session.get(EmissionFactor, factor_id)
    if factor is None or (
        factor.owner_org_id is not None
        and factor.owner_org_id not in _anchors_above(session, {viewer_org_id})[viewer_org_id]
    ):
        raise NotFound()
    return list(
        session.scalars(
            select(EmissionFactor)
            .where(
                EmissionFactor.fuel == factor.fuel,
                EmissionFactor.region == factor.region,
                EmissionFactor.year == factor.year,
                _visible_to(factor.owner_org_id),
            )
            .order_by(EmissionFactor.version.desc(), EmissionFactor.owner_org_id.is_(None))
        )
    )


def record_factor(session: Session, actor: Actor, data: dict[str, object]) -> EmissionFactor:
    """A new factor of the actor's anchor, or a new version of the one that applies in its
    chain for the same fuel, region and year.

    Only the anchor's carbon managers edit factors, and only for their own supply chain. Old
    versions stay (footprints name the version they used); the caller recomputes the
    footprints of the affected year.
    """
    require_permission(actor.role, "manage_carbon")
    org = session.get(Organisation, actor.org_id)
    if org is None or org.kind != "anchor":
        raise Forbidden(N_("Only the anchor edits emission factors."))
    loaded = load(EmissionFactorSchema(), data)
    previous = _newest(
        session.scalars(
            select(EmissionFactor).where(
                EmissionFactor.fuel == loaded["fuel"],
                EmissionFactor.region == loaded["region"],
                EmissionFactor.year == loaded["year"],
                _visible_to(org.id),
            )
        )
    ).get((loaded["fuel"], loaded["region"], loaded["year"]))
    factor = EmissionFactor(
        owner_org_id=org.id,
        fuel=loaded["fuel"],
        region=loaded["region"],
        year=loaded["year"],
        version=(previous.version + 1) if previous else 1,
        value=loaded["value"],
        unit=f"kgCO2e/{CANONICAL_UNIT[loaded['fuel']]}",
        scope=loaded["scope"] or DEFAULT_SCOPE[loaded["fuel"]],
        source=loaded["source"],
        note=loaded["note"],
        supersedes_id=previous.id if previous else None,
        created_by_user_id=actor.user_id,
    )
    session.add(factor)
    session.flush()
    record_audit(
        session,
        actor,
        "emission_factor.version",
        "emission_factor",
        factor.id,
        {
            "fuel": factor.fuel,
            "region": factor.region,
            "year": factor.year,
            "version": factor.version,
            "value": str(factor.value),
            "previous_value": str(previous.value) if previous else None,
        },
    )
    return factor


def emissions_kg(quantity: Decimal | float, factor: Factor) -> float:
    return float(quantity) * factor.value

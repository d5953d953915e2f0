"""Emission factors: which one applies to a site's fuel in a year, and new versions of them.

Formulas never hold a factor of their own: every emission is a quantity times a row of
``emission_factors``, and the footprint records that row's id and version. The published factors
(MEE/NBS grid averages, IPCC 2006 fuel defaults, the purchased-heat factor for steam) are seeded
as version 1 by the migration ``0005_carbon``, so every database ``tierlight db upgrade`` makes
has them; the anchor's carbon managers add versions from then on. One table serves the whole
platform: a supplier's footprint is one number for all its buyers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.carbon.constants import ANY_REGION, CANONICAL_UNIT, NATIONAL
from models.carbon.entities import EmissionFactor
from models.carbon.schemas import EmissionFactorSchema
from models.errors import Forbidden, NotFound
from models.i18n import N_
from models.orgs.entities import Organisation
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


def current_factors_query():  # type: ignore[no-untyped-def]
    """Every factor row that is the newest version of its (fuel, region, year)."""
    newest = (
        select(
            EmissionFactor.fuel,
            EmissionFactor.region,
            EmissionFactor.year,
            func.max(EmissionFactor.version).label("version"),
        )
        .group_by(EmissionFactor.fuel, EmissionFactor.region, EmissionFactor.year)
        .subquery()
    )
    return (
        select(EmissionFactor)
        .join(
            newest,
            (newest.c.fuel == EmissionFactor.fuel)
            & (newest.c.region == EmissionFactor.region)
            & (newest.c.year == EmissionFactor.year)
            & (newest.c.version == EmissionFactor.version),
        )
        .order_by(EmissionFactor.fuel, EmissionFactor.region, EmissionFactor.year)
    )


def current_factors(session: Session) -> list[EmissionFactor]:
    return list(session.scalars(current_factors_query()))


def factor_table(session: Session) -> FactorTable:
    return FactorTable(
        [
            Factor(f.id, f.fuel, f.region, f.year, f.version, float(f.value), f.unit, f.scope)
            for f in current_factors(session)
        ]
    )


def factor_history(session: Session, factor_id: int) -> list[EmissionFactor]:
    """Every version of the factor ``factor_id`` belongs to, newest first."""
    factor = session.get(EmissionFactor, factor_id)
    if factor is None:
        raise NotFound()
    return list(
        session.scalars(
            select(EmissionFactor)
            .where(
                EmissionFactor.fuel == factor.fuel,
                EmissionFactor.region == factor.region,
                EmissionFactor.year == factor.year,
            )
            .order_by(EmissionFactor.version.desc())
        )
    )


def record_factor(session: Session, actor: Actor, data: dict[str, object]) -> EmissionFactor:
    """A new factor, or a new version of the one for the same fuel, region and year.

    Only the anchor's carbon managers edit factors. Old versions stay (footprints name the
    version they used); the caller recomputes the footprints of the affected year.
    """
    require_permission(actor.role, "manage_carbon")
    org = session.get(Organisation, actor.org_id)
    if org is None or org.kind != "anchor":
        raise Forbidden(N_("Only the anchor edits emission factors."))
    loaded = load(EmissionFactorSchema(), data)
    previous = session.scalar(
        select(EmissionFactor)
        .where(
            EmissionFactor.fuel == loaded["fuel"],
            EmissionFactor.region == loaded["region"],
            EmissionFactor.year == loaded["year"],
        )
        .order_by(EmissionFactor.version.desc())
        .limit(1)
    )
    factor = EmissionFactor(
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

"""Composing one part's cradle-to-gate footprint from its own emissions and its inputs (pure).

Per ONE unit of the part: own scope 1 and scope 2 (the year's allocated totals over the
quantity made), plus for each input the quantity consumed per unit, raised by its scrap, times
the input's own footprint. Primary-data share and data-quality ratings are weighted by each
contribution's emissions; ``origins`` says where in the chain every kilogram arose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.carbon.own_emissions import OwnEmissions, shown


@dataclass
class Effective:
    """A footprint as the parts that consume it see it: values per one unit of its part."""

    part_id: int
    org_id: int
    kind: str
    pcf: float
    pds: float | None
    dqr: tuple[float, float, float] | None
    origins: dict[str, float]
    pf_id: str | None = None
    id: int | None = None
    scope1: float | None = None
    scope2: float | None = None
    inputs: float | None = None
    missing: int = 0
    allocation: str | None = None


@dataclass(frozen=True)
class InputLine:
    """``quantity`` of ``child_id`` consumed per unit of the parent, before scrap."""

    child_id: int
    quantity: float
    scrap_pct: float = 0.0
    via: str = "bom"

    @property
    def effective_quantity(self) -> float:
        return self.quantity * (1 + self.scrap_pct / 100)


@dataclass
class Composed:
    pcf: float
    scope1: float
    scope2: float
    inputs: float
    mass_kg: float | None
    pds: float | None
    dqr: tuple[float, float, float] | None
    origins: dict[str, float]
    missing: int
    allocation: str | None = None
    calc: dict[str, Any] = field(default_factory=dict)


def compose(
    part_id: int,
    maker_id: int,
    unit_mass: float | None,
    own: OwnEmissions | None,
    lines: list[InputLine],
    children: dict[int, Effective],
    makers: dict[int, int],
) -> Composed | None:
    """The footprint of one unit of ``part_id``, or None when nothing about it is known."""
    has_own = own is not None and own.quantity > 0
    scope1 = own.scope1 / own.quantity if has_own else 0.0  # type: ignore[union-attr]
    scope2 = own.scope2 / own.quantity if has_own else 0.0  # type: ignore[union-attr]
    inputs: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    origins: dict[str, float] = {str(maker_id): scope1 + scope2} if has_own else {}
    contributions: list[tuple[float, float | None, tuple[float, float, float] | None]] = []
    if has_own:
        contributions.append((scope1 + scope2, 100.0, own.dqr))  # type: ignore[union-attr]
    for line in lines:
        child = children.get(line.child_id)
        entry = {
            "part_id": line.child_id,
            "org_id": makers.get(line.child_id),
            "via": line.via,
            "quantity": line.quantity,
            "scrap_pct": line.scrap_pct,
            "effective_quantity": line.effective_quantity,
        }
        if child is None:
            missing.append(entry)
            continue
        kg = line.effective_quantity * child.pcf
        entry |= {
            "pf_id": child.pf_id,
            "kind": child.kind,
            "pcf_kg": shown(child.pcf),
            "kg": shown(kg),
            "primary_data_share": child.pds,
        }
        inputs.append(entry)
        contributions.append((kg, child.pds, child.dqr))
        for org_id, value in child.origins.items():
            origins[org_id] = origins.get(org_id, 0.0) + line.effective_quantity * value
    if not has_own and not inputs:
        return None
    inputs_kg = sum(i["kg"] for i in inputs)
    total = scope1 + scope2 + inputs_kg
    mass = unit_mass
    if mass is None and has_own and own.mass_kg:  # type: ignore[union-attr]
        mass = own.mass_kg / own.quantity  # type: ignore[union-attr]
    calc = {
        "method": "computed",
        "own": _own_calc(own, scope1, scope2) if has_own else None,
        "inputs": inputs,
        "missing": missing,
    }
    return Composed(
        pcf=total,
        scope1=scope1,
        scope2=scope2,
        inputs=inputs_kg,
        mass_kg=mass,
        pds=_primary_share(contributions, total, has_own),
        dqr=_weighted_dqr(contributions),
        origins=origins,
        missing=len(missing),
        allocation=",".join(sorted({s["allocation"] for s in own.sites})) if has_own else None,  # type: ignore[union-attr]
        calc=calc,
    )


def _own_calc(own: OwnEmissions, scope1: float, scope2: float) -> dict[str, Any]:
    return {
        "scope1_kg": scope1,
        "scope2_kg": scope2,
        "year_scope1_kg": own.scope1,
        "year_scope2_kg": own.scope2,
        "quantity": own.quantity,
        "mass_kg": own.mass_kg,
        "dqr": list(own.dqr) if own.dqr else None,
        "sites": own.sites,
    }


def _primary_share(
    contributions: list[tuple[float, float | None, Any]], total: float, has_own: bool
) -> float | None:
    """Share of the total from primary data; an input of unknown share counts as secondary."""
    if total <= 0:
        return 100.0 if has_own else None
    primary = sum(kg * (pds or 0.0) / 100 for kg, pds, _dqr in contributions)
    return round(100 * primary / total, 3)


def _weighted_dqr(
    contributions: list[tuple[float, Any, tuple[float, float, float] | None]],
) -> tuple[float, float, float] | None:
    rated = [(kg, dqr) for kg, _pds, dqr in contributions if dqr is not None]
    weight = sum(kg for kg, _dqr in rated)
    if not rated:
        return None
    if weight <= 0:
        return rated[0][1]
    return tuple(  # type: ignore[return-value]
        round(sum(kg * dqr[i] for kg, dqr in rated) / weight, 3) for i in range(3)
    )

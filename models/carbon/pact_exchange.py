"""Our footprints as PACT ProductFootprints (v2 and v3), and PACT documents as our footprints.

A document a supplier uploads is kept exactly as received and is what we hand out again
(converted to the version asked for). A footprint we computed is described from its row.
PACT v2 has no "piece" unit: a part counted in pieces is exported per kilogram there, with
``unitaryProductAmount`` set to the part's mass, which v3 readers see as the same per-piece
value (see models.carbon.pact.units).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models.actor import Actor
from models.carbon.constants import PACT_UNITS
from models.carbon.entities import ProductFootprint
from models.carbon.footprints import (
    PactOrigin,
    declare_footprint,
    made_part,
    require_declarer,
)
from models.carbon.pact import (
    CarbonFootprint,
    DataQuality,
    Footprint,
    parse_footprint,
)
from models.carbon.pact.vocabulary import cpc_urn
from models.carbon.schemas import PCF_LIMIT
from models.clock import local_today
from models.errors import ValidationFailed
from models.i18n import N_
from models.orders.entities import Part
from models.orgs.entities import Organisation

#: UN CPC Ver. 2.1 class 4912, parts and accessories of motor vehicles: v2 requires a CPC code.
DEFAULT_CPC = "4912"
URN_PREFIX = "urn:pact:tierlight"
# A piece of the document's product may weigh this many times the part (packaging, tolerances).
MASS_RATIO_MIN, MASS_RATIO_MAX = Decimal("0.5"), Decimal(2)
BOUNDARY = (
    "Cradle-to-gate. The maker's scope 1 and 2 emissions from its sites' monthly energy use "
    "(electricity, natural gas, diesel, gasoline, purchased steam), allocated to its products, "
    "plus the footprints of the input parts consumed per unit, including scrap."
)


def company_urn(org: Organisation) -> str:
    return f"{URN_PREFIX}:company:uscc:{org.credit_code}"


def product_urn(part: Part, owner: Organisation) -> str:
    return f"{URN_PREFIX}:part:{owner.credit_code}:{quote(part.part_number, safe='')}"


def declared_unit(part: Part) -> str:
    return PACT_UNITS.get(part.unit.strip().lower(), "piece")


def to_pact(
    row: ProductFootprint,
    part: Part,
    maker: Organisation,
    owner: Organisation,
    preceding: list[str],
    version: int,
) -> Footprint:
    """The footprint as a PACT Footprint for major ``version`` (2 or 3).

    Raises ValidationFailed when the version cannot express it (v2 and a part counted in
    pieces without a known mass).
    """
    if row.pact_document is not None:
        received = parse_footprint(row.pact_document)
        return replace(received, status=row.status)
    unit = declared_unit(part)
    pcf = Decimal(row.pcf_kg)
    mass = Decimal(row.mass_kg) if row.mass_kg is not None else None
    amount = Decimal(1)
    if unit == "piece" and version == 2:
        if not mass:
            raise ValidationFailed.on(
                "pcf.declaredUnit",
                N_("PACT v2 has no unit 'piece'; the part needs a mass to be given per kilogram."),
            )
        unit, amount, pcf = "kilogram", mass, pcf / mass
    per_unit_mass = Decimal(1) if unit == "kilogram" else mass
    start = datetime(row.year, 1, 1, tzinfo=UTC)
    pcf_values = {
        "pcf_excluding_biogenic": pcf,
        "pcf_including_biogenic": pcf,
        "fossil_ghg_emissions": pcf,
    }
    carbon = CarbonFootprint(
        declared_unit=unit,
        declared_unit_amount=amount,
        product_mass_per_declared_unit=per_unit_mass,
        reference_period_start=start,
        reference_period_end=start.replace(year=row.year + 1),
        fossil_carbon_content=Decimal(0),
        biogenic_carbon_content=Decimal(0),
        exempted_emissions_percent=Decimal(0),
        exempted_emissions_description="",
        packaging_emissions_included=False,
        geography_country="CN",
        ipcc_characterization_factors=("AR6",),
        cross_sectoral_standards=("GHGP-Product",),
        boundary_processes_description=BOUNDARY,
        allocation_rules_description=_allocation(row),
        primary_data_share=row.primary_data_share,
        dqi=_dqi(row),
        **pcf_values,
    )
    return Footprint(
        id=UUID(row.pf_id),
        spec_version="2.3.0" if version == 2 else "3.0.0",
        version=1,
        created=row.created_at,
        status=row.status,
        company_name=maker.name_en or maker.name_zh,
        company_ids=(company_urn(maker),),
        product_description=part.name_en or part.name_zh,
        product_ids=(product_urn(part, owner),),
        product_name_company=f"{part.part_number} {part.name_en or part.name_zh}".strip(),
        product_category_cpc=DEFAULT_CPC,
        product_classifications=(cpc_urn(DEFAULT_CPC),),
        preceding_pf_ids=tuple(UUID(p) for p in preceding),
        comment=row.note or "",
        pcf=carbon,
    )


def _allocation(row: ProductFootprint) -> str | None:
    if row.kind != "computed":
        return None
    own = (row.calc or {}).get("own") or {}
    methods = sorted({site["allocation"] for site in own.get("sites", [])})
    return f"Site emissions allocated by {', '.join(methods)}." if methods else None


def _dqi(row: ProductFootprint) -> DataQuality | None:
    ratings = (row.dqr_technological, row.dqr_temporal, row.dqr_geographical)
    if None in ratings:
        return None
    lines = len((row.calc or {}).get("inputs", [])) + row.missing_inputs
    covered = 100 if not lines else round(100 * (lines - row.missing_inputs) / lines)
    return DataQuality(
        technological_dqr=row.dqr_technological,
        temporal_dqr=row.dqr_temporal,
        geographical_dqr=row.dqr_geographical,
        coverage_percent=Decimal(covered),
        completeness_dqr=Decimal(1 if not row.missing_inputs else 2 if covered >= 50 else 3),
        reliability_dqr=Decimal(2),
    )


def read_document(content: bytes) -> dict[str, Any]:
    """One ProductFootprint object from an uploaded file (bare, or as ``{"data": {...}}``)."""
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed.on("file", N_("This file is not JSON.")) from None
    if isinstance(document, dict) and isinstance(document.get("data"), dict | list):
        document = document["data"]
    if isinstance(document, list):
        if len(document) != 1:
            raise ValidationFailed.on("file", N_("Upload one footprint per file."))
        document = document[0]
    if not isinstance(document, dict):
        raise ValidationFailed.on("file", N_("Expected a ProductFootprint JSON object."))
    return document


def import_pact_document(
    session: Session,
    actor: Actor,
    part_id: int,
    document: dict[str, Any],
    upload_id: int | None = None,
) -> ProductFootprint:
    """Declare a part's footprint from a PACT v2 or v3 ProductFootprint, kept as received.

    The per-unit value is converted to one unit of the part: directly when the declared unit is
    the part's unit, through the part's mass when it is the kilogram. ValidationFailed names
    the JSON path of anything wrong; nothing is written then.
    """
    require_declarer(actor)
    footprint = parse_footprint(document)
    part = made_part(session, actor, part_id)
    _require_same_product(session, part, footprint)
    pcf = footprint.pcf
    unit = declared_unit(part)
    per_unit = pcf.pcf_excluding_biogenic
    mass = part.mass_kg
    unit_key = (
        "pcf.declaredUnit"
        if footprint.spec_version.startswith("2")
        else ("pcf.declaredUnitOfMeasurement")
    )
    if pcf.declared_unit == "kilogram" and unit != "kilogram":
        if not part.mass_kg:
            raise ValidationFailed.on(
                unit_key,
                N_("The part has no unit mass, so a per-kilogram footprint cannot be converted."),
            )
        per_unit = per_unit * Decimal(part.mass_kg)
    elif pcf.declared_unit != unit:
        raise ValidationFailed.on(
            unit_key,
            N_("The declared unit does not fit the part's unit (%(unit)s)."),
            unit=part.unit,
        )
    elif unit == "piece" and pcf.product_mass_per_declared_unit and not mass:
        mass = pcf.product_mass_per_declared_unit
    if per_unit < 0:
        raise ValidationFailed.on(
            "pcf.pcfExcludingBiogenicUptake",
            N_("A footprint below zero (net removals) cannot be rolled up; declare 0 or more."),
        )
    if per_unit >= PCF_LIMIT:
        raise ValidationFailed.on(
            "pcf.pCfExcludingBiogenic"
            if footprint.spec_version.startswith("2")
            else "pcf.pcfExcludingBiogenicUptake",
            N_("Number too large."),
        )
    middle = (
        pcf.reference_period_start + (pcf.reference_period_end - pcf.reference_period_start) / 2
    )
    if middle.year > local_today().year:
        raise ValidationFailed.on("pcf.referencePeriodStart", N_("The year has not started yet."))
    dqi = pcf.dqi
    data = {
        "part_id": part.id,
        "year": middle.year,
        "pcf_kg": per_unit,
        "mass_kg": mass,
        "primary_data_share": pcf.primary_data_share,
        "dqr_technological": dqi.technological_dqr if dqi else None,
        "dqr_temporal": dqi.temporal_dqr if dqi else None,
        "dqr_geographical": dqi.geographical_dqr if dqi else None,
        "note": footprint.comment or None,
    }
    origin = PactOrigin(str(footprint.id).lower(), document, footprint.spec_version, upload_id)
    return declare_footprint(session, actor, data, source="pact", pact=origin)


def _require_same_product(session: Session, part: Part, footprint: Footprint) -> None:
    """Refuse a document that plainly describes another product than ``part``.

    Two signs are conclusive: it names another of our parts by the product URN we hand out, or
    a piece of its product weighs more than twice, or less than half, what the part weighs.
    """
    owner = session.get(Organisation, part.owner_org_id)
    assert owner is not None
    ours = product_urn(part, owner)
    other = next(
        (p for p in footprint.product_ids if p.startswith(f"{URN_PREFIX}:part:") and p != ours),
        None,
    )
    if other is not None:
        raise ValidationFailed.on(
            "productIds",
            N_("This footprint is for another part (%(product)s), not %(part)s."),
            product=other,
            part=part.part_number,
        )
    theirs = footprint.pcf.product_mass_per_declared_unit
    if footprint.pcf.declared_unit != "piece" or not theirs or not part.mass_kg:
        return
    ratio = theirs / Decimal(part.mass_kg)
    if not MASS_RATIO_MIN <= ratio <= MASS_RATIO_MAX:
        raise ValidationFailed.on(
            "pcf.productMassPerDeclaredUnit",
            N_(
                "A piece of this product weighs %(theirs)s kg, but the part weighs %(ours)s kg: "
                "is this the footprint of another product?"
            ),
            theirs=format(theirs.normalize(), "f"),
            ours=format(Decimal(part.mass_kg).normalize(), "f"),
        )


def footprint_rows(session: Session, ids: list[int]) -> list[tuple[Any, ...]]:
    """(footprint, part, maker, owner) for each id, in one query."""
    maker_org, owner_org = aliased(Organisation), aliased(Organisation)
    return list(
        session.execute(
            select(ProductFootprint, Part, maker_org, owner_org)
            .join(Part, Part.id == ProductFootprint.part_id)
            .join(maker_org, maker_org.id == ProductFootprint.org_id)
            .join(owner_org, owner_org.id == Part.owner_org_id)
            .where(ProductFootprint.id.in_(ids))
            .order_by(ProductFootprint.id)
        ).all()
    )

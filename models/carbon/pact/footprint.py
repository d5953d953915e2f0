"""The neutral, version-independent ProductFootprint that PACT v2 and v3 documents convert to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from models.carbon.pact.units import per_declared_amount

# Every CarbonFootprint quantity expressed "per declared unit". The Footprint holds them per ONE
# declared unit (PACT v2 semantics); v3 documents carry them per `declaredUnitAmount` units.
PER_UNIT_FIELDS = (
    "product_mass_per_declared_unit",
    "pcf_excluding_biogenic",
    "pcf_including_biogenic",
    "fossil_ghg_emissions",
    "fossil_carbon_content",
    "biogenic_carbon_content",
    "recycled_carbon_content",
    "land_use_change_ghg_emissions",
    "land_management_ghg_emissions",
    "other_biogenic_ghg_emissions",
    "iluc_ghg_emissions",
    "biogenic_co2_uptake",
    "land_carbon_leakage",
    "land_management_fossil_ghg_emissions",
    "land_management_biogenic_co2_emissions",
    "land_management_biogenic_co2_removals",
    "biogenic_non_co2_emissions",
    "land_area_occupation",
    "aircraft_ghg_emissions",
    "packaging_ghg_emissions",
    "packaging_biogenic_carbon_content",
    "outbound_logistics_ghg_emissions",
    "ccs_technological_co2_capture",
    "technological_co2_removals",
    "ccu_carbon_content",
)


@dataclass(frozen=True, kw_only=True)
class DataQuality:
    """Data quality indicators; v3 keeps the three DQRs, v2 adds coverage and two more DQRs.

    Ratings are on v2's scale, 1 (good) to 3 (poor), whichever version they were read from.
    """

    technological_dqr: Decimal | None = None
    temporal_dqr: Decimal | None = None
    geographical_dqr: Decimal | None = None
    completeness_dqr: Decimal | None = None
    reliability_dqr: Decimal | None = None
    coverage_percent: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class Verification:
    """v3 Verification, or v2 Assurance (``assured``, ``level`` and ``boundary`` exist in v2 only).

    ``assured`` is None when the source (v3) states no flag: there the object's presence means the
    footprint was verified. ``coverage`` keeps the source version's vocabulary.
    """

    assured: bool | None = None
    coverage: str | None = None
    level: str | None = None
    boundary: str | None = None
    provider_name: str | None = None
    completed_at: datetime | None = None
    standard_name: str | None = None
    comments: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProductOrSectorSpecificRule:
    operator: str
    rule_names: tuple[str, ...]
    other_operator_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class EmissionFactorSource:
    name: str
    version: str


@dataclass(frozen=True, kw_only=True)
class Extension:
    """A data model extension; ``data`` is its JSON object, to be treated as read-only."""

    spec_version: str
    data_schema: str
    data: Mapping[str, Any]
    documentation: str | None = None


@dataclass(frozen=True, kw_only=True)
class CarbonFootprint:
    """The carbon footprint of one product.

    Guarantee: every field named in ``PER_UNIT_FIELDS`` is per ONE declared unit (kgCO2e, kgC, kg or
    m²·year per unit), whichever version it came from. ``declared_unit_amount`` is the number of
    declared units the product contains (v2 unitaryProductAmount, v3 declaredUnitAmount). Fields
    marked v2 or v3 exist only in that version and are None (or empty) otherwise.
    """

    declared_unit: str
    declared_unit_amount: Decimal
    reference_period_start: datetime
    reference_period_end: datetime
    pcf_excluding_biogenic: Decimal
    fossil_ghg_emissions: Decimal
    fossil_carbon_content: Decimal
    exempted_emissions_percent: Decimal
    pcf_including_biogenic: Decimal | None = None
    product_mass_per_declared_unit: Decimal | None = None
    geography_region_or_subregion: str | None = None
    geography_country: str | None = None
    geography_country_subdivision: str | None = None
    biogenic_carbon_content: Decimal | None = None
    recycled_carbon_content: Decimal | None = None  # v3
    land_use_change_ghg_emissions: Decimal | None = None  # v2 dLucGhgEmissions
    land_management_ghg_emissions: Decimal | None = None  # v2
    other_biogenic_ghg_emissions: Decimal | None = None  # v2
    iluc_ghg_emissions: Decimal | None = None  # v2
    biogenic_co2_uptake: Decimal | None = None  # v2 biogenicCarbonWithdrawal
    land_carbon_leakage: Decimal | None = None  # v3
    land_management_fossil_ghg_emissions: Decimal | None = None  # v3
    land_management_biogenic_co2_emissions: Decimal | None = None  # v3
    land_management_biogenic_co2_removals: Decimal | None = None  # v3
    biogenic_non_co2_emissions: Decimal | None = None  # v3
    land_area_occupation: Decimal | None = None  # v3
    biogenic_accounting_methodology: str | None = None  # v2
    aircraft_ghg_emissions: Decimal | None = None
    packaging_emissions_included: bool | None = None
    packaging_ghg_emissions: Decimal | None = None
    packaging_biogenic_carbon_content: Decimal | None = None  # v3
    outbound_logistics_ghg_emissions: Decimal | None = None  # v3
    ccs_technological_co2_capture_included: bool | None = None  # v3
    ccs_technological_co2_capture: Decimal | None = None  # v3
    technological_co2_capture_origin: str | None = None  # v3
    technological_co2_removals: Decimal | None = None  # v3
    ccu_carbon_content: Decimal | None = None  # v3
    ccu_calculation_approach: str | None = None  # v3
    ccu_credit_certification: str | None = None  # v3
    characterization_factors: str | None = None  # v2 (deprecated in 2.2)
    ipcc_characterization_factors: tuple[str, ...] = ()
    cross_sectoral_standards_used: tuple[str, ...] = ()  # v2 (deprecated in 2.3)
    cross_sectoral_standards: tuple[str, ...] = ()  # v2.3 and v3
    product_or_sector_specific_rules: tuple[ProductOrSectorSpecificRule, ...] | None = None
    boundary_processes_description: str | None = None
    exempted_emissions_description: str | None = None
    allocation_rules_description: str | None = None
    uncertainty_assessment_description: str | None = None  # v2
    secondary_emission_factor_sources: tuple[EmissionFactorSource, ...] = ()
    primary_data_share: Decimal | None = None
    dqi: DataQuality | None = None
    verification: Verification | None = None

    @property
    def geography(self) -> str | None:
        """The one geography the footprint is scoped to, or None when it is global."""
        return (
            self.geography_country_subdivision
            or self.geography_country
            or self.geography_region_or_subregion
        )

    def per_product(self, name: str) -> Decimal | None:
        """Quantity ``name`` (one of ``PER_UNIT_FIELDS``) for the whole product, i.e. per
        ``declared_unit_amount`` units: the value a v3 document carries."""
        if name not in PER_UNIT_FIELDS:
            raise ValueError(f"{name} is not a per-declared-unit quantity")
        value = getattr(self, name)
        return None if value is None else per_declared_amount(value, self.declared_unit_amount)


@dataclass(frozen=True, kw_only=True)
class Footprint:
    """A ProductFootprint as Tierlight holds it, whatever PACT version it was exchanged in.

    ``spec_version`` is the version the document was received in (or built for). ``version`` and
    ``updated`` are v2 lifecycle fields (deprecated in v3, where any change makes a new ``id``);
    ``status_comment`` and ``product_category_cpc`` exist in v2 only.
    """

    id: UUID
    spec_version: str
    created: datetime
    status: str
    company_name: str
    company_ids: tuple[str, ...]
    product_description: str
    product_ids: tuple[str, ...]
    product_name_company: str
    pcf: CarbonFootprint
    version: int | None = None
    updated: datetime | None = None
    preceding_pf_ids: tuple[UUID, ...] = ()
    status_comment: str | None = None
    validity_period_start: datetime | None = None
    validity_period_end: datetime | None = None
    product_category_cpc: str | None = None
    product_classifications: tuple[str, ...] = ()
    comment: str | None = None
    extensions: tuple[Extension, ...] = ()

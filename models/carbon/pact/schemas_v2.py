"""Marshmallow schemas for a PACT v2 (2.0–2.3) ProductFootprint, written from the v2 spec text.

Loading yields plain dicts keyed by the neutral Footprint field names (nested leaf objects become
their dataclasses); dumping takes the same shape and writes v2 JSON. Numbers the v2 spec types as
JSON numbers (percentages, DQRs) are JSON numbers; every other decimal is a decimal string.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from models.carbon.pact.fields import (
    DateTimeString,
    DecimalString,
    JsonInteger,
    PactSchema,
    StrictBool,
    TupleList,
    UuidString,
    decimal_in,
    non_empty_string,
    number_in,
    one_of,
    urn_set,
)
from models.carbon.pact.footprint import DataQuality, Verification
from models.carbon.pact.schemas_common import (
    EmissionFactorSourceSchema,
    ExtensionSchema,
    GeographySchema,
    ProductOrSectorSpecificRuleSchema,
    carbon_footprint_errors,
    ipcc_factors,
    product_footprint_errors,
    spec_version_of,
    standards,
)
from models.carbon.pact.vocabulary import (
    ASSURANCE_BOUNDARIES_V2,
    ASSURANCE_COVERAGES_V2,
    ASSURANCE_LEVELS_V2,
    BIOGENIC_ACCOUNTING_METHODOLOGIES,
    CHARACTERIZATION_FACTORS_V2,
    CROSS_SECTORAL_STANDARDS_USED,
    DECLARED_UNITS_V2,
    STATUSES,
)
from models.i18n import N_

# v2: for reference periods that include the start of 2025 or later, primaryDataShare and a
# complete dqi MUST be defined; before that, at least one of the two.
DQI_DEADLINE = datetime(2025, 1, 1, tzinfo=UTC)
_DQI_KEYS = {
    "coverage_percent": "coveragePercent",
    "technological_dqr": "technologicalDQR",
    "temporal_dqr": "temporalDQR",
    "geographical_dqr": "geographicalDQR",
    "completeness_dqr": "completenessDQR",
    "reliability_dqr": "reliabilityDQR",
}


class DataQualityV2Schema(PactSchema):
    coverage_percent = number_in(0, 100, data_key="coveragePercent", allow_none=True)
    technological_dqr = number_in(1, 3, data_key="technologicalDQR", allow_none=True)
    temporal_dqr = number_in(1, 3, data_key="temporalDQR", allow_none=True)
    geographical_dqr = number_in(1, 3, data_key="geographicalDQR", allow_none=True)
    completeness_dqr = number_in(1, 3, data_key="completenessDQR", allow_none=True)
    reliability_dqr = number_in(1, 3, data_key="reliabilityDQR", allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> DataQuality:
        return DataQuality(**data)


class AssuranceV2Schema(PactSchema):
    assured = StrictBool(required=True, data_key="assurance")
    coverage = one_of(ASSURANCE_COVERAGES_V2, allow_none=True)
    level = one_of(ASSURANCE_LEVELS_V2, allow_none=True)
    boundary = one_of(ASSURANCE_BOUNDARIES_V2, allow_none=True)
    provider_name = fields.Str(required=True, data_key="providerName")
    completed_at = DateTimeString(utc_only=True, data_key="completedAt", allow_none=True)
    standard_name = fields.Str(data_key="standardName", allow_none=True)
    comments = fields.Str(allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Verification:
        return Verification(**data)


class ProductOrSectorSpecificRuleV2Schema(ProductOrSectorSpecificRuleSchema):
    @validates_schema
    def other_operator(self, data: dict[str, Any], **kwargs: Any) -> None:
        other, named = data.get("operator") == "Other", bool(data.get("other_operator_name"))
        if other and not named:
            raise ValidationError(N_("Required when operator is Other."), "otherOperatorName")
        if named and not other:
            raise ValidationError(
                N_("Must be undefined unless operator is Other."), "otherOperatorName"
            )


class CarbonFootprintV2Schema(GeographySchema):
    declared_unit = one_of(DECLARED_UNITS_V2, required=True, data_key="declaredUnit")
    declared_unit_amount = decimal_in(0, above=True, required=True, data_key="unitaryProductAmount")
    product_mass_per_declared_unit = decimal_in(
        0, data_key="productMassPerDeclaredUnit", allow_none=True
    )
    pcf_excluding_biogenic = decimal_in(0, required=True, data_key="pCfExcludingBiogenic")
    pcf_including_biogenic = DecimalString(data_key="pCfIncludingBiogenic", allow_none=True)
    fossil_ghg_emissions = decimal_in(0, required=True, data_key="fossilGhgEmissions")
    fossil_carbon_content = decimal_in(0, required=True, data_key="fossilCarbonContent")
    biogenic_carbon_content = decimal_in(0, required=True, data_key="biogenicCarbonContent")
    land_use_change_ghg_emissions = decimal_in(0, data_key="dLucGhgEmissions", allow_none=True)
    land_management_ghg_emissions = DecimalString(
        data_key="landManagementGhgEmissions", allow_none=True
    )
    other_biogenic_ghg_emissions = decimal_in(
        0, data_key="otherBiogenicGhgEmissions", allow_none=True
    )
    iluc_ghg_emissions = decimal_in(0, data_key="iLucGhgEmissions", allow_none=True)
    biogenic_co2_uptake = decimal_in(None, 0, data_key="biogenicCarbonWithdrawal", allow_none=True)
    aircraft_ghg_emissions = decimal_in(0, data_key="aircraftGhgEmissions", allow_none=True)
    characterization_factors = one_of(
        CHARACTERIZATION_FACTORS_V2, required=True, data_key="characterizationFactors"
    )
    ipcc_characterization_factors = ipcc_factors(
        data_key="ipccCharacterizationFactorsSources", allow_none=True
    )
    cross_sectoral_standards_used = TupleList(
        one_of(tuple(CROSS_SECTORAL_STANDARDS_USED)),
        unique=True,
        validate=validate.Length(min=1),
        required=True,
        data_key="crossSectoralStandardsUsed",
    )
    cross_sectoral_standards = standards(data_key="crossSectoralStandards", allow_none=True)
    product_or_sector_specific_rules = TupleList(
        fields.Nested(ProductOrSectorSpecificRuleV2Schema),
        data_key="productOrSectorSpecificRules",
        allow_none=True,
    )
    biogenic_accounting_methodology = one_of(
        BIOGENIC_ACCOUNTING_METHODOLOGIES, data_key="biogenicAccountingMethodology", allow_none=True
    )
    boundary_processes_description = fields.Str(
        required=True, data_key="boundaryProcessesDescription"
    )
    reference_period_start = DateTimeString(
        utc_only=True, required=True, data_key="referencePeriodStart"
    )
    reference_period_end = DateTimeString(
        utc_only=True, required=True, data_key="referencePeriodEnd"
    )
    secondary_emission_factor_sources = TupleList(
        fields.Nested(EmissionFactorSourceSchema),
        validate=validate.Length(min=1),
        data_key="secondaryEmissionFactorSources",
        allow_none=True,
    )
    exempted_emissions_percent = number_in(0, 5, required=True, data_key="exemptedEmissionsPercent")
    exempted_emissions_description = fields.Str(
        required=True, data_key="exemptedEmissionsDescription"
    )
    packaging_emissions_included = StrictBool(required=True, data_key="packagingEmissionsIncluded")
    packaging_ghg_emissions = decimal_in(0, data_key="packagingGhgEmissions", allow_none=True)
    allocation_rules_description = fields.Str(
        data_key="allocationRulesDescription", allow_none=True
    )
    uncertainty_assessment_description = fields.Str(
        data_key="uncertaintyAssessmentDescription", allow_none=True
    )
    primary_data_share = number_in(0, 100, data_key="primaryDataShare", allow_none=True)
    dqi = fields.Nested(DataQualityV2Schema, allow_none=True)
    verification = fields.Nested(AssuranceV2Schema, data_key="assurance", allow_none=True)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def cross_field(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        errors: dict[str, Any] = carbon_footprint_errors(data)
        original = original if isinstance(original, Mapping) else {}
        # A property that was sent but refused already has its error; don't add "required".
        share = data.get("primary_data_share", original.get("primaryDataShare"))
        dqi = data.get("dqi", original.get("dqi"))
        end = data.get("reference_period_end")
        if end and end > DQI_DEADLINE:
            needed = N_("Required for reference periods that include 2025 or later.")
            if share is None:
                errors["primaryDataShare"] = [needed]
            if dqi is None:
                errors["dqi"] = [needed]
            elif isinstance(dqi, DataQuality) and (
                missing := [k for a, k in _DQI_KEYS.items() if getattr(dqi, a) is None]
            ):
                errors["dqi"] = {key: [needed] for key in missing}
        elif end and share is None and dqi is None:
            errors["primaryDataShare"] = [N_("primaryDataShare or dqi must be defined.")]
        if errors:
            raise ValidationError(errors)


class ProductFootprintV2Schema(PactSchema):
    id = UuidString(required=True)
    spec_version = fields.Str(required=True, data_key="specVersion", validate=spec_version_of(2))
    preceding_pf_ids = TupleList(
        UuidString(),
        unique=True,
        validate=validate.Length(min=1),
        data_key="precedingPfIds",
        allow_none=True,
    )
    version = JsonInteger(required=True, validate=validate.Range(0, 2**31 - 1))
    created = DateTimeString(utc_only=True, required=True)
    updated = DateTimeString(utc_only=True, allow_none=True)
    status = one_of(STATUSES, required=True)
    status_comment = fields.Str(data_key="statusComment", allow_none=True)
    validity_period_start = DateTimeString(
        utc_only=True, data_key="validityPeriodStart", allow_none=True
    )
    validity_period_end = DateTimeString(
        utc_only=True, data_key="validityPeriodEnd", allow_none=True
    )
    company_name = non_empty_string(required=True, data_key="companyName")
    company_ids = urn_set(required=True, data_key="companyIds")
    product_description = fields.Str(required=True, data_key="productDescription")
    product_ids = urn_set(required=True, data_key="productIds")
    product_category_cpc = non_empty_string(required=True, data_key="productCategoryCpc")
    product_classifications = urn_set(data_key="productClassifications", allow_none=True)
    product_name_company = non_empty_string(required=True, data_key="productNameCompany")
    comment = fields.Str(required=True)
    pcf = fields.Nested(CarbonFootprintV2Schema, required=True)
    extensions = TupleList(
        fields.Nested(ExtensionSchema), validate=validate.Length(min=1), allow_none=True
    )

    @validates_schema(skip_on_field_errors=False)
    def cross_field(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, Any] = product_footprint_errors(data)
        created, updated = data.get("created"), data.get("updated")
        if created and updated and updated <= created:
            errors["updated"] = [N_("Must be later than created.")]
        pcf, version = data.get("pcf"), data.get("spec_version", "")
        if pcf and not pcf.get("ipcc_characterization_factors") and _minor(version) >= 2:
            errors["pcf"] = {
                "ipccCharacterizationFactorsSources": [N_("Required from specVersion 2.2.")]
            }
        if errors:
            raise ValidationError(errors)


def _minor(spec_version: str) -> int:
    parts = spec_version.split(".")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdecimal() else 0

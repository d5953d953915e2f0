"""Marshmallow schemas for a PACT v3 ProductFootprint, written from the v3.0 specification.

Loading yields plain dicts keyed by the neutral Footprint field names; the CarbonFootprint values
are still per `declaredUnitAmount` units as in the document (the converter divides them). In v3 a
property set to null counts as undefined, so every optional property accepts null.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from models.carbon.pact.fields import (
    DateTimeString,
    DecimalString,
    JsonInteger,
    PactSchema,
    StrictBool,
    TupleList,
    Uri,
    UuidString,
    decimal_in,
    non_empty_string,
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
    CCU_CALCULATION_APPROACHES,
    DECLARED_UNITS_V3,
    STATUSES,
    VERIFICATION_COVERAGES_V3,
)
from models.i18n import N_

_CCS_DETAILS = {
    "ccs_technological_co2_capture": "ccsTechnologicalCO2Capture",
    "technological_co2_removals": "technologicalCO2Removals",
    "technological_co2_capture_origin": "technologicalCO2CaptureOrigin",
}


def _amount(data_key: str, *, sign: str = "", required: bool = False) -> DecimalString:
    """A per-declared-unit quantity: "+" at least 0, "-" at most 0, "" any sign."""
    if sign == "+":
        return decimal_in(0, data_key=data_key, required=required, allow_none=not required)
    if sign == "-":
        return decimal_in(None, 0, data_key=data_key, required=required, allow_none=not required)
    return DecimalString(data_key=data_key, required=required, allow_none=not required)


class DataQualityV3Schema(PactSchema):
    technological_dqr = decimal_in(1, 5, required=True, data_key="technologicalDQR")
    geographical_dqr = decimal_in(1, 5, required=True, data_key="geographicalDQR")
    temporal_dqr = decimal_in(1, 5, required=True, data_key="temporalDQR")

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> DataQuality:
        return DataQuality(**data)


class VerificationV3Schema(PactSchema):
    coverage = one_of(VERIFICATION_COVERAGES_V3, allow_none=True)
    provider_name = fields.Str(data_key="providerName", allow_none=True)
    completed_at = DateTimeString(data_key="completedAt", allow_none=True)
    standard_name = fields.Str(data_key="standardName", allow_none=True)
    comments = fields.Str(allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Verification:
        return Verification(**data)


class CarbonFootprintV3Schema(GeographySchema):
    declared_unit = one_of(DECLARED_UNITS_V3, required=True, data_key="declaredUnitOfMeasurement")
    declared_unit_amount = decimal_in(0, above=True, required=True, data_key="declaredUnitAmount")
    product_mass_per_declared_unit = _amount("productMassPerDeclaredUnit", sign="+", required=True)
    reference_period_start = DateTimeString(required=True, data_key="referencePeriodStart")
    reference_period_end = DateTimeString(required=True, data_key="referencePeriodEnd")
    boundary_processes_description = fields.Str(
        data_key="boundaryProcessesDescription", allow_none=True
    )
    pcf_excluding_biogenic = _amount("pcfExcludingBiogenicUptake", required=True)
    pcf_including_biogenic = _amount("pcfIncludingBiogenicUptake", required=True)
    fossil_carbon_content = _amount("fossilCarbonContent", sign="+", required=True)
    biogenic_carbon_content = _amount("biogenicCarbonContent", sign="+")
    recycled_carbon_content = _amount("recycledCarbonContent", sign="+")
    fossil_ghg_emissions = _amount("fossilGhgEmissions", sign="+", required=True)
    land_use_change_ghg_emissions = _amount("landUseChangeGhgEmissions", sign="+")
    land_carbon_leakage = _amount("landCarbonLeakage", sign="+")
    land_management_fossil_ghg_emissions = _amount("landManagementFossilGhgEmissions", sign="+")
    land_management_biogenic_co2_emissions = _amount("landManagementBiogenicCO2Emissions", sign="+")
    land_management_biogenic_co2_removals = _amount("landManagementBiogenicCO2Removals", sign="-")
    biogenic_co2_uptake = _amount("biogenicCO2Uptake", sign="-")
    biogenic_non_co2_emissions = _amount("biogenicNonCO2Emissions", sign="+")
    land_area_occupation = _amount("landAreaOccupation", sign="+")
    aircraft_ghg_emissions = _amount("aircraftGhgEmissions", sign="+")
    packaging_emissions_included = StrictBool(
        data_key="packagingEmissionsIncluded", allow_none=True
    )
    packaging_ghg_emissions = _amount("packagingGhgEmissions", sign="+")
    packaging_biogenic_carbon_content = _amount("packagingBiogenicCarbonContent", sign="+")
    outbound_logistics_ghg_emissions = _amount("outboundLogisticsGhgEmissions", sign="+")
    ccs_technological_co2_capture_included = StrictBool(
        data_key="ccsTechnologicalCO2CaptureIncluded", allow_none=True
    )
    ccs_technological_co2_capture = _amount("ccsTechnologicalCO2Capture", sign="-")
    technological_co2_capture_origin = fields.Str(
        data_key="technologicalCO2CaptureOrigin", allow_none=True
    )
    technological_co2_removals = _amount("technologicalCO2Removals", sign="-")
    ccu_carbon_content = _amount("ccuCarbonContent", sign="+")
    ccu_calculation_approach = one_of(
        CCU_CALCULATION_APPROACHES, data_key="ccuCalculationApproach", allow_none=True
    )
    ccu_credit_certification = Uri(data_key="ccuCreditCertification", allow_none=True)
    ipcc_characterization_factors = ipcc_factors(
        required=True, data_key="ipccCharacterizationFactors"
    )
    cross_sectoral_standards = standards(required=True, data_key="crossSectoralStandards")
    product_or_sector_specific_rules = TupleList(
        fields.Nested(ProductOrSectorSpecificRuleSchema),
        validate=validate.Length(min=1),
        data_key="productOrSectorSpecificRules",
        allow_none=True,
    )
    # v3 removed the 5 % ceiling of v2; a share of the footprint cannot exceed 100 %.
    exempted_emissions_percent = decimal_in(
        0, 100, required=True, data_key="exemptedEmissionsPercent"
    )
    exempted_emissions_description = fields.Str(
        data_key="exemptedEmissionsDescription", allow_none=True
    )
    allocation_rules_description = fields.Str(
        data_key="allocationRulesDescription", allow_none=True
    )
    secondary_emission_factor_sources = TupleList(
        fields.Nested(EmissionFactorSourceSchema),
        validate=validate.Length(min=1),
        data_key="secondaryEmissionFactorSources",
        allow_none=True,
    )
    primary_data_share = decimal_in(0, 100, data_key="primaryDataShare", allow_none=True)
    dqi = fields.Nested(DataQualityV3Schema, allow_none=True)
    verification = fields.Nested(VerificationV3Schema, allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def cross_field(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors = carbon_footprint_errors(data)
        if data.get("ccs_technological_co2_capture_included") is False:
            for attr, key in _CCS_DETAILS.items():
                if data.get(attr) is not None:
                    errors[key] = [
                        N_("Must be undefined when ccsTechnologicalCO2CaptureIncluded is false.")
                    ]
        if errors:
            raise ValidationError(errors)


class ProductFootprintV3Schema(PactSchema):
    id = UuidString(required=True)
    spec_version = fields.Str(required=True, data_key="specVersion", validate=spec_version_of(3))
    preceding_pf_ids = TupleList(
        UuidString(),
        unique=True,
        validate=validate.Length(min=1),
        data_key="precedingPfIds",
        allow_none=True,
    )
    created = DateTimeString(required=True)
    # Deprecated in v3 (any change now makes a new id); checked when present, never kept.
    version = JsonInteger(validate=validate.Range(0, 2**31 - 1), allow_none=True, load_only=True)
    updated = DateTimeString(allow_none=True, load_only=True)
    status = one_of(STATUSES, required=True)
    validity_period_start = DateTimeString(data_key="validityPeriodStart", allow_none=True)
    validity_period_end = DateTimeString(data_key="validityPeriodEnd", allow_none=True)
    company_name = non_empty_string(required=True, data_key="companyName")
    company_ids = urn_set(required=True, data_key="companyIds")
    product_description = fields.Str(required=True, data_key="productDescription")
    product_ids = urn_set(required=True, data_key="productIds")
    product_classifications = urn_set(data_key="productClassifications", allow_none=True)
    product_name_company = non_empty_string(required=True, data_key="productNameCompany")
    comment = fields.Str(allow_none=True)
    pcf = fields.Nested(CarbonFootprintV3Schema, required=True)
    extensions = TupleList(fields.Nested(ExtensionSchema), allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def cross_field(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors = product_footprint_errors(data)
        if errors:
            raise ValidationError(errors)

    @post_load
    def drop_deprecated(self, data: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k not in ("version", "updated")}

"""v2 <-> v3 keeps the footprint per declared unit (decision log 0036: v3 states it per amount)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from models.carbon.pact import PER_UNIT_FIELDS, Footprint, parse_v2, parse_v3, to_v2, to_v3
from models.carbon.pact.units import per_declared_amount, per_one_unit

from .samples import example_footprints


def v3_with(document: dict[str, Any], unit: str, amount: str, **pcf: str) -> dict[str, Any]:
    document["pcf"] |= {"declaredUnitOfMeasurement": unit, "declaredUnitAmount": amount, **pcf}
    return document


def test_a_v3_footprint_for_ten_units_is_a_tenth_per_unit_in_v2(v3_document: dict) -> None:
    v3 = v3_with(v3_document, "kilogram", "10", pcfExcludingBiogenicUptake="25")

    footprint = parse_v3(v3)
    v2 = to_v2(footprint)

    assert footprint.pcf.pcf_excluding_biogenic == Decimal("2.5")
    assert v2["pcf"]["unitaryProductAmount"] == "10"
    assert v2["pcf"]["pCfExcludingBiogenic"] == "2.5"


def test_decision_log_0036_bottle_of_bio_ethanol(v3_document: dict) -> None:
    """12 l bottle: v3 declares 18 kgCO2e and 9.468 kg per 12 l; v2 says 1.5 and 0.789 per l."""
    v3 = v3_with(
        v3_document,
        "liter",
        "12",
        pcfExcludingBiogenicUptake="18",
        productMassPerDeclaredUnit="9.468",
    )

    v2 = to_v2(parse_v3(v3))
    again = to_v3(parse_v2(v2))

    assert (v2["pcf"]["declaredUnit"], v2["pcf"]["unitaryProductAmount"]) == ("liter", "12")
    assert v2["pcf"]["pCfExcludingBiogenic"] == "1.5"
    assert v2["pcf"]["productMassPerDeclaredUnit"] == "0.789"
    assert again["pcf"]["pcfExcludingBiogenicUptake"] == "18"
    assert again["pcf"]["productMassPerDeclaredUnit"] == "9.468"


def test_decision_log_0036_car_of_2000_kg(v2_document: dict) -> None:
    """A 2000 kg car at 300 kgCO2e/kg in v2 is 600000 kgCO2e per 2000 kg in v3, mass 2000 kg."""
    v2_document["pcf"] |= {
        "declaredUnit": "kilogram",
        "unitaryProductAmount": "2000",
        "pCfExcludingBiogenic": "300",
        "productMassPerDeclaredUnit": "1",
    }

    v3 = to_v3(parse_v2(v2_document))

    assert v3["pcf"]["declaredUnitAmount"] == "2000"
    assert v3["pcf"]["pcfExcludingBiogenicUptake"] == "600000"
    assert v3["pcf"]["productMassPerDeclaredUnit"] == "2000"


def test_every_per_unit_quantity_is_scaled_and_nothing_else(v2_document: dict) -> None:
    footprint = parse_v2(v2_document)

    v3 = to_v3(footprint)["pcf"]

    assert v3["pcfExcludingBiogenicUptake"] == "24.5"  # 9.8 per kg x 2.5 kg
    assert v3["pcfIncludingBiogenicUptake"] == "24"
    assert v3["fossilGhgEmissions"] == "24.25"
    assert v3["biogenicCO2Uptake"] == "-0.5"
    assert v3["packagingGhgEmissions"] == "0.125"
    assert v3["productMassPerDeclaredUnit"] == "2.5"  # kilogram: 1 kg per kg, by definition
    assert v3["exemptedEmissionsPercent"] == "1.5"
    assert v3["primaryDataShare"] == "40"
    assert v3["dqi"]["temporalDQR"] == "2"  # v2's 1.5 of 1-3 on v3's 1-5, not by the amount
    assert footprint.pcf.per_product("pcf_excluding_biogenic") == Decimal("24.5")


def per_unit_values(footprint: Footprint) -> dict[str, Any]:
    pcf = footprint.pcf
    values = {name: getattr(pcf, name) for name in PER_UNIT_FIELDS}
    values |= {"unit": pcf.declared_unit, "amount": pcf.declared_unit_amount}
    return {name: value for name, value in values.items() if value is not None}


def test_v2_to_v3_to_v2_keeps_every_per_unit_value_exactly(v2_document: dict) -> None:
    footprint = parse_v2(v2_document)

    back = parse_v2(to_v2(parse_v3(to_v3(footprint))))

    # v3 needs a product mass; for kilogram the spec fixes it at 1 kg per kg.
    mass = {"product_mass_per_declared_unit": Decimal(1)}
    assert per_unit_values(back) == per_unit_values(footprint) | mass


def test_v3_to_v2_to_v3_keeps_every_value_exactly_even_when_division_does_not_end(
    v3_document: dict,
) -> None:
    v3 = v3_with(
        v3_document,
        "kilogram",
        "3",
        pcfExcludingBiogenicUptake="10",
        productMassPerDeclaredUnit="3",
    )
    footprint = parse_v3(v3)

    v2 = to_v2(footprint)
    back = parse_v3(to_v3(parse_v2(v2)))

    assert v2["pcf"]["pCfExcludingBiogenic"] == "3." + "3" * 59  # 60 digits
    assert per_unit_values(back) == per_unit_values(footprint)
    scaled = [name for name, value in v3["pcf"].items() if isinstance(value, str)]
    assert {k: to_v3(back)["pcf"][k] for k in scaled} == {k: v3["pcf"][k] for k in scaled}


def test_a_non_terminating_per_unit_value_comes_back_exactly() -> None:
    """Example 2: 5.14 kgCO2e per 12 l is 0.42833... per liter; v3 gets 5.14 back, not 5.1399..."""
    (document,) = example_footprints("v3", "example-2.json")

    footprint = parse_v3(document)
    exported = to_v3(footprint)

    assert str(footprint.pcf.pcf_excluding_biogenic).startswith("0.4283333333")
    assert exported["pcf"]["pcfExcludingBiogenicUptake"] == "5.14"
    assert exported["pcf"]["pcfIncludingBiogenicUptake"] == "-14.22"
    assert exported["pcf"]["productMassPerDeclaredUnit"] == "9.468"


def _decimals(max_digits: int) -> st.SearchStrategy[Decimal]:
    digits = st.integers(min_value=-(10**max_digits) + 1, max_value=10**max_digits - 1)
    return st.builds(lambda n, e: Decimal(n).scaleb(e), digits, st.integers(-12, 6))


_AMOUNTS = _decimals(28).filter(lambda d: d > 0)


@given(value=_decimals(28), amount=_AMOUNTS)
def test_dividing_then_multiplying_by_the_amount_is_exact(value: Decimal, amount: Decimal) -> None:
    assert per_declared_amount(per_one_unit(value, amount), amount) == value


@given(value=_decimals(28), amount=_AMOUNTS)
def test_multiplying_then_dividing_by_the_amount_is_exact(value: Decimal, amount: Decimal) -> None:
    assert per_one_unit(per_declared_amount(value, amount), amount) == value

"""PACT ProductFootprint exchange: the specification's examples imported and exported back,
our computed footprints exported in v2 and v3, and refused documents kept with their errors."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models.base import utcnow
from models.carbon.activity import record_activity
from models.carbon.entities import ProductFootprint
from models.carbon.footprints import declare_footprint
from models.carbon.pact import parse_footprint, parse_v2, parse_v3
from models.carbon.pact_exchange import import_pact_document, product_urn
from models.carbon.pact_export import export_document
from models.carbon.pact_upload import upload_pact_footprint
from models.carbon.rollup import recompute_footprints
from models.errors import ValidationFailed
from tests.integration.carbon.builders import YEAR, chain, month_of, part
from tests.unit.carbon.samples import V3_SAMPLE, example, example_footprints

UNIT_OF = {"liter": "L", "kilogram": "kg", "piece": "pcs"}
EXAMPLES = [
    ("v2", "get-footprint-response.json"),
    ("v3", "get-footprint-response.json"),
    ("v3", "example-1.json"),
    ("v3", "example-2.json"),
    ("v3", "example-3.json"),
    ("v3", "example-4.json"),
]


@pytest.fixture
def c(session):
    return chain(session)


def footprints(session) -> int:
    return session.scalar(select(func.count()).select_from(ProductFootprint))


@pytest.mark.parametrize(("version", "name"), EXAMPLES)
def test_a_spec_example_is_imported_kept_as_received_and_exported_back(session, c, version, name):
    (document,) = example_footprints(version, name)
    sent = parse_footprint(document)
    declared = sent.pcf.declared_unit
    mass = sent.pcf.product_mass_per_declared_unit if declared == "piece" else None
    made = part(session, c.s2, f"EX-{name}", str(mass or 2), unit=UNIT_OF[declared])

    footprint = import_pact_document(session, c.s2_admin, made.id, document)

    assert footprint.pact_document == document and footprint.pf_id == str(sent.id)
    assert footprint.pcf_kg == sent.pcf.pcf_excluding_biogenic  # one part unit = one declared unit
    same = export_document(session, footprint, int(version[1]))
    assert parse_footprint(same) == sent
    try:  # the other version, when it can say the same thing
        back = parse_footprint(export_document(session, footprint, 3 if version == "v2" else 2))
    except (
        ValidationFailed
    ) as refused:  # e.g. v2 lacks "piece", v3 wants productMassPerDeclaredUnit
        assert refused.errors
    else:
        assert back.pcf.pcf_excluding_biogenic == sent.pcf.pcf_excluding_biogenic
        assert back.id == sent.id


def test_a_per_kilogram_document_is_converted_through_the_parts_mass(session, c):
    housing = part(session, c.s2, "HSG-1", "2")  # 2 kg a piece
    footprint = import_pact_document(session, c.s2_admin, housing.id, dict(V3_SAMPLE))
    # V3_SAMPLE: 24.5 kgCO2e per 2.5 kg, i.e. 9.8 per kg
    assert footprint.pcf_kg == Decimal("19.6")
    assert footprint.year == 2024


def test_a_document_for_the_wrong_kind_of_unit_is_refused(session, c):
    (document,) = example_footprints("v3", "example-2.json")  # per liter
    with pytest.raises(ValidationFailed) as error:
        import_pact_document(session, c.s2_admin, c.pa.id, document)
    assert error.value.errors == {  # named as v3 names it
        "pcf.declaredUnitOfMeasurement": ["The declared unit does not fit the part's unit (pcs)."]
    }


def test_a_negative_footprint_is_refused_and_the_upload_kept(session, c):
    """v3 allows net removals below zero; the roll-up adds footprints, so it refuses them."""
    housing = part(session, c.s2, "HSG-NEG", "2")
    document = json.loads(json.dumps(V3_SAMPLE))
    document["pcf"]["pcfExcludingBiogenicUptake"] = "-5"
    before = footprints(session)

    result = upload_pact_footprint(
        session, c.s2_admin, housing.id, "neg.json", json.dumps(document).encode()
    )

    assert result.footprint is None and footprints(session) == before
    assert result.errors == {
        "pcf.pcfExcludingBiogenicUptake": [
            "A footprint below zero (net removals) cannot be rolled up; declare 0 or more."
        ]
    }
    assert result.upload.status == "rejected"


def test_a_footprint_too_large_to_keep_is_refused_not_stored_as_infinity(session, c):
    housing = part(session, c.s2, "HSG-BIG", "2")
    document = json.loads(json.dumps(V3_SAMPLE))
    document["pcf"]["declaredUnitOfMeasurement"] = "piece"
    document["pcf"]["pcfExcludingBiogenicUptake"] = "1" + "0" * 30
    before = footprints(session)

    with pytest.raises(ValidationFailed) as error:
        import_pact_document(session, c.s2_admin, housing.id, document)

    assert error.value.errors == {"pcf.pcfExcludingBiogenicUptake": ["Number too large."]}
    assert footprints(session) == before


@pytest.mark.parametrize("pcf", ["1e400", "1" + "0" * 29])
def test_a_declared_footprint_too_large_to_keep_is_refused_at_its_field(session, c, pcf):
    before = footprints(session)

    with pytest.raises(ValidationFailed) as error:
        declare_footprint(session, c.h2_admin, {"part_id": c.pb.id, "year": YEAR, "pcf_kg": pcf})

    assert error.value.errors == {"pcf_kg": ["Number too large."]}
    assert footprints(session) == before


def test_a_footprint_of_a_year_not_yet_begun_is_refused(session, c):
    housing = part(session, c.s2, "HSG-FUT", "2")
    document = json.loads(json.dumps(V3_SAMPLE))
    next_year = utcnow().year + 2
    document["pcf"]["referencePeriodStart"] = f"{next_year}-01-01T00:00:00Z"
    document["pcf"]["referencePeriodEnd"] = f"{next_year + 1}-01-01T00:00:00Z"
    before = footprints(session)

    with pytest.raises(ValidationFailed) as error:
        import_pact_document(session, c.s2_admin, housing.id, document)

    assert error.value.errors == {"pcf.referencePeriodStart": ["The year has not started yet."]}
    assert footprints(session) == before


def test_a_document_breaking_the_schema_is_refused_and_the_upload_kept(session, c):
    (document,) = example_footprints("v3", "invalid-response-all-properties.json")
    before = footprints(session)

    result = upload_pact_footprint(
        session, c.s2_admin, c.pa.id, "bad.json", json.dumps(document).encode()
    )

    assert result.footprint is None and footprints(session) == before
    assert result.errors == {
        "updated": ["Not a valid date-time (expected e.g. 2024-01-31T00:00:00Z)."]
    }
    assert result.upload.status == "rejected"
    assert result.upload.errors[0]["path"] == "updated"
    assert upload_pact_footprint(session, c.s2_admin, c.pa.id, "x.json", b"{").errors == {
        "file": ["This file is not JSON."]
    }


def test_the_same_document_twice_is_refused(session, c):
    made = part(session, c.s2, "EX-TWICE", "1", unit="L")
    document = example("v3", "get-footprint-response.json")["data"]
    import_pact_document(session, c.s2_admin, made.id, document)
    with pytest.raises(ValidationFailed) as error:
        import_pact_document(session, c.s2_admin, made.id, document)
    assert error.value.errors == {"id": ["A footprint with this id was already received."]}


def test_only_the_maker_imports_for_its_part(session, c):
    document = example("v3", "get-footprint-response.json")["data"]
    with pytest.raises(ValidationFailed) as error:
        import_pact_document(session, c.h2_admin, c.pa.id, document)
    assert error.value.errors == {"part_id": ["Not a part your organisation makes."]}


def test_a_computed_footprint_exports_to_v3_per_piece_and_to_v2_per_kilogram(session, c):
    record_activity(
        session,
        c.s2_floor,
        month_of(c.s2_site, f"{YEAR}-01", {"electricity": ("1000", "kWh")}, [(c.pa, "500", None)]),
    )
    recompute_footprints(session, c.carbon, YEAR)
    row = session.scalar(select(ProductFootprint).where(ProductFootprint.part_id == c.pa.id))

    v3 = parse_v3(export_document(session, row, 3))
    v2_document = export_document(session, row, 2)
    v2 = parse_v2(v2_document)

    per_piece = Decimal("677.6") / 500
    assert v3.pcf.declared_unit == "piece"
    assert v3.pcf.pcf_excluding_biogenic == pytest.approx(per_piece)
    assert v2.pcf.declared_unit == "kilogram" and v2.pcf.declared_unit_amount == 2
    assert v2.pcf.pcf_excluding_biogenic * 2 == pytest.approx(per_piece)
    assert v2_document["productCategoryCpc"] == "4912"
    assert v3.pcf.primary_data_share == 100
    assert str(v3.id) == row.pf_id and v3.company_ids[0].endswith(c.s2.credit_code)


def test_a_v2_document_is_served_in_v3_with_the_declared_unit_amount_applied(session, c):
    from tests.unit.carbon.samples import V2_SAMPLE

    steel = part(session, c.s2, "STEEL-KG", None, unit="kg")
    footprint = import_pact_document(session, c.s2_admin, steel.id, dict(V2_SAMPLE))

    v3 = export_document(session, footprint, 3)
    assert v3["pcf"]["declaredUnitAmount"] == "2.5"
    assert Decimal(v3["pcf"]["pcfExcludingBiogenicUptake"]) == Decimal("24.5")  # 9.8 x 2.5
    assert parse_v3(v3).pcf.pcf_excluding_biogenic == footprint.pcf_kg == Decimal("9.8")


def test_v3_ratings_are_kept_on_our_1_to_3_scale_and_exported_on_theirs(session, c):
    housing = part(session, c.s2, "HSG-DQR", "2")
    document = json.loads(json.dumps(V3_SAMPLE))
    document["pcf"]["dqi"] = {"technologicalDQR": "5", "temporalDQR": "4", "geographicalDQR": "1"}

    footprint = import_pact_document(session, c.s2_admin, housing.id, document)

    ratings = (footprint.dqr_technological, footprint.dqr_temporal, footprint.dqr_geographical)
    assert ratings == (3, Decimal("2.5"), 1)
    assert export_document(session, footprint, 3)["pcf"]["dqi"] == document["pcf"]["dqi"]
    assert export_document(session, footprint, 2)["pcf"]["dqi"]["technologicalDQR"] == 3


def test_a_document_for_a_piece_of_very_different_weight_is_refused(session, c):
    (document,) = example_footprints("v3", "example-3.json")  # a 25 kg car door
    bracket = part(session, c.s2, "BRK-1", "0.4")
    before = footprints(session)

    with pytest.raises(ValidationFailed) as error:
        import_pact_document(session, c.s2_admin, bracket.id, document)

    assert error.value.errors == {
        "pcf.productMassPerDeclaredUnit": [
            "A piece of this product weighs 25 kg, but the part weighs 0.4 kg: "
            "is this the footprint of another product?"
        ]
    }
    assert footprints(session) == before


def test_a_document_naming_another_of_our_parts_is_refused(session, c):
    housing, cover = part(session, c.s2, "HSG-A", "2"), part(session, c.s2, "CVR-B", "2")
    document = export_document(
        session, import_pact_document(session, c.s2_admin, housing.id, dict(V3_SAMPLE)), 3
    )
    document["id"] = "0f5b3a66-8c1e-4a44-9d7e-2b1c0e9f6a11"
    document["productIds"] = [product_urn(housing, c.s2)]
    before = footprints(session)

    with pytest.raises(ValidationFailed) as error:
        import_pact_document(session, c.s2_admin, cover.id, document)

    assert error.value.errors == {
        "productIds": [
            f"This footprint is for another part ({product_urn(housing, c.s2)}), not CVR-B."
        ]
    }
    assert footprints(session) == before

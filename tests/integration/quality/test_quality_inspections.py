"""Recording inspections, the door of every channel: bad input is named and nothing is written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models.base import utcnow
from models.errors import Conflict, Forbidden, ValidationFailed
from models.quality.characteristics import create_characteristic, update_characteristic
from models.quality.entities import Characteristic, DefectCount, Inspection, Measurement
from models.quality.measurements import (
    inspection_characteristic_ids,
    record_inspection,
    record_inspection_once,
)
from models.quality.ppm import monthly_yield
from tests.integration.quality import builders
from tests.integration.quality.builders import PISTON_RINGS, inspection


def _count(session, entity) -> int:
    return session.scalar(select(func.count()).select_from(entity))


def _refused(session, actor, data) -> dict[str, list[str]]:
    before = (_count(session, Inspection), _count(session, Measurement))
    with pytest.raises(ValidationFailed) as caught:
        record_inspection(session, actor, data)
    assert (_count(session, Inspection), _count(session, Measurement)) == before
    return {key: [str(m) for m in messages] for key, messages in caught.value.errors.items()}


def test_subgroups_are_stored_in_order_with_their_lot(session, chain, ring):
    lot = builders.lot(session, chain.supplier, chain.parts["ring"], "L-7")
    recorded = record_inspection(
        session, chain.reporter, inspection("L-7", "D1", PISTON_RINGS[:10], unit="MMT")
    )
    values = session.scalars(
        select(Measurement.value).order_by(Measurement.measured_at, Measurement.id)
    ).all()
    numbers = session.scalars(select(Measurement.subgroup_no).order_by(Measurement.id)).all()
    assert values == PISTON_RINGS[:10]
    assert numbers == [1] * 5 + [2] * 5
    assert (recorded.lot_id, recorded.buyer_org_id) == (lot.id, chain.anchor.id)
    assert inspection_characteristic_ids(session, recorded.id) == [ring.id]


def test_a_measurement_without_a_unit_is_refused(session, chain, ring):
    data = inspection("L1", "D1", PISTON_RINGS[:5], unit="")
    assert _refused(session, chain.reporter, data) == {
        "characteristics.0.unit": ["Give the unit of the measurements (mm)."]
    }


def test_a_unit_that_is_not_the_characteristics_is_refused(session, chain, ring):
    errors = _refused(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS[:5], "kg"))
    assert errors["characteristics.0.unit"] == [
        "The unit kg does not match the characteristic's unit mm."
    ]


def test_a_negative_length_is_physically_impossible(session, chain, ring):
    values = [74.0, 74.01, -74.0, 73.99, 74.0]
    errors = _refused(session, chain.reporter, inspection("L1", "D1", values))
    assert errors == {
        "characteristics.0.measurements.2": [
            "-74.0 mm is physically impossible: the lowest possible is 0.0."
        ]
    }


def test_a_value_five_times_outside_the_specification_is_refused_as_a_slip(session, chain, ring):
    values = [74.0, 740.1, 7.401, 74.5, 0.0]
    errors = _refused(session, chain.reporter, inspection("L1", "D1", values))
    assert errors == {
        "characteristics.0.measurements.1": [
            "740.1 mm is over 5 times the upper limit of 74.05 mm: check the number "
            "(a misplaced decimal point?) and the unit."
        ],
        "characteristics.0.measurements.2": [
            "7.401 mm is under 1/5 of the lower limit of 73.95 mm: check the number "
            "(a misplaced decimal point?) and the unit."
        ],
    }
    values[1:3] = [74.01, 73.99]
    record_inspection(session, chain.reporter, inspection("L1", "D1", values))
    stored = session.scalars(select(Measurement.value).order_by(Measurement.id)).all()
    assert stored == values, "a part far out of specification (74.5) or missing (0) is kept"


@pytest.mark.parametrize("absurd", [1e300, -1e12, "1e300"])
def test_a_value_beyond_any_physical_measurement_is_refused(session, chain, absurd):
    voltage = create_characteristic(session, chain.engineer, {
        "part_id": chain.parts["ring"].id, "code": "U", "name": "Voltage", "unit": "V",
        "usl": 12.0, "subgroup_size": 1})  # fmt: skip
    errors = _refused(session, chain.reporter, inspection("L1", "U", [5.0, absurd], unit="V"))
    shown = f"{float(absurd)} V" if not isinstance(absurd, str) else "1e+300 V"
    assert errors == {
        "characteristics.0.measurements.1": [
            f"{shown} is beyond any physical measurement: a value must lie between "
            "-1,000,000,000,000 and 1,000,000,000,000 V."
        ]
    }
    record_inspection(session, chain.reporter, inspection("L1", "U", [5.0, 999_999.0], "V"))
    assert voltage.id


def test_a_measurement_dated_in_the_future_is_refused(session, chain, ring):
    data = inspection("L1", "D1", PISTON_RINGS[:5])
    data["characteristics"][0]["date"] = (utcnow() + timedelta(days=3)).isoformat()
    assert _refused(session, chain.reporter, data) == {
        "characteristics.0.date": ["The measurement date lies in the future."]
    }
    data["characteristics"][0]["date"] = (utcnow() - timedelta(days=3)).isoformat()
    record_inspection(session, chain.reporter, data)
    assert _count(session, Measurement) == 5


@pytest.mark.parametrize("moment", ["0001-01-01", "0001-01-01T00:00:00", "9999-12-31T23:59:59"])
def test_a_date_at_the_edge_of_the_calendar_is_refused_not_a_crash(session, chain, ring, moment):
    data = inspection("L1", "D1", PISTON_RINGS[:5])
    data["inspected_at"] = moment
    assert "inspected_at" in _refused(session, chain.reporter, data)
    assert _count(session, Measurement) == 0


@pytest.mark.parametrize("quantity", [5.5, "5.5", float("inf")])
def test_a_fractional_inspected_quantity_is_refused_not_cut(session, chain, ring, quantity):
    data = {**inspection("L1", "D1", PISTON_RINGS[:5]), "inspected_quantity": quantity}
    assert _refused(session, chain.reporter, data) == {
        "inspected_quantity": ["Not a valid integer."]
    }
    data["defects"] = [{"code": "BURR", "count": 1.5}]
    data["inspected_quantity"] = "5"
    assert _refused(session, chain.reporter, data) == {"defects.0.count": ["Not a valid integer."]}


def test_a_count_beyond_any_lot_is_refused_before_the_database_sees_it(session, chain, ring):
    data = {**inspection("L1", "D1", PISTON_RINGS[:5]), "inspected_quantity": 10**12}
    assert _refused(session, chain.reporter, data) == {
        "inspected_quantity": [
            "Must be greater than or equal to 0 and less than or equal to 1000000000."
        ]
    }
    data = {**data, "inspected_quantity": 5, "defects": [{"code": "BURR", "count": 2**40}]}
    assert list(_refused(session, chain.reporter, data)) == ["defects.0.count"]


def test_whole_quantities_given_as_text_or_float_are_kept(session, chain, ring):
    data = {**inspection("L1", "D1", PISTON_RINGS[:5]), "inspected_quantity": "5"}
    assert record_inspection(session, chain.reporter, data).inspected_quantity == 5
    data["inspected_quantity"] = 6.0
    assert record_inspection(session, chain.reporter, data).inspected_quantity == 6


def test_a_subgroup_of_the_wrong_size_is_refused(session, chain, ring):
    data = inspection("L1", "D1", PISTON_RINGS[:4])
    data["characteristics"][0]["subgroup"] = "3"
    assert _refused(session, chain.reporter, data) == {
        "characteristics.0.measurements": ["Subgroup 3: values given: 4; D1 needs 5."]
    }
    unlabelled = inspection("L1", "D1", PISTON_RINGS[:7])
    assert _refused(session, chain.reporter, unlabelled) == {
        "characteristics.0.measurements": ["D1 takes whole subgroups of 5 values; this gives 7."]
    }


def test_every_problem_is_named_at_once(session, chain, ring):
    data = inspection("L1", "D1", PISTON_RINGS[:5], unit="")
    data["characteristics"].append({"code": "NOPE", "unit": "mm", "measurements": [1.0]})
    data["inspected_at"] = (utcnow() + timedelta(days=5)).isoformat()
    errors = _refused(session, chain.reporter, data)
    assert set(errors) == {"inspected_at", "characteristics.0.unit", "characteristics.1.code"}


def test_a_bad_field_does_not_hide_the_other_problems(session, chain, ring):
    """A field the schema refuses (a date, a count) is named together with the unknown
    characteristic, the bad value and the rules between the fields that did load."""
    data = inspection("L1", "D1", ["x", *PISTON_RINGS[1:5]], unit="kg", inspected_quantity=3)
    data["characteristics"][0]["date"] = "1st of Nov"
    data["characteristics"].append({"code": "NOPE", "unit": "mm", "measurements": [1.0]})
    data["defects"] = [{"code": "BURR", "count": "two"}, {"code": "DENT", "count": 4},
                       {"code": "DENT", "count": 1}]  # fmt: skip
    errors = _refused(session, chain.reporter, data)
    assert errors == {
        "characteristics.0.date": ["Give a date (YYYY-MM-DD) or a date and time."],
        "characteristics.0.unit": ["The unit kg does not match the characteristic's unit mm."],
        "characteristics.0.measurements.0": ["Not a valid number."],
        "characteristics.1.code": ["The part has no active characteristic NOPE for you."],
        "defects.0.count": ["Not a valid integer."],
        "defects": ["Each defect code may appear once."],
        "defects.1.count": ["More pieces with DENT than inspected."],
    }
    unknown_part = {**data, "part_number": "NOT-MINE"}
    assert set(_refused(session, chain.reporter, unknown_part)) == {
        "part_number",
        "characteristics.0.date",
        "defects.0.count",
        "defects",
        "defects.1.count",
    }


def test_not_a_number_and_unknown_part(session, chain, ring):
    values = ["74,01", "x", None, " ", 74.01]
    errors = _refused(session, chain.reporter, inspection("L1", "D1", values))
    assert errors == {
        "characteristics.0.measurements.0": ['"74,01" uses a decimal comma; use a decimal point.'],
        "characteristics.0.measurements.1": ["Not a valid number."],
        "characteristics.0.measurements.2": ["Enter the measured value."],
        "characteristics.0.measurements.3": ["Enter the measured value."],
    }
    wrong_part = {**inspection("L1", "D1", PISTON_RINGS[:5]), "part_number": "NOT-MINE"}
    assert _refused(session, chain.reporter, wrong_part) == {
        "part_number": ["No part NOT-MINE is supplied by your organisation."]
    }


def test_a_lot_of_another_part_is_refused(session, chain, ring):
    other = builders.part(session, chain.anchor, chain.supplier, "OTHER-1")
    builders.lot(session, chain.supplier, other, "L-X")
    errors = _refused(session, chain.reporter, inspection("L-X", "D1", PISTON_RINGS[:5]))
    assert errors == {"lot_number": ["Lot L-X is a lot of another part."]}


def test_only_the_supplier_reports_and_only_reporting_roles(session, chain, ring):
    with pytest.raises(Forbidden):
        record_inspection(session, chain.engineer, inspection("L1", "D1", PISTON_RINGS[:5]))
    outsider_supplier = builders.chain(session)  # an unrelated supplier of another chain
    errors = _refused(session, outsider_supplier.reporter, inspection("L1", "D1", PISTON_RINGS[:5]))
    assert "part_number" in errors


def test_the_edifact_qality_record_shape_maps_onto_the_operation(session, chain, ring):
    """What the EDI reader gives for a QALITY item, passed on as it is (see edi/edifact/qality)."""
    record = {
        "kind": "quality_report", "number": "QR-301", "date": "2024-03-11",
        "items": [{
            "line": "1", "part_number": "RING-1", "supplier_part_number": None,
            "lot_number": "L240301A", "quantity": "10", "unit": "PCE",
            "characteristics": [
                {"code": "D1", "name": "Bore diameter", "unit": "MMT", "lower_limit": "73.95",
                 "upper_limit": "74.05", "test_method": None, "subgroup": str(number + 1),
                 "date": None, "statistics": {"MEA": "74.0"},
                 "measurements": [str(v) for v in PISTON_RINGS[number * 5:(number + 1) * 5]]}
                for number in range(2)
            ],
        }],
    }  # fmt: skip
    for item in record["items"]:
        data = {**item, "document_number": record["number"], "inspected_at": record["date"]}
        recorded = record_inspection(session, chain.reporter.via("edi"), data)
    assert (recorded.source, recorded.document_number) == ("edi", "QR-301")
    # the message's date is a day on the product's clock: its midnight, Beijing time
    assert recorded.inspected_at.isoformat() == "2024-03-10T16:00:00+00:00"
    assert _count(session, Measurement) == 10


def test_attribute_results_give_first_pass_yield(session, chain, ring):
    record_inspection(session, chain.reporter, {
        "part_number": "RING-1", "lot_number": "L1", "inspected_quantity": 200,
        "defects": [{"code": "SCRATCH", "count": 3}, {"code": "BURR", "count": 1}]})  # fmt: skip
    record_inspection(session, chain.reporter, {
        "part_number": "RING-1", "lot_number": "L2", "inspected_quantity": 100,
        "defective_quantity": 2})  # fmt: skip
    assert _count(session, DefectCount) == 2
    (month,) = monthly_yield(session, chain.engineer.org_id)
    assert (month.inspected, month.defective) == (300, 6)
    assert month.first_pass_yield == pytest.approx(0.98)
    too_many = {"part_number": "RING-1", "lot_number": "L3", "inspected_quantity": 5,
                "defects": [{"code": "BURR", "count": 6}]}  # fmt: skip
    assert _refused(session, chain.reporter, too_many) == {
        "defects.0.count": ["More pieces with BURR than inspected."]
    }


@pytest.mark.parametrize("blank", ["", "  ", None])
def test_a_missing_lot_number_or_defect_code_is_asked_for(session, chain, ring, blank):
    """Not "Length must be between 1 and 80.": the user is told what to fill in."""
    data = {"part_number": "RING-1", "lot_number": blank, "inspected_quantity": 5,
            "defects": [{"code": blank, "count": 1}]}  # fmt: skip
    assert _refused(session, chain.reporter, data) == {
        "lot_number": ["Enter the lot number."],
        "defects.0.code": ["Enter the defect code."],
    }
    del data["lot_number"], data["defects"][0]["code"]
    assert _refused(session, chain.reporter, data) == {
        "lot_number": ["Enter the lot number."],
        "defects.0.code": ["Enter the defect code."],
    }


def test_yield_months_are_months_of_the_products_clock(session, chain, ring):
    """Beijing time by default: a date is its local day, a time without an offset is local,
    and 00:30 on 1 March in Beijing (16:30 UTC on 28 February) counts in March."""
    given = {"2025-02-28 23:30": 10, "2025-03-01": 20, "2025-03-01T00:30:00+08:00": 40}
    for number, (moment, quantity) in enumerate(given.items()):
        record_inspection(session, chain.reporter, {
            "part_number": "RING-1", "lot_number": f"L{number}", "inspected_quantity": quantity,
            "defective_quantity": 1, "inspected_at": moment})  # fmt: skip

    months = monthly_yield(session, chain.engineer.org_id)

    assert [(m.year, m.month, m.inspected) for m in months] == [(2025, 2, 10), (2025, 3, 60)]
    since_march = monthly_yield(session, chain.engineer.org_id, since=date(2025, 3, 1))
    assert [(m.month, m.inspected) for m in since_march] == [(3, 60)]


def test_lsl_above_usl_is_refused_and_nothing_written(session, chain):
    before = _count(session, Characteristic)
    with pytest.raises(ValidationFailed) as caught:
        create_characteristic(
            session,
            chain.engineer,
            {"part_id": chain.parts["ring"].id, "code": "X", "name": "X", "unit": "mm",
             "lsl": 10, "usl": 5},
        )  # fmt: skip
    assert caught.value.errors == {"lsl": ["LSL (10.0) must be below USL (5.0)."]}
    assert _count(session, Characteristic) == before


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_characteristic_without_a_code_or_name_is_asked_for(session, chain, ring, blank):
    """A blank code could never be named by a file or an EDI message: refused, nothing written."""
    before = _count(session, Characteristic)
    with pytest.raises(ValidationFailed) as caught:
        create_characteristic(
            session,
            chain.engineer,
            {"part_id": chain.parts["ring"].id, "code": blank, "name": blank, "unit": "mm",
             "lsl": 1, "usl": 2},
        )  # fmt: skip
    assert caught.value.errors == {
        "code": ["Enter the characteristic's code."],
        "name": ["Enter the characteristic's name."],
    }
    assert _count(session, Characteristic) == before
    with pytest.raises(ValidationFailed) as caught:
        update_characteristic(session, chain.engineer, ring.id, {"code": blank})
    assert caught.value.errors == {"code": ["Enter the characteristic's code."]}
    assert session.get(Characteristic, ring.id).code == "D1"


def test_a_characteristic_code_is_kept_without_surrounding_spaces(session, chain):
    """Files name characteristics by their code, read without spaces around a cell."""
    made = create_characteristic(
        session,
        chain.engineer,
        {"part_id": chain.parts["ring"].id, "code": " D7 ", "name": "Width", "unit": "mm",
         "lsl": 1, "usl": 2},
    )  # fmt: skip
    assert made.code == "D7"


def test_unit_and_subgroup_size_freeze_once_measured(session, chain, ring):
    record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS[:5]))
    with pytest.raises(Conflict):
        update_characteristic(session, chain.engineer, ring.id, {"subgroup_size": 4})
    with pytest.raises(ValidationFailed) as caught:
        update_characteristic(session, chain.engineer, ring.id, {"lsl": 80})
    assert "lsl" in caught.value.errors
    assert update_characteristic(session, chain.engineer, ring.id, {"usl": 74.1}).usl == 74.1


def test_an_inspection_sent_again_with_its_key_is_recorded_once(session, chain, ring):
    data = inspection("L-K", "D1", PISTON_RINGS[:5], idempotency_key="inspection-key-0001")
    first, created = record_inspection_once(session, chain.reporter, data)
    again, repeated = record_inspection_once(session, chain.reporter, dict(data))
    assert (created, repeated) == (True, False) and again.id == first.id
    assert (_count(session, Inspection), _count(session, Measurement)) == (1, 5)
    assert first.idempotency_key == "inspection-key-0001"


def test_an_inspection_key_sent_again_with_other_values_is_a_conflict(session, chain, ring):
    key = {"idempotency_key": "inspection-key-0002"}
    record_inspection(session, chain.reporter, inspection("L-K", "D1", PISTON_RINGS[:5], **key))
    for other in (
        inspection("L-K", "D1", PISTON_RINGS[5:10], **key),
        inspection("L-OTHER", "D1", PISTON_RINGS[:5], **key),
        inspection("L-K", "D1", PISTON_RINGS[:10], **key),
    ):
        with pytest.raises(Conflict) as caught:
            record_inspection(session, chain.reporter, other)
        assert "that earlier inspection was recorded; nothing new" in caught.value.message
    assert (_count(session, Inspection), _count(session, Measurement)) == (1, 5)


def test_inspections_without_a_key_are_each_recorded(session, chain, ring):
    data = inspection("L-N", "D1", PISTON_RINGS[:5])
    record_inspection(session, chain.reporter, data)
    record_inspection(session, chain.reporter, data)
    assert _count(session, Inspection) == 2

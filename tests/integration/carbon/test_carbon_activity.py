"""Recording a month of energy and output: corrections supersede, bad input writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models.carbon.activity import prepare_activity, record_activity
from models.carbon.entities import ActivityEnergy, ActivityRecord
from models.errors import Forbidden, ValidationFailed
from tests.integration.carbon.builders import YEAR, chain, month_of


@pytest.fixture
def c(session):
    return chain(session)


def count(session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(ActivityRecord)),
        session.scalar(select(func.count()).select_from(ActivityEnergy)),
    )


def refused(session, actor, data) -> dict[str, list[str]]:
    before = count(session)
    with pytest.raises(ValidationFailed) as error:
        record_activity(session, actor, data)
    assert count(session) == before
    return {key: [str(m) for m in messages] for key, messages in error.value.errors.items()}


def test_a_month_is_recorded_in_canonical_units_as_entered(session, c):
    record = record_activity(
        session,
        c.s2_floor,
        month_of(c.s2_site, f"{YEAR}-03", {"electricity": ("1.5", "MWh")}, [(c.pa, "10", None)]),
    )

    (energy,) = record.energy
    assert (energy.quantity, energy.entered_quantity, energy.entered_unit) == (1500, 1.5, "MWh")
    assert (record.period_start, record.period_end) == (date(YEAR, 3, 1), date(YEAR, 3, 31))
    assert record.outputs[0].mass_kg == 20  # 10 pieces x 2 kg unit mass


def test_a_correction_supersedes_and_both_records_are_kept(session, c):
    first = record_activity(
        session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-03", {"electricity": ("1000", "kWh")}, [])
    )
    data = month_of(c.s2_site, f"{YEAR}-03", {"electricity": ("1200", "kWh")}, [])
    second = record_activity(session, c.s2_floor, data | {"supersedes_id": first.id})

    assert second.supersedes_id == first.id
    assert count(session)[0] == 2
    again = refused(session, c.s2_floor, data | {"supersedes_id": first.id})
    assert again["supersedes_id"] == ["This record was already corrected; correct the newer one."]
    assert again["month"][0].startswith(f"Record #{second.id} already covers")


def test_an_overlapping_period_is_refused_naming_the_record(session, c):
    first = record_activity(
        session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-03", {"electricity": ("1000", "kWh")}, [])
    )
    data = {
        "site_id": c.s2_site.id,
        "period_start": f"{YEAR}-02-01",
        "period_end": f"{YEAR}-04-30",
        "energy": {"diesel": {"quantity": "5"}},
        "no_output": True,
    }

    errors = refused(session, c.s2_floor, data)

    assert errors == {
        "period_start": [
            f"Record #{first.id} already covers {YEAR}-03-01 to {YEAR}-03-31 at this site; "
            "send a correction of it instead."
        ]
    }


def test_a_period_running_into_a_month_not_begun_is_refused(session, c):
    data = {
        "site_id": c.s2_site.id,
        "period_start": f"{YEAR}-06-01",
        "period_end": f"{YEAR}-07-31",
        "energy": {"electricity": {"quantity": "5000"}},
        "no_output": True,
    }

    with pytest.raises(ValidationFailed) as error:
        prepare_activity(session, c.s2_floor, data, today=date(YEAR, 6, 15))

    assert {k: [str(m) for m in v] for k, v in error.value.errors.items()} == {
        "period_end": ["This period runs into a month that has not begun yet."]
    }
    assert prepare_activity(session, c.s2_floor, data, today=date(YEAR, 7, 1)).period_end == date(
        YEAR, 7, 31
    )


@pytest.mark.parametrize(
    ("given", "unit", "canonical"),
    [
        ({"electricity": ("2", "mwh")}, "MWh", "2000"),
        ({"electricity": ("20", "度")}, "kWh", "20"),
        ({"electricity": ("20", "千瓦时")}, "kWh", "20"),
        ({"natural_gas": ("30", "m³")}, "m3", "30"),
        ({"natural_gas": ("30", "立方米")}, "m3", "30"),
        ({"diesel": ("40", "升")}, "L", "40"),
        ({"steam": ("5", " 吨 ")}, "t", "5"),
    ],
)
def test_a_unit_written_as_people_write_it_is_read_as_its_symbol(
    session, c, given, unit, canonical
):
    record = record_activity(
        session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-05", given, [(c.pa, "10", None)])
    )

    (energy,) = record.energy
    assert (energy.entered_unit, energy.quantity) == (unit, Decimal(canonical))


@pytest.mark.parametrize(
    ("energy", "field", "message"),
    [
        ({"electricity": ("-5", "kWh")}, "energy.electricity.quantity", "Must not be negative."),
        (
            {"natural_gas": ("100", "kWh")},
            "energy.natural_gas.unit",
            "kWh does not fit this fuel; use m3, Nm3.",
        ),
        (
            {"electricity": ("100", "L")},
            "energy.electricity.unit",
            "L does not fit this fuel; use kWh, MWh.",
        ),
        (
            {"diesel": ("5000000", "L")},
            "energy.diesel.quantity",
            "5,000,000 L a month is beyond any plausible use; check the number.",
        ),
    ],
)
def test_bad_energy_names_the_field_and_writes_nothing(session, c, energy, field, message):
    errors = refused(session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-05", energy, []))
    assert errors == {field: [message]}


def test_a_value_far_beyond_the_sites_history_is_refused(session, c):
    for month in ("01", "02", "03"):
        record_activity(
            session,
            c.s2_floor,
            month_of(c.s2_site, f"{YEAR}-{month}", {"electricity": ("1000", "kWh")}, []),
        )

    errors = refused(
        session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-04", {"electricity": ("1000", "MWh")}, [])
    )

    assert errors == {
        "energy.electricity.quantity": [
            "1,000,000 kWh a month is more than 10 times this site's usual 1,000 kWh; "
            "check the number or the unit."
        ]
    }
    record_activity(
        session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-04", {"electricity": ("9000", "kWh")}, [])
    )


def test_bad_outputs_and_period_name_their_fields(session, c):
    twice = month_of(c.s2_site, f"{YEAR}-05", {}, [(c.pa, "5", None), (c.pa, "6", None)])
    assert refused(session, c.s2_floor, twice) == {
        "outputs.1.part_id": ["This part is listed twice."]
    }
    zero = month_of(c.s2_site, f"{YEAR}-05", {}, [(c.pa, "0", None)])
    assert refused(session, c.s2_floor, zero) == {"outputs.0.quantity": ["Must be more than zero."]}
    c.px.mass_kg = None
    data = month_of(c.s2_site, "2999-01", {}, [(c.fin, "5", None), (c.px, "5", None)])

    assert refused(session, c.s2_floor, data) == {
        "month": ["This month has not begun yet."],
        "outputs.0.part_id": ["Not a part your organisation makes."],
        "outputs.1.mass_kg": ["Give the total mass: this part has no unit mass on record."],
    }


def test_a_number_the_record_cannot_keep_is_refused_not_rounded_away(session, c):
    tiny = month_of(c.s2_site, f"{YEAR}-05", {}, [(c.pa, "0.00001", "1")])
    assert refused(session, c.s2_floor, tiny) == {"outputs.0.quantity": ["Must be more than zero."]}
    huge = month_of(c.s2_site, f"{YEAR}-05", {"electricity": ("1e400", "kWh")}, [(c.pa, "1", None)])
    assert refused(session, c.s2_floor, huge) == {
        "energy.electricity.quantity": ["Number too large."]
    }


def test_a_quantity_whose_mass_no_record_holds_is_refused_on_it(session, c):
    """The mass is worked out from the part's unit mass (2 kg): 9 x 10^13 pieces weigh more
    than the column holds, which was a server error on PostgreSQL."""
    heavy = month_of(c.s2_site, f"{YEAR}-05", {}, [(c.pa, "90000000000000", None)])
    assert refused(session, c.s2_floor, heavy) == {
        "outputs.0.quantity": [
            "This quantity weighs 180,000,000,000,000 kg, more than a record holds."
        ]
    }


def test_a_mass_that_does_not_fit_the_quantity_is_refused(session, c):
    errors = refused(
        session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-05", {}, [(c.pa, "10", "900")])
    )
    assert errors == {
        "outputs.0.mass_kg": ["900.0 kg does not fit the quantity: expected about 20.0 kg."]
    }


def test_only_the_sites_own_organisation_records_and_only_reporters(session, c):
    errors = refused(
        session, c.t1_floor, month_of(c.s2_site, f"{YEAR}-05", {"electricity": ("1", "kWh")}, [])
    )
    assert errors == {"site_id": ["This is not a site of your organisation."]}
    with pytest.raises(Forbidden):
        record_activity(
            session, c.carbon, month_of(c.s2_site, f"{YEAR}-05", {"electricity": ("1", "kWh")}, [])
        )


def test_an_empty_month_or_a_bad_month_is_refused(session, c):
    assert refused(session, c.s2_floor, month_of(c.s2_site, f"{YEAR}-05", {}, [])) == {
        "energy": ["Give at least one energy quantity or one output."]
    }
    bad = month_of(c.s2_site, "2025/5", {"electricity": ("1", "kWh")}, [])
    assert refused(session, c.s2_floor, bad) == {
        "month": ["Give the month as YYYY-MM, e.g. 2026-10."]
    }


def test_energy_without_output_needs_the_makers_confirmation(session, c):
    month = month_of(c.s2_site, f"{YEAR}-06", {"electricity": ("800", "kWh")}, [])
    forgotten = {k: v for k, v in month.items() if k != "no_output"}

    assert refused(session, c.s2_floor, forgotten) == {
        "no_output": [
            "Energy is given but no output: add what the site made in this period, or confirm "
            "that it made nothing (its energy is then shared over the year's output)."
        ]
    }
    both = month_of(c.s2_site, f"{YEAR}-06", {"electricity": ("800", "kWh")}, [(c.pa, "10", None)])
    assert refused(session, c.s2_floor, both | {"no_output": True}) == {
        "no_output": ["Outputs are given: this period cannot also be one when nothing was made."]
    }
    record = record_activity(session, c.s2_floor, month)
    assert [e.fuel for e in record.energy] == ["electricity"] and record.outputs == []

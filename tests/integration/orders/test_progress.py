"""Progress reports: idempotent, append-only, only on the supplier's own open lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models.clock import local_zone
from models.errors import Conflict, NotFound, ValidationFailed
from models.i18n import render
from models.orders.entities import ProgressReport
from models.orders.progress import Photo, record_progress
from models.orders.stages import DEFAULT_STAGES, stages_for_buyer, stages_for_buyers
from models.orders.timeline import line_timeline
from models.orgs.entities import Organisation


def reports(session) -> int:
    return session.scalar(select(func.count(ProgressReport.id)))


def report(chain, line, key="key-0001", user="floor@tier1.test", **data):
    values = {"stage": "production", "quantity_done": "40", "idempotency_key": key, **data}
    return record_progress(chain.session, chain.actor(user), line.id, values)


def test_the_same_key_twice_records_one_report(chain):
    line = chain.order().lines[0]
    first, created = report(chain, line, note="two pallets")
    again, created_again = report(chain, line, note="two pallets")
    assert created and not created_again and again.id == first.id
    assert reports(chain.session) == 1 and first.source == "form"


@pytest.mark.parametrize(
    "other",
    [
        {"quantity_done": "41"},
        {"stage": "inspection"},
        {"note": "three pallets"},
        # Beyond the limit: still named as the used key, not as a bad quantity.
        {"quantity_done": "106"},
    ],
)
def test_the_same_key_with_other_content_is_a_conflict_and_writes_nothing(chain, other):
    line = chain.order().lines[0]
    report(chain, line, note="two pallets")
    with pytest.raises(Conflict) as caught:
        report(chain, line, **{"note": "two pallets", **other})
    assert "already sent with other values" in caught.value.message
    recorded = chain.session.scalars(select(ProgressReport)).all()
    assert [(r.stage, r.quantity_done, r.note) for r in recorded] == [
        ("production", 40, "two pallets")
    ]


def test_a_key_sent_again_to_a_closed_line_with_other_content_is_a_conflict(chain):
    line = chain.order().lines[0]
    first, _ = report(chain, line)
    line.status = "closed"
    assert report(chain, line)[0].id == first.id
    with pytest.raises(Conflict) as caught:
        report(chain, line, quantity_done="41")
    assert "already sent with other values" in caught.value.message


def test_a_key_used_on_another_line_is_a_conflict(chain):
    one = chain.order("PO-1").lines[0]
    two = chain.order("PO-2").lines[0]
    report(chain, one)
    with pytest.raises(Conflict):
        report(chain, two)
    assert reports(chain.session) == 1


def test_a_line_of_another_supplier_is_not_found_and_nothing_is_written(chain):
    line = chain.order(supplier="other1").lines[0]
    with pytest.raises(NotFound):
        report(chain, line)
    assert reports(chain.session) == 0


def test_a_report_with_several_problems_names_each(chain):
    line = chain.order().lines[0]
    with pytest.raises(ValidationFailed) as caught:
        report(chain, line, stage="painting", quantity_done="lots")
    assert caught.value.errors == {
        "quantity_done": ["Not a valid number."],
        "stage": ["Choose one of: material, production, inspection, ready, shipped."],
    }
    assert reports(chain.session) == 0


def test_a_chinese_reader_is_told_the_stages_by_their_names_and_codes(chain):
    line = chain.order().lines[0]
    with pytest.raises(ValidationFailed) as caught:
        report(chain, line, stage="painting")
    (message,) = caught.value.errors["stage"]
    assert render(message, "zh_Hans_CN") == (
        "请选择以下之一：备料 (material)、生产中 (production)、检验 (inspection)、"
        "待发货 (ready)、已发货 (shipped)。"
    )


def test_another_suppliers_line_is_not_told_its_stages(chain):
    line = chain.order().lines[0]
    with pytest.raises(ValidationFailed) as caught:
        report(chain, line, user="floor@tier2.test", stage="painting", quantity_done="lots")
    assert caught.value.errors == {"quantity_done": ["Not a valid number."]}


@pytest.mark.parametrize("data", [{}, {"quantity_done": "lots", "stage": "painting"}])
def test_a_closed_line_takes_no_more_reports(chain, data):
    # Whatever else is wrong with the report: fixing it would not help.
    line = chain.order().lines[0]
    line.status = "closed"
    with pytest.raises(Conflict) as caught:
        report(chain, line, **data)
    assert str(caught.value.message) == "This line is closed: no more reports."
    assert reports(chain.session) == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"stage": "painting"},
            "stage",
            "Choose one of: material, production, inspection, ready, shipped.",
        ),
        ({"quantity_done": "-1"}, "quantity_done", "Enter a number of at least 0."),
        ({"quantity_done": "lots"}, "quantity_done", "Not a valid number."),
        (
            {"quantity_done": "106"},
            "quantity_done",
            "At most 105 pcs (the order plus its tolerance).",
        ),
        ({"idempotency_key": "short"}, "idempotency_key", "Length must be between 8 and 64."),
        (
            {"reported_at": "2099-01-01T00:00:00+00:00"},
            "reported_at",
            "This time is in the future.",
        ),
        (
            {"reported_at": "0001-01-01T00:00:00"},
            "reported_at",
            "This time is more than a year ago.",
        ),
        ({"reported_at": "9999-12-31T23:59:00"}, "reported_at", "This time is in the future."),
        (
            {"expected_finish": "0001-01-01"},
            "expected_finish",
            "Give a date from 2000-01-01 to 2099-12-31.",
        ),
    ],
)
def test_bad_reports_name_the_field(chain, data, field, message):
    line = chain.order().lines[0]
    with pytest.raises(ValidationFailed) as caught:
        report(chain, line, **data)
    assert caught.value.errors[field] == [message]
    assert reports(chain.session) == 0


def test_a_correction_supersedes_once_and_the_timeline_shows_the_correction(chain):
    line = chain.order().lines[0]
    wrong, _ = report(chain, line, quantity_done="90")
    fixed, _ = report(chain, line, key="key-0002", quantity_done="9", supersedes_id=wrong.id)
    with pytest.raises(ValidationFailed) as caught:
        report(chain, line, key="key-0003", supersedes_id=wrong.id)
    assert caught.value.errors["supersedes_id"] == ["This report was already corrected."]
    timeline = line_timeline(chain.session, chain.org["anchor"], line.id)
    assert str(timeline.row.quantity_done) == "9.0000"
    assert [e.data["superseded"] for e in timeline.events if e.kind == "report"] == [True, False]
    assert fixed.supersedes_id == wrong.id


def _photo_report(chain, line, photo, key="key-0001", **limits):
    return record_progress(
        chain.session,
        chain.actor("floor@tier1.test"),
        line.id,
        {"stage": "material", "quantity_done": "0", "idempotency_key": key},
        photo,
        **limits,
    )


def _photo_error(chain, line, photo, **limits) -> str:
    with pytest.raises(ValidationFailed) as caught:
        _photo_report(chain, line, photo, **limits)
    [message] = caught.value.errors["photo"]
    return message


def test_photos_are_images_within_the_size_limit(chain):
    line = chain.order().lines[0]
    big = Photo("p.jpg", "image/jpeg", b"\xff\xd8\xff" + b"x" * 2**20)
    assert _photo_error(chain, line, big, max_photo_bytes=2**20) == "The photo is larger than 1 MB."
    assert "JPEG" in _photo_error(chain, line, Photo("p.pdf", "application/pdf", b"%PDF"))
    text = Photo("p.jpg", "image/jpeg", b"a text file named p.jpg")
    assert _photo_error(chain, line, text) == "Send a photo (JPEG, PNG, WebP or HEIC)."
    png = Photo("p.png", "image/png", b"\x89PNG\r\n\x1a\n")
    saved, _ = _photo_report(chain, line, png, key="key-0002")
    assert saved.photo_id is not None


def test_a_photo_sent_again_is_a_retry_and_another_photo_under_its_key_a_conflict(chain):
    line = chain.order().lines[0]
    png = Photo("p.png", "image/png", b"\x89PNG\r\n\x1a\nfirst")
    first, _ = _photo_report(chain, line, png)
    again, created = _photo_report(chain, line, png)
    assert (again.id, created) == (first.id, False)
    other = Photo("p.png", "image/png", b"\x89PNG\r\n\x1a\nsecond")
    for photo in (other, None):
        with pytest.raises(Conflict):
            _photo_report(chain, line, photo)
    assert reports(chain.session) == 1


def test_an_offline_report_keeps_the_time_it_was_made(chain):
    line = chain.order().lines[0]
    when = datetime.now(UTC) - timedelta(hours=5)
    saved, _ = report(chain, line, reported_at=when.isoformat())
    assert abs((saved.reported_at - when).total_seconds()) < 1


def test_a_time_without_an_offset_is_read_on_the_local_clock(chain):
    line = chain.order().lines[0]
    local = datetime.now(local_zone()).replace(microsecond=0, tzinfo=None) - timedelta(hours=2)
    saved, _ = report(chain, line, reported_at=local.isoformat())
    assert saved.reported_at == local.replace(tzinfo=local_zone())


def test_the_anchors_own_stages_apply_down_the_chain(chain):
    anchor = chain.session.get(Organisation, chain.org["anchor"])
    anchor.settings = {
        "progress_stages": [
            {"code": "cut", "name_zh": "下料", "name_en": "Cut"},
            {"code": "weld", "name_zh": "焊接", "name_en": "Weld"},
        ]
    }
    chain.session.flush()
    line = chain.order(
        "PO-T", buyer="admin@tier1.test", supplier="tier2", part_number="T1-FRAME"
    ).lines[0]
    with pytest.raises(ValidationFailed):
        report(chain, line, user="floor@tier2.test")
    saved, _ = report(chain, line, user="floor@tier2.test", stage="weld")
    assert saved.stage == "weld"


def test_the_stages_of_many_buyers_at_once_are_each_buyers_own(chain):
    anchor = chain.session.get(Organisation, chain.org["anchor"])
    anchor.settings = {"progress_stages": [{"code": "cut", "name_zh": "下料", "name_en": "Cut"}]}
    chain.session.flush()
    buyers = [chain.org[key] for key in ("anchor", "anchor2", "tier1", "tier2")]
    together = stages_for_buyers(chain.session, buyers)
    assert together == {org_id: stages_for_buyer(chain.session, org_id) for org_id in buyers}
    assert [s.code for s in together[chain.org["tier1"]]] == ["cut"]
    assert together[chain.org["anchor2"]] == DEFAULT_STAGES

"""The phone form, the characteristic form and the CSV/XLSX upload: good input and bad."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import func, select

from models.files import Upload
from models.quality.entities import (
    Characteristic,
    CharacteristicStatistics,
    DefectCount,
    Inspection,
    Measurement,
)
from models.quality.measurements import record_inspection
from models.quality.ppm import monthly_yield
from models.quality.spreadsheet import MAX_ROWS
from tests.helpers import csrf_token
from tests.integration.quality import builders
from tests.integration.quality.builders import PISTON_RINGS, inspection

BEIJING = ZoneInfo("Asia/Shanghai")
ZH = {"Accept-Language": "zh-CN"}


def _count(session, entity) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(entity))


def _upload(client, name, content: bytes):
    data = {"file": (io.BytesIO(content), name), "csrf_token": csrf_token(client, "/quality/")}
    return client.post("/quality/measure/upload", data=data, content_type="multipart/form-data")


def _post(client, path, data, **kwargs):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/quality/")},
                       **kwargs)  # fmt: skip


def test_phone_form_records_a_subgroup_and_recomputes(session, chain, ring, login):
    record_inspection(session, chain.reporter, inspection("L0", "D1", PISTON_RINGS[:20]))
    session.commit()
    phone = login(chain.reporter)
    values = {f"v{i}": str(v) for i, v in enumerate(PISTON_RINGS[20:25])}
    response = _post(phone, f"/quality/measure/{ring.id}",
                     {"lot_number": "L1", "unit": "mm", **values})  # fmt: skip
    assert response.status_code == 302
    assert "job=" in response.headers["Location"]
    assert _count(session, Measurement) == 25
    stats = session.get(CharacteristicStatistics, ring.id)
    assert (stats.n, stats.points) == (25, 5)  # the worker ran (eagerly) after the save
    page = phone.get(response.headers["Location"]).get_data(as_text=True)
    assert "L1" in page  # the lot is offered again for the next subgroup


def test_phone_form_refuses_a_missing_value_and_writes_nothing(session, chain, ring, login):
    phone = login(chain.reporter)
    values = {f"v{i}": str(v) for i, v in enumerate(PISTON_RINGS[:5])}
    values["v2"] = "-1"
    response = _post(phone, f"/quality/measure/{ring.id}",
                     {"lot_number": "L1", "unit": "mm", **values})  # fmt: skip
    assert response.status_code == 422
    assert "physically impossible" in response.get_data(as_text=True)
    no_unit = _post(phone, f"/quality/measure/{ring.id}", {"lot_number": "L1", **values})
    assert "Give the unit of the measurements (mm)." in no_unit.get_data(as_text=True)
    assert _count(session, Inspection) == 0


def test_phone_form_of_another_suppliers_characteristic_is_not_found(session, chain, ring, login):
    other = login(chain.sub_admin)
    assert other.get(f"/quality/measure/{ring.id}").status_code == 404


def _height(chain, lsl: str, usl: str) -> dict[str, object]:
    """The characteristic form for a ring's height between ``lsl`` and ``usl``."""
    return {"part_id": chain.parts["ring"].id, "code": "H", "name": "Height", "unit": "mm",
            "lsl": lsl, "usl": usl, "classification": "standard", "subgroup_size": "5"}  # fmt: skip


def test_a_limit_written_with_a_decimal_comma_says_how_to_write_it(session, chain, login):
    engineer = login(chain.engineer)
    engineer.get("/lang/zh_Hans_CN")
    form = _height(chain, "9,5", "10.5")

    response = _post(engineer, "/quality/characteristics/new", form)

    assert response.status_code == 422
    assert "请不要用逗号，小数用小数点" in response.get_data(as_text=True)
    assert _count(session, Characteristic) == 0


def test_characteristic_form_refuses_lsl_above_usl(session, chain, login):
    engineer = login(chain.engineer)
    form = _height(chain, "12", "10")
    response = _post(engineer, "/quality/characteristics/new", form)
    assert response.status_code == 422
    assert "LSL (12.0) must be below USL (10.0)." in response.get_data(as_text=True)
    assert _count(session, Characteristic) == 0
    created = _post(engineer, "/quality/characteristics/new", {**form, "lsl": "8"})
    assert created.status_code == 302
    assert _count(session, Characteristic) == 1


def test_csv_upload_is_all_or_nothing_with_row_and_column(session, chain, ring, login):
    phone = login(chain.reporter)
    rows = ["part_number,lot_number,characteristic,unit,subgroup,value,measured_at"]
    rows += [f"RING-1,L1,D1,mm,1,{v},2026-11-01 08:00" for v in PISTON_RINGS[:5]]
    rows += [f"RING-1,L1,D1,,2,{v},2026-11-01 09:00" for v in PISTON_RINGS[5:10]]
    rows += ["RING-1,L1,D1,mm,3,74.01,", "RING-1,L1,D1,mm,3,abc,"]
    response = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 7 · unit" in page and "Give the unit of the measurements (mm)." in page
    assert "Row 12 · subgroup" in page and "Row 13 · value" in page
    assert _count(session, Measurement) == 0
    upload = session.scalars(select(Upload)).one()
    assert upload.status == "rejected" and upload.errors

    good = "\n".join(rows[:6] + [r.replace(",,2,", ",mm,2,") for r in rows[6:11]]) + "\n"
    response = _upload(phone, "rings.csv", good.encode())
    assert response.status_code == 200
    assert "Imported inspections: 1; measurements: 10." in response.get_data(as_text=True)
    assert _count(session, Measurement) == 10
    again = _upload(phone, "rings.csv", good.encode())
    assert "already imported" in again.get_data(as_text=True)
    assert _count(session, Measurement) == 10


def test_a_subgroup_in_two_units_or_on_two_days_is_refused_by_row(session, chain, ring, login):
    rows = ["part_number,lot_number,characteristic,unit,subgroup,value,measured_at"]
    rows += [f"RING-1,L1,D1,mm,1,{v},2026-11-01 08:0{i}" for i, v in enumerate(PISTON_RINGS[:5])]
    rows += [f"RING-1,L1,D1,mm,2,{v},2026-11-01 09:00" for v in PISTON_RINGS[5:9]]
    rows += ["RING-1,L1,D1,µm,2,74010,2026-11-01 09:00"]
    rows += [f"RING-1,L1,D1,mm,3,{v},2026-11-01 10:00" for v in PISTON_RINGS[10:14]]
    rows += ["RING-1,L1,D1,mm,3,74.01,2026-11-02 10:00"]
    phone = login(chain.reporter)

    response = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode())

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 11 · unit" in page
    assert "Row 7 gives this subgroup in mm; one subgroup has one unit." in page
    assert "Row 16 · measured_at" in page
    assert "Row 12 puts this subgroup on 2026-11-01; a subgroup is measured on one day." in page
    assert (_count(session, Inspection), _count(session, Measurement)) == (0, 0)
    assert session.scalars(select(Upload)).one().status == "rejected"
    same_units = "\n".join([*rows[:10], rows[10].replace("µm,2,74010", "MMT,2,74.01")]) + "\n"
    assert _upload(phone, "rings.csv", same_units.encode()).status_code == 200  # MMT is mm
    assert _count(session, Measurement) == 10


def test_a_measurement_time_in_the_future_is_named_by_row_and_column(session, chain, ring, login):
    later = (datetime.now(BEIJING) + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    rows = ["零件号,批次号,特性,单位,子组,测量值,测量时间"]
    rows += [f"RING-1,L1,D1,mm,1,{v},2026-11-01 08:00" for v in PISTON_RINGS[:5]]
    rows += [f"RING-1,L1,D1,mm,2,{v},{later}" for v in PISTON_RINGS[5:10]]
    phone = login(chain.reporter)

    response = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode())

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 7 · measured_at" in page and "The measurement date lies in the future." in page
    assert (_count(session, Inspection), _count(session, Measurement)) == (0, 0)
    phone.get("/lang/zh_Hans_CN")
    chinese = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode())
    assert "第 7 行 · 测量时间" in chinese.get_data(as_text=True)


def test_a_csv_saved_by_a_chinese_excel_is_read_with_its_times(session, chain, ring, login):
    """GB18030, semicolons, dates as 2026/11/1 8:00: what Excel writes in a Chinese locale.
    The times are read on the product's clock (Beijing time by default)."""
    rows = ["零件号;批次号;特性;单位;子组;测量值;测量时间"]
    rows += [f"RING-1;L7;D1;mm;1;{v};2026/11/1 8:00" for v in PISTON_RINGS[:5]]
    rows += [f"RING-1;L7;D1;mm;2;{v};2026/11/2" for v in PISTON_RINGS[5:10]]
    phone = login(chain.reporter)

    response = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode("gb18030"))

    assert response.status_code == 200, response.get_data(as_text=True)
    moments = session.scalars(select(Measurement.measured_at).distinct()).all()
    assert sorted(moments) == [
        datetime(2026, 11, 1, 8, 0, tzinfo=BEIJING),
        datetime(2026, 11, 2, 0, 0, tzinfo=BEIJING),
    ]


def test_a_date_and_time_cell_of_a_workbook_keeps_its_time(session, chain, ring, login):
    book = Workbook()
    sheet = book.active
    sheet.append(["part_number", "lot_number", "characteristic", "unit", "value", "date"])
    for value in PISTON_RINGS[:5]:
        sheet.append(["RING-1", "L8", "D1", "mm", value, datetime(2026, 11, 3, 14, 5)])
    content = io.BytesIO()
    book.save(content)

    response = _upload(login(chain.reporter), "rings.xlsx", content.getvalue())

    assert response.status_code == 200, response.get_data(as_text=True)
    moments = session.scalars(select(Measurement.measured_at).distinct()).all()
    assert moments == [datetime(2026, 11, 3, 14, 5, tzinfo=BEIJING)]


def test_a_file_that_is_no_spreadsheet_is_refused_in_the_users_language(
    session, chain, ring, login
):
    phone = login(chain.reporter)
    phone.get("/lang/zh_Hans_CN")

    response = _upload(phone, "rings.xlsx", b"PK not really a workbook")

    assert response.status_code == 422
    assert "无法读取此文件" in response.get_data(as_text=True)
    assert _count(session, Measurement) == 0


def test_xlsx_upload_with_chinese_headers_and_defect_counts(session, chain, ring, login):
    book = Workbook()
    sheet = book.active
    sheet.append(["零件号", "批次号", "特性", "单位", "子组", "测量值", "检验数", "缺陷代码",
                  "不良数"])  # fmt: skip
    for value in PISTON_RINGS[:5]:
        sheet.append(["RING-1", "L9", "D1", "mm", 1, value, None, None, None])
    sheet.append(["RING-1", "L9", None, None, None, None, 50, "BURR", 2])
    content = io.BytesIO()
    book.save(content)
    phone = login(chain.reporter)
    response = _upload(phone, "rings.xlsx", content.getvalue())
    assert response.status_code == 200, response.get_data(as_text=True)
    found = session.scalars(select(Inspection)).one()
    assert (found.inspected_quantity, found.defective_quantity, found.source) == (50, 2, "file")
    assert _count(session, Measurement) == 5


def test_attribute_form(session, chain, ring, login):
    phone = login(chain.reporter)
    form = {"part_id": chain.parts["ring"].id, "lot_number": "L5", "inspected_quantity": "10",
            "code0": "BURR", "count0": "11"}  # fmt: skip
    refused = _post(phone, "/quality/measure/attributes", form)
    assert refused.status_code == 422
    assert "More pieces with BURR than inspected." in refused.get_data(as_text=True)
    assert _post(phone, "/quality/measure/attributes", {**form, "count0": "1"}).status_code == 302
    assert _count(session, Inspection) == 1


def test_attribute_form_sent_twice_records_once_and_other_counts_are_refused(
    session, chain, ring, login
):
    phone = login(chain.reporter)
    shown = phone.get("/quality/measure/attributes").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', shown)[1]
    form = {"part_id": chain.parts["ring"].id, "lot_number": "L6", "inspected_quantity": "10",
            "code0": "BURR", "count0": "1", "idempotency_key": key}  # fmt: skip
    first = _post(phone, "/quality/measure/attributes", form)
    again = _post(phone, "/quality/measure/attributes", form)
    assert (first.status_code, again.status_code) == (302, 302)
    assert _count(session, Inspection) == 1
    page = phone.get(first.headers["Location"]).get_data(as_text=True)
    assert key not in page, "the next lot gets a key of its own"
    for headers, said in (({}, "that earlier inspection was recorded"), (ZH, "较早的检验已记录")):
        corrected = _post(phone, "/quality/measure/attributes", {**form, "count0": "2"},
                          headers=headers)  # fmt: skip
        assert corrected.status_code == 409
        text = corrected.get_data(as_text=True)
        assert said in text and 'value="L6"' in text, "the form with its values, not an error page"
    found = session.scalars(select(Inspection)).one()
    assert [(d.defect_code, d.count) for d in found.defects] == [("BURR", 1)]


def test_messages_are_in_the_users_language(session, chain, ring, login):
    phone = login(chain.reporter)
    values = {f"v{i}": str(v) for i, v in enumerate(PISTON_RINGS[:5])}
    response = phone.post(
        f"/quality/measure/{ring.id}",
        data={"lot_number": "L1", **values, "csrf_token": csrf_token(phone, "/quality/")},
        headers={"Accept-Language": "zh-CN"},
    )
    page = response.get_data(as_text=True)
    assert "请填写测量值的单位（mm）。" in page and "录入测量值" in page


def test_a_misplaced_decimal_point_is_refused_in_the_users_language(session, chain, ring, login):
    phone = login(chain.reporter)
    values = {f"v{i}": str(v) for i, v in enumerate(PISTON_RINGS[:5])}
    values["v3"] = "740.1"
    response = phone.post(
        f"/quality/measure/{ring.id}",
        data={"lot_number": "L1", "unit": "mm", **values,
              "csrf_token": csrf_token(phone, "/quality/")},
        headers={"Accept-Language": "zh-CN"},
    )  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "740.1 mm 超过上限 74.05 mm 的 5 倍：请检查数值（小数点是否错位？）和单位。" in page
    assert _count(session, Inspection) == 0


def test_the_csv_template_shows_my_own_characteristic_and_imports_as_it_is(
    session, chain, ring, login
):
    phone = login(chain.reporter)
    template = phone.get("/quality/measure/template.csv").get_data().decode("utf-8-sig")
    header, first, *others = template.splitlines()
    assert header.startswith("part_number,lot_number,characteristic")
    assert first.startswith("RING-1,LOT-001,D1,mm,1,74,") and len(others) == 4
    assert "CF-SEAT-F01" not in template

    response = _upload(phone, "template.csv", template.encode())

    assert "measurements: 5." in response.get_data(as_text=True)
    assert _count(session, Measurement) == 5


def test_one_upload_names_every_bad_cell_and_unknown_characteristic_at_once(
    session, chain, ring, login
):
    """A bad date cell no longer hides the unknown characteristic, bad value and bad counts of
    the same inspection: the supplier sees every problem after one upload."""
    rows = ["part_number,lot_number,characteristic,unit,subgroup,value,measured_at,"
            "inspected_quantity,defect_code,defective"]  # fmt: skip
    rows += [f"RING-1,L1,D1,mm,1,{v},1st of Nov,,," for v in PISTON_RINGS[:5]]
    rows += [f"RING-1,L1,D9,mm,2,{v},2026-11-01,,," for v in PISTON_RINGS[5:10]]
    rows += [f"RING-1,L1,D1,mm,3,{v},2026-11-01,,," for v in PISTON_RINGS[10:12]]
    rows += ["RING-1,L1,D1,mm,3,abc,2026-11-01,,,", "RING-1,L1,D1,mm,3,74.0,2026-11-01,,,"]
    rows += ["RING-1,L1,D1,mm,3,74.0,2026-11-01,,,", "RING-1,L1,,,,,,ten,BURR,two"]
    phone = login(chain.reporter)

    response = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode())

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 2 · measured_at" in page and "Give a date (YYYY-MM-DD) or a date and time." in page
    assert "Row 7 · characteristic" in page and "no active characteristic D9" in page
    assert "Row 14 · value" in page and "Not a valid number." in page
    assert "Row 17 · inspected_quantity" in page and "Row 17 · defective" in page
    assert (_count(session, Inspection), _count(session, Measurement)) == (0, 0)
    upload = session.scalars(select(Upload)).one()
    places = [error["place"] for error in upload.errors]
    dates = [f"row {n} / measured_at" for n in range(2, 7)]  # each bad date cell of the subgroup
    assert places == [*dates, "row 7 / characteristic", "row 14 / value",
                      "row 17 / defective", "row 17 / inspected_quantity"]  # fmt: skip
    phone.get("/lang/zh_Hans_CN")
    chinese = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode()).get_data(as_text=True)
    assert "第 7 行 · 特性" in chinese and "第 14 行 · 测量值" in chinese


def test_an_upload_on_a_lot_not_yet_shipped_is_saved_and_the_lot_named(session, chain, ring, login):
    """Measured before its ship notice (in process): saved, and the user is told which lot
    numbers are not known yet, so a typo can be caught; a known lot is linked, not named."""
    builders.lot(session, chain.supplier, chain.parts["ring"], "L-SHIPPED")
    session.commit()
    rows = ["part_number,lot_number,characteristic,unit,subgroup,value,measured_at"]
    rows += [f"RING-1,L-SHIPPED,D1,mm,1,{v},2026-11-01" for v in PISTON_RINGS[:5]]
    rows += [f"RING-1,L-NEW,D1,mm,1,{v},2026-11-01" for v in PISTON_RINGS[5:10]]
    phone = login(chain.reporter)
    phone.get("/lang/zh_Hans_CN")

    response = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode())

    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "以下批次号尚未登记：L-NEW（" in page and "L-SHIPPED（" not in page
    assert _count(session, Measurement) == 10
    linked = dict(session.execute(select(Inspection.lot_number, Inspection.lot_id)).all())
    assert linked["L-NEW"] is None and linked["L-SHIPPED"] is not None
    assert session.scalars(select(Upload)).one().summary["unknown_lots"] == ["L-NEW"]


def test_the_phone_form_names_a_lot_not_yet_known(session, chain, ring, login):
    phone = login(chain.reporter)
    values = {f"v{i}": str(v) for i, v in enumerate(PISTON_RINGS[:5])}
    form = {"lot_number": "L-TYPO", "unit": "mm", **values}

    response = _post(phone, f"/quality/measure/{ring.id}", form, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Lot numbers not yet known: L-TYPO (no ship notice" in page
    assert _count(session, Measurement) == 5


def test_phone_form_sent_twice_records_the_subgroup_once(session, chain, ring, login):
    phone = login(chain.reporter)
    shown = phone.get(f"/quality/measure/{ring.id}").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', shown)[1]
    values = {f"v{i}": str(v) for i, v in enumerate(PISTON_RINGS[:5])}
    form = {"lot_number": "L1", "unit": "mm", "idempotency_key": key, **values}
    first = _post(phone, f"/quality/measure/{ring.id}", form)
    again = _post(phone, f"/quality/measure/{ring.id}", form)
    assert (first.status_code, again.status_code) == (302, 302)
    assert (_count(session, Inspection), _count(session, Measurement)) == (1, 5)
    page = phone.get(first.headers["Location"]).get_data(as_text=True)
    assert key not in page, "the next subgroup gets a key of its own"
    corrected = _post(
        phone,
        f"/quality/measure/{ring.id}",
        {**form, "v0": "74.001"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert corrected.status_code == 409
    text = corrected.get_data(as_text=True)
    assert "较早的检验已记录" in text and "重新加载页面" in text and 'value="L1"' in text
    assert (_count(session, Inspection), _count(session, Measurement)) == (1, 5)


def test_every_bad_date_cell_is_named_as_no_date_not_as_another_day(session, chain, ring, login):
    """A cell that is no date is that, at its own row, in every row of a subgroup; the
    one-day rule compares only the dates that were read."""
    rows = ["part_number,lot_number,characteristic,unit,subgroup,value,measured_at"]
    dates = ["2026-11-20", "yesterday", "2026-13-40", "2026-11-20 09:00", "2026-11-21"]
    rows += [f"RING-1,L1,D1,mm,1,{v},{d}" for v, d in zip(PISTON_RINGS[:5], dates, strict=True)]
    rows += [f"RING-1,L1,D1,mm,2,{v},someday" for v in PISTON_RINGS[5:10]]
    phone = login(chain.reporter)

    response = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode())

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    upload = session.scalars(select(Upload)).one()
    errors = {e["place"]: [m["template"] for m in e["messages"]] for e in upload.errors}
    no_date = ["Give a date (YYYY-MM-DD) or a date and time."]
    bad_rows = [3, 4, 7, 8, 9, 10, 11]
    assert {f"row {n} / measured_at": no_date for n in bad_rows}.items() <= errors.items()
    assert errors["row 6 / measured_at"] == [
        "Row %(row)s puts this subgroup on %(day)s; a subgroup is measured on one day."
    ]
    assert "Row 2 puts this subgroup on 2026-11-20; a subgroup is measured on one day." in page
    assert len(errors) == len(bad_rows) + 1
    assert (_count(session, Inspection), _count(session, Measurement)) == (0, 0)
    phone.get("/lang/zh_Hans_CN")
    chinese = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode()).get_data(as_text=True)
    assert "第 3 行 · 测量时间" in chinese and "第 11 行 · 测量时间" in chinese
    assert chinese.count("请填写日期（YYYY-MM-DD）或日期和时间。") == len(bad_rows)


def test_an_empty_lot_number_cell_is_asked_for_in_the_users_language(session, chain, ring, login):
    rows = ["part_number,lot_number,characteristic,unit,subgroup,value,measured_at"]
    rows += [f"RING-1,,D1,mm,1,{v},2026-11-01" for v in PISTON_RINGS[:5]]
    phone = login(chain.reporter)

    response = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode())

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 2 · lot_number" in page and "Enter the lot number." in page
    assert "Length must be" not in page
    assert (_count(session, Inspection), _count(session, Measurement)) == (0, 0)
    phone.get("/lang/zh_Hans_CN")
    chinese = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode()).get_data(as_text=True)
    assert "第 2 行 · 批次号" in chinese and "请填写批次号。" in chinese


def test_a_labelled_subgroup_of_one_value_reads_right_in_both_languages(
    session, chain, ring, login
):
    """Not "Subgroup 1 has 1 values"."""
    rows = ["part_number,lot_number,characteristic,unit,subgroup,value,measured_at",
            "RING-1,L1,D1,mm,1,74.01,2026-11-01"]  # fmt: skip
    phone = login(chain.reporter)

    page = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode()).get_data(as_text=True)

    assert "Row 2 · subgroup" in page and "Subgroup 1: values given: 1; D1 needs 5." in page
    assert _count(session, Measurement) == 0
    phone.get("/lang/zh_Hans_CN")
    chinese = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode()).get_data(as_text=True)
    assert "子组 1：给出 1 个数值；D1 每个子组需要 5 个。" in chinese


def test_a_file_past_the_row_limit_is_refused_and_nothing_is_written(session, chain, ring, login):
    """Rows are read up to the limit and no further: the file is refused on the first row past
    it, in the user's language, and the upload is kept with that error."""
    phone = login(chain.reporter)
    phone.get("/lang/zh_Hans_CN")
    header = "part_number,lot_number,characteristic,unit,subgroup,value,measured_at\n"
    row = "RING-1,L1,D1,mm,{n},74.01,2026-11-01 08:00\n"
    body = "".join(row.format(n=n // 5) for n in range(MAX_ROWS + 1))

    response = _upload(phone, "rings.csv", (header + body).encode())

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"最多 {MAX_ROWS} 行" in page.replace(",", "")
    assert f"{MAX_ROWS + 2}" in page.replace(",", "")
    assert _count(session, Measurement) == 0
    assert session.scalars(select(Upload)).one().status == "rejected"


def _attribute_rows(*rows: str) -> bytes:
    """A defect-count file as Excel on a Chinese Windows saves it: GB18030, Chinese headers."""
    return "\r\n".join(["零件号,批次号,检验数,缺陷代码,不良数", *rows, ""]).encode("gb18030")


def test_a_defect_count_over_the_inspected_is_named_at_its_own_row(session, chain, ring, login):
    phone = login(chain.reporter)
    content = _attribute_rows("RING-1,L1,100,SCRATCH,3", "RING-1,L1,,BURR,200")
    response = _upload(phone, "defects.csv", content)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 3 · defective" in page and "More pieces with BURR than inspected." in page
    assert "Row 2 · defective" not in page
    assert _count(session, Inspection) == 0


def test_a_defective_count_without_its_defect_code_is_asked_for_not_dropped(
    session, chain, ring, login
):
    phone = login(chain.reporter)
    response = _upload(phone, "defects.csv", _attribute_rows("RING-1,L1,50,,2"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 2 · defect_code" in page and "Enter the defect code." in page
    assert _count(session, Inspection) == 0 and _count(session, DefectCount) == 0
    again = _upload(phone, "defects.csv", _attribute_rows("RING-1,L1,50,BURR,2", "RING-1,L2,50,,0"))
    assert again.status_code == 200, again.get_data(as_text=True)
    assert _count(session, DefectCount) == 1


def test_units_written_in_chinese_are_read_as_their_symbols(session, chain, ring, login):
    """毫米 is how a Chinese inspector writes mm; one subgroup may mix 毫米 and mm."""
    rows = ["零件号,批次号,特性,单位,子组,测量值"]
    rows += [f"RING-1,L1,D1,{unit},1,{v}" for unit, v in zip(
        ["毫米", "mm", "毫米", "MM", "毫米"], PISTON_RINGS[:5], strict=True)]  # fmt: skip
    response = _upload(login(chain.reporter), "rings.csv", "\r\n".join(rows).encode("gb18030"))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _count(session, Measurement) == 5


def test_counts_with_thousands_separators_are_read_as_excel_shows_them(session, chain, ring, login):
    """Excel saves a count formatted as 12,000 with its comma; a measured value keeps refusing
    a comma (it may be a decimal comma)."""
    phone = login(chain.reporter)
    response = _upload(phone, "defects.csv", _attribute_rows('RING-1,L1,"12,000",BURR,"1,500"'))
    assert response.status_code == 200, response.get_data(as_text=True)
    found = session.scalars(select(Inspection)).one()
    assert (found.inspected_quantity, found.defective_quantity) == (12_000, 1_500)


def test_an_uploaded_inspection_is_dated_by_its_rows_not_by_the_upload(session, chain, ring, login):
    """Defect counts of October uploaded later count in October's first-pass yield, and the
    inspection list shows when the lot was inspected."""
    phone = login(chain.reporter)
    rows = ["零件号,批次号,检验数,缺陷代码,不良数,测量时间",
            "RING-1,L1,100,BURR,2,2026/10/30 14:00",
            "RING-1,L1,,DENT,1,2026/10/31 09:00"]  # fmt: skip
    response = _upload(phone, "defects.csv", "\r\n".join(rows).encode("gb18030"))
    assert response.status_code == 200, response.get_data(as_text=True)
    found = session.scalars(select(Inspection)).one()
    assert found.inspected_at == datetime(2026, 10, 30, 14, 0, tzinfo=BEIJING)
    (month,) = monthly_yield(session, chain.engineer.org_id)
    assert (month.period, month.inspected, month.defective) == ("2026-10", 100, 3)


def test_a_header_row_without_the_columns_names_them_as_a_chinese_sheet_writes_them(
    session, chain, ring, login
):
    phone = login(chain.reporter)
    phone.get("/lang/zh_Hans_CN")

    response = _upload(phone, "rings.csv", "零件,批次,数值\nRING-1,L1,74.01\n".encode())

    assert response.status_code == 422
    assert "零件号（part_number）、批次号（lot_number）" in response.get_data(as_text=True)
    assert _count(session, Measurement) == 0


def test_a_sheet_with_a_title_above_its_header_is_read_with_its_row_numbers(
    session, chain, ring, login
):
    phone = login(chain.reporter)
    phone.get("/lang/zh_Hans_CN")
    rows = ["活塞环外径检验记录,,,,,,", "零件号,批次号,特性,单位,子组,测量值,测量时间"]
    rows += [f"RING-1,L1,D1,mm,1,{v},2026-11-01 08:00" for v in PISTON_RINGS[:4]]
    rows += ["RING-1,L1,D1,mm,1,abc,2026-11-01 08:00"]

    refused = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode("gb18030"))

    assert refused.status_code == 422
    assert "第 7 行" in refused.get_data(as_text=True)  # the file's own row, below the title
    assert _count(session, Measurement) == 0
    rows[-1] = f"RING-1,L1,D1,mm,1,{PISTON_RINGS[4]},2026-11-01 08:00"
    accepted = _upload(phone, "rings.csv", ("\n".join(rows) + "\n").encode("gb18030"))
    assert accepted.status_code == 200
    assert _count(session, Measurement) == 5

"""Energy and output from a spreadsheet: all rows or none, errors on their row and column."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from sqlalchemy import func, select

from models.carbon.activity_import import import_activity, template
from models.carbon.entities import ActivityRecord
from models.files import Upload
from models.i18n import Msg
from tests.integration.carbon.builders import YEAR, chain


def records(session) -> int:
    return session.scalar(select(func.count()).select_from(ActivityRecord))


def csv_of(*rows: str) -> bytes:
    return ("\ufeff" + "\n".join(("site,month,item,quantity,unit,mass_kg", *rows))).encode()


def test_a_good_file_records_one_month_per_site_and_month(session):
    c = chain(session)
    site = c.s2_site.name
    content = csv_of(
        f"{site},{YEAR}-01,electricity,1000,kWh,",
        f"{site},{YEAR}-01,天然气,100,m3,",
        f"{site},{YEAR}-01,PA-1,500,,1000",
        f"{site},{YEAR}-02,electricity,1.1,MWh,",
        f"{site},{YEAR}-02,无产出,0,,",
    )

    result = import_activity(session, c.s2_floor, "energy.csv", content)

    assert result.accepted and len(result.written) == 2
    first = session.get(ActivityRecord, result.written[0])
    assert {e.fuel: float(e.quantity) for e in first.energy} == {
        "electricity": 1000,
        "natural_gas": 100,
    }
    assert first.source == "file" and first.upload_id == result.upload.id
    again = import_activity(session, c.s2_floor, "energy.csv", content)
    assert again.repeated and records(session) == 2


def test_a_bad_file_writes_nothing_and_keeps_errors_by_row_and_column(session):
    c = chain(session)
    site = c.s2_site.name
    content = csv_of(
        f"{site},{YEAR}-01,electricity,1000,kWh,",
        f"{site},{YEAR}-01,natural_gas,100,kWh,",
        f"Nowhere,{YEAR}-01,diesel,5,L,",
        f"{site},{YEAR}-02,PA-1,-3,,",
        f"{site},{YEAR}-02,coal,3,t,",
    )

    result = import_activity(session, c.s2_floor, "energy.csv", content)

    assert not result.accepted and records(session) == 0
    upload = session.get(Upload, result.upload.id)
    placed = {(e["row"], e["column"]): str(Msg.from_dict(e["message"])) for e in upload.errors}
    assert placed == {
        (3, "E"): "kWh does not fit this fuel; use m3, Nm3.",
        (4, "A"): "No site of your organisation has this name.",
        (5, "D"): "Must be more than zero.",
        (6, "C"): "Neither a fuel nor a part number of yours: coal",
    }


def test_a_month_of_energy_alone_is_refused_until_a_row_says_nothing_was_made(session):
    c = chain(session)
    site = c.s2_site.name
    energy = (f"{site},{YEAR}-01,PA-1,500,,1000", f"{site},{YEAR}-02,electricity,900,kWh,")

    result = import_activity(session, c.s2_floor, "energy.csv", csv_of(*energy))

    assert not result.accepted and records(session) == 0
    upload = session.get(Upload, result.upload.id)
    assert [(e["row"], e["column"]) for e in upload.errors] == [(3, "C")]
    assert str(Msg.from_dict(upload.errors[0]["message"])).startswith("Energy is given but no")
    confirmed = csv_of(*energy, f"{site},{YEAR}-02,停产,0,,")
    assert len(import_activity(session, c.s2_floor, "energy2.csv", confirmed).written) == 2


def test_the_template_is_a_workbook_with_chinese_headers(session):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template("zh_Hans_CN")))
    assert [c.value for c in book.worksheets[0][1]][:4] == ["工厂*", "月份*", "项目*", "数量*"]


def test_an_xlsx_file_is_read_too(session):
    c = chain(session)
    book = Workbook()
    sheet = book.active
    sheet.append(["工厂", "月份", "项目", "数量", "单位"])
    sheet.append([c.s2_site.name, f"{YEAR}-03", "电力", 800, "kWh"])
    sheet.append([c.s2_site.name, f"{YEAR}-03", "None", 0])
    buffer = io.BytesIO()
    book.save(buffer)

    assert import_activity(session, c.s2_floor, "energy.xlsx", buffer.getvalue()).accepted


def test_a_month_that_excel_made_a_date_is_read_as_that_month(session):
    """Excel turns a typed 2026-03 into the date 2026-03-01, and writes 2026/3 in a CSV."""
    c = chain(session)
    book = Workbook()
    sheet = book.active
    sheet.append(["工厂", "月份", "项目", "数量", "单位"])
    sheet.append([c.s2_site.name, datetime(YEAR, 3, 1), "电力", 800, "kWh"])
    sheet.append([c.s2_site.name, datetime(YEAR, 3, 1), "无产出", 0])
    buffer = io.BytesIO()
    book.save(buffer)

    from_xlsx = import_activity(session, c.s2_floor, "energy.xlsx", buffer.getvalue())
    from_csv = import_activity(
        session,
        c.s2_floor,
        "energy.csv",
        csv_of(
            f"{c.s2_site.name},{YEAR}年4月,electricity,900,kWh,",
            f"{c.s2_site.name},{YEAR}/4,none,0,,",
        ),
    )

    assert from_xlsx.accepted and from_csv.accepted
    periods = [
        session.get(ActivityRecord, record_id).period_start
        for record_id in (*from_xlsx.written, *from_csv.written)
    ]
    assert periods == [date(YEAR, 3, 1), date(YEAR, 4, 1)]


def test_a_date_that_is_not_a_month_start_is_refused_on_its_row(session):
    c = chain(session)
    content = csv_of(f"{c.s2_site.name},{YEAR}/3/15,electricity,900,kWh,")

    result = import_activity(session, c.s2_floor, "energy.csv", content)

    assert not result.accepted and records(session) == 0
    upload = session.get(Upload, result.upload.id)
    assert [(e["row"], e["column"], str(Msg.from_dict(e["message"]))) for e in upload.errors] == [
        (2, "B", "Give the month as YYYY-MM, e.g. 2026-10.")
    ]


def test_a_month_is_checked_against_the_earlier_months_of_the_same_file(session):
    """Entered one by one, the fourth month would be refused as ten times the usual use; the
    same months in one file (in any row order) must be refused the same way."""
    c = chain(session)
    site = c.s2_site.name
    content = csv_of(
        f"{site},{YEAR}-04,electricity,9000000,kWh,",
        f"{site},{YEAR}-04,PA-1,500,,1000",
        *(
            row
            for month in ("01", "02", "03")
            for row in (
                f"{site},{YEAR}-{month},electricity,12000,kWh,",
                f"{site},{YEAR}-{month},PA-1,500,,1000",
            )
        ),
    )

    result = import_activity(session, c.s2_floor, "energy.csv", content)

    assert not result.accepted and records(session) == 0
    upload = session.get(Upload, result.upload.id)
    placed = {(e["row"], e["column"]): str(Msg.from_dict(e["message"])) for e in upload.errors}
    assert placed == {
        (2, "D"): "9,000,000 kWh a month is more than 10 times this site's usual 12,000 kWh; "
        "check the number or the unit."
    }

"""The records behind every KPI of a demo supplier, in both languages: each page opens."""

from __future__ import annotations

import re

from flask_babel import gettext
from sqlalchemy import select

from models.demo import DEMO_PASSWORD, seed_demo
from models.orgs.entities import Organisation
from models.scorecards.drilldown import HEADERS
from models.scorecards.kpis import KPIS
from tests.helpers import sign_in
from webapp.carbon.common import KIND_LABELS
from webapp.dashboard.common import cell_value
from webapp.quality.labels import CAPABILITY
from webapp.trace.labels import SEVERITIES, STATES


def test_every_kpis_records_page_opens_in_both_languages(app, session):
    seed_demo(session)
    session.commit()
    supplier = session.scalar(
        select(Organisation.id).where(Organisation.name_en.like("%Jiangnan%"))
    )
    client = app.test_client()
    sign_in(client, "admin@changfeng.demo", DEMO_PASSWORD)
    for language in ("en", "zh"):
        for kpi in KPIS:
            path = f"/dashboard/suppliers/{supplier}/kpis/{kpi.code}"
            page = client.get(path, headers={"Accept-Language": language})
            assert page.status_code == 200, (language, kpi.code)
    share = client.get(
        f"/dashboard/suppliers/{supplier}/kpis/primary_share", headers={"Accept-Language": "en"}
    )
    assert "Primary-data share (%)" in share.get_data(as_text=True)


def _cells(page: str, header: str) -> set[str]:
    """The texts of a drill-down column, by its header (each cell is labelled with it)."""
    return set(re.findall(rf'<td data-label="{re.escape(header)}">\s*([^<]*?)\s*</td>', page))


def test_the_records_show_codes_by_their_label_in_both_languages(app, session):
    seed_demo(session)
    session.commit()
    org = {
        name: session.scalar(select(Organisation.id).where(Organisation.name_en.like(f"%{name}%")))
        for name in ("Jinggong", "Jiangnan", "Ningyuan")
    }
    client = app.test_client()
    sign_in(client, "admin@changfeng.demo", DEMO_PASSWORD)
    shown = [  # (supplier, KPI, column, what the column may hold)
        ("Jinggong", "open_incidents", "severity", SEVERITIES),
        ("Jinggong", "open_incidents", "state", STATES),
        ("Jiangnan", "cpk", "status", CAPABILITY),
        ("Ningyuan", "carbon_intensity", "kind", KIND_LABELS),
    ]
    for language in ("en", "zh"):
        with app.test_request_context(headers={"Accept-Language": language}):
            labels = {
                column: {str(label) for label in found.values()} for *_, column, found in shown
            }
            headers = {column: gettext(HEADERS[column]) for *_, column, _found in shown}
        for name, kpi, column, codes in shown:
            path = f"/dashboard/suppliers/{org[name]}/kpis/{kpi}"
            page = client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)
            cells = _cells(page, headers[column])
            assert cells and cells <= labels[column], (language, column, cells)
            if language == "zh":
                assert not cells & {code for code in codes if code}, (column, cells)


def test_an_8d_step_in_the_records_reads_as_the_8d_pages_name_it(app):
    for language, shown in (("en", "D4 Root cause"), ("zh", "D4 根本原因")):
        with app.test_request_context(headers={"Accept-Language": language}):
            assert cell_value("step", "D4") == shown


def test_a_tier_one_sees_no_footprint_its_tier_two_made_for_another_customer(app, session):
    """Changsheng makes frames for Jiangnan and backing plates (HT-PLT-02) for Hengtong."""
    seed_demo(session)
    session.commit()
    changsheng = session.scalar(
        select(Organisation.id).where(Organisation.name_en.like("%Changsheng%"))
    )
    parts = {}
    for email in ("admin@jiangnan.demo", "admin@changfeng.demo"):
        client = app.test_client()
        sign_in(client, email, DEMO_PASSWORD)
        body = client.get(f"/api/v1/scorecards/{changsheng}/kpis/carbon_intensity").get_json()
        parts[email] = ({row["part_number"] for row in body["rows"]}, body["withheld"])
    seen, withheld = parts["admin@jiangnan.demo"]
    assert "HT-PLT-02" not in seen and {"JN-FRM-01", "JN-RAIL-02"} <= seen and withheld >= 1
    assert "HT-PLT-02" in parts["admin@changfeng.demo"][0]
    client = app.test_client()
    sign_in(client, "admin@jiangnan.demo", DEMO_PASSWORD)
    path = f"/dashboard/suppliers/{changsheng}/kpis/carbon_intensity"
    page = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    chinese = client.get(path, headers={"Accept-Language": "zh"}).get_data(as_text=True)
    said = (
        "1 of them concerns another customer of this supplier and is not shown."
        if withheld == 1
        else f"{withheld} of them concern other customers of this supplier and are not shown."
    )
    assert said in page
    assert f"其中 {withheld} 条涉及该供应商的其他客户，不予显示。" in chinese


def test_a_footprints_year_is_shown_without_a_thousands_separator(app, session):
    seed_demo(session)
    session.commit()
    supplier = session.scalar(
        select(Organisation.id).where(Organisation.name_en.like("%Ningyuan%"))
    )
    client = app.test_client()
    sign_in(client, "admin@changfeng.demo", DEMO_PASSWORD)
    for language in ("en", "zh"):
        with app.test_request_context(headers={"Accept-Language": language}):
            header = gettext(HEADERS["year"])
            assert (cell_value("year", 2026), cell_value("line_no", 1200)) == ("2026", "1200")
        path = f"/dashboard/suppliers/{supplier}/kpis/carbon_intensity"
        page = client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)
        years = _cells(page, header)
        assert years and all(re.fullmatch(r"20\d\d", year) for year in years), (language, years)

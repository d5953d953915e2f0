"""The records behind every KPI of a demo supplier, in both languages: each page opens."""

from __future__ import annotations

from sqlalchemy import select

from models.demo import DEMO_PASSWORD, seed_demo
from models.orgs.entities import Organisation
from models.scorecards.kpis import KPIS
from tests.helpers import sign_in


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

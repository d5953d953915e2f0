"""The carbon pages and API as suppliers and the anchor use them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from models.carbon.entities import ActivityRecord, ProductFootprint
from tests.helpers import bearer, csrf_token, sign_in
from tests.integration.carbon.builders import PASSWORD, YEAR, purchase

ACTIVITY_FORM = "/carbon/activity/new"


def active(session, part):
    return session.scalar(
        select(ProductFootprint).where(
            ProductFootprint.part_id == part.id,
            ProductFootprint.year == YEAR,
            ProductFootprint.status == "Active",
        )
    )


def post_month(client, world, month: str, fields: dict, **kwargs):
    """POST the phone activity form for the tier-2 site and ``month``, as a browser does."""
    data = {
        "csrf_token": csrf_token(client, ACTIVITY_FORM),
        "site_id": world.s2_site.id,
        "month": f"{YEAR}-{month}",
        **fields,
    }
    return client.post(ACTIVITY_FORM, data=data, **kwargs)


def email_of(session, actor) -> str:
    from models.accounts.entities import User

    return session.get(User, actor.user_id).email


def login(client, session, actor) -> None:
    sign_in(client, email_of(session, actor), PASSWORD)


def test_a_tier_two_enters_a_month_on_the_phone_form_and_the_finished_part_changes(
    client, session, world
):
    before = active(session, world.fin)
    login(client, session, world.s2_floor)
    page = client.get(ACTIVITY_FORM)
    assert page.status_code == 200 and 'type="month"' in page.get_data(as_text=True)

    response = post_month(
        client,
        world,
        "02",
        {
            "energy.electricity.quantity": "4",
            "energy.electricity.unit": "MWh",
            "outputs.0.part_id": world.pa.id,
            "outputs.0.quantity": "500",
        },
    )

    assert response.status_code == 302
    after = active(session, world.fin)  # propagated by the (eager) task
    assert after.id != before.id and after.preceding_id == before.id
    assert float(after.pcf_kg) > float(before.pcf_kg)


def test_a_bad_phone_form_shows_the_error_at_the_field_and_writes_nothing(client, session, world):
    login(client, session, world.s2_floor)
    before = session.scalar(select(func.count()).select_from(ActivityRecord))

    response = post_month(
        client,
        world,
        "02",
        {
            "energy.natural_gas.quantity": "10",
            "energy.natural_gas.unit": "L",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="e-energy-natural_gas-unit"' in text and "L does not fit this fuel" in text

    response = post_month(
        client,
        world,
        "02",
        {
            "outputs.2.part_id": world.fin.id,
            "outputs.2.quantity": "5",
        },
    )
    assert response.status_code == 422
    assert 'id="e-outputs-2-part_id"' in response.get_data(as_text=True)

    response = post_month(
        client,
        world,
        "02",
        {
            "energy.natural_gas.quantity": "10",
            "energy.natural_gas.unit": "m3",
            "note": "x" * 600,
        },
    )
    assert response.status_code == 422
    assert 'id="e-note"' in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(ActivityRecord)) == before


def test_a_number_with_a_comma_is_refused_with_how_to_write_it_and_kept_to_correct(
    client, session, world
):
    login(client, session, world.s2_floor)
    before = session.scalar(select(func.count()).select_from(ActivityRecord))
    month = {
        "energy.electricity.quantity": "12,5",
        "energy.electricity.unit": "MWh",
        "outputs.0.part_id": world.pa.id,
        "outputs.0.quantity": "1,000",
    }

    english = post_month(client, world, "02", month)
    chinese = post_month(client, world, "02", month, headers={"Accept-Language": "zh"})

    text = english.get_data(as_text=True)
    said = "Not a valid number. Write it without commas, with a point for decimals: 1000 or 12.5."
    assert english.status_code == chinese.status_code == 422
    assert 'id="e-energy-electricity-quantity"' in text and 'id="e-outputs-0-quantity"' in text
    assert text.count(said) == 2 and 'value="12,5"' in text
    hint = "不是有效的数字。请不要用逗号，小数用小数点：1000 或 12.5。"
    assert chinese.get_data(as_text=True).count(hint) == 2
    assert session.scalar(select(func.count()).select_from(ActivityRecord)) == before


def test_the_phone_form_asks_to_confirm_a_month_with_energy_and_no_output(client, session, world):
    login(client, session, world.s2_floor)
    before = session.scalar(select(func.count()).select_from(ActivityRecord))
    energy = {"energy.electricity.quantity": "700", "energy.electricity.unit": "kWh"}
    form = client.get(ACTIVITY_FORM, headers={"Accept-Language": "zh-CN"})
    assert 'name="no_output"' in form.get_data(as_text=True)

    response = post_month(client, world, "04", energy, headers={"Accept-Language": "zh-CN"})

    text = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="e-no_output"' in text
    assert "填写了能源但没有产出" in text
    assert session.scalar(select(func.count()).select_from(ActivityRecord)) == before
    confirmed = post_month(client, world, "04", energy | {"no_output": "1"})
    assert confirmed.status_code == 302
    assert session.scalar(select(func.count()).select_from(ActivityRecord)) == before + 1


def test_the_anchor_sees_the_footprint_with_tier_shares_but_not_hidden_suppliers(
    client, session, world
):
    login(client, session, world.carbon)
    fin = active(session, world.fin)

    overview = client.get(f"/carbon/?year={YEAR}").get_data(as_text=True)
    page = client.get(f"/carbon/footprints/{fin.id}")
    text = page.get_data(as_text=True)

    assert "FIN-1" in overview
    assert page.status_code == 200 and "SteelTwo" in text and "HiddenTwo" not in text
    deep = re.search(r"data-deep-share>([^<]+)<", text).group(1)
    assert deep.strip().startswith("5")  # about 55 % from tier 2
    hidden = active(session, world.pb)
    assert client.get(f"/carbon/footprints/{hidden.id}").status_code == 404
    assert client.get(f"/carbon/footprints/{fin.id}/pact/3").get_json()["id"] == fin.pf_id


def test_the_anchors_scope_3_estimate_is_quantity_times_footprint(client, session, world):
    purchase(session, world.anchor, world.t1, world.fin, "100", date(YEAR, 3, 1))
    session.commit()
    login(client, session, world.carbon)

    text = client.get(f"/carbon/reports/scope3?year={YEAR}").get_data(as_text=True)

    expected = 100 * float(active(session, world.fin).pcf_kg) / 1000
    shown = float(re.search(r"data-scope3-total>([\d.,]+)", text).group(1).replace(",", ""))
    assert shown == pytest.approx(expected, abs=0.001)
    assert 'data-tier="2"' in text


@pytest.mark.parametrize(
    "path",
    [
        "/carbon/reports/intensity",
        "/carbon/reports/missing",
        "/carbon/admin/factors",
        "/carbon/footprints",
        "/carbon/admin/pact-clients",
        "/carbon/declare/",
        "/carbon/declare/pact",
    ],
)
def test_the_carbon_pages_open_for_the_anchor(client, session, world, path):
    login(client, session, world.carbon)
    response = client.get(f"{path}?year={YEAR}" if "?" not in path else path)
    assert response.status_code == 200


def test_pact_credentials_are_shown_once(client, session, world):
    login(client, session, world.carbon)
    response = client.post(
        "/carbon/admin/pact-clients",
        data={"csrf_token": csrf_token(client, "/carbon/admin/pact-clients"), "name": "ESG"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200, text[-3000:]
    assert 'id="new-client-secret"' in text
    assert 'id="new-client-secret"' not in client.get("/carbon/admin/pact-clients").get_data(
        as_text=True
    )


def test_the_api_records_activity_and_gives_a_breakdown_without_hidden_identities(
    client, session, world
):
    headers = bearer(session, email_of(session, world.s2_floor))
    month = {
        "site_id": world.s2_site.id,
        "month": f"{YEAR}-03",
        "energy": {"electricity": {"quantity": "900"}},
    }
    before = client.get("/api/v1/carbon/activity", headers=headers).get_json()
    unconfirmed = client.post("/api/v1/carbon/activity", headers=headers, json=month)
    assert unconfirmed.status_code == 422
    assert list(unconfirmed.get_json()["errors"]) == ["no_output"]
    assert client.get("/api/v1/carbon/activity", headers=headers).get_json() == before
    created = client.post(
        "/api/v1/carbon/activity", headers=headers, json=month | {"no_output": True}
    )
    assert created.status_code == 201 and created.get_json()["energy"][0]["entered_unit"] == "kWh"
    this_year = client.get(f"/api/v1/carbon/activity?year={YEAR}", headers=headers).get_json()
    assert created.get_json()["id"] in {record["id"] for record in this_year}
    assert client.get(f"/api/v1/carbon/activity?year={YEAR - 1}", headers=headers).get_json() == []
    bad = client.post(
        "/api/v1/carbon/activity",
        headers=headers,
        json={
            "site_id": world.s2_site.id,
            "month": f"{YEAR}-04",
            "energy": {"electricity": {"quantity": "-1"}},
        },
    )
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {"energy.electricity.quantity": ["Must not be negative."]}

    anchor = bearer(session, email_of(session, world.carbon))
    fin = active(session, world.fin)
    detail = client.get(f"/api/v1/carbon/footprints/{fin.id}", headers=anchor).get_json()
    assert {b["kind"] for b in detail["bars"]} >= {"scope2", "input", "withheld"}
    assert world.pb.id not in {i["part_id"] for i in detail["calc"]["inputs"]}
    named = {n["org_id"] for tier in detail["tiers"] for n in tier["named"]}
    assert world.h2.id not in named and world.s2.id in named
    listed = client.get(f"/api/v1/carbon/footprints?year={YEAR}", headers=anchor).get_json()
    assert world.h2.id not in {f["org_id"] for f in listed}
    assert client.get("/api/v1/carbon/factors", headers=anchor).status_code == 200


def test_a_footprint_pact_v2_cannot_take_says_why_instead_of_offering_the_link(
    client, session, world
):
    declared = active(session, world.pb)  # 2025, no data quality ratings: PACT v2 needs them
    login(client, session, world.h2_admin)
    v2 = f"/carbon/footprints/{declared.id}/pact/2"

    english = client.get(f"/carbon/footprints/{declared.id}").get_data(as_text=True)
    chinese = client.get(
        f"/carbon/footprints/{declared.id}", headers={"Accept-Language": "zh-CN"}
    ).get_data(as_text=True)

    for page in (english, chinese):
        assert f'href="{v2}"' not in page
        assert f'href="/carbon/footprints/{declared.id}/pact/3"' in page
        assert 'data-pact-missing="pcf.dqi"' in page
    assert "This footprint cannot be exported as PACT v2." in english
    assert "The data quality ratings (technological, temporal, geographical)" in english
    assert "此碳足迹无法导出为 PACT v2。" in chinese and "缺少数据质量评级" in chinese

    refused = client.get(v2, headers={"Accept-Language": "zh-CN"})
    assert refused.status_code == 422 and refused.mimetype == "application/json"
    body = refused.get_json()
    assert body["code"] == "validation_error"
    assert body["message"] == "此碳足迹无法导出为 PACT v2。"
    assert body["errors"]["pcf.dqi"][0].startswith("缺少数据质量评级")


def test_the_api_names_the_missing_data_of_a_footprint_pact_cannot_take(client, session, world):
    declared = active(session, world.pb)
    headers = bearer(session, email_of(session, world.h2_admin))

    refused = client.get(f"/api/v1/carbon/footprints/{declared.id}/pact?version=2", headers=headers)

    assert refused.status_code == 422
    assert refused.get_json() == {
        "code": "validation_error",
        "message": "This footprint cannot be exported as PACT v2.",
        "errors": {
            "pcf.dqi": [
                "The data quality ratings (technological, temporal, geographical) are missing.",
                "Required for reference periods that include 2025 or later.",
            ]
        },
    }
    shown = client.get(f"/api/v1/carbon/footprints/{declared.id}/pact?version=3", headers=headers)
    assert shown.status_code == 200 and shown.get_json()["id"] == declared.pf_id


@pytest.mark.parametrize("path", ["/api/v1/carbon/scope3", "/api/v1/carbon/footprints"])
def test_a_year_no_calendar_has_is_refused_at_its_field(client, session, world, path):
    headers = bearer(session, email_of(session, world.carbon))

    response = client.get(f"{path}?year=99999999999", headers=headers)

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["year"]


def test_an_unknown_fuel_in_the_api_names_the_fuels_it_takes_and_records_nothing(
    client, session, world
):
    headers = bearer(session, email_of(session, world.s2_admin))
    before = client.get("/api/v1/carbon/activity", headers=headers).get_json()
    month = {
        "site_id": world.s2_site.id,
        "month": f"{YEAR}-05",
        "energy": {"coal": {"quantity": "3", "unit": "t"}},
        "no_output": True,
    }

    english = client.post("/api/v1/carbon/activity", headers=headers, json=month)
    chinese = client.post(
        "/api/v1/carbon/activity", headers=headers | {"Accept-Language": "zh"}, json=month
    )

    fuels = "electricity, natural_gas, diesel, gasoline, steam"
    assert english.status_code == 422
    assert english.get_json()["errors"] == {
        "energy.coal": [f"Not a fuel we know. Use one of: {fuels}."]
    }
    assert chinese.get_json()["errors"] == {"energy.coal": [f"未知的能源种类。可用：{fuels}。"]}
    assert client.get("/api/v1/carbon/activity", headers=headers).get_json() == before


@pytest.mark.parametrize(
    "path", ["/carbon/", "/carbon/footprints", "/carbon/reports/scope3", "/carbon/reports/missing"]
)
@pytest.mark.parametrize("year", ["abc", "1999", "99999999999", "２０２６", "2" * 5000])
def test_a_page_asked_for_no_year_of_reporting_says_so_instead_of_showing_this_year(
    client, session, world, path, year
):
    login(client, session, world.carbon)
    client.get("/lang/zh_Hans_CN")

    response = client.get(f"{path}?year={year}")

    assert response.status_code == 422
    assert "请填写 2000 至" in response.get_data(as_text=True)
    assert client.get(f"{path}?year=").status_code == 200


def test_a_footprints_site_breakdown_names_its_allocation_in_the_readers_language(
    client, session, world
):
    login(client, session, world.s2_admin)
    made = active(session, world.px)

    chinese = client.get(f"/carbon/footprints/{made.id}", headers={"Accept-Language": "zh-CN"})
    english = client.get(f"/carbon/footprints/{made.id}", headers={"Accept-Language": "en"})

    assert "分配方式 按质量" in chinese.get_data(as_text=True)
    assert "allocated by mass" in english.get_data(as_text=True)

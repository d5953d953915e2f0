"""Declaring, importing, factors, allocation and the full roll-up, through the pages and API."""

from __future__ import annotations

import io
import json

from sqlalchemy import select

from models import jobs
from models.carbon.entities import EmissionFactor, ProductFootprint
from models.carbon.factors import record_factor
from models.carbon.settings import allocation_method
from models.clock import local_today
from tests.helpers import bearer, csrf_token
from tests.integration.carbon.builders import YEAR, organisation, part, person
from tests.unit.carbon.samples import V3_SAMPLE
from tests.web.carbon.test_carbon_pages import active, email_of, login


def test_a_supplier_declares_a_footprint_on_the_form_and_its_buyers_follow(client, session, world):
    login(client, session, world.h2_admin)
    token = csrf_token(client, "/carbon/declare/")
    refused = client.post(
        "/carbon/declare/",
        data={"csrf_token": token, "part_id": world.pb.id, "year": YEAR, "pcf_kg": "-2"},
    )
    assert refused.status_code == 422 and "Must not be negative." in refused.get_data(as_text=True)

    response = client.post(
        "/carbon/declare/",
        data={
            "csrf_token": token,
            "part_id": world.pb.id,
            "year": YEAR,
            "pcf_kg": "6",
            "primary_data_share": "70",
        },
    )

    assert response.status_code == 302
    assert float(active(session, world.pb).pcf_kg) == 6
    assert float(active(session, world.fin).inputs_kg) > 18  # 3 x 6 from PB, plus PA
    page = client.get(f"/carbon/footprints/{active(session, world.pb).id}",
                      headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)  # fmt: skip
    assert "由制造方通过 网页表单 申报。" in page


def test_a_pact_file_is_uploaded_for_a_part(client, session, world):
    housing = part(session, world.s2, "HSG-WEB", "2", supplier=None)
    session.commit()
    login(client, session, world.s2_admin)
    token = csrf_token(client, "/carbon/declare/pact")

    bad = client.post(
        "/carbon/declare/pact",
        data={
            "csrf_token": token,
            "part_id": housing.id,
            "file": (io.BytesIO(b'{"specVersion": "9.0.0"}'), "x.json"),
        },
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "specVersion" in bad.get_data(as_text=True)

    good = client.post(
        "/carbon/declare/pact",
        data={
            "csrf_token": token,
            "part_id": housing.id,
            "file": (io.BytesIO(json.dumps(V3_SAMPLE).encode()), "pf.json"),
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    found = session.scalar(select(ProductFootprint).where(ProductFootprint.part_id == housing.id))
    assert found.pact_document == V3_SAMPLE and float(found.pcf_kg) == 19.6


def test_the_anchor_adds_a_factor_version_on_the_page(client, session, world):
    login(client, session, world.carbon)
    token = csrf_token(client, "/carbon/admin/factors")
    bad = client.post(
        "/carbon/admin/factors",
        data={
            "csrf_token": token,
            "fuel": "diesel",
            "region": "*",
            "year": "2024",
            "value": "x",
            "source": "test",
        },
    )
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.get_data(as_text=True)

    good = client.post(
        "/carbon/admin/factors",
        data={
            "csrf_token": token,
            "fuel": "diesel",
            "region": "*",
            "year": "2006",
            "value": "2.70",
            "source": "site measurement (test)",
        },
    )

    assert good.status_code == 302
    versions = session.scalars(
        select(EmissionFactor.version).where(
            EmissionFactor.fuel == "diesel", EmissionFactor.year == 2006
        )
    ).all()
    assert sorted(versions) == [1, 2]


def test_an_anchors_own_factor_version_is_not_shown_to_another_anchor(client, session, world):
    other, _ = organisation(session, "anchor", "OtherAnchorWeb", "north_china")
    other_carbon = person(session, other, "carbon", "carbon@other-anchor-web.test")
    data = {"fuel": "steam", "region": "*", "year": 2015, "source": "own meter (test)"}
    theirs = record_factor(session, other_carbon, data | {"value": "123.4"})
    session.commit()

    listed = client.get(
        "/api/v1/carbon/factors", headers=bearer(session, email_of(session, world.carbon))
    )
    steam = [f for f in listed.get_json() if f["fuel"] == "steam" and f["year"] == 2015]
    assert [f["owner_org_id"] for f in steam] == [None] and steam[0]["value"].startswith("296.37")
    login(client, session, world.carbon)
    assert client.get(f"/carbon/admin/factors/{theirs.id}").status_code == 404
    assert "123.4" not in client.get("/carbon/admin/factors").get_data(as_text=True)

    login(client, session, other_carbon)
    page = client.get("/carbon/admin/factors", headers={"Accept-Language": "zh-CN"})
    assert "123.4" in page.get_data(as_text=True)
    history = client.get(f"/carbon/admin/factors/{theirs.id}", headers={"Accept-Language": "zh-CN"})
    assert history.status_code == 200 and "OtherAnchorWeb" in history.get_data(as_text=True)


def test_a_supplier_may_not_edit_factors(client, session, world):
    headers = bearer(session, email_of(session, world.s2_admin))
    response = client.post(
        "/api/v1/carbon/factors",
        headers=headers,
        json={"fuel": "diesel", "region": "*", "year": 2024, "value": "2", "source": "mine"},
    )
    assert response.status_code == 403


def test_allocation_is_chosen_and_the_full_roll_up_runs_as_a_job(client, session, world):
    login(client, session, world.s2_admin)
    token = csrf_token(client, "/carbon/admin/factors")
    client.post(
        "/carbon/admin/settings", data={"csrf_token": token, "allocation_method": "quantity"}
    )
    assert allocation_method(session, world.s2.id) == "quantity"

    login(client, session, world.carbon)
    response = client.post(
        f"/carbon/admin/recompute?year={YEAR}",
        data={"csrf_token": csrf_token(client, "/carbon/admin/factors")},
    )
    assert response.status_code == 302
    (job,) = [j for j in jobs.recent_jobs(session, world.anchor.id) if j.kind == "footprint_rollup"]
    assert job.status == "succeeded" and job.result["year"] == YEAR
    assert active(session, world.px).calc["own"]["sites"][0]["allocation"] == "quantity"
    api = client.post(
        "/api/v1/carbon/rollup",
        json={"year": YEAR},
        headers=bearer(session, email_of(session, world.carbon)),
    )
    assert api.status_code == 202 and api.get_json()["kind"] == "footprint_rollup"


def test_a_chinese_reader_sees_the_published_factor_notes_in_chinese_and_own_ones_as_written(
    client, session, world
):
    note = "site meter, calibrated 2024 (test)"
    own = record_factor(
        session,
        world.carbon,
        {
            "fuel": "diesel",
            "region": "*",
            "year": 2006,
            "value": "2.7",
            "source": "own meter (test)",
            "note": note,
        },
    )
    session.commit()
    zh = {"Accept-Language": "zh-CN"}
    login(client, session, world.carbon)

    listed = client.get("/carbon/admin/factors", headers=zh).get_data(as_text=True)
    history = client.get(f"/carbon/admin/factors/{own.id}", headers=zh).get_data(as_text=True)
    english = client.get(f"/carbon/admin/factors/{own.id}").get_data(as_text=True)

    assert "假定密度" in listed and "density assumed" not in listed  # gasoline's published note
    assert "CO2 only" not in listed and "仅计 CO2" in listed
    assert note in listed and note in history
    assert "74.1 kgCO2/GJ × 43.0 GJ/t × 0.84 kg/L（假定密度）" in history  # v1, published
    assert "74.1 kgCO2/GJ x 43.0 GJ/t x 0.84 kg/L (density assumed)" in english
    factors = client.get(
        "/api/v1/carbon/factors", headers=bearer(session, email_of(session, world.carbon)) | zh
    ).get_json()
    steam = next(f for f in factors if f["fuel"] == "steam")
    assert steam["note"] == "0.11 tCO2/GJ × 2.694 GJ/t。" and "外购热力" in steam["source"]
    assert next(f for f in factors if f["fuel"] == "diesel")["note"] == note


def test_a_suppliers_roll_up_recomputes_its_own_chain_and_says_when_it_is_done(
    client, session, world
):
    """Not every organisation's footprints, not "recomputing" once finished, and the year
    defaults to this year on the product's clock (it was "year: Missing data ...")."""
    headers = bearer(session, email_of(session, world.s2_admin))

    response = client.post("/api/v1/carbon/rollup", json={"year": YEAR}, headers=headers)

    assert response.status_code == 202
    path = f"/api/v1/jobs/{response.get_json()['id']}"
    job = client.get(path, headers={**headers, "Accept-Language": "en"}).get_json()
    assert job["status"] == "succeeded"
    assert job["result"]["scope"] == "organisation" and job["result"]["org_id"] == world.s2.id
    assert job["result"]["targets"] == 3  # PA and PX that SteelTwo makes, FIN they go into
    done = (
        "Finished: 3 parts; footprints written: 0, unchanged: 3, declared by their maker: 0, "
        "without data: 0."
    )
    assert job["message"] == job["message_label"] == done
    chinese = client.get(path, headers={**headers, "Accept-Language": "zh"}).get_json()
    assert chinese["message_label"] == (
        "已完成：3 个零件；写入的碳足迹：0，未变：3，制造方申报的：0，无数据：0。"
    )
    this_year = client.post("/api/v1/carbon/rollup", json={}, headers=headers)
    assert this_year.status_code == 202
    (latest, *_) = jobs.recent_jobs(session, world.s2.id)
    session.refresh(latest)
    assert (
        latest.params == {"year": local_today().year}
        and latest.result["year"] == local_today().year
    )


def test_a_running_roll_up_stays_on_the_factors_page_after_other_jobs_of_the_anchor(
    client, session, world
):
    rollup = jobs.create_job(session, world.carbon, "footprint_rollup", {"year": YEAR})
    for _ in range(5):
        jobs.create_job(session, world.carbon, "containment", {})
    session.commit()
    login(client, session, world.carbon)

    page = client.get("/carbon/admin/factors").get_data(as_text=True)

    assert f'data-job-url="/api/v1/jobs/{rollup.id}"' in page


def test_asking_again_for_a_roll_up_still_queued_follows_it_and_another_year_gets_its_own(
    client, session, world
):
    queued = jobs.create_job(session, world.carbon, "footprint_rollup", {"year": YEAR})
    session.commit()
    headers = bearer(session, email_of(session, world.carbon))

    again = client.post("/api/v1/carbon/rollup", json={"year": YEAR}, headers=headers)
    other = client.post("/api/v1/carbon/rollup", json={"year": YEAR - 1}, headers=headers)
    login(client, session, world.carbon)
    client.post(
        f"/carbon/admin/recompute?year={YEAR}",
        data={"csrf_token": csrf_token(client, "/carbon/admin/factors")},
    )

    assert again.status_code == 202 and again.get_json()["id"] == queued.id
    assert other.status_code == 202 and other.get_json()["id"] != queued.id
    rollups = [
        j for j in jobs.recent_jobs(session, world.anchor.id) if j.kind == "footprint_rollup"
    ]
    assert sorted(j.params["year"] for j in rollups) == [YEAR - 1, YEAR]


def test_a_roll_up_of_a_year_not_begun_is_refused_and_queues_nothing(client, session, world):
    next_year = local_today().year + 1
    headers = bearer(session, email_of(session, world.carbon)) | {"Accept-Language": "zh"}

    api = client.post("/api/v1/carbon/rollup", json={"year": next_year}, headers=headers)
    login(client, session, world.carbon)
    page = client.post(
        f"/carbon/admin/recompute?year={next_year}",
        data={"csrf_token": csrf_token(client, "/carbon/admin/factors")},
        follow_redirects=True,
    )

    assert api.status_code == 422
    assert api.get_json()["errors"] == {"year": ["该年度尚未开始。"]}
    assert "The year has not started yet." in page.get_data(as_text=True)
    assert not [
        j for j in jobs.recent_jobs(session, world.anchor.id) if j.kind == "footprint_rollup"
    ]

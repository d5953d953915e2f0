"""The audit trail page and API: an admin reads every write made in its organisation's name."""

from __future__ import annotations

import pytest

from models.orders.parts import define_part
from tests.helpers import sign_in
from tests.integration.trace.builders import PASSWORD, add_user, build_network
from tests.web.browser import sign_in_page


@pytest.fixture
def net(app, session):
    net = build_network(session)
    define_part(session, net.actor("seats"), {"part_number": "SEAT-AUDIT", "name_zh": "审计座椅",
                                              "unit": "pcs", "mass_kg": "2"})  # fmt: skip
    define_part(session, net.actor("brakes"), {"part_number": "BRAKE-AUDIT", "name_zh": "审计",
                                               "unit": "pcs", "mass_kg": "1"})  # fmt: skip
    session.commit()
    return net


def _client(app, email):
    client = app.test_client()
    sign_in(client, email, PASSWORD)
    return client


def test_an_admin_reads_its_own_organisations_writes_in_both_languages(app, net):
    client = _client(app, net.email("seats"))
    english = client.get("/audit/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "part.create" in english and "Part" in english and "Web page" in english
    assert "BRAKE-AUDIT" not in english
    chinese = client.get("/audit/?kind=part", headers={"Accept-Language": "zh"})
    page = chinese.get_data(as_text=True)
    assert chinese.status_code == 200 and "审计日志" in page and "零件" in page
    assert "sharing.accept" not in page


def test_the_api_pages_the_trail_and_keeps_other_organisations_out(app, net):
    client = _client(app, net.email("seats"))
    body = client.get("/api/v1/audit?kind=part").get_json()
    assert [row["action"] for row in body] == ["part.create"]
    assert body[0]["user_email"] == net.email("seats") and body[0]["entity"] == "part"
    everything = client.get("/api/v1/audit?page_size=1")
    assert len(everything.get_json()) == 1
    assert int(everything.headers["X-Pagination"].split('"total": ')[1].split(",")[0]) > 1


def test_an_unknown_kind_is_refused_with_a_clear_message(app, net):
    client = _client(app, net.email("seats"))
    answer = client.get("/api/v1/audit?kind=nonsense", headers={"Accept-Language": "en"})
    assert answer.status_code == 422
    assert "Choose one of the kinds of record listed." in answer.get_data(as_text=True)
    page = client.get("/audit/?kind=nonsense", headers={"Accept-Language": "en"})
    assert page.status_code == 422
    assert "Choose one of the kinds of record listed." in page.get_data(as_text=True)


def test_only_admins_may_read_the_trail(app, session, net):
    add_user(session, net.orgs["seats"], "viewer@seats.test", "viewer")
    session.commit()
    client = _client(app, "viewer@seats.test")
    assert client.get("/audit/").status_code == 403
    assert client.get("/api/v1/audit").status_code == 403


@pytest.mark.browser
def test_the_trail_fits_a_phone_in_both_languages(live_server, phone):
    with live_server.database.unit_of_work() as session:
        net = build_network(session)
        long = "A-VERY-LONG-PART-NUMBER-WITHOUT-ANY-BREAK-" * 3
        define_part(session, net.actor("seats"), {"part_number": long[:60], "name_zh": "长零件",
                                                  "unit": "pcs", "mass_kg": "1"})  # fmt: skip
        email = net.email("seats")
    for locale, title in (("en-US", "Audit trail"), ("zh-CN", "审计日志")):
        page = phone(locale=locale)
        sign_in_page(page, live_server.url, email, PASSWORD, "/audit/")
        page.wait_for_selector("table.cards")
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == title
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

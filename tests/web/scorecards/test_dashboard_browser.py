"""In a real browser at 360 x 740: the anchor's dashboard fits a phone, draws its tree and
trends, and refreshes by itself after a supplier reports from its phone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.base import utcnow
from models.scorecards.recompute import recompute
from tests.integration.scorecards.builders import PASSWORD, line, network, report
from tests.web.browser import sign_in_page
from worker.tasks.scorecards import sweep_scorecard_facts

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_server):
    with live_server.database.unit_of_work() as session:
        net = network(session)
        now = utcnow()
        placed = line(session, net.anchor, net.t1, due=now.date() + timedelta(days=3))
        report(session, placed, 10, now - timedelta(days=6))
        line(session, net.t1, net.t2, due=now.date() + timedelta(days=9))
        recompute(session, now=now)
        tag = net.anchor.name_en.split()[-1]
        return {"tag": tag, "line": placed.id, "t1": net.t1.name_en}


def test_the_dashboard_fits_a_phone_and_follows_a_phone_report(live_server, phone, world):
    anchor = phone(locale="en-US")
    sign_in_page(
        anchor, live_server.url, f"admin{world['tag']}@anchor.test", PASSWORD, "/dashboard"
    )
    anchor.wait_for_selector("#sc-tree canvas")
    anchor.wait_for_selector("#sc-trend canvas")
    assert anchor.evaluate("document.documentElement.scrollWidth") <= 360
    coverage = anchor.locator(".sc-tiles [data-kpi=coverage] .value")
    assert coverage.inner_text().strip() == "0 %"

    floor = phone(locale="zh-CN")
    sign_in_page(
        floor,
        live_server.url,
        f"floor{world['tag']}@t1.test",
        PASSWORD,
        f"/orders/lines/{world['line']}/report",
    )
    floor.get_by_text("生产中", exact=True).click()
    floor.locator("#f-quantity_done").fill("42")
    floor.locator(".o-submit").click()
    floor.locator(".o-done-banner").wait_for()

    sweep_scorecard_facts.delay()  # beat's sweep (or the report view's own request)
    anchor.wait_for_function(
        "document.querySelector('.sc-tiles [data-kpi=coverage] .value').innerText.trim() !== '0 %'",
        timeout=15_000,
    )
    assert coverage.inner_text().strip() == "50 %"  # its line is reported, the tier-2 line not


def test_a_kpi_name_and_its_definition_stack_on_a_phone(live_server, phone, world):
    anchor = phone(locale="en-US")
    sign_in_page(
        anchor, live_server.url, f"admin{world['tag']}@anchor.test", PASSWORD, "/dashboard"
    )
    anchor.wait_for_selector("#sc-tree canvas")
    anchor.get_by_role("link", name=world["t1"]).first.click()
    first = anchor.locator("table.sc-card tbody tr").first.locator("td").first
    name, definition = first.locator("strong"), first.locator("small")
    name_box, definition_box = name.bounding_box(), definition.bounding_box()
    # Side by side, "Reporting coverage" was squeezed into a narrow column and broken mid-word.
    assert definition_box["y"] >= name_box["y"] + name_box["height"] - 1
    assert name.inner_text().strip() == "Reporting coverage"
    assert name_box["height"] < 2 * 24  # one line, two at most

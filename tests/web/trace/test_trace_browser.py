"""In a real browser at 360 x 740: the genealogy chart, and opening an incident on a phone."""

from __future__ import annotations

import re

import pytest

from tests.integration.trace.builders import PASSWORD, build_network
from tests.web.browser import submit_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def lots(live_server):
    with live_server.database.unit_of_work() as session:
        net = build_network(session)
        return {"email": net.email("anchor"), **{n: lot.id for n, lot in net.lots.items()}}


def test_the_genealogy_chart_draws_and_fits_a_phone(live_server, phone, lots):
    page = phone(locale="en-US")
    page.goto(f"{live_server.url}/auth/login?next=/trace/lots/{lots['CAR-1']}?direction=up")
    submit_sign_in(page, lots["email"], PASSWORD)
    page.wait_for_selector(".trace-chart canvas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("[data-trace-view=graph]")
    assert page.get_attribute("[data-trace-view=graph]", "aria-pressed") == "true"
    page.wait_for_selector(".trace-chart canvas")
    assert "withheld by a tier-2 supplier" in page.inner_text(".trace-table")


def test_a_quality_engineer_opens_an_incident_and_sees_its_scope(live_server, phone, lots):
    page = phone(locale="en-US")
    page.goto(f"{live_server.url}/auth/login?next=/trace/incidents/new?lot={lots['STEEL-1']}")
    submit_sign_in(page, lots["email"], PASSWORD)
    page.fill("#f-title", "Cracked coil")
    page.select_option("#f-severity", "safety")
    page.click("form button[type=submit] >> text=Open the incident")
    page.wait_for_url(re.compile(r"/trace/incidents/\d+$"))
    text = page.inner_text("main")
    assert "Affected finished lots" in text and "CAR-1" in text and "Ore Tier Three" in text
    page.wait_for_selector(".trace-chart canvas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


#: The stroke of every symbol the tree drew, by node name (ECharts draws a leaf hollow: a white
#: fill inside a ring of the node's colour).
TREE_STROKES = """() => {
  const chart = echarts.getInstanceByDom(document.querySelector('.trace-chart'));
  const data = chart.getModel().getSeriesByIndex(0).getData();
  const strokes = {};
  for (let i = 0; i < data.count(); i++) {
    const el = data.getItemGraphicEl(i);
    if (el && el.getSymbolPath) { strokes[data.getName(i)] = el.getSymbolPath().style.stroke; }
  }
  return strokes;
}"""


def test_the_tree_draws_raw_material_and_withheld_lots_visibly(live_server, phone, lots):
    page = phone(locale="en-US")
    page.goto(f"{live_server.url}/auth/login?next=/trace/lots/{lots['CAR-1']}?direction=up")
    submit_sign_in(page, lots["email"], PASSWORD)
    page.wait_for_selector(".trace-chart canvas")
    page.click("[data-trace-view=tree]")
    strokes = page.evaluate(TREE_STROKES)
    withheld = next(name for name in strokes if "withheld" in name)
    assert {"ORE-1", "SEAT-1", withheld} <= strokes.keys()
    invisible = {name for name, stroke in strokes.items() if stroke in ("#fff", "#ffffff", None)}
    assert invisible == set(), strokes

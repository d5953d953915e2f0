"""In a real browser at 360 x 740: a characteristic's charts show their control limits, and the
quality tables fit the phone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.demo import DEMO_PASSWORD, seed_demo
from models.quality.entities import Characteristic
from tests.web.browser import sign_in_page

pytestmark = pytest.mark.browser


def _demo_weld(live_server) -> int:  # type: ignore[no-untyped-def]
    """The demo data loaded; the id of the weld characteristic W01."""
    with live_server.database.unit_of_work() as session:
        seed_demo(session)
        return session.scalar(select(Characteristic.id).where(Characteristic.code == "W01"))


def _signed_in(live_server, phone, path: str, locale: str):  # type: ignore[no-untyped-def]
    """A phone page of the demo's quality engineer, signed in and sent on to ``path``."""
    page = phone(locale=locale)
    sign_in_page(page, live_server.url, "quality@changfeng.demo", DEMO_PASSWORD, path)
    return page


AXIS_OF = """(id) => {
  const chart = echarts.getInstanceByDom(document.getElementById(id));
  return chart.getModel().getComponent("yAxis").axis.scale.getExtent();
}"""


def test_both_charts_of_a_characteristic_show_their_limits_on_a_phone(live_server, phone):
    weld_id = _demo_weld(live_server)
    page = _signed_in(live_server, phone, f"/quality/characteristics/{weld_id}", "en-US")
    page.wait_for_selector("#dispersion-chart canvas")
    limits = page.evaluate("JSON.parse(document.getElementById('chart-data').textContent).limits")
    low, high = page.evaluate(AXIS_OF, "dispersion-chart")
    assert low <= limits["dispersion_center"] <= high
    assert high >= limits["dispersion_ucl"]
    assert low >= 0  # a range or a standard deviation is never negative
    low, high = page.evaluate(AXIS_OF, "control-chart")
    assert low <= limits["lcl"] and limits["ucl"] <= high


WIDEST_TABLE = """() => Math.max(...[...document.querySelectorAll("main table")].map(
  (table) => table.getBoundingClientRect().right))"""


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_capability_and_statistics_tables_fit_a_phone_without_sideways_scrolling(
    live_server, phone, locale
):
    weld_id = _demo_weld(live_server)
    page = _signed_in(live_server, phone, "/quality/characteristics", locale)
    page.wait_for_selector("table.q-capability")
    page.wait_for_load_state("load")  # measured with the style sheet applied, not before

    assert page.evaluate(WIDEST_TABLE) <= 360
    assert page.locator("table.q-capability td[data-label=Cpk]").first.is_visible()
    page.goto(f"{live_server.url}/quality/characteristics/{weld_id}")
    page.wait_for_selector("table.q-stats")
    assert page.evaluate(WIDEST_TABLE) <= 360


NAME_LINES = """() => [...document.querySelectorAll("main tbody td:first-child a")].map((link) => {
  const line = parseFloat(getComputedStyle(link).lineHeight);
  return { name: link.textContent, lines: Math.round(link.getBoundingClientRect().height / line) };
})"""


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_supplier_quality_overview_keeps_supplier_names_readable_on_a_phone(
    live_server, phone, locale
):
    """Six columns squeezed into 360 px stacked a supplier's name one character per line: on a
    phone each supplier is a card, its name on at most two lines, its figures labelled."""
    _demo_weld(live_server)
    page = _signed_in(live_server, phone, "/quality/", locale)
    page.wait_for_selector("main tbody td:first-child a")
    page.wait_for_load_state("load")

    names = page.evaluate(NAME_LINES)
    assert len(names) >= 3
    assert all(name["lines"] <= 2 for name in names), names
    assert page.evaluate(WIDEST_TABLE) <= 360
    ppm = page.locator("main tbody td:nth-child(2)").first
    assert ppm.is_visible() and ppm.get_attribute("data-label")


LIMIT_LABELS = """(id) => {
  const text = JSON.parse(document.getElementById("chart-text").textContent);
  const names = [text.ucl, text.center, text.lcl, text.usl, text.lsl];
  const chart = echarts.getInstanceByDom(document.getElementById(id));
  const found = [];
  chart.getZr().storage.getDisplayList(true).forEach((el) => {
    const said = el.style && el.style.text;
    if (typeof said !== "string" || el.ignore || el.invisible) { return; }
    if (!names.some((name) => said.startsWith(name + " "))) { return; }
    const box = el.getBoundingRect().clone();
    box.applyTransform(el.getComputedTransform());
    found.push({ text: said, x: box.x, y: box.y, width: box.width, height: box.height });
  });
  return found;
}"""


def _overlap(one: dict, two: dict) -> bool:
    return (
        one["x"] < two["x"] + two["width"]
        and two["x"] < one["x"] + one["width"]
        and one["y"] < two["y"] + two["height"]
        and two["y"] < one["y"] + one["height"]
    )


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_control_limit_labels_do_not_overlap_when_the_specification_is_much_wider(
    live_server, phone, locale
):
    """Control limits a few pixels apart on an axis that spans wide specification limits:
    the UCL, centre line, LCL, USL and LSL labels are all inside the chart, none on another."""
    with live_server.database.unit_of_work() as session:
        seed_demo(session)
        weld = session.scalar(select(Characteristic).where(Characteristic.code == "W01"))
        weld.lsl, weld.usl = 0.0, 60.0
        weld_id = weld.id
    page = _signed_in(live_server, phone, f"/quality/characteristics/{weld_id}", locale)
    page.wait_for_selector("#control-chart canvas")

    labels = page.evaluate(LIMIT_LABELS, "control-chart")

    assert len(labels) == 5, labels  # UCL, CL, LCL and the specification limits
    chart = page.locator("#control-chart").bounding_box()
    for index, label in enumerate(labels):
        assert label["x"] >= 0 and label["x"] + label["width"] <= chart["width"], label
        assert label["y"] >= 0 and label["y"] + label["height"] <= chart["height"], label
        for other in labels[index + 1 :]:
            assert not _overlap(label, other), (label, other)


AXIS_LABELS = """(id) => echarts.getInstanceByDom(document.getElementById(id)).getModel()
  .getComponent("yAxis").axis.getViewLabels().map((label) => label.formattedLabel)"""


def _significant(label: str) -> int:
    return len(label.replace(",", "").replace("-", "").replace(".", "").strip("0"))


def test_the_axis_ends_of_both_charts_are_labelled_in_round_numbers(live_server, phone):
    """The axis ends are padded around the data: unrounded, they read 0.411515."""
    weld_id = _demo_weld(live_server)
    page = _signed_in(live_server, phone, f"/quality/characteristics/{weld_id}", "en-US")
    page.wait_for_selector("#dispersion-chart canvas")

    for chart in ("control-chart", "dispersion-chart"):
        labels = page.evaluate(AXIS_LABELS, chart)
        assert labels and all(_significant(label) <= 4 for label in labels), (chart, labels)

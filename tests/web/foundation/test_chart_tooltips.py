"""Chart tooltips show what suppliers typed as text: a name or lot number that is HTML does not
run in the anchor's browser."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.demo import DEMO_PASSWORD, seed_demo
from models.orgs.entities import Organisation
from models.quality.entities import Characteristic
from tests.web.browser import sign_in_page

pytestmark = pytest.mark.browser

PAYLOAD = 'X<img src=x onerror="window.__ran = true">'

SHOW_EVERY_TIP = """async (id) => {
  const chart = echarts.getInstanceByDom(document.getElementById(id));
  const tips = [];
  for (let i = 0; i < 40; i++) {
    chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: i });
    await new Promise((done) => setTimeout(done, 50));
    const box = [...document.querySelectorAll("div")].find(
      (el) => el.style.zIndex === "9999999" && el.style.display !== "none");
    if (box) { tips.push(box.textContent); }
  }
  await new Promise((done) => setTimeout(done, 300));
  return { tips, ran: window.__ran === true };
}"""


def test_a_supplier_name_in_the_tier_tree_tooltip_is_text(live_server, phone):
    with live_server.database.unit_of_work() as session:
        seed_demo(session)
        ningyuan = Organisation.name_en.like("Ningyuan%")
        supplier = session.scalar(select(Organisation).where(ningyuan))
        supplier.name_en = supplier.name_zh = PAYLOAD
    page = phone(locale="en-US")
    sign_in_page(page, live_server.url, "admin@changfeng.demo", DEMO_PASSWORD, "/dashboard")
    page.wait_for_selector("#sc-tree canvas")

    shown = page.evaluate(SHOW_EVERY_TIP, "sc-tree")

    assert any(PAYLOAD in tip for tip in shown["tips"])
    assert shown["ran"] is False


def test_a_lot_number_in_the_control_chart_tooltip_is_text(live_server, phone):
    with live_server.database.unit_of_work() as session:
        seed_demo(session)
        bore = session.scalar(select(Characteristic).where(Characteristic.code == "D01"))
        bore_id, part_id = bore.id, bore.part_id
    supplier = phone(locale="en-US")
    sign_in_page(supplier, live_server.url, "admin@hengtong.demo", DEMO_PASSWORD, "/")
    status = supplier.evaluate(
        """async ([part, characteristic, lot]) => {
          const token = document.querySelector("meta[name=csrf-token]").content;
          const response = await fetch("/api/v1/quality/inspections", {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRFToken": token },
            body: JSON.stringify({ part_id: part, lot_number: lot, characteristics: [
              { characteristic_id: characteristic, unit: "mm",
                measurements: [54.0, 54.01, 53.99, 54.0, 54.02] }] }),
          });
          return response.status;
        }""",
        [part_id, bore_id, PAYLOAD],
    )
    assert status == 201
    anchor = phone(locale="en-US")
    chart_page = f"/quality/characteristics/{bore_id}"
    sign_in_page(anchor, live_server.url, "quality@changfeng.demo", DEMO_PASSWORD, chart_page)
    anchor.wait_for_selector("#control-chart canvas")

    shown = anchor.evaluate(SHOW_EVERY_TIP, "control-chart")

    assert any(PAYLOAD in tip for tip in shown["tips"])
    assert shown["ran"] is False

"""The trace pages: search, genealogy, bulk look-up, incidents with scope, exports."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models.trace.entities import Incident
from models.trace.incidents import open_incident
from tests.helpers import csrf_token, sign_in
from tests.integration.trace.builders import PASSWORD, build_network, ship
from webapp.trace.labels import withheld_text


@pytest.fixture
def net(session):
    net = build_network(session)
    ship(net, "STEEL-1", "seats", 5000, received=5000, notice_number="ASN-77")
    ship(net, "SEAT-1", "anchor", 100, received=100)
    session.commit()
    return net


def login(client, net, org="anchor"):
    sign_in(client, net.email(org), PASSWORD)


def chart_of(html):
    match = re.search(r"data-trace-chart='([^']+)'", html)
    assert match, "no chart on the page"
    return json.loads(match.group(1).replace("&#34;", '"').replace("&#39;", "'"))


def test_search_finds_lots_by_number_prefix_order_and_ship_notice(client, net):
    login(client, net)
    page = client.get("/trace/?q=STEEL").get_data(as_text=True)
    assert "STEEL-1" in page and "STEEL-2" in page
    page = client.get("/trace/?q=steel").get_data(as_text=True)
    assert "STEEL-1" in page and "STEEL-2" in page
    page = client.get("/trace/?q=ASN-77").get_data(as_text=True)
    assert "STEEL-1" in page and "ship notice" in page
    page = client.get("/trace/?q=PO-SEAT-1-anchor").get_data(as_text=True)
    assert "SEAT-1" in page and "purchase order" in page


def test_a_lot_the_viewer_may_not_see_is_not_found(client, net):
    login(client, net)
    page = client.get("/trace/?q=PLAS-1").get_data(as_text=True)
    assert "Not found" in page and "PLAS-1</a>" not in page
    response = client.get(f"/trace/lots/{net.lot_id('PLAS-1')}")
    assert response.status_code == 404
    assert "does not exist, or its maker does not share" in response.get_data(as_text=True)
    assert client.get("/trace/lots/99999999").status_code == 404


def test_the_genealogy_page_has_chart_table_and_withheld_counts(client, net):
    login(client, net)
    page = client.get(f"/trace/lots/{net.lot_id('CAR-1')}?direction=up").get_data(as_text=True)
    assert "1 lot withheld by a tier-2 supplier" in page and "1 lots" not in page
    assert "PLAS-1" not in page and "ORE-1" in page
    chart = chart_of(page)
    names = {node["name"] for node in chart["nodes"]}
    assert {"CAR-1", "SEAT-1", "ORE-1"} <= names
    assert any(node["withheld"] for node in chart["nodes"])
    assert "/static/vendor/echarts/echarts.min.js" in page
    assert client.get("/trace/static/trace.js").status_code == 200


def test_withheld_counts_read_as_one_lot_or_several_lots(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert withheld_text(2, 1) == "1 lot withheld by a tier-2 supplier"
        assert withheld_text(3, 4) == "4 lots withheld by a tier-3 supplier"
        assert withheld_text(None, 1) == (
            "1 lot withheld by an organisation outside your supply tree"
        )
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert withheld_text(2, 1) == "1 个批次未公开（2 级供应商）"


def test_downstream_page_lists_finished_lots_and_shipments(client, net):
    login(client, net)
    page = client.get(f"/trace/lots/{net.lot_id('STEEL-1')}?direction=down").get_data(as_text=True)
    assert "CAR-1" in page and "ASN-77" in page and "Seats Tier One" in page


def test_the_pages_speak_chinese(client, net):
    login(client, net)
    client.get("/lang/zh_Hans_CN")
    page = client.get(f"/trace/lots/{net.lot_id('CAR-1')}?direction=up").get_data(as_text=True)
    assert "上游（投入）" in page and "个批次未公开（2 级供应商）" in page


def test_bulk_look_up_of_hundreds_of_numbers(client, net):
    login(client, net)
    numbers = ["STEEL-1", "CAR-1", "PLAS-1"] + [f"NOPE-{n}" for n in range(300)]
    token = csrf_token(client, "/trace/bulk")
    page = client.post(
        "/trace/bulk", data={"lot_numbers": "\n".join(numbers), "csrf_token": token}
    ).get_data(as_text=True)
    assert ">303<" in page and ">2<" in page and ">301<" in page
    missing = page.split('<article class="errors"')[1].split("</article>")[0]
    assert "NOPE-299" in missing and "PLAS-1" in missing and "STEEL-1" not in missing
    assert client.post("/trace/bulk", data={"lot_numbers": "X"}).status_code == 400
    empty = client.post("/trace/bulk", data={"lot_numbers": " ", "csrf_token": token})
    assert empty.status_code == 422 and "Paste at least one lot number" in empty.get_data(True)


def test_bulk_look_up_of_numbers_pasted_in_quotes(client, net):
    login(client, net)
    token = csrf_token(client, "/trace/bulk")
    pasted = '"STEEL-1"\r\n“CAR-1”\r\n「SEAT-1」\r\n"NOPE-1"'
    page = client.post("/trace/bulk", data={"lot_numbers": pasted, "csrf_token": token}).get_data(
        as_text=True
    )
    missing = page.split('<article class="errors"')[1].split("</article>")[0]
    assert "NOPE-1" in missing and '"NOPE-1"' not in missing and "&#34;NOPE-1" not in missing
    for number in ("STEEL-1", "CAR-1", "SEAT-1"):
        assert number not in missing and f"{number}</a>" in page


def test_a_bulk_selection_traces_several_lots_at_once(client, net):
    login(client, net)
    ids = f"lot={net.lot_id('STEEL-1')}&lot={net.lot_id('STEEL-2')}"
    page = client.get(f"/trace/genealogy?{ids}&direction=down").get_data(as_text=True)
    assert "CAR-1" in page and "CAR-2" in page


def open_incident_in_browser(client, net, lot="STEEL-1"):
    token = csrf_token(client, f"/trace/incidents/new?lot={net.lot_id(lot)}")
    return client.post(
        "/trace/incidents/new",
        data={
            "csrf_token": token,
            "lot_id": str(net.lot_id(lot)),
            "title": "Cracked coil",
            "severity": "safety",
            "description": "Found at assembly",
            "photos": (io.BytesIO(b"\x89PNG\r\n\x1a\n0000"), "crack.png", "image/png"),
        },
        content_type="multipart/form-data",
    )


def test_a_text_file_named_x_jpg_is_no_photo_in_either_language(client, net, session):
    login(client, net)
    client.get("/lang/zh_Hans_CN")
    token = csrf_token(client, f"/trace/incidents/new?lot={net.lot_id('STEEL-1')}")
    response = client.post(
        "/trace/incidents/new",
        data={"csrf_token": token, "lot_id": str(net.lot_id("STEEL-1")), "title": "Cracked",
              "severity": "safety", "description": "",
              "photos": (io.BytesIO(b"hello, I am text"), "x.jpg", "image/jpeg")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "x.jpg 不是照片：照片须为 JPEG、PNG、WebP 或 GIF 图像。" in page
    assert session.scalar(select(func.count()).select_from(Incident)) == 0


def test_opening_an_incident_shows_scope_notified_suppliers_and_exports(client, net, session):
    login(client, net)
    response = open_incident_in_browser(client, net)
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Affected finished lots" in detail and "CAR-1" in detail
    assert "Seats Tier One" in detail and "Steel Tier Two" in detail
    assert "Ore Tier Three" in detail and "data-trace-chart" in detail
    assert "crack.png" not in detail and "/photos/" in detail
    incident = session.scalar(select(Incident))
    csv_response = client.get(f"/trace/incidents/{incident.id}/containment.csv")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        csv_response.status_code == 200
        and "attachment" in csv_response.headers["Content-Disposition"]
    )
    assert "CAR-1" in csv_response.get_data(as_text=True)
    xlsx = client.get(f"/trace/incidents/{incident.id}/containment.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert "CAR-1" in [row[1] for row in sheet.iter_rows(values_only=True)]


def test_the_receiver_of_a_shipment_in_scope_is_named_in_the_readers_language(client, net):
    login(client, net)
    location = open_incident_in_browser(client, net).headers["Location"]
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, location)})
    login(client, net, "steel")
    assert "ASN-77 → Seats Tier One" in client.get(location).get_data(as_text=True)
    assert "ASN-77 → Seats Tier One" in client.get(f"{location}/containment.csv").text
    client.get("/lang/zh_Hans_CN")
    assert "ASN-77 → 座椅一级" in client.get(location).get_data(as_text=True)
    assert "ASN-77 → 座椅一级" in client.get(f"{location}/containment.csv").text


def test_the_supplier_answers_through_the_state_buttons(client, net, session):
    login(client, net)
    location = open_incident_in_browser(client, net).headers["Location"]
    token = csrf_token(client, location)
    client.post(f"{location}/actions", data={"action": "send", "csrf_token": token})
    client.post("/auth/logout", data={"csrf_token": token})
    login(client, net, "steel")
    page = client.get(location).get_data(as_text=True)
    assert 'value="acknowledge"' in page and 'value="send"' not in page
    token = csrf_token(client, location)
    client.post(f"{location}/actions", data={"action": "acknowledge", "csrf_token": token})
    page = client.get(f"{location}").get_data(as_text=True)
    client.post(f"{location}/actions", data={"action": "decline", "csrf_token": token})
    page = client.get(location).get_data(as_text=True)
    assert "Say why the incident is declined." in page
    session.expire_all()
    assert session.scalar(select(Incident.state)) == "acknowledged"


def test_a_button_pressed_on_a_stale_page_brings_the_incident_back_with_the_reason(
    client, net, session
):
    login(client, net)
    location = open_incident_in_browser(client, net).headers["Location"]
    token = csrf_token(client, location)
    client.post(f"{location}/actions", data={"action": "send", "csrf_token": token})
    again = client.post(f"{location}/actions", data={"action": "send", "csrf_token": token})
    assert again.status_code == 302 and again.headers["Location"].endswith(location)
    page = client.get(location).get_data(as_text=True)
    assert "not possible in the incident&#39;s current state" in page
    session.expire_all()
    assert session.scalar(select(Incident.state)) == "sent"


def test_an_unrelated_organisation_gets_404_for_the_incident(client, net, session):
    login(client, net)
    location = open_incident_in_browser(client, net).headers["Location"]
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, location)})
    login(client, net, "plastics")
    assert client.get(location).status_code == 404
    assert client.get(f"{location}/containment.csv").status_code == 404


def test_an_incident_on_an_invisible_lot_is_refused(client, net, session):
    login(client, net)
    assert client.get(f"/trace/incidents/new?lot={net.lot_id('PLAS-1')}").status_code == 404
    token = csrf_token(client, "/trace/incidents/")
    response = client.post(
        "/trace/incidents/new",
        data={"csrf_token": token, "lot_numbers": "PLAS-1", "title": "Bad", "severity": "minor"},
    )
    assert response.status_code == 422 and "No lot PLAS-1 that you may see" in response.get_data(
        True
    )
    assert session.scalar(select(func.count()).select_from(Incident)) == 0


def test_a_lot_id_no_lot_can_have_is_refused_on_its_field_not_a_server_error(client, net, session):
    login(client, net)
    steel = str(net.lot_id("STEEL-1"))
    # "²" is a digit to Python's isdigit but no number to int(); 2**64 no id a column holds.
    page = client.get(f"/trace/incidents/new?lot=%C2%B2&lot={2**64}&lot={steel}")
    assert page.status_code == 200 and "STEEL-1" in page.get_data(as_text=True)
    assert client.get(f"/trace/genealogy?lot=%C2%B2&lot={2**64}&lot={steel}").status_code == 200
    response = client.post(
        "/trace/incidents/new",
        data={"csrf_token": csrf_token(client, "/trace/incidents/"), "lot_id": str(2**64),
              "title": "Bad", "severity": "minor"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Number too large." in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Incident)) == 0


def test_adding_a_photo_to_an_incident_says_so_in_both_languages(client, net, session):
    login(client, net)
    detail = open_incident_in_browser(client, net).headers["Location"]
    incident = session.scalar(select(Incident))
    for language, said in (("en", "Photo added."), ("zh_Hans_CN", "照片已添加。")):
        client.get(f"/lang/{language}")
        response = client.post(
            f"/trace/incidents/{incident.id}/photos",
            data={"csrf_token": csrf_token(client, detail),
                  "photo": (io.BytesIO(b"\x89PNG\r\n\x1a\n0000"), "more.png", "image/png")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )  # fmt: skip
        assert response.status_code == 200 and said in response.get_data(as_text=True)


def test_incidents_past_the_first_fifty_are_on_the_next_page(client, net, session):
    actor = net.actor("anchor")
    for n in range(52):
        data = {"title": f"Crack {n:02d}", "severity": "minor", "lot_ids": [net.lot_id("STEEL-1")]}
        open_incident(session, actor, data)
    session.commit()
    login(client, net)

    first = client.get("/trace/incidents/?severity=minor").get_data(as_text=True)
    second = client.get("/trace/incidents/?severity=minor&page=2").get_data(as_text=True)

    def shown(page):
        return len(re.findall(r'href="/trace/incidents/\d+"', page))

    assert (shown(first), shown(second)) == (50, 2)
    assert 'href="/trace/incidents/?severity=minor&amp;page=2" rel="next"' in first
    assert "Crack 00" in second and "Crack 00" not in first and "Crack 51" in first

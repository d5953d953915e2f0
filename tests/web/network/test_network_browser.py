"""In a real browser at 360 x 740: an organisation with long unbroken names, industry and site
strings does not make its profile, the supplier list or its own /org/ (with a site's edit form
open) wider than the phone; removing a site asks first."""

from __future__ import annotations

import pytest

from models.accounts.operations import create_user
from models.actor import Actor
from models.orgs.bootstrap import add_member
from models.orgs.operations import add_site, create_organisation
from models.orgs.sharing import link_supplier
from tests.web.browser import sign_in_page
from tests.web.network.builders import PASSWORD, anchor, credit_code

pytestmark = pytest.mark.browser

LONG = "Supercalifragilistic" * 10  # 200 characters without a break


#: The page's width, or the widest table inside its scrolling wrapper (the cards of a phone).
WIDEST = """Math.max(document.documentElement.scrollWidth,
    ...[...document.querySelectorAll('.table-wrap')].map(wrap => wrap.scrollWidth))"""


@pytest.fixture
def world(live_server):
    with live_server.database.unit_of_work() as session:
        buyer, admin = anchor(session)
        org = create_organisation(
            session,
            Actor.system("cli"),
            "supplier",
            {
                "name_zh": LONG,
                "name_en": LONG,
                "credit_code": credit_code(40),
                "industry": "I" * 120,
            },
        )
        add_site(session, Actor.system("cli"), {"name": LONG, "address": "A" * 500}, org.id)
        link_supplier(session, Actor(admin.id, buyer.id, "admin"), buyer.id, org.id, {})
        add_member(session, org.id, create_user(session, "s@long.test", "S", PASSWORD), "admin")
        return org.id


def test_long_unbroken_text_fits_a_phone(live_server, phone, world):
    page = phone(locale="en-US")
    sign_in_page(page, live_server.url, "admin1@anchor.test", PASSWORD, f"/organisations/{world}")
    widths = {}
    for path in (f"/organisations/{world}", "/suppliers"):
        page.goto(f"{live_server.url}{path}")
        widths[path] = page.evaluate(WIDEST)
    own = phone(locale="zh-CN")
    sign_in_page(own, live_server.url, "s@long.test", PASSWORD, "/org/")
    widths["/org/"] = own.evaluate(WIDEST)
    own.click("details.site-edit summary")  # the site's edit form and remove button, opened
    widths["/org/ site form"] = own.evaluate(WIDEST)
    assert all(width <= 360 for width in widths.values()), widths


def test_removing_a_site_asks_first(live_server, phone, world):
    page = phone(locale="zh-CN")
    sign_in_page(page, live_server.url, "s@long.test", PASSWORD, "/org/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("details.site-edit summary")
    page.click("button:has-text('删除厂址')")
    assert asked == [f"确定删除厂址 {LONG} 吗？"]
    page.reload()
    assert page.locator("details.site-edit summary").count() == 1  # the site is still there


def test_a_site_added_then_the_page_reloaded_is_added_once(live_server, phone, world):
    page = phone(locale="en-US")
    sign_in_page(page, live_server.url, "s@long.test", PASSWORD, "/org/")
    page.fill("#f-site_name", "Tapped plant")
    button = page.locator("form:has(input[name=action][value=site]) button[type=submit]")
    with page.expect_navigation():
        button.click()
    page.wait_for_selector("text=The site was added.")
    page.reload()
    assert page.locator("text=Tapped plant").count() == 1


def test_the_sharing_chips_of_the_supplier_list_are_not_broken_inside_a_word(
    live_server, phone, world
):
    page = phone(locale="en-US")
    sign_in_page(page, live_server.url, "admin1@anchor.test", PASSWORD, "/suppliers")
    heights = page.evaluate(
        """[...document.querySelectorAll('.chip')].map(chip =>
            [chip.textContent, chip.getClientRects().length,
             chip.getBoundingClientRect().height
             / parseFloat(getComputedStyle(chip).lineHeight)])"""
    )
    assert heights and all(rects == 1 and lines < 1.5 for _, rects, lines in heights), heights


def test_the_people_page_shows_name_and_role_controls_within_a_phone(live_server, phone, world):
    with live_server.database.unit_of_work() as session:
        email = "odd.name+tag@example-company.com.cn"
        add_member(session, world, create_user(session, email, "欧阳娜娜", PASSWORD), "admin")
    page = phone(locale="zh-CN")
    sign_in_page(page, live_server.url, "s@long.test", PASSWORD, "/org/people")
    boxes = page.evaluate(
        """['td', 'select[name=role]', 'form[action*=role] button'].map(selector => {
            const box = document.querySelector('table ' + selector).getBoundingClientRect();
            return [selector, Math.round(box.right), Math.round(box.width)];
        })"""
    )
    assert all(right <= 360 for _, right, _ in boxes), boxes
    assert boxes[0][2] > 100, boxes  # the name's cell is not one character wide

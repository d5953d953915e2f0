"""A reporter only fills in its organisation's report forms (issue 3): progress, measurements,
carbon activity data and 8D answers, by page or API, plus its own account and notifications.
Every other page and API call is refused with 403 in the reader's language."""

from __future__ import annotations

import pytest

from models.accounts.operations import create_user
from models.i18n import Msg
from models.notify import notify
from models.orgs.bootstrap import add_member
from tests.helpers import bearer, sign_in
from tests.web.network.builders import PASSWORD, supplier

FORMS = [
    "/orders/report",
    "/orders/sheet",
    "/quality/measure/",
    "/carbon/activity/new",
    "/quality/8d/",
    "/notifications",
    "/auth/tokens",
    "/",
]
BEYOND = ["/org/", "/org/people", "/suppliers", "/orders/", "/dashboard", "/trace/", "/audit/"]


@pytest.fixture
def reporter(client, session):
    org, _admin = supplier(session, 61)
    user = create_user(session, "floor61@supplier.test", "Floor", PASSWORD)
    add_member(session, org.id, user, "reporter")
    session.commit()
    sign_in(client, user.email, PASSWORD)
    return user


def test_a_reporter_opens_its_report_forms(client, reporter):
    for path in FORMS:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Your role does not allow this action."), ("zh-CN", "您的角色无权执行此操作。")],
)
def test_a_reporter_is_refused_every_other_page_in_its_language(
    client, reporter, language, message
):
    for path in BEYOND:
        response = client.get(path, headers={"Accept-Language": language})
        assert response.status_code == 403, path
        assert message in response.get_data(as_text=True), path


def test_the_menu_lists_only_what_a_reporter_may_open(client, reporter):
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for offered in ("Report progress", "Enter measurements", "Enter carbon data", "8D cases"):
        assert offered in page
    for hidden in ("Supplier dashboard", "My organisation", "Suppliers", "Orders<"):
        assert hidden not in page


def test_a_reporters_token_reaches_the_report_api_only(client, session, reporter):
    token = bearer(session, reporter.email)
    for path in ("/api/v1/order-lines", "/api/v1/quality/inspections", "/api/v1/carbon/activity"):
        assert client.get(path, headers=token).status_code == 200, path
    for path in ("/api/v1/purchase-orders", "/api/v1/suppliers", "/api/v1/scorecards"):
        refused = client.get(path, headers=token)
        assert refused.status_code == 403, path
        assert refused.is_json


def test_an_admin_of_the_same_supplier_still_opens_everything(client, session):
    _org, admin = supplier(session, 62)
    sign_in(client, admin.email, PASSWORD)
    for path in ("/org/", "/org/people", "/suppliers", "/orders/"):
        assert client.get(path).status_code == 200, path


def test_a_reporters_notifications_link_only_to_what_it_may_open(client, session, reporter):
    """A notice of the organisation about an order is shown to its reporter as text: the link
    led to a 403 page. A link to a report form stays a link."""
    org_id = reporter.memberships[0].org_id
    notify(session, org_id, "order", Msg("PO-1 confirmed"), link="/orders/7")
    notify(session, org_id, "order", Msg("PO-2 to report"), link="/orders/report")
    session.commit()

    page = client.get("/notifications", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert 'href="/orders/7"' not in page and "PO-1" in page
    assert 'href="/orders/report"' in page

"""The e-mail outbox page shows a person the e-mails to them and, to an admin, those of the
organisation: an invitation link signs anyone up, so no other colleague reads it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.orgs.entities import Invitation
from tests.conftest import make_settings
from tests.helpers import csrf_token, sign_in
from tests.web.network.builders import PASSWORD, anchor, supplier
from tests.web.network.test_people import _colleague
from webapp.app import create_app


@pytest.fixture(params=["test", "demo"])
def any_mode_client(request, tmp_path, database):
    return create_app(make_settings(tmp_path, mode=request.param), database).test_client()


def _invite(client, **data):
    response = client.post("/api/v1/invitations", json=data, headers=_csrf(client))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _csrf(client):
    return {"X-CSRFToken": csrf_token(client, "/")}


def test_a_colleague_who_may_not_invite_does_not_read_invitation_links(any_mode_client, session):
    client = any_mode_client
    org, admin = anchor(session)
    _colleague(session, org, "viewer@anchor.test", "viewer")
    supplier(session, 2)
    sign_in(client, admin.email, PASSWORD)
    _invite(client, kind="colleague", email="new@anchor.test", role="admin")
    _invite(client, kind="supplier", email="boss@new.test", company_hint="新公司")
    tokens = session.scalars(select(Invitation.token)).all()
    client.post("/auth/forgot", data={"email": "admin2@supplier.test", **_form(client)})
    client.post("/auth/forgot", data={"email": "viewer@anchor.test", **_form(client)})

    admin_page = client.get("/outbox").get_data(as_text=True)
    assert all(token in admin_page for token in tokens)
    assert "viewer@anchor.test" not in admin_page and "admin2@supplier.test" not in admin_page

    client.post("/auth/logout", data=_form(client))
    sign_in(client, "viewer@anchor.test", PASSWORD)
    viewer_page = client.get("/outbox").get_data(as_text=True)
    assert not any(token in viewer_page for token in tokens)
    assert "new@anchor.test" not in viewer_page and "admin2@supplier.test" not in viewer_page
    assert "viewer@anchor.test" in viewer_page and "/auth/reset/" in viewer_page


def _form(client):
    return {"csrf_token": csrf_token(client, "/")}

"""Organisation names in flashes and invitation e-mails: in the reader's language, and a name
ending in a full stop does not end the sentence with two."""

from __future__ import annotations

from sqlalchemy import select

from models.notify import OutboxEmail
from models.orgs.bootstrap import add_member
from tests.helpers import csrf_token, sign_in
from tests.web.network.builders import PASSWORD, anchor, supplier
from tests.web.network.test_colleague_invitations import _invite

EN = {"Accept-Language": "en"}


def test_a_new_colleague_is_welcomed_with_the_english_name(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    token = _invite(client, "q@anchor.test", "viewer")
    joining = client.application.test_client()
    joining.post(
        f"/invite/{token}",
        headers=EN,
        data={
            "name": "Q",
            "password": PASSWORD,
            "csrf_token": csrf_token(joining, f"/invite/{token}"),
        },
    )
    assert "Welcome to Anchor 1." in joining.get("/", headers=EN).get_data(as_text=True)


def test_the_invitation_e_mail_names_the_organisation_in_each_language(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    _invite(client, "q@anchor.test", "viewer")
    email = session.scalars(select(OutboxEmail)).one()
    chinese, english = email.body.split("\n\n---\n\n")
    assert "锚点汽车1" in chinese and "Anchor 1" not in chinese
    assert "You are invited to join Anchor 1 on Tierlight" in english
    assert email.subject.endswith("Join Anchor 1 on Tierlight")


def test_switching_to_a_company_named_ltd_ends_with_one_full_stop(client, session):
    _, user = supplier(session, 2)
    second, _ = supplier(session, 3, role="reporter")
    second.name_en = "Hengtong Brake Co., Ltd."
    add_member(session, second.id, user, "reporter")
    session.commit()
    sign_in(client, "admin2@supplier.test", PASSWORD)
    page = client.post(
        "/auth/switch",
        headers=EN,
        data={"org_id": second.id, "csrf_token": csrf_token(client)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "You now act for Hengtong Brake Co., Ltd." in page
    assert "Ltd.." not in page

"""Onboarding down the tiers: invitations, registration, sharing versions, and bad input."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from models.accounts.entities import User
from models.accounts.operations import create_user
from models.actor import Actor
from models.base import utcnow
from models.notify import OutboxEmail
from models.orgs.bootstrap import add_member
from models.orgs.entities import Invitation, Organisation, SharingAgreement, SupplierLink
from models.orgs.sharing import link_supplier
from tests.helpers import csrf_token, sign_in
from tests.web.network.builders import PASSWORD, anchor, credit_code, registration, supplier

EN = {"Accept-Language": "en"}


def _invite(client, email: str | None = None) -> Invitation:
    client.post(
        "/invitations",
        data={
            "email": email or "",
            "company_hint": "新厂",
            "csrf_token": csrf_token(client, "/invitations"),
        },
    )
    return (
        client.application.extensions["tierlight.database"]
        .session()
        .scalars(select(Invitation).order_by(Invitation.id.desc()))
        .first()
    )


def _count(session, entity) -> int:
    return session.scalar(select(func.count()).select_from(entity))


def test_anchor_invites_by_email_and_the_supplier_registers(client, session):
    org, _ = anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    invitation = _invite(client, "owner7@new.test")
    email = session.scalars(
        select(OutboxEmail).where(OutboxEmail.to_address == "owner7@new.test")
    ).one()
    assert f"/invite/{invitation.token}" in email.body
    page = client.post("/invitations", data={"csrf_token": csrf_token(client, "/invitations")})
    assert "<svg" in page.get_data(as_text=True)  # the QR code of an invitation without e-mail

    newcomer = client.application.test_client()
    form = registration(7)
    response = newcomer.post(
        f"/invite/{invitation.token}",
        data={**form, "csrf_token": csrf_token(newcomer, f"/invite/{invitation.token}")},
    )
    assert response.status_code == 302
    new_org = session.scalars(
        select(Organisation).where(Organisation.credit_code == credit_code(7))
    ).one()
    assert new_org.size_class == "small"
    link = session.scalars(select(SupplierLink).where(SupplierLink.supplier_id == new_org.id)).one()
    assert (link.buyer_id, link.status) == (org.id, "active")
    assert link.current_agreement.version == 1
    assert link.current_agreement.progress_buyer and not link.current_agreement.progress_upstream
    assert newcomer.get("/org/", headers=EN).status_code == 200  # signed in as its admin


def test_a_credit_code_copied_with_spaces_fits_the_field_and_registers(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    invitation = _invite(client, "owner8@new.test")
    code = credit_code(8)
    spaced = " ".join(code[i : i + 4] for i in range(0, len(code), 4))  # as on a licence scan
    newcomer = client.application.test_client()
    page = newcomer.get(f"/invite/{invitation.token}").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="credit_code"[^>]*>', page)[0]

    response = newcomer.post(
        f"/invite/{invitation.token}",
        data={
            **registration(8, credit_code=spaced),
            "csrf_token": csrf_token(newcomer, f"/invite/{invitation.token}"),
        },
    )

    assert int(re.search(r'maxlength="(\d+)"', field)[1]) >= len(spaced)
    assert response.status_code == 302
    assert session.scalars(select(Organisation).where(Organisation.credit_code == code)).one()


def test_an_invitation_is_single_use(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    token = _invite(client).token
    other = client.application.test_client()
    other.post(
        f"/invite/{token}",
        data={**registration(8), "csrf_token": csrf_token(other, f"/invite/{token}")},
    )
    again = client.application.test_client().get(f"/invite/{token}", headers=EN)
    assert again.status_code == 409
    assert "already been used" in again.get_data(as_text=True)


def test_expired_invitation_is_refused(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    invitation = _invite(client)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    session.merge(invitation)
    session.commit()
    response = client.application.test_client().get(
        f"/invite/{invitation.token}", headers={"Accept-Language": "zh-CN"}
    )
    assert response.status_code == 409
    assert "该邀请已过期" in response.get_data(as_text=True)


def test_wrong_check_character_writes_nothing(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    token = _invite(client).token
    orgs, users = _count(session, Organisation), _count(session, User)
    newcomer = client.application.test_client()
    bad = credit_code(9)[:-1] + ("0" if credit_code(9)[-1] != "0" else "1")
    response = newcomer.post(
        f"/invite/{token}",
        headers=EN,
        data={
            **registration(9, credit_code=bad),
            "csrf_token": csrf_token(newcomer, f"/invite/{token}"),
        },
    )
    assert response.status_code == 422
    assert "The check character (last character) is wrong" in response.get_data(as_text=True)
    assert (_count(session, Organisation), _count(session, User)) == (orgs, users)


def test_duplicate_credit_code_is_never_duplicated(client, session):
    anchor(session)
    existing, _ = supplier(session, 10)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    token = _invite(client).token
    orgs, users = _count(session, Organisation), _count(session, User)
    newcomer = client.application.test_client()
    response = newcomer.post(
        f"/invite/{token}",
        headers=EN,
        data={**registration(10), "csrf_token": csrf_token(newcomer, f"/invite/{token}")},
    )
    assert response.status_code == 409
    assert "already registered. Sign in as one of its admins" in response.get_data(as_text=True)
    assert (_count(session, Organisation), _count(session, User)) == (orgs, users)

    sign_in(newcomer, "admin10@supplier.test", PASSWORD)
    accepted = newcomer.post(
        f"/invite/{token}",
        data={
            "as_existing": "1",
            "progress_buyer": "on",
            "csrf_token": csrf_token(newcomer, f"/invite/{token}"),
        },
    )
    assert accepted.status_code == 302
    assert (
        session.scalars(select(SupplierLink).where(SupplierLink.supplier_id == existing.id))
        .one()
        .status
        == "active"
    )


def test_tier1_invites_tier2_which_chooses_what_reaches_the_anchor(client, session):
    _anchor_org, _ = anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    token = _invite(client).token
    tier1 = client.application.test_client()
    form = registration(11)
    form.update({f"{c}_upstream": "on" for c in ("progress", "quality", "carbon", "traceability")})
    tier1.post(
        f"/invite/{token}", data={**form, "csrf_token": csrf_token(tier1, f"/invite/{token}")}
    )
    tier2_token = _invite(tier1).token
    tier2 = client.application.test_client()
    tier2.post(
        f"/invite/{tier2_token}",
        data={**registration(12), "csrf_token": csrf_token(tier2, f"/invite/{tier2_token}")},
    )
    tier2_org = session.scalars(
        select(Organisation).where(Organisation.credit_code == credit_code(12))
    ).one()
    assert client.get(f"/api/v1/organisations/{tier2_org.id}").status_code == 404

    link_id = session.scalars(
        select(SupplierLink.id).where(SupplierLink.supplier_id == tier2_org.id)
    ).one()
    response = tier2.post(
        f"/org/customers/{link_id}/sharing",
        data={
            "progress_buyer": "on",
            "progress_upstream": "on",
            "csrf_token": csrf_token(tier2, "/org/customers"),
        },
    )
    assert response.status_code == 302
    seen = client.get(f"/api/v1/organisations/{tier2_org.id}").get_json()
    assert seen["tier"] == 2 and seen["visible_categories"] == ["progress"]
    versions = session.scalars(
        select(SharingAgreement.version)
        .where(SharingAgreement.link_id == link_id)
        .order_by(SharingAgreement.version)
    ).all()
    assert versions == [1, 2]
    profile = tier1.get(f"/organisations/{tier2_org.id}", headers=EN).get_data(as_text=True)
    assert "1 earlier version is kept." in profile


def test_accepting_ones_own_invitation_is_refused(client, session):
    _, _ = anchor(session)
    _supplier_org, _ = supplier(session, 13)
    sign_in(client, "admin13@supplier.test", PASSWORD)
    token = _invite(client).token  # a supplier admin may invite its own suppliers
    before = _count(session, SupplierLink)
    response = client.post(
        f"/invite/{token}",
        headers=EN,
        data={"as_existing": "1", "csrf_token": csrf_token(client, f"/invite/{token}")},
    )
    assert response.status_code == 409
    assert "own organisation&#39;s invitation" in response.get_data(as_text=True)
    assert _count(session, SupplierLink) == before


def test_a_link_that_would_make_a_cycle_is_refused(client, session):
    buyer, _buyer_admin = supplier(session, 16)
    seller, seller_admin = supplier(session, 17)
    link_supplier(session, Actor(seller_admin.id, seller.id, "admin"), buyer.id, seller.id, {})
    session.commit()
    sign_in(client, "admin17@supplier.test", PASSWORD)
    token = _invite(client).token  # the seller tries to become the buyer's buyer
    accepting = client.application.test_client()
    sign_in(accepting, "admin16@supplier.test", PASSWORD)
    before = _count(session, SupplierLink)
    response = accepting.post(
        f"/invite/{token}",
        headers=EN,
        data={"as_existing": "1", "csrf_token": csrf_token(accepting, f"/invite/{token}")},
    )
    assert response.status_code == 409
    assert "would make a cycle" in response.get_data(as_text=True)
    assert _count(session, SupplierLink) == before


def test_a_reporter_cannot_invite(client, session):
    anchor(session)
    supplier(session, 15, role="reporter")
    sign_in(client, "reporter15@supplier.test", PASSWORD)
    before = _count(session, Invitation)
    response = client.post(
        "/api/v1/invitations",
        json={"kind": "colleague", "email": "x@y.test", "role": "admin"},
        headers={"X-CSRFToken": csrf_token(client, "/"), **EN},
    )
    assert response.status_code == 403
    assert response.get_json()["message"] == "Your role does not allow this action."
    assert _count(session, Invitation) == before


def test_only_those_who_may_invite_see_open_invitation_links(client, session):
    """An open link signs anyone up with its role: a viewer must not be able to read one."""
    org, _ = anchor(session)
    viewer = create_user(session, "viewer@anchor.test", "Viewer", PASSWORD)
    add_member(session, org.id, viewer, "viewer")
    session.commit()
    sign_in(client, "admin1@anchor.test", PASSWORD)
    token = csrf_token(client, "/org/people")
    client.post("/org/people", data={"email": "boss@anchor.test", "role": "admin",
                                     "csrf_token": token})  # fmt: skip
    _invite(client, "tier1@supplier.test")
    admin_sees = client.get("/api/v1/invitations").get_json()
    assert {i["kind"] for i in admin_sees} == {"colleague", "supplier"}
    assert all(i["link"] for i in admin_sees)

    viewing = client.application.test_client()
    sign_in(viewing, "viewer@anchor.test", PASSWORD)

    assert viewing.get("/api/v1/invitations").get_json() == []
    page = viewing.get("/org/people").get_data(as_text=True)
    links = session.scalars(select(Invitation.token)).all()
    assert len(links) == 2 and not any(link in page for link in links)


def test_forms_without_a_csrf_token_are_refused(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    before = _count(session, Invitation)
    assert client.post("/invitations", data={"email": "a@b.test"}).status_code == 400
    assert _count(session, Invitation) == before


def test_colleague_joins_with_a_role(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    client.post(
        "/org/people",
        data={
            "email": "q@anchor.test",
            "role": "quality",
            "csrf_token": csrf_token(client, "/org/people"),
        },
    )
    token = session.scalars(
        select(Invitation.token).where(Invitation.email == "q@anchor.test")
    ).one()
    colleague = client.application.test_client()
    response = colleague.post(
        f"/invite/{token}",
        data={
            "name": "Q",
            "password": PASSWORD,
            "csrf_token": csrf_token(colleague, f"/invite/{token}"),
        },
    )
    assert response.status_code == 302
    me = colleague.get("/api/v1/me").get_json()
    assert me["role"] == "quality" and me["email"] == "q@anchor.test"

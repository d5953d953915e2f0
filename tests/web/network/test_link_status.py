"""Changing a supplier link's state: only its buyer may, and a refusal reads well in both
languages."""

from __future__ import annotations

from sqlalchemy import select

from models.actor import Actor
from models.orgs.entities import SupplierLink
from models.orgs.sharing import link_supplier
from tests.helpers import csrf_token, sign_in
from tests.web.network.builders import PASSWORD, anchor, supplier


def _link(session) -> SupplierLink:
    buyer, _ = anchor(session)
    seller, owner = supplier(session, 2)
    link = link_supplier(session, Actor(owner.id, seller.id, "admin"), buyer.id, seller.id, {})
    session.commit()
    return link


def _patch(client, link_id, status, language):
    return client.patch(
        f"/api/v1/links/{link_id}",
        json={"status": status},
        headers={"X-CSRFToken": csrf_token(client, "/"), "Accept-Language": language},
    )


def test_the_supplier_is_told_only_the_buyer_changes_the_state(client, session):
    link = _link(session)
    sign_in(client, "admin2@supplier.test", PASSWORD)

    english = _patch(client, link.id, "ended", "en")
    chinese = _patch(client, link.id, "ended", "zh-CN")

    assert english.status_code == 403
    assert english.get_json()["message"] == (
        "Only the buyer can change the status of a supplier link."
    )
    assert chinese.get_json()["message"] == "只有采购方可以更改供应关系的状态。"
    assert session.scalar(select(SupplierLink.status).where(SupplierLink.id == link.id)) == "active"


def test_an_impossible_change_names_the_states_in_the_readers_language(client, session):
    link = _link(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)

    english = _patch(client, link.id, "active", "en")
    chinese = _patch(client, link.id, "active", "zh-CN")

    assert english.status_code == 409
    assert english.get_json()["message"] == "A link that is active cannot become active."
    assert chinese.get_json()["message"] == "状态为“有效”的供应关系不能改为“有效”。"

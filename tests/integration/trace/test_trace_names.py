"""The names a trace shows come from a per-process cache: when do changes show?"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from models.orders.parts import define_part
from models.orgs.entities import Organisation
from models.orgs.operations import update_organisation
from models.trace import names
from models.trace.queries import trace
from tests.integration.trace.builders import build_network


@pytest.fixture
def net(session):
    return build_network(session)


def ore_node(session, net):
    result = trace(session, [net.lot_id("ORE-1")], "down", net.orgs["anchor"].id)
    return next(n for n in result.nodes if n.lot_number == "ORE-1")


def maker_key(net, org_id):
    return next(key for key, org in net.orgs.items() if org.id == org_id)


def test_a_part_and_a_maker_renamed_in_the_product_show_in_the_next_trace(session, net):
    before = ore_node(session, net)
    actor = net.actor(maker_key(net, before.maker_org_id))
    define_part(
        session,
        actor,
        {
            "part_number": before.part_number,
            "name_zh": "精矿",
            "name_en": "Refined ore",
            "unit": before.unit,
        },
    )
    update_organisation(session, actor, {"name_zh": "新矿业", "name_en": "New Mining"})
    session.flush()
    after = ore_node(session, net)
    assert (after.part_name("zh"), after.part_name("en")) == ("精矿", "Refined ore")
    assert (after.maker_name("zh"), after.maker_name("en")) == ("新矿业", "New Mining")
    assert after.maker_code == before.maker_code


def test_a_name_changed_by_another_process_shows_once_its_entry_expires(session, net, monkeypatch):
    before = ore_node(session, net)
    # Another process renames the maker: this one's ORM sees no change to drop its entry for.
    session.connection().execute(
        update(Organisation.__table__)
        .where(Organisation.__table__.c.id == before.maker_org_id)
        .values(name_en="Renamed elsewhere")
    )
    assert ore_node(session, net).maker_name("en") == before.maker_name("en")
    later = names._now() + names.TTL_SECONDS + 1
    monkeypatch.setattr(names, "_now", lambda: later)
    assert ore_node(session, net).maker_name("en") == "Renamed elsewhere"

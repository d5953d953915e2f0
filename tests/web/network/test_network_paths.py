"""The network paths follow the supplier links through every change, and agree with the rule's
own walk of the links (:func:`models.access.tiers`)."""

from __future__ import annotations

from sqlalchemy import select, text

from models.access import network_org_ids, tiers, visible_org_ids
from models.actor import Actor
from models.db import make_engine
from models.migrate import upgrade
from models.orgs.entities import Organisation, SharingAgreement, SupplierLink
from models.orgs.paths import NetworkPath
from models.orgs.sharing import link_supplier, set_link_status
from tests.web.network.builders import anchor, supplier

SHARE_ALL = {"traceability_buyer": True, "traceability_upstream": True}


def _stored(session) -> dict[tuple[int, int], int]:
    rows = session.execute(
        select(NetworkPath.upper_org_id, NetworkPath.lower_org_id, NetworkPath.depth)
    )
    return {(upper, lower): depth for upper, lower, depth in rows}


def _walked(session) -> dict[tuple[int, int], int]:
    return {
        (upper, lower): depth
        for upper in session.scalars(select(Organisation.id))
        for lower, depth in tiers(session, upper).items()
    }


def _chain(session):
    """anchor -> s1 -> s2 -> s3, and anchor -> s3 directly."""
    top, admin = anchor(session)
    s1, s2, s3 = (supplier(session, n)[0] for n in (11, 12, 13))
    actor = Actor(admin.id, top.id, "admin", "web")
    for buyer, seller in ((top, s1), (s1, s2), (s2, s3), (top, s3)):
        link_supplier(session, actor, buyer.id, seller.id, SHARE_ALL)
    session.commit()
    return top, admin, (s1, s2, s3)


def test_linking_builds_the_shortest_chains(session):
    top, _, (s1, s2, s3) = _chain(session)
    stored = _stored(session)
    assert stored[(top.id, s1.id)] == 1
    assert stored[(top.id, s2.id)] == 2
    assert stored[(top.id, s3.id)] == 1  # the direct link beats the chain of three
    assert stored[(s1.id, s3.id)] == 2
    assert stored == _walked(session)


def test_suspending_ending_and_reactivating_a_link_moves_the_paths(session):
    top, admin, (s1, s2, s3) = _chain(session)
    actor = Actor(admin.id, top.id, "admin", "web")
    first = session.scalar(
        select(SupplierLink.id).where(
            SupplierLink.buyer_id == top.id, SupplierLink.supplier_id == s1.id
        )
    )
    set_link_status(session, actor, first, "suspended")
    session.commit()
    stored = _stored(session)
    assert (top.id, s1.id) not in stored and (top.id, s2.id) not in stored
    assert stored[(top.id, s3.id)] == 1 and stored[(s1.id, s2.id)] == 1
    assert stored == _walked(session)

    set_link_status(session, actor, first, "active")
    session.commit()
    assert _stored(session)[(top.id, s2.id)] == 2
    assert _stored(session) == _walked(session)

    set_link_status(session, actor, first, "ended")
    session.commit()
    assert (top.id, s1.id) not in _stored(session)
    assert _stored(session) == _walked(session)


def test_a_link_changed_directly_and_rolled_back_leaves_the_paths_as_they_were(session):
    _, _, (s1, s2, _) = _chain(session)
    before = _stored(session)
    link = session.scalar(
        select(SupplierLink).where(
            SupplierLink.buyer_id == s1.id, SupplierLink.supplier_id == s2.id
        )
    )
    link.status = "suspended"
    session.flush()
    assert (s1.id, s2.id) not in _stored(session)
    assert _stored(session) == _walked(session)
    session.rollback()
    assert _stored(session) == before


THREE_ORGANISATIONS = text(
    "INSERT INTO organisations (id, kind, name_zh, name_en, credit_code, created_at) "
    "VALUES (1, 'anchor', 'A', 'A', 'A1', '2026-01-01'),"
    " (2, 'supplier', 'B', 'B', 'B1', '2026-01-01'),"
    " (3, 'supplier', 'C', 'C', 'C1', '2026-01-01')"
)


def test_the_migration_fills_the_paths_of_links_made_before_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'paths.sqlite'}"
    upgrade(url, "0008_merge_features")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(THREE_ORGANISATIONS)
        connection.execute(
            text(
                "INSERT INTO supplier_links (buyer_id, supplier_id, status, created_at) VALUES "
                "(1, 2, 'active', '2026-01-01'), (2, 3, 'active', '2026-01-01'),"
                " (1, 3, 'suspended', '2026-01-01')"
            )
        )
    upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT upper_org_id, lower_org_id, depth FROM network_paths ORDER BY 1, 2")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [(1, 2, 1), (1, 3, 2), (2, 3, 1)]


def test_the_sharing_migration_sets_the_flags_of_paths_made_before_it(tmp_path):
    """1 -> 2 -> 3: 2 shares everything with 1; 3 shares quality with 2 and upstream, carbon
    with 2 only, and nothing else."""
    url = f"sqlite:///{tmp_path / 'flags.sqlite'}"
    upgrade(url, "0009_network_paths")
    engine = make_engine(url)
    flags = "progress_buyer, progress_upstream, quality_buyer, quality_upstream, "
    flags += "carbon_buyer, carbon_upstream, traceability_buyer, traceability_upstream"
    with engine.begin() as connection:
        connection.execute(THREE_ORGANISATIONS)
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, password_hash, is_active, created_at) "
                "VALUES (1, 'a@example.com', 'A', 'x', true, '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO supplier_links (id, buyer_id, supplier_id, status, created_at) VALUES"
                " (1, 1, 2, 'active', '2026-01-01'), (2, 2, 3, 'active', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                f"INSERT INTO sharing_agreements (id, link_id, version, {flags},"
                " accepted_by_user_id, accepted_at) VALUES"
                " (1, 1, 1, true, true, true, true, true, true, true, true, 1, '2026-01-01'),"
                " (2, 2, 1, false, false, true, true, true, false, false, false, 1, '2026-01-01')"
            )
        )
        connection.execute(text("UPDATE supplier_links SET current_agreement_id = id"))
        connection.execute(
            text(
                "INSERT INTO network_paths (upper_org_id, lower_org_id, depth) VALUES "
                "(1, 2, 1), (1, 3, 2), (2, 3, 1)"
            )
        )
    upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT upper_org_id, lower_org_id, progress, quality, carbon, traceability"
                " FROM network_paths ORDER BY 1, 2"
            )
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, 2, True, True, True, True),
        (1, 3, False, True, False, False),
        (2, 3, False, True, True, False),
    ]


def test_an_agreement_edited_in_place_refreshes_what_the_paths_share(session):
    top, _, (s1, s2, _) = _chain(session)
    shared = select(NetworkPath.traceability).where(
        NetworkPath.upper_org_id == top.id, NetworkPath.lower_org_id == s2.id
    )
    assert session.scalar(shared) is True
    link = session.scalar(
        select(SupplierLink).where(
            SupplierLink.buyer_id == s1.id, SupplierLink.supplier_id == s2.id
        )
    )
    agreement = session.get(SharingAgreement, link.current_agreement_id)
    agreement.traceability_upstream = False
    session.commit()
    assert session.scalar(shared) is False
    assert s2.id not in visible_org_ids(session, top.id, "traceability")
    for upper in (top.id, s1.id):
        flagged = select(NetworkPath.lower_org_id).where(
            NetworkPath.upper_org_id == upper, NetworkPath.traceability.is_(True)
        )
        seen = visible_org_ids(session, upper, "traceability") - {upper}
        assert set(session.scalars(flagged)) == seen


def test_a_sub_tier_is_named_only_by_the_agreement_on_the_way_up(session):
    """s2 shares nothing upstream with s1, its only way to the anchor; that it lets data pass
    up to another anchor it supplies names it to that anchor, not to this one."""
    top, admin = anchor(session)
    other, other_admin = anchor(session, 2)
    s1, s2 = (supplier(session, n)[0] for n in (21, 22))
    link_supplier(session, Actor(admin.id, top.id, "admin", "web"), top.id, s1.id, SHARE_ALL)
    link_supplier(session, Actor(admin.id, top.id, "admin", "web"), s1.id, s2.id, {})
    to_other = link_supplier(
        session, Actor(other_admin.id, other.id, "admin", "web"), other.id, s2.id, SHARE_ALL
    )
    session.commit()

    assert s1.id in network_org_ids(session, top.id)
    assert s2.id not in network_org_ids(session, top.id)
    assert s2.id in network_org_ids(session, other.id)

    set_link_status(session, Actor(other_admin.id, other.id, "admin", "web"), to_other.id, "ended")
    session.commit()
    assert s2.id not in network_org_ids(session, top.id)

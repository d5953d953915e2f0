"""Only known, linked partners exchange files; identities are managed by admins."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.edi_docs.entities import EdiIdentity, EdiMessage, EdiOutbound
from models.edi_docs.identities import add_identity, remove_identity
from models.errors import Forbidden, NotFound, ValidationFailed
from models.orders.entities import Lot, ShipNotice
from tests.fixtures.edi_docs.world import edi_file

DESADV = edi_file("edifact_desadv.edi")


def _nothing_written(session) -> None:
    assert session.scalar(select(func.count()).select_from(ShipNotice)) == 0
    assert session.scalar(select(func.count()).select_from(Lot)) == 0


def _texts(report: dict) -> list[str]:
    return [error["text"] for error in report["errors"]]


def test_unknown_sender_is_rejected_with_a_clear_error(ingest, session):
    report = ingest("x.edi", content=DESADV.replace(b"SUPPLIER01:14", b"NOBODY:14"))
    assert report["status"] == "rejected"
    assert "Unknown sender NOBODY (qualifier 14): no organisation has this EDI identity." in _texts(
        report
    )
    _nothing_written(session)
    assert {m["status"] for m in report["messages"]} == {"rejected"}


def test_unknown_receiver_is_rejected(ingest, session):
    report = ingest("x.edi", content=DESADV.replace(b"ANCHORCO:14", b"SOMEONE:ZZZ"))
    assert report["status"] == "rejected"
    assert any(text.startswith("Unknown receiver SOMEONE") for text in _texts(report))
    _nothing_written(session)
    # no CONTRL is written in the name of an identity none of our organisations holds
    assert session.scalar(select(func.count()).select_from(EdiOutbound)) == 0


def _no_ack(session, report: dict) -> None:
    assert report["acks"] == []
    assert session.scalar(select(func.count()).select_from(EdiOutbound)) == 0


def test_an_unknown_sender_gets_no_acknowledgement(ingest, session):
    report = ingest("x.edi", content=DESADV.replace(b"SUPPLIER01:14", b"NOBODY:14"))
    assert report["status"] == "rejected"
    _no_ack(session, report)


def test_a_file_in_another_organisations_name_gets_no_acknowledgement(ingest, session):
    """A CONTRL to SUPPLIER01 would confirm, in the anchor's name, that the outsider's forgery
    was received; the same goes for a 997."""
    report = ingest("edifact_desadv.edi", sender="admin@outsider.edi")
    assert report["status"] == "rejected"
    _no_ack(session, report)
    report = ingest("x12_856_two_sets.edi", sender="admin@outsider.edi")
    assert report["status"] == "rejected"
    _no_ack(session, report)


def test_a_sender_not_linked_to_the_receiver_gets_no_acknowledgement(ingest, session):
    content = DESADV.replace(b"SUPPLIER01:14", b"OUTSIDER:14")
    _no_ack(session, ingest("x.edi", sender="admin@outsider.edi", content=content))


def test_a_sender_not_linked_to_the_receiver_is_rejected(ingest, session):
    content = DESADV.replace(b"SUPPLIER01:14", b"OUTSIDER:14")
    report = ingest("x.edi", sender="admin@outsider.edi", content=content)
    assert report["status"] == "rejected"
    assert "Sender OUTSIDER and receiver ANCHORCO are not linked as buyer and supplier." in _texts(
        report
    )
    _nothing_written(session)


def test_a_file_in_another_organisations_name_is_rejected(ingest, session):
    report = ingest("edifact_desadv.edi", sender="admin@outsider.edi")
    assert report["status"] == "rejected"
    assert "The file names SUPPLIER01 as its sender, which is not your organisation." in _texts(
        report
    )
    _nothing_written(session)
    # The receiver named in the file sees the rejected attempt; the outsider sent it.
    message = session.scalars(select(EdiMessage)).one()
    assert message.status == "rejected"


def test_a_partners_interchange_refused_for_its_envelope_is_acknowledged_as_rejected(
    ingest, session
):
    report = ingest("x.edi", content=DESADV.replace(b"UNZ+1+", b"UNZ+2+"))
    assert report["status"] == "rejected"
    ack = session.get(EdiOutbound, report["acks"][0]["id"])
    assert "UCI+DES0701+SUPPLIER01:14+ANCHORCO:14+4" in ack.content.decode()


def test_identities_are_unique_and_only_admins_manage_them(world, session):
    with pytest.raises(ValidationFailed) as taken:
        add_identity(
            session,
            world.actor("admin@outsider.edi"),
            {"standard": "x12", "qualifier": "zz", "identifier": "SUPPLIER01"},
        )
    assert taken.value.errors == {"identifier": ["This EDI identity is already registered."]}
    with pytest.raises(Forbidden):
        add_identity(
            session,
            world.actor("buyer@anchor.edi"),
            {"standard": "x12", "qualifier": "01", "identifier": "123456789"},
        )
    with pytest.raises(ValidationFailed) as bad:
        add_identity(
            session,
            world.actor("admin@anchor.edi"),
            {"standard": "x12", "qualifier": "Z", "identifier": "TOO*LONG-FOR-ISA06"},
        )
    assert set(bad.value.errors) == {"qualifier", "identifier"}
    theirs = session.scalar(select(EdiIdentity).where(EdiIdentity.identifier == "SUPPLIER01"))
    with pytest.raises(NotFound):
        remove_identity(session, world.actor("admin@anchor.edi"), theirs.id)
    remove_identity(session, world.actor("admin@supplier.edi"), theirs.id)
    assert session.get(EdiIdentity, theirs.id) is None


SHADOWED = (
    "This identifier is already registered for EDIFACT; with or without a qualifier "
    "an envelope would name the same organisation."
)


def _identities(session) -> int:
    return session.scalar(select(func.count()).select_from(EdiIdentity))


def _shadowed(session, world, data) -> None:
    """The outsider's identity is refused as held by another organisation; nothing is added."""
    before = _identities(session)
    with pytest.raises(ValidationFailed) as refused:
        add_identity(session, world.actor("admin@outsider.edi"), data)
    assert refused.value.errors == {"identifier": [SHADOWED]}
    session.rollback()
    assert _identities(session) == before


def test_another_organisation_cannot_take_an_edifact_id_without_its_qualifier(
    ingest, world, session
):
    _shadowed(session, world, {"standard": "edifact", "qualifier": "", "identifier": "SUPPLIER01"})
    # The owner's file naming it without a qualifier is still its own.
    report = ingest("x.edi", content=DESADV.replace(b"SUPPLIER01:14", b"SUPPLIER01"))
    assert report["status"] == "accepted", report["errors"]


def test_an_edifact_id_held_without_a_qualifier_cannot_be_taken_with_one(world, session):
    add_identity(
        session,
        world.actor("admin@anchor.edi"),
        {"standard": "edifact", "qualifier": "", "identifier": "ANCHOR-BARE"},
    )
    session.commit()
    bare = {"standard": "edifact", "qualifier": "zz", "identifier": "ANCHOR-BARE"}
    _shadowed(session, world, bare)


ASN = edi_file("x12_856_two_sets.edi")


def _ack(session, report: dict) -> str:
    return session.get(EdiOutbound, report["acks"][0]["id"]).content.decode()


def test_a_group_for_another_application_of_the_receiver_is_rejected(ingest, session):
    content = ASN.replace(b"GS*SH*SUPPLIER01*ANCHORCO", b"GS*SH*SUPPLIER01*WMSAPP")
    report = ingest("x.edi", content=content)
    assert report["status"] == "rejected"
    (error,) = [e for e in report["errors"] if e.get("element") == "GS03"]
    assert error["text"] == "GS03 names application WMSAPP, but ANCHORCO receives as ANCHORAPP."
    assert error["group"] == "701"
    assert {m["status"] for m in report["messages"]} == {"rejected"}
    _nothing_written(session)
    assert "AK9*R*2*2*0" in _ack(session, report)


def _statuses(report: dict) -> list[str]:
    """The file's first set ships on a line of the supplier's; its second names none."""
    return [m["status"] for m in report["messages"]]


@pytest.mark.parametrize("code", [b"ANCHORAPP", b"ANCHORCO"])
def test_a_group_names_the_receiver_by_its_application_id_or_its_identifier(ingest, code):
    content = ASN.replace(b"GS*SH*SUPPLIER01*ANCHORCO", b"GS*SH*SUPPLIER01*" + code)
    assert _statuses(ingest("x.edi", content=content)) == ["accepted", "rejected"]


def test_any_application_code_is_taken_from_a_sender_that_registered_none(ingest, session):
    content = ASN.replace(b"GS*SH*SUPPLIER01*", b"GS*SH*SHOPFLOOR2*")
    report = ingest("x.edi", content=content)
    assert _statuses(report) == ["accepted", "rejected"]
    assert not [e for e in report["errors"] if e.get("element") in ("GS02", "GS03")]
    assert "AK9*P*2*2*1" in _ack(session, report)

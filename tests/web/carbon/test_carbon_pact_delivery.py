"""Sending PACT answers: only to public addresses unless allowed, and never through a redirect."""

from __future__ import annotations

import socket

from models.carbon import pact_events
from models.carbon.entities import PactEvent
from models.carbon.pact_events import deliver, non_public_address

#: A public address (TEST-NET ranges are not global) that nothing here can reach.
PUBLIC = "93.184.215.14"


def outgoing(session, world, target: str) -> PactEvent:
    row = PactEvent(
        org_id=world.anchor.id,
        direction="out",
        version=3,
        kind="fulfilled",
        event_id="answer-1",
        source="https://tierlight.example/3/events",
        body={"type": "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3"},
        status="pending",
        target_url=target,
    )
    session.add(row)
    session.flush()
    return row


def test_an_answer_to_a_loopback_target_is_refused_and_nothing_is_sent(session, world, receiver):
    row = outgoing(session, world, receiver.url + "/3/events")

    assert deliver(session, row.id) == "failed"

    assert "non-public address (127.0.0.1)" in row.error
    assert receiver.received == []


def test_an_allowed_private_target_gets_the_answer(session, world, receiver):
    row = outgoing(session, world, receiver.url + "/3/events")

    assert deliver(session, row.id, allow_private=True) == "sent"

    assert [r["path"] for r in receiver.received] == ["/3/events"]
    assert row.sent_at is not None and row.error is None


def test_internal_and_unusable_addresses_are_named() -> None:
    assert "non-public" in non_public_address("http://169.254.169.254/latest/meta-data")
    assert "non-public" in non_public_address("http://[::1]:8080/3/events")
    assert "non-public" in non_public_address("https://10.1.2.3/3/events")
    assert non_public_address("ftp://example.com/x") == "target is not an http(s) URL"
    assert "cannot be resolved" in non_public_address("https://no-such-host.invalid/3/events")
    assert non_public_address("https://8.8.8.8/3/events") is None


def test_a_name_answering_public_then_loopback_is_called_where_it_was_checked(
    session, world, receiver, monkeypatch
):
    """DNS rebinding: the partner's name server answers a public address to the check and the
    loopback to the connection. Only one answer is asked for, and it is the one called."""
    port = int(receiver.url.rsplit(":", 1)[1])
    answers = [PUBLIC, "127.0.0.1"]
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "partner.example":
            return real(host, *args, **kwargs)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(pact_events, "SEND_TIMEOUT_S", 1)
    row = outgoing(session, world, f"http://partner.example:{port}/3/events")

    assert deliver(session, row.id) == "failed"

    assert receiver.received == []
    assert answers == ["127.0.0.1"]

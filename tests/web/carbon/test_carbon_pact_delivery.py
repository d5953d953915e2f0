"""Sending PACT answers: only to public addresses unless allowed, and never through a redirect."""

from __future__ import annotations

from models.carbon.entities import PactEvent
from models.carbon.pact_events import deliver, non_public_address


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

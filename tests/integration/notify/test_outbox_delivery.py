"""The outbox goes out over SMTP when it is configured (against a real SMTP server)."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from sqlalchemy import select

from models.config import MailSettings
from models.i18n import Msg
from models.notify import OutboxEmail, queue_email
from worker import celery_app
from worker.tasks.mail import send_outbox


class Recorder(Sink):
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def _configure(settings, database, port: int) -> None:
    mail = MailSettings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    celery_app.configure(settings.with_overrides(mail=mail), database)


def test_pending_e_mail_is_sent_once(settings, database, session, smtp_server):
    handler, port = smtp_server
    queue_email(
        session,
        "someone@supplier.test",
        Msg("Reset your Tierlight password"),
        Msg("Hello"),
        kind="password_reset",
        locale="en",
    )
    session.commit()
    _configure(settings, database, port)
    assert send_outbox.delay().get() == 1
    assert send_outbox.delay().get() == 0
    assert len(handler.messages) == 1
    recipients, content = handler.messages[0]
    assert recipients == ["someone@supplier.test"]
    assert b"Reset your Tierlight password" in content
    assert session.scalars(select(OutboxEmail.sent_at)).one() is not None


def test_a_failing_server_is_recorded_and_retried_later(settings, database, session):
    queue_email(session, "x@y.test", Msg("Subject"), Msg("Body"), kind="test", locale="en")
    session.commit()
    _configure(settings, database, _free_port())  # nothing listens there
    assert send_outbox.delay().get() == 0
    email = session.scalars(select(OutboxEmail)).one()
    session.refresh(email)
    assert email.sent_at is None and email.attempts == 1 and email.last_error


def test_without_smtp_nothing_leaves_the_outbox(settings, database, session):
    queue_email(session, "x@y.test", Msg("Subject"), Msg("Body"), kind="test", locale="en")
    session.commit()
    celery_app.configure(settings, database)
    assert send_outbox.delay().get() == 0

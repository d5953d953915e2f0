"""Sending the e-mail outbox over SMTP, when SMTP is configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from models import notify
from models.config import MailSettings
from worker.base import DomainTask
from worker.celery_app import celery_app, database, settings


def _send(mail: MailSettings, to_address: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = to_address
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(mail.smtp_host or "", mail.smtp_port, timeout=30) as smtp:
        if mail.smtp_starttls:
            smtp.starttls()
        if mail.smtp_user:
            smtp.login(mail.smtp_user, mail.smtp_password or "")
        smtp.send_message(message)


@celery_app.task(base=DomainTask, name="worker.tasks.mail.send_outbox")
def send_outbox() -> int:
    """Send every pending e-mail; each is marked sent on its own, so a crash repeats none."""
    mail = settings().mail
    if not mail.smtp_host:
        return 0
    db = database()
    with db.unit_of_work() as session:
        batch = [(e.id, e.to_address, e.subject, e.body) for e in notify.pending_emails(session)]
    sent = 0
    for email_id, to_address, subject, body in batch:
        try:
            _send(mail, to_address, subject, body)
        except (OSError, smtplib.SMTPException) as error:
            with db.unit_of_work() as session:
                notify.record_failure(session, email_id, f"{type(error).__name__}: {error}")
            continue
        with db.unit_of_work() as session:
            notify.mark_sent(session, email_id)
        sent += 1
    return sent

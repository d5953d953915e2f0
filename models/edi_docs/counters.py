"""Control numbers: the next interchange number from one party to another, never used twice."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.edi_docs.entities import EdiControlCounter

#: ISA13 has nine digits; after the last one the numbers start again at 1.
X12_MAX = 999_999_999
EDIFACT_MAX = 99_999_999_999_999


def party_key(qualifier: str | None, identifier: str | None) -> str:
    """The key of a party as written in an envelope: ``qualifier:identifier``."""
    key = f"{(qualifier or '').strip()}:{(identifier or '').strip()}"[:48]
    return key.replace("\x00", "\ufffd")


def next_control_number(session: Session, standard: str, sender_key: str, receiver_key: str) -> int:
    """Reserve the next interchange control number from ``sender_key`` to ``receiver_key``.

    The counter row is incremented with one UPDATE, so concurrent transactions queue on its
    row lock and each gets its own number; the number is used only if the caller commits.
    """
    limit = X12_MAX if standard == "x12" else EDIFACT_MAX
    key = (
        EdiControlCounter.standard == standard,
        EdiControlCounter.sender_key == sender_key,
        EdiControlCounter.receiver_key == receiver_key,
    )
    bumped = session.execute(
        update(EdiControlCounter)
        .where(*key)
        .values(last_value=EdiControlCounter.last_value % limit + 1)
        .execution_options(synchronize_session=False)
    )
    if not bumped.rowcount:
        try:
            with session.begin_nested():
                session.add(
                    EdiControlCounter(
                        standard=standard,
                        sender_key=sender_key,
                        receiver_key=receiver_key,
                        last_value=1,
                    )
                )
            return 1
        except IntegrityError:
            return next_control_number(session, standard, sender_key, receiver_key)
    return int(session.scalar(select(EdiControlCounter.last_value).where(*key)) or 1)

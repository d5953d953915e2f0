"""Read an EDIFACT interchange (UNB/UNG/UNH..UNT/UNE/UNZ) and check counts and references."""

from __future__ import annotations

from edi import errors
from edi.checks import (
    count_matches,
    flag_duplicates,
    missing_trailer,
    same_reference,
    structure_errors,
)
from edi.dates import edifact_date
from edi.envelope import RawGroup, RawMessage, Tags, split
from edi.errors import EdiError, element_ref
from edi.model import EDIFACT, Group, Interchange, Message, Segment, Separators
from edi.tokenizer import Dialect, line_break_prefix, normalise
from models.i18n import N_, Msg

TAGS = Tags("UNH", "UNT", "UNG", "UNE", "UNZ")


def _date(value: str) -> str | None:
    try:
        return edifact_date(value)
    except ValueError:
        return None


def read_interchange(
    body: str, separators: Separators, *, offset: int = 0, bare: bool = False
) -> tuple[Interchange, bool]:
    """The interchange whose text (as received) is ``body``, its UNB at ``offset`` (after
    the UNA, which is not read again: ``separators`` come from it).

    With ``bare`` the text starts at a UNH that has no UNB before it: the messages are read
    and the interchange carries a ``missing_interchange_header`` error. The flag is True when
    another interchange header turned up inside ``body`` (the caller then reads a shorter
    text). Never raises.
    """
    interchange = Interchange(EDIFACT, separators)
    terminator = separators.segment
    after_header = body.find(terminator, offset) + 1
    prefix = None if bare else line_break_prefix(body, terminator, after_header)
    dialect = Dialect.for_text(separators, body, offset)
    if prefix is None or dialect is None or dialect.escaped:
        body = body[offset:]
        offset = 0
    if prefix is None:
        body = normalise(body, terminator)
        dialect = Dialect.for_text(separators, body)
    if dialect is None:
        interchange.errors.append(
            EdiError(errors.BAD_CHARACTERS, Msg(N_("The interchange uses unsupported characters")))
        )
        return interchange, False
    body = dialect.protect(body)
    if bare:
        interchange.errors.append(
            EdiError(
                errors.MISSING_INTERCHANGE_HEADER,
                Msg(N_("Messages without an interchange header (UNB)")),
                segment_tag="UNB",
            )
        )
        start = 0
    else:
        end = body.find(terminator, offset)
        end = len(body) if end < 0 else end
        _fill_header(interchange, dialect.header_segment(body[offset:end]))
        start = end + 1
    raw = split(body, dialect, TAGS, start, prefix or "")
    if raw.interrupted:
        return interchange, True
    control = interchange.control_number
    interchange.trailer = raw.trailer
    for raw_group in raw.groups:
        interchange.groups.append(_group(raw_group, dialect, control))
    flag_duplicates(interchange)
    interchange.errors.extend(structure_errors(raw, control))
    if bare:
        return interchange, False
    if raw.trailer is None:
        interchange.errors.append(
            missing_trailer("UNZ", "UNB", control, None, None, after=raw.last_at)
        )
        return interchange, False
    explicit = [group for group in interchange.groups if group.explicit]
    expected = len(explicit) if explicit else len(interchange.messages)
    if not count_matches(raw.trailer.value(1), expected):
        interchange.errors.append(
            EdiError(
                errors.MESSAGE_COUNT_MISMATCH,
                Msg(
                    N_(
                        "Messages or groups: UNZ declares %(declared)s, "
                        "the interchange holds %(actual)s"
                    ),
                    declared=raw.trailer.value(1),
                    actual=expected,
                ),
                interchange=control,
                segment_tag="UNZ",
                element="UNZ/0036",
                element_position=1,
                interchange_position=raw.trailer_at,
            )
        )
    header_ref = interchange.header.value(5) if interchange.header else ""
    if not same_reference(header_ref, raw.trailer.value(2)):
        interchange.errors.append(
            _mismatch(
                "UNZ", 2, "0020", header_ref, raw.trailer.value(2), control, at=raw.trailer_at
            )
        )
    return interchange, False


def _fill_header(interchange: Interchange, unb: Segment) -> None:
    interchange.header = unb
    interchange.version = ":".join(part for part in unb.composite(1)[:2] if part) or None
    interchange.sender = unb.value(2).strip()
    interchange.sender_qualifier = unb.value(2, 2).strip() or None
    interchange.receiver = unb.value(3).strip()
    interchange.receiver_qualifier = unb.value(3, 2).strip() or None
    interchange.date = _date(unb.value(4))
    interchange.time = unb.value(4, 2).strip() or None
    interchange.control_number = unb.value(5).strip()
    interchange.test = unb.value(11).strip() == "1"


def _mismatch(
    tag: str,
    position: int,
    ident: str,
    header: str,
    trailer: str,
    interchange: str | None,
    group: str | None = None,
    message: str | None = None,
    segment_position: int | None = None,
    at: int | None = None,
) -> EdiError:
    ref = element_ref(EDIFACT, tag, position, ident=ident)
    return EdiError(
        errors.CONTROL_NUMBER_MISMATCH,
        Msg(
            N_("%(element)s is %(trailer)s but the header says %(header)s"),
            element=ref,
            trailer=trailer,
            header=header,
        ),
        interchange=interchange,
        group=group,
        message=message,
        segment_position=segment_position,
        segment_tag=tag,
        element=ref,
        element_position=position,
        value=trailer,
        interchange_position=at,
    )


def _group(raw: RawGroup, dialect: Dialect, interchange: str | None) -> Group:
    ung = raw.header
    if ung is None:
        group = Group(None, None, explicit=False)
    else:
        group = Group(
            functional_id=ung.value(1).strip(),
            control_number=ung.value(5).strip(),
            sender=ung.value(2).strip(),
            receiver=ung.value(3).strip(),
            version=":".join(part for part in ung.composite(7) if part) or None,
            date=_date(ung.value(4)),
            header=ung,
            position=raw.header_at,
        )
    for raw_message in raw.messages:
        group.messages.append(_message(raw_message, dialect, interchange, group))
    if ung is None:
        return group
    control = group.control_number
    group.trailer = raw.trailer
    if raw.trailer is None:
        group.errors.append(missing_trailer("UNE", "UNG", interchange, control, None))
        return group
    if not count_matches(raw.trailer.value(1), len(group.messages)):
        group.errors.append(
            EdiError(
                errors.MESSAGE_COUNT_MISMATCH,
                Msg(
                    N_("Messages: UNE declares %(declared)s, the group holds %(actual)s"),
                    declared=raw.trailer.value(1),
                    actual=len(group.messages),
                ),
                interchange=interchange,
                group=control,
                segment_tag="UNE",
                element="UNE/0060",
                element_position=1,
                interchange_position=raw.trailer_at,
            )
        )
    if not same_reference(ung.value(5), raw.trailer.value(2)):
        group.errors.append(
            _mismatch(
                "UNE",
                2,
                "0048",
                ung.value(5),
                raw.trailer.value(2),
                interchange,
                control,
                at=raw.trailer_at,
            )
        )
    return group


def _message(raw: RawMessage, dialect: Dialect, interchange: str | None, group: Group) -> Message:
    unh = raw.header
    control = unh.value(1).strip()
    version = ":".join(part for part in unh.composite(2)[1:3] if part)
    message = Message(
        EDIFACT,
        type=unh.value(2).strip(),
        control_number=control,
        version=version or None,
        text=raw.text,
        segment_count=raw.count,
        dialect=dialect,
        interchange=interchange,
        group=group.control_number,
    )
    if raw.trailer is None:
        message.errors.append(
            missing_trailer("UNT", "UNH", interchange, group.control_number, control)
        )
        return message
    if not count_matches(raw.trailer.value(1), raw.count):
        message.errors.append(
            EdiError(
                errors.SEGMENT_COUNT_MISMATCH,
                Msg(
                    N_("Segments: UNT declares %(declared)s, the message has %(actual)s"),
                    declared=raw.trailer.value(1),
                    actual=raw.count,
                ),
                interchange=interchange,
                group=group.control_number,
                message=control,
                segment_position=raw.count,
                segment_tag="UNT",
                element="UNT/0074",
                element_position=1,
                value=raw.trailer.value(1),
            )
        )
    if not same_reference(control, raw.trailer.value(2)):
        message.errors.append(
            _mismatch(
                "UNT",
                2,
                "0062",
                control,
                raw.trailer.value(2),
                interchange,
                group.control_number,
                control,
                raw.count,
            )
        )
    return message

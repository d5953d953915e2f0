"""Read an X12 interchange (ISA/GS/ST..SE/GE/IEA) and check its counts and control numbers."""

from __future__ import annotations

from edi import errors
from edi.checks import (
    count_matches,
    flag_duplicates,
    missing_trailer,
    same_reference,
    structure_errors,
)
from edi.dates import x12_date
from edi.detect import Header, isa_fields
from edi.envelope import RawGroup, RawMessage, Tags, split
from edi.errors import EdiError, element_ref
from edi.model import X12, Group, Interchange, Message, Segment
from edi.tokenizer import Dialect, line_break_prefix, normalise
from models.i18n import N_, Msg

TAGS = Tags("ST", "SE", "GS", "GE", "IEA", frozenset({"TA1", "ISB", "ISE"}))


def _date(value: str) -> str | None:
    try:
        return x12_date(value)
    except ValueError:
        return None


def read_interchange(body: str, header: Header) -> tuple[Interchange, bool]:
    """The interchange whose text (from "ISA" on, as received) is ``body``.

    The flag is True when another interchange header turned up inside ``body`` (the caller
    then reads a shorter text). Never raises: a header that cannot be read, a missing trailer,
    a wrong count or control number become errors on the interchange, group or set concerned.
    """
    dialect = Dialect(header.separators)
    interchange = Interchange(X12, header.separators)
    terminator = header.separators.segment
    fields = isa_fields(body, 0)
    prefix = line_break_prefix(body, terminator, fields[1] + 2) if fields else None
    if prefix is None:
        body = normalise(body, terminator)
        fields = isa_fields(body, 0)
    if fields is None or header.problem:
        interchange.errors.append(
            EdiError(
                errors.BAD_HEADER,
                Msg(N_("The ISA segment cannot be read (16 elements and a terminator)")),
                segment_tag="ISA",
                element=header.problem,
                interchange_position=1,
            )
        )
        return interchange, False
    values, component_at = fields
    isa = Segment("ISA", [[value] for value in [*values, body[component_at]]], 0)
    _fill_header(interchange, isa)
    raw = split(body, dialect, TAGS, component_at + 2, prefix or "")
    if raw.interrupted:
        return interchange, True
    control = interchange.control_number
    interchange.trailer = raw.trailer
    for raw_group in raw.groups:
        interchange.groups.append(_group(raw_group, dialect, control))
    flag_duplicates(interchange)
    interchange.service_segments.extend(raw.extras)
    interchange.errors.extend(structure_errors(raw, control))
    if raw.trailer is None:
        interchange.errors.append(
            missing_trailer("IEA", "ISA", control, None, None, after=raw.last_at)
        )
        return interchange, False
    explicit = sum(1 for group in interchange.groups if group.explicit)
    declared = raw.trailer.value(1)
    # Some senders count TA1 segments with the groups; both readings are accepted.
    with_acks = explicit + sum(1 for segment in raw.extras if segment.tag == "TA1")
    if not (count_matches(declared, explicit) or count_matches(declared, with_acks)):
        interchange.errors.append(
            EdiError(
                errors.GROUP_COUNT_MISMATCH,
                Msg(
                    N_(
                        "Functional groups: IEA01 declares %(declared)s, "
                        "the interchange holds %(actual)s"
                    ),
                    declared=raw.trailer.value(1),
                    actual=explicit,
                ),
                interchange=control,
                segment_tag="IEA",
                element="IEA01",
                element_position=1,
                interchange_position=raw.trailer_at,
            )
        )
    if not same_reference(isa.value(13), raw.trailer.value(2)):
        interchange.errors.append(
            _mismatch("IEA", 2, isa.value(13), raw.trailer.value(2), control, at=raw.trailer_at)
        )
    return interchange, False


def _fill_header(interchange: Interchange, isa: Segment) -> None:
    interchange.header = isa
    interchange.sender_qualifier = isa.value(5).strip()
    interchange.sender = isa.value(6).strip()
    interchange.receiver_qualifier = isa.value(7).strip()
    interchange.receiver = isa.value(8).strip()
    interchange.date = _date(isa.value(9))
    interchange.time = isa.value(10).strip()
    interchange.version = isa.value(12).strip()
    interchange.control_number = isa.value(13).strip()
    interchange.test = isa.value(15).strip() == "T"


def _mismatch(
    tag: str,
    position: int,
    header: str,
    trailer: str,
    interchange: str | None,
    group: str | None = None,
    message: str | None = None,
    segment_position: int | None = None,
    at: int | None = None,
) -> EdiError:
    ref = element_ref(X12, tag, position)
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
    gs = raw.header
    if gs is None:
        group = Group(None, None, explicit=False)
        group.errors.append(
            EdiError(
                errors.MISSING_SEGMENT,
                Msg(N_("Transaction sets outside a functional group (GS missing)")),
                interchange=interchange,
                segment_tag="GS",
            )
        )
    else:
        group = Group(
            functional_id=gs.value(1),
            control_number=gs.value(6).strip(),
            sender=gs.value(2).strip(),
            receiver=gs.value(3).strip(),
            version=gs.value(8).strip(),
            date=_date(gs.value(4)),
            header=gs,
            position=raw.header_at,
        )
    for raw_message in raw.messages:
        group.messages.append(_message(raw_message, dialect, interchange, group))
    if gs is None:
        return group
    control = group.control_number
    group.trailer = raw.trailer
    if raw.trailer is None:
        group.errors.append(missing_trailer("GE", "GS", interchange, control, None))
        return group
    if not count_matches(raw.trailer.value(1), len(group.messages)):
        group.errors.append(
            EdiError(
                errors.MESSAGE_COUNT_MISMATCH,
                Msg(
                    N_("Transaction sets: GE01 declares %(declared)s, the group holds %(actual)s"),
                    declared=raw.trailer.value(1),
                    actual=len(group.messages),
                ),
                interchange=interchange,
                group=control,
                segment_tag="GE",
                element="GE01",
                element_position=1,
                interchange_position=raw.trailer_at,
            )
        )
    if not same_reference(gs.value(6), raw.trailer.value(2)):
        group.errors.append(
            _mismatch(
                "GE", 2, gs.value(6), raw.trailer.value(2), interchange, control, at=raw.trailer_at
            )
        )
    return group


def _message(raw: RawMessage, dialect: Dialect, interchange: str | None, group: Group) -> Message:
    st = raw.header
    control = st.value(2).strip()
    message = Message(
        X12,
        type=st.value(1).strip(),
        control_number=control,
        version=group.version or st.value(3).strip() or None,
        text=raw.text,
        segment_count=raw.count,
        dialect=dialect,
        interchange=interchange,
        group=group.control_number,
    )
    if raw.trailer is None:
        message.errors.append(
            missing_trailer("SE", "ST", interchange, group.control_number, control)
        )
        return message
    if not count_matches(raw.trailer.value(1), raw.count):
        message.errors.append(
            EdiError(
                errors.SEGMENT_COUNT_MISMATCH,
                Msg(
                    N_("Segments: SE01 declares %(declared)s, the transaction set has %(actual)s"),
                    declared=raw.trailer.value(1),
                    actual=raw.count,
                ),
                interchange=interchange,
                group=group.control_number,
                message=control,
                segment_position=raw.count,
                segment_tag="SE",
                element="SE01",
                element_position=1,
                value=raw.trailer.value(1),
            )
        )
    if not same_reference(control, raw.trailer.value(2)):
        message.errors.append(
            _mismatch(
                "SE",
                2,
                control,
                raw.trailer.value(2),
                interchange,
                group.control_number,
                control,
                raw.count,
            )
        )
    return message

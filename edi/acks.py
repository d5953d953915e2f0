"""Write acknowledgements of what was read: X12 997 (with TA1) and EDIFACT CONTRL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from edi import errors
from edi.errors import EdiError
from edi.model import EDIFACT, X12, Group, Interchange, Message, Separators
from edi.writer import (
    EDIFACT_SEPARATORS,
    X12_SEPARATORS,
    ControlNumbers,
    Party,
    edifact_interchange,
    segment,
    x12_envelope,
)

# Our error codes as X12 codes: AK5 (718) for set envelope problems, AK304 (720) and
# AK403 (723) for segment and element problems, AK905 (716) for groups, TA105 (I18).
_AK5 = {
    errors.DUPLICATE_CONTROL_NUMBER: "23",
    errors.UNSUPPORTED_MESSAGE: "1",
    errors.MISSING_TRAILER: "2",
    errors.CONTROL_NUMBER_MISMATCH: "3",
    errors.SEGMENT_COUNT_MISMATCH: "4",
}
_AK304 = {errors.UNEXPECTED_SEGMENT: "2", errors.MISSING_SEGMENT: "3"}
_AK403 = {errors.MISSING_ELEMENT: "1", errors.BAD_NUMBER: "6", errors.BAD_CODE: "7"}
_AK403_DATE = "8"
_AK905 = {
    errors.MISSING_TRAILER: "3",
    errors.CONTROL_NUMBER_MISMATCH: "4",
    errors.MESSAGE_COUNT_MISMATCH: "5",
}
_TA105 = {
    errors.DUPLICATE_CONTROL_NUMBER: "020",
    errors.CONTROL_NUMBER_MISMATCH: "001",
    errors.GROUP_COUNT_MISMATCH: "017",
    errors.MISSING_TRAILER: "019",
}
# Our error codes as EDIFACT syntax error codes (0085).
_EDIFACT_0085 = {
    errors.DUPLICATE_CONTROL_NUMBER: "26",
    errors.CONTROL_NUMBER_MISMATCH: "28",
    errors.SEGMENT_COUNT_MISMATCH: "29",
    errors.MESSAGE_COUNT_MISMATCH: "29",
    errors.MISSING_TRAILER: "13",
    errors.MISSING_SEGMENT: "13",
    errors.MISSING_ELEMENT: "13",
    errors.UNEXPECTED_SEGMENT: "33",
    errors.UNSUPPORTED_MESSAGE: "17",
    errors.BAD_CHARACTERS: "21",
}


def accepted(interchange: Interchange, group: Group, message: Message) -> bool:
    """True when the message has no error and neither its group nor its interchange is rejected."""
    return not (message.errors or group.rejected or interchange.rejected)


def _segment_errors(message: Message) -> Iterator[tuple[int, str, list[EdiError]]]:
    """(position, tag, errors) of each segment of the message that has errors, in order."""
    by_place: dict[tuple[int, str], list[EdiError]] = {}
    for error in message.errors:
        if error.code in _AK5 or error.segment_tag is None:
            continue
        position = error.segment_position or message.segment_count
        by_place.setdefault((position, error.segment_tag), []).append(error)
    for (position, tag), found in sorted(by_place.items()):
        yield position, tag, found


def _clean(value: str, separators: Separators) -> str:
    specials = {separators.element, separators.component, separators.segment}
    if separators.repetition:
        specials.add(separators.repetition)
    return "".join(ch for ch in value if ch not in specials)[:99]


def _x12(tag: str, values: list[str | None], separators: Separators) -> str:
    """An X12 segment of received values, separator characters dropped (X12 cannot escape)."""
    cleaned: list[str | None] = [
        None if value is None else _clean(value, separators) for value in values
    ]
    return segment(tag, list(cleaned), separators, escape=False)


def _usable(separators: Separators) -> bool:
    """True when the separators can be written back: distinct, none a letter, digit or blank."""
    chars = [separators.element, separators.component, separators.segment]
    return len(set(chars)) == 3 and not any(ch.isalnum() or ch in " \t" for ch in chars)


def _x12_set_response(message: Message, ok: bool, separators: Separators) -> list[str]:
    out = [_x12("AK2", [message.type, message.control_number], separators)]
    segment_errors = list(_segment_errors(message))
    for position, tag, found in segment_errors:
        code = next((_AK304[e.code] for e in found if e.code in _AK304), "8")
        out.append(_x12("AK3", [tag, str(position), None, code], separators))
        for error in found:
            if error.element_position is None or error.code in _AK304:
                continue
            where = str(error.element_position)
            if error.component_position and error.component_position > 1:
                where += separators.component + str(error.component_position)
            code = _AK403_DATE if error.code == errors.BAD_DATE else _AK403.get(error.code, "7")
            value = _clean(error.value or "", separators) or None
            out.append(segment("AK4", [where, None, code, value], separators, escape=False))
    codes = list(dict.fromkeys(_AK5[e.code] for e in message.errors if e.code in _AK5))
    if segment_errors:
        codes.append("5")
    out.append(segment("AK5", ["A" if ok else "R", *codes[:5]], separators, escape=False))
    return out


def _x12_group_response(
    interchange: Interchange, group: Group, separators: Separators
) -> list[str]:
    body = [_x12("AK1", [group.functional_id, group.control_number], separators)]
    ok_count = 0
    for message in group.messages:
        ok = accepted(interchange, group, message)
        ok_count += ok
        body.extend(_x12_set_response(message, ok, separators))
    received = len(group.messages)
    included = group.trailer.value(1).strip() if group.trailer is not None else ""
    codes = list(dict.fromkeys(_AK905[e.code] for e in group.errors if e.code in _AK905))
    if ok_count == received and not group.errors and not interchange.rejected:
        status = "A"
    else:
        status = "P" if ok_count else "R"
    ak9 = [status, included or str(received), str(received), str(ok_count), *codes[:5]]
    body.append(_x12("AK9", ak9, separators))
    return body


def write_997(
    interchange: Interchange,
    *,
    sender: Party,
    control: ControlNumbers,
    separators: Separators | None = None,
    when: dt.datetime | None = None,
    version: str = "00401",
    release: str | None = None,
) -> bytes:
    """A 997 for every functional group of an X12 interchange read by :func:`edi.read` or
    :func:`edi.parse_document`, in one ISA..IEA from ``sender`` back to the interchange sender.

    Per group: AK1 (GS01, GS06); per set AK2, AK3/AK4 for each segment and element error
    (AK304: 2 unexpected, 3 missing, 8 element errors; AK403: 1 missing, 6 bad number,
    8 bad date, 7 otherwise) and AK5: A, or R with 1 unsupported, 2 no trailer, 3 control
    number, 4 segment count, 5 segment errors, 23 duplicate control number. AK9: A all
    accepted, P some, R none; GE01, sets received, sets accepted; 3 no GE, 4 GE02, 5 GE01.
    A set is accepted when it, its group and its interchange have no error. When the
    interchange envelope is wrong, a TA1 with R and note code 001/017/019/020 (else 018)
    comes first. Sets outside any GS cannot be acknowledged and are left out; with no group
    at all the interchange holds the TA1 alone.
    ``separators`` default to those of the interchange read.
    """
    if interchange.standard != X12:
        raise ValueError("a 997 acknowledges X12 interchanges only")
    received = interchange.separators
    seps = separators or (received if _usable(received) else X12_SEPARATORS)
    groups = [group for group in interchange.groups if group.explicit]
    receiver = Party(
        _clean(interchange.sender or "", seps),
        _clean(interchange.sender_qualifier or "ZZ", seps),
        _clean(groups[0].sender or "", seps) or None if groups else None,
    )
    received_version = _clean(groups[0].version or "", seps) if groups else ""
    when = when or dt.datetime.now(dt.UTC)
    ta1 = []
    if interchange.rejected and interchange.header is not None:
        note = next((_TA105[e.code] for e in interchange.errors if e.code in _TA105), "018")
        isa = interchange.header
        fields = [isa.value(13), isa.value(9), isa.value(10), "R", note]
        ta1.append(_x12("TA1", fields, seps))
    responses = [("997", _x12_group_response(interchange, group, seps)) for group in groups]
    # No group read: the TA1 alone answers (an FA group without a 997 is not valid X12).
    fa_version = release or received_version or "004010"
    text = x12_envelope(
        [("FA", fa_version, responses)] if responses else [],
        sender=sender,
        receiver=receiver,
        control=control,
        separators=seps,
        when=when,
        version=version,
        before_groups=ta1,
    )
    return text.encode("utf-8")


def _action(ok: bool) -> str:
    return "7" if ok else "4"


def _edifact_code(found: list[EdiError]) -> str | None:
    return next((_EDIFACT_0085.get(e.code, "12") for e in found), None)


def _contrl_message(
    interchange: Interchange, group: Group, message: Message, separators: Separators
) -> list[str]:
    ok = accepted(interchange, group, message)
    envelope = [e for e in message.errors if e.code in _AK5]
    tag = envelope[0].segment_tag if envelope else None
    identifier = (
        [message.type, *(message.version or "").split(":"), "UN"]
        if message.version
        else [message.type]
    )
    fields = [message.control_number, identifier, _action(ok), _edifact_code(envelope), tag]
    out = [segment("UCM", fields, separators, escape=True)]
    for position, _tag, found in _segment_errors(message):
        out.append(segment("UCS", [str(position), _edifact_code(found)], separators, escape=True))
        for error in found:
            if error.element_position is None or error.code == errors.MISSING_SEGMENT:
                continue
            where = [str(error.element_position), str(error.component_position or "")]
            code = _edifact_code([error])
            out.append(segment("UCD", [code, where], separators, escape=True))
    return out


def write_contrl(
    interchange: Interchange,
    *,
    sender: Party,
    control: ControlNumbers,
    separators: Separators = EDIFACT_SEPARATORS,
    when: dt.datetime | None = None,
) -> bytes:
    """A CONTRL for an EDIFACT interchange read by :func:`edi.read` or
    :func:`edi.parse_document`, from ``sender`` back to the interchange sender, with the
    syntax identifier and version of the UNB received (CONTRL:4:1:UN for syntax 4, else
    CONTRL:D:3:UN).

    UCI: the interchange reference, its sender and recipient, action 7 (acknowledged) or 4
    (rejected, with 0085 28 references, 29 counts, 13 missing, 33 outside a message ...).
    When accepted, a UCF per UNG group and a UCM per message (7, or 4 with its 0085 code),
    with UCS (segment position, 0085) and UCD (0085, element:component) for each segment and
    element error. ValueError for an interchange without UNB.
    """
    if interchange.standard != EDIFACT or interchange.header is None:
        raise ValueError("CONTRL acknowledges EDIFACT interchanges with a UNB only")
    unb = interchange.header
    syntax = interchange.version or "UNOC:3"
    syntax_version = syntax.partition(":")[2]
    identifier = ["CONTRL", "4", "1", "UN"] if syntax_version >= "4" else ["CONTRL", "D", "3", "UN"]
    rejected = interchange.rejected
    code = _edifact_code([e for e in interchange.errors if e.code != errors.UNEXPECTED_DATA])
    uci = [unb.value(5), unb.composite(2), unb.composite(3), _action(not rejected), code]
    body = [segment("UCI", uci, separators, escape=True)]
    if not rejected:
        for group in interchange.groups:
            if group.explicit and group.header is not None:
                ung = group.header
                fields = [group.control_number, ung.composite(2), ung.composite(3)]
                ucf = [*fields, _action(not group.rejected), _edifact_code(group.errors)]
                body.append(segment("UCF", ucf, separators, escape=True))
            for message in group.messages:
                body.extend(_contrl_message(interchange, group, message, separators))
    receiver = Party(interchange.sender or "", interchange.sender_qualifier or "")
    text = edifact_interchange(
        [(identifier, body)],
        sender=sender,
        receiver=receiver,
        control=control,
        separators=separators,
        when=when or dt.datetime.now(dt.UTC),
        syntax=syntax,
    )
    return text.encode("utf-8")

"""Envelope checks shared by X12 and EDIFACT: counts and control references."""

from __future__ import annotations

from edi import errors
from edi.envelope import RawInterchange
from edi.errors import EdiError
from edi.model import X12, Interchange
from models.i18n import N_, Msg


def count_matches(declared: str, actual: int) -> bool:
    """True when the declared count (as received) equals ``actual``."""
    declared = declared.strip()
    return declared.isdecimal() and int(declared) == actual


def same_reference(header: str, trailer: str) -> bool:
    """True when two control references agree (numerically when both are digits)."""
    header, trailer = header.strip(), trailer.strip()
    if header.isdecimal() and trailer.isdecimal():
        return int(header) == int(trailer)
    return header == trailer


def structure_errors(raw: RawInterchange, interchange: str | None) -> list[EdiError]:
    """Errors for segments found outside any message and for data after the trailer."""
    found = [
        EdiError(
            errors.UNEXPECTED_SEGMENT,
            Msg(
                N_("%(count)s segment(s) outside any message, starting with %(tag)s"),
                count=count,
                tag=tag,
            ),
            interchange=interchange,
            segment_tag=tag,
            interchange_position=position,
        )
        for tag, count, position in raw.strays
    ]
    found.extend(
        EdiError(
            errors.UNEXPECTED_SEGMENT,
            Msg(N_("Group trailer %(tag)s without a group header"), tag=segment.tag),
            interchange=interchange,
            segment_tag=segment.tag,
            interchange_position=position,
        )
        for segment, position in raw.stray_trailers
    )
    if raw.trailing:
        found.append(
            EdiError(
                errors.UNEXPECTED_DATA,
                Msg(
                    N_("Data after the interchange trailer: %(start)s"),
                    start=raw.trailing[:20],
                ),
                interchange=interchange,
            )
        )
    return found


def missing_trailer(
    tag: str,
    header_tag: str,
    interchange: str | None,
    group: str | None,
    message: str | None,
    after: int | None = None,
) -> EdiError:
    """The error for a header whose trailer never came; ``after`` is the position in the
    interchange of the last segment read, when the trailer of the interchange is missing."""
    return EdiError(
        errors.MISSING_TRAILER,
        Msg(N_("%(header)s has no %(tag)s trailer"), header=header_tag, tag=tag),
        interchange=interchange,
        group=group,
        message=message,
        segment_tag=tag,
        interchange_position=after,
    )


# Where the control number sits: (tag, display reference, element position).
_CONTROL_ELEMENT = {
    (True, "group"): ("GS", "GS06", 6),
    (True, "message"): ("ST", "ST02", 2),
    (False, "group"): ("UNG", "UNG/0048", 5),
    (False, "message"): ("UNH", "UNH/0062", 1),
}


def _duplicate(x12: bool, level: str, number: str, **place: str | int | None) -> EdiError:
    tag, ref, position = _CONTROL_ELEMENT[(x12, level)]
    return EdiError(
        errors.DUPLICATE_CONTROL_NUMBER,
        Msg(N_("%(tag)s control number %(number)s is used twice"), tag=tag, number=number),
        segment_tag=tag,
        element=ref,
        element_position=position,
        value=number,
        **place,
    )


def flag_duplicates(interchange: Interchange) -> None:
    """Add an error to each group or message whose control number came before in its scope.

    X12: ST02 within its group, GS06 within the interchange. EDIFACT: UNH 0062 within its
    group (within the interchange for messages sent without UNG), UNG 0048 within the
    interchange.
    """
    x12 = interchange.standard == X12
    control = interchange.control_number
    seen_groups: set[str] = set()
    seen_loose: set[str] = set()
    for group in interchange.groups:
        number = group.control_number
        if group.explicit and number is not None:
            if number in seen_groups:
                place = {"interchange": control, "interchange_position": group.position}
                group.errors.append(_duplicate(x12, "group", number, **place))
            seen_groups.add(number)
        seen = seen_loose if not group.explicit and not x12 else set()
        for message in group.messages:
            key = message.control_number
            if key is None:
                continue
            if key in seen:
                message.errors.append(
                    _duplicate(
                        x12,
                        "message",
                        key,
                        interchange=control,
                        group=number,
                        message=key,
                        segment_position=1,
                    )
                )
            seen.add(key)

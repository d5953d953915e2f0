"""Write X12 and EDIFACT segments and envelopes from plain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edi.model import Separators

X12_SEPARATORS = Separators(element="*", component=">", segment="~", repetition="^")
EDIFACT_SEPARATORS = Separators(element="+", component=":", segment="'", release="?")

Element = str | list[str] | None


@dataclass(frozen=True, slots=True)
class Party:
    """An interchange partner: ``id`` with its ``qualifier`` (ISA05/07, UNB 0007) and the
    application id used in GS02/GS03 or UNG (``id`` when None)."""

    id: str
    qualifier: str = "ZZ"
    application_id: str | None = None

    @property
    def application(self) -> str:
        return self.application_id or self.id


@dataclass(frozen=True, slots=True)
class ControlNumbers:
    """Control numbers chosen by the caller: interchange (ISA13 / UNB 0020), group (GS06) and
    the first message (ST02 / UNH 0062), the next messages counting up from it."""

    interchange: int
    group: int = 1
    first_message: int = 1


def _check(value: str, separators: Separators, escape: bool) -> str:
    specials = {separators.element, separators.component, separators.segment}
    if separators.repetition:
        specials.add(separators.repetition)
    if escape and separators.release:
        release = separators.release
        return "".join(release + ch if ch in specials or ch == release else ch for ch in value)
    bad = [ch for ch in specials if ch in value]
    if bad:
        raise ValueError(f"{value!r} contains the separator {bad[0]!r}")
    return value


def segment(tag: str, elements: list[Element], separators: Separators, *, escape: bool) -> str:
    """One segment with its terminator; trailing empty elements and components are dropped.

    With ``escape`` (EDIFACT) separator characters in values are preceded by the release
    character; without it (X12, which has none) a value holding one is a ValueError.
    """
    parts = []
    for element in elements:
        if element is None:
            parts.append("")
        elif isinstance(element, list):
            components = [_check(c or "", separators, escape) for c in element]
            while components and components[-1] == "":
                components.pop()
            parts.append(separators.component.join(components))
        else:
            parts.append(_check(element, separators, escape))
    while parts and parts[-1] == "":
        parts.pop()
    return separators.element.join([tag, *parts]) + separators.segment


X12Set = tuple[str, list[str]]


def x12_envelope(
    groups: list[tuple[str, str, list[X12Set]]],
    *,
    sender: Party,
    receiver: Party,
    control: ControlNumbers,
    separators: Separators,
    when: dt.datetime,
    version: str = "00401",
    test: bool = False,
    before_groups: list[str] | None = None,
) -> str:
    """An ISA..IEA interchange; each group is (GS01 functional id, GS08 version, sets), each
    set (ST01 type, its segment texts between ST and SE); ST/SE are added and SE01 counted.

    Groups are numbered from ``control.group`` and sets from ``control.first_message``;
    ``before_groups`` are segment texts placed right after the ISA (e.g. TA1).
    """
    e = separators.element
    repetition = separators.repetition if version >= "00402" and separators.repetition else "U"
    isa = e.join(
        [
            "ISA",
            "00",
            " " * 10,
            "00",
            " " * 10,
            sender.qualifier.ljust(2)[:2],
            sender.id.ljust(15)[:15],
            receiver.qualifier.ljust(2)[:2],
            receiver.id.ljust(15)[:15],
            when.strftime("%y%m%d"),
            when.strftime("%H%M"),
            repetition,
            version,
            f"{control.interchange:09d}",
            "0",
            "T" if test else "P",
            separators.component,
        ]
    )
    out = [isa + separators.segment, *(before_groups or [])]
    number = control.first_message
    for offset, (functional_id, group_version, sets) in enumerate(groups):
        group_number = str(control.group + offset)
        out.append(
            segment(
                "GS",
                [
                    functional_id,
                    sender.application,
                    receiver.application,
                    when.strftime("%Y%m%d"),
                    when.strftime("%H%M"),
                    group_number,
                    "X",
                    group_version,
                ],
                separators,
                escape=False,
            )
        )
        for set_type, body in sets:
            set_number = f"{number:04d}"
            number += 1
            out.append(segment("ST", [set_type, set_number], separators, escape=False))
            out.extend(body)
            count = str(len(body) + 2)
            out.append(segment("SE", [count, set_number], separators, escape=False))
        out.append(segment("GE", [str(len(sets)), group_number], separators, escape=False))
    trailer = [str(len(groups)), f"{control.interchange:09d}"]
    out.append(segment("IEA", trailer, separators, escape=False))
    return "".join(out)


def edifact_interchange(
    messages: list[tuple[list[str], list[str]]],
    *,
    sender: Party,
    receiver: Party,
    control: ControlNumbers,
    separators: Separators,
    when: dt.datetime,
    syntax: str = "UNOC:3",
    test: bool = False,
) -> str:
    """UNA, UNB .. UNZ around messages; each is (S009 message identifier components, the
    segment texts between UNH and UNT). UNH/UNT are added and counted; messages are numbered
    from ``control.first_message``. The UNB date is YYMMDD, CCYYMMDD from syntax 4 on."""
    s = separators
    una = "UNA" + s.component + s.element + s.decimal + (s.release or " ")
    una += (s.repetition or " ") + s.segment
    version = syntax.partition(":")[2]
    date = when.strftime("%Y%m%d" if version >= "4" else "%y%m%d")
    reference = str(control.interchange)
    out = [
        una,
        segment(
            "UNB",
            [
                syntax.split(":"),
                [sender.id, sender.qualifier],
                [receiver.id, receiver.qualifier],
                [date, when.strftime("%H%M")],
                reference,
                *([None] * 5 + ["1"] if test else []),
            ],
            s,
            escape=True,
        ),
    ]
    for offset, (identifier, body) in enumerate(messages):
        message_ref = str(control.first_message + offset)
        out.append(segment("UNH", [message_ref, identifier], s, escape=True))
        out.extend(body)
        out.append(segment("UNT", [str(len(body) + 2), message_ref], s, escape=True))
    out.append(segment("UNZ", [str(len(messages)), reference], s, escape=True))
    return "".join(out)

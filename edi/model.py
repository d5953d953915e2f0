"""The read data model: separators, segments, messages, groups, interchanges and documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from edi.errors import UNEXPECTED_DATA, EdiError

if TYPE_CHECKING:
    from edi.tokenizer import Dialect

X12 = "x12"
EDIFACT = "edifact"


@dataclass(frozen=True, slots=True)
class Separators:
    """The delimiters of one interchange, as read from its ISA or UNA (or the defaults).

    ``repetition`` and ``release`` are None when the interchange has none; ``decimal`` is the
    UNA decimal mark (X12 always uses '.').
    """

    element: str
    component: str
    segment: str
    repetition: str | None = None
    release: str | None = None
    decimal: str = "."


@dataclass(slots=True)
class Segment:
    """One decoded segment.

    ``elements[n - 1]`` is element n of the standard (X12 ``BSN02`` is ``elements[1]``, EDIFACT
    ``BGM`` element 2 is ``elements[1]``), each a list of its components with release characters
    already resolved. A repeated element keeps its first occurrence in ``elements`` and all of
    them in ``repeats[n]``. ``position`` is the 1-based position of the segment within its
    message (ST/UNH = 1, SE/UNT = the last); envelope segments outside a message have 0.
    """

    tag: str
    elements: list[list[str]]
    position: int
    repeats: dict[int, list[list[str]]] | None = None

    def bare(self) -> Segment:
        """The segment's tag and position without its elements: enough to say where a field
        was read, for a mapper that keeps the place of many segments until the end."""
        return Segment(self.tag, [], self.position)

    def value(self, n: int, component: int = 1) -> str:
        """Element ``n``, component ``component`` (both 1-based), or '' when absent."""
        if n <= len(self.elements):
            comps = self.elements[n - 1]
            if component <= len(comps):
                return comps[component - 1]
        return ""

    def composite(self, n: int) -> list[str]:
        """All components of element ``n`` (an empty list when absent)."""
        return self.elements[n - 1] if n <= len(self.elements) else []

    def repetitions(self, n: int) -> list[list[str]]:
        """Every occurrence of element ``n`` (one when it is not repeated, none when absent)."""
        if self.repeats and n in self.repeats:
            return self.repeats[n]
        return [self.elements[n - 1]] if n <= len(self.elements) else []


class Place(NamedTuple):
    """Where a record field was read. A tuple, not a dict: a ship notice of 50,000 lines
    holds a quarter of a million of them, and as dicts they took 100 MB."""

    segment_position: int
    segment_tag: str
    element: str | None


@dataclass(slots=True)
class Message:
    """One X12 transaction set (ST..SE) or EDIFACT message (UNH..UNT).

    The segments are kept as their received text and tokenised again on each iteration of
    :meth:`tokens` / :meth:`segments`, so that a large message costs one string, not a tree.
    ``records`` are the plain records mapped from it (empty when ``errors`` is not);
    ``places`` says where each field of its record was read: a field path of the record
    (``number``, ``lines.0``, ``lines.0.part_number``) to its :class:`Place`, so that a value
    refused later names its segment as a syntax error does.
    """

    standard: str
    type: str
    control_number: str | None
    version: str | None
    text: str
    segment_count: int
    dialect: Dialect
    interchange: str | None = None
    group: str | None = None
    errors: list[EdiError] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)

    def tokens(self) -> Iterator[list[str]]:
        """The raw element lists of every segment, in order (index 0 is the tag).

        Raw means split on segment and element separators only: components are not split,
        escaped characters are still encoded and the tag may carry the line break that
        followed the previous terminator; :meth:`segments` gives decoded segments.
        """
        return self.dialect.tokens(self.text)

    def segments(self) -> Iterator[Segment]:
        """The decoded segments, positions 1..n."""
        decode = self.dialect.segment
        for position, tokens in enumerate(self.dialect.tokens(self.text), 1):
            yield decode(tokens, position)


@dataclass(slots=True)
class Group:
    """An X12 functional group (GS..GE) or EDIFACT group (UNG..UNE).

    EDIFACT messages sent without UNG sit in one group with ``explicit`` False and no header.
    ``position`` is that of its header in the interchange (ISA/UNB = 1), None without one.
    """

    functional_id: str | None
    control_number: str | None
    sender: str | None = None
    receiver: str | None = None
    version: str | None = None
    date: str | None = None
    explicit: bool = True
    header: Segment | None = None
    trailer: Segment | None = None
    messages: list[Message] = field(default_factory=list)
    errors: list[EdiError] = field(default_factory=list)
    position: int | None = None

    @property
    def rejected(self) -> bool:
        """True when the group envelope does not add up: none of its messages is accepted."""
        return bool(self.errors)


@dataclass(slots=True)
class Interchange:
    """One ISA..IEA or UNB..UNZ interchange with its own separators.

    ``version`` is ISA12 (e.g. "00401") or the EDIFACT syntax identifier and version
    (e.g. "UNOA:3"); ``date`` is ISO YYYY-MM-DD when it could be read. ``header`` and
    ``trailer`` are the ISA/UNB and IEA/UNZ segments (ISA elements are not split into
    components); ``service_segments`` are the X12 TA1, ISB and ISE found between groups.
    """

    standard: str
    separators: Separators
    sender: str | None = None
    sender_qualifier: str | None = None
    receiver: str | None = None
    receiver_qualifier: str | None = None
    control_number: str | None = None
    version: str | None = None
    date: str | None = None
    time: str | None = None
    test: bool = False
    header: Segment | None = None
    trailer: Segment | None = None
    groups: list[Group] = field(default_factory=list)
    service_segments: list[Segment] = field(default_factory=list)
    errors: list[EdiError] = field(default_factory=list)

    @property
    def messages(self) -> list[Message]:
        """Every message of every group, in order."""
        return [message for group in self.groups for message in group.messages]

    @property
    def rejected(self) -> bool:
        """True when the envelope does not add up (header, trailer, counts, references,
        segments outside messages): none of its messages is accepted. Data after the
        trailer is reported but does not reject the interchange."""
        return any(error.code != UNEXPECTED_DATA for error in self.errors)


@dataclass(slots=True)
class Document:
    """A whole file: its interchanges and the errors that belong to no interchange."""

    interchanges: list[Interchange] = field(default_factory=list)
    errors: list[EdiError] = field(default_factory=list)

    def all_errors(self) -> list[EdiError]:
        """File errors, then per interchange its own, each group's and each message's."""
        found = list(self.errors)
        for interchange in self.interchanges:
            found.extend(interchange.errors)
            for group in interchange.groups:
                found.extend(group.errors)
                for message in group.messages:
                    found.extend(message.errors)
        return found

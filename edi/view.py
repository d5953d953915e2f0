"""A message seen by a mapper: decoded segments plus readers that record errors, never raise."""

from __future__ import annotations

from collections.abc import Iterator

from edi import errors, parts
from edi.dates import edifact_date, x12_date
from edi.errors import EdiError, element_ref
from edi.model import X12, Message, Place, Segment
from edi.numbers import decimal_string
from models.i18n import N_, Msg

_ENVELOPE = {
    "x12": frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE"}),
    "edifact": frozenset({"UNA", "UNB", "UNZ", "UNG", "UNE", "UNH", "UNT"}),
}


class MessageView:
    """Read one message for mapping; every problem becomes an :class:`EdiError` in ``errors``.

    Element and component numbers are 1-based, as in the standards (``BSN02`` is element 2).
    """

    def __init__(self, message: Message):
        self.message = message
        self.standard = message.standard
        self.errors: list[EdiError] = []
        self.places: dict[str, Place] = {}

    def segments(self) -> Iterator[Segment]:
        """The segments between header and trailer; envelope segments there become errors."""
        envelope = _ENVELOPE[self.standard]
        last = self.message.segment_count
        for segment in self.message.segments():
            if segment.position == 1:
                continue
            if segment.tag in envelope:
                if segment.position == last and segment.tag in ("SE", "UNT"):
                    continue
                self.error(
                    errors.UNEXPECTED_SEGMENT,
                    Msg(N_("Envelope segment %(tag)s inside a message"), tag=segment.tag),
                    segment,
                )
                continue
            yield segment

    def error(
        self,
        code: str,
        text: Msg,
        segment: Segment | None,
        element: int | None = None,
        component: int | None = None,
        ident: str | None = None,
        value: str | None = None,
    ) -> None:
        """Record a problem at ``segment`` (or at the message when None), element and component."""
        message = self.message
        tag = segment.tag if segment is not None else None
        ref = None
        if tag and element:
            ref = element_ref(
                self.standard, tag, element, component if component != 1 else None, ident
            )
        self.errors.append(
            EdiError(
                code,
                text,
                interchange=message.interchange,
                group=message.group,
                message=message.control_number,
                segment_position=segment.position if segment is not None else None,
                segment_tag=tag,
                element=ref,
                element_position=element,
                component_position=component if element else None,
                value=value,
            )
        )

    def place(
        self,
        path: str,
        segment: Segment | None,
        element: int | None = None,
        component: int = 1,
        ident: str | None = None,
    ) -> None:
        """Remember that the record field ``path`` was read from ``segment`` (and element):
        the first place given for a path is kept."""
        if segment is None or path in self.places:
            return
        ref = None
        if element:
            ref = element_ref(
                self.standard, segment.tag, element, component if component != 1 else None, ident
            )
        self.places[path] = Place(segment.position, segment.tag, ref)

    def place_id(self, path: str, value: str | None, candidates: list[tuple[Segment, int]]) -> None:
        """Place a product or lot id at the first of ``candidates`` (segment, first id
        element) that carries it (see :func:`edi.parts.id_place`)."""
        self.place_found(path, parts.id_place(candidates, value))

    def place_found(self, path: str, found: tuple[Segment, int] | None) -> None:
        """Place a product or lot id where it was ``found`` (see :func:`edi.parts.placed`)."""
        if found is not None:
            ident = "7140" if self.standard != X12 else None
            self.place(path, found[0], found[1], ident=ident)

    def missing_segment(
        self, tag: str, near: Segment | None = None, *, first: bool = False
    ) -> None:
        """Record that a required ``tag`` segment is absent, expected after ``near``; else
        after the header when it is the ``first`` of the message (BGM, BEG), else after the
        last segment before the trailer (the lines of a message come last)."""
        if near is not None:
            after = near.position
        else:
            after = 1 if first else max(self.message.segment_count - 1, 1)
        self.errors.append(
            EdiError(
                errors.MISSING_SEGMENT,
                Msg(N_("Required segment %(tag)s is missing"), tag=tag),
                interchange=self.message.interchange,
                group=self.message.group,
                message=self.message.control_number,
                segment_position=after,
                segment_tag=tag,
            )
        )

    def text(
        self,
        segment: Segment,
        element: int,
        component: int = 1,
        *,
        required: bool = False,
        ident: str | None = None,
    ) -> str | None:
        """The stripped value, or None when empty (a ``missing_element`` error if required)."""
        value = segment.value(element, component).strip()
        if value:
            return value
        if required:
            self.error(
                errors.MISSING_ELEMENT,
                Msg(
                    N_("Segment %(tag)s has no value in required element %(element)s"),
                    tag=segment.tag,
                    element=element_ref(
                        self.standard,
                        segment.tag,
                        element,
                        component if component != 1 else None,
                        ident,
                    ),
                ),
                segment,
                element,
                component,
                ident,
            )
        return None

    def number(
        self,
        segment: Segment,
        element: int,
        component: int = 1,
        *,
        required: bool = False,
        ident: str | None = None,
    ) -> str | None:
        """The value as a canonical decimal string (see :mod:`edi.numbers`), or None."""
        value = self.text(segment, element, component, required=required, ident=ident)
        if value is None:
            return None
        try:
            return decimal_string(value, comma_is_decimal=self.standard != X12)
        except ValueError:
            self.error(
                errors.BAD_NUMBER,
                Msg(N_("%(value)s is not a number"), value=value),
                segment,
                element,
                component,
                ident,
                value,
            )
            return None

    def date(
        self,
        segment: Segment,
        element: int,
        component: int = 1,
        *,
        format_code: str = "",
        required: bool = False,
        ident: str | None = None,
    ) -> str | None:
        """The value as an ISO date (X12 CCYYMMDD/YYMMDD; EDIFACT by ``format_code``), or None."""
        value = self.text(segment, element, component, required=required, ident=ident)
        if value is None:
            return None
        try:
            return x12_date(value) if self.standard == X12 else edifact_date(value, format_code)
        except ValueError:
            self.error(
                errors.BAD_DATE,
                Msg(N_("%(value)s is not a valid date"), value=value),
                segment,
                element,
                component,
                ident,
                value,
            )
            return None

    def dtm(self, segment: Segment) -> str | None:
        """The date of an EDIFACT DTM segment (C507: qualifier, value, format code)."""
        return self.date(
            segment, 1, 2, format_code=segment.value(1, 3), required=True, ident="2380"
        )

"""Split normalised interchange text into segments and elements, and decode segments.

The fast path is two ``str.split`` calls per segment. Line breaks are removed from the whole
interchange once (:func:`normalise`, unless they only follow terminators: then segments keep
them in front, see :func:`line_break_prefix`; :func:`tidy` removes indentation), and
escaped characters (EDIFACT release character) are replaced once by private-use placeholders
(:meth:`Dialect.protect`), so that splitting on separators is always right; placeholders are
turned back into the characters they stand for only when a segment is decoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import repeat

from edi.model import Segment, Separators

_PLACEHOLDER_RANGE = range(0xE000, 0xF900)
_NEWLINE_SPACE = re.compile(r"[ \t]*\n[ \t\n]*")
_NEWLINE_SPACE_PROBE = re.compile(r"[ \t]\n|\n[ \t\n]")


def normalise(body: str, terminator: str) -> str:
    """Remove line breaks that are not data (the cheap pass every interchange gets).

    With a newline terminator, CRLF and CR become LF and spaces around line breaks go;
    otherwise every CR and LF goes (X12 and EDIFACT data never contain them, and files wrapped
    at 80 columns are common). Blanks after a terminator are left to :func:`tidy`; blanks at
    the end are left to the envelope pass, which skips empty segments.
    """
    if terminator == "\n":
        if "\r" in body:
            body = body.replace("\r\n", "\n").replace("\r", "\n")
        if _NEWLINE_SPACE_PROBE.search(body):
            body = _NEWLINE_SPACE.sub("\n", body)
    elif "\n" in body or "\r" in body:
        body = body.replace("\r", "").replace("\n", "")
    return body


def line_break_prefix(body: str, terminator: str, after_header: int) -> str | None:
    r"""The line break ("\n" or "\r\n") that follows the header's terminator, to be kept in
    front of every following segment; "" when the text has no line breaks at all; None when
    line breaks must be removed first (:func:`normalise`).

    Keeping them saves a copy of the interchange; the envelope pass checks that they occur
    only after terminators, and reads the text again after :func:`normalise` otherwise.
    """
    if terminator in "\r\n":
        return None
    has_return = "\r" in body
    if not has_return and "\n" not in body:
        return ""
    lead = body[after_header : after_header + 2]
    if lead == "\r\n":
        return lead
    return "\n" if lead[:1] == "\n" and not has_return else None


def tidy(body: str, terminator: str) -> str:
    """Remove blanks after terminators (indentation) and empty segments.

    Only needed when the envelope does not add up without it, so the reader calls it then.
    """
    escaped = re.escape(terminator)
    # A function, not the string: a terminator "\\" would be read as an escape in a template.
    body = re.sub(escaped + r"[ \t]+", lambda _: terminator, body)
    return re.sub(escaped + "{2,}", lambda _: terminator, body)


class Dialect:
    """How to split and decode the segments of one interchange.

    ``escaped`` is True when the release character occurs; then the text handed to
    :meth:`tokens` must have gone through :meth:`protect` first.
    """

    __slots__ = ("_plain", "_restore", "_table", "escaped", "separators")

    def __init__(self, separators: Separators, placeholders: dict[str, str] | None = None):
        self.separators = separators
        self.escaped = placeholders is not None
        self._restore = placeholders or {}
        table: dict[int, str | None] = {ord(p): ch for p, ch in self._restore.items()}
        if separators.release and self.escaped:
            table[ord(separators.release)] = None
        self._table = table
        self._plain = not self.escaped and not separators.repetition

    @classmethod
    def for_text(cls, separators: Separators, text: str, start: int = 0) -> Dialect | None:
        """The dialect for ``text[start:]``, escaping-aware when its release character occurs.

        None when the text uses every private-use character, so that no placeholder is free.
        """
        release = separators.release
        if not release or text.find(release, start) < 0:
            return cls(separators)
        specials = [release, separators.segment, separators.element, separators.component]
        if separators.repetition:
            specials.append(separators.repetition)
        free = (chr(code) for code in _PLACEHOLDER_RANGE if chr(code) not in text)
        placeholders: dict[str, str] = {}
        for special in dict.fromkeys(specials):
            placeholder = next(free, None)
            if placeholder is None:
                return None
            placeholders[placeholder] = special
        return cls(separators, placeholders)

    def protect(self, text: str) -> str:
        """Replace every escaped character (release + character) by its placeholder."""
        release = self.separators.release
        if not self.escaped or release is None:
            return text
        for placeholder, special in self._restore.items():
            text = text.replace(release + special, placeholder)
        return text

    def tokens(self, text: str) -> Iterator[list[str]]:
        """Each segment of ``text`` as its list of raw elements (index 0 is the tag)."""
        return map(str.split, text.split(self.separators.segment), repeat(self.separators.element))

    def segment(self, tokens: list[str], position: int) -> Segment:
        """Decode raw elements into a :class:`Segment` (components split, escapes resolved)."""
        component = self.separators.component
        if self._plain:
            elements = [raw.split(component) for raw in tokens[1:]]
            return Segment(tokens[0].strip(), elements, position)
        repetition = self.separators.repetition
        table = self._table if self.escaped else None
        elements: list[list[str]] = []
        repeats: dict[int, list[list[str]]] | None = None
        for index, raw in enumerate(tokens[1:], 1):
            if repetition and repetition in raw:
                occurrences = [
                    self._split(part, component, table) for part in raw.split(repetition)
                ]
                repeats = repeats or {}
                repeats[index] = occurrences
                elements.append(occurrences[0])
            else:
                elements.append(self._split(raw, component, table))
        tag = tokens[0].translate(table) if table else tokens[0]
        return Segment(tag.strip(), elements, position, repeats)

    @staticmethod
    def _split(raw: str, component: str, table: dict[int, str | None] | None) -> list[str]:
        parts = raw.split(component)
        if table:
            return [part.translate(table) for part in parts]
        return parts

    def header_segment(self, raw: str) -> Segment:
        """Decode one envelope segment from its raw text (position 0: outside any message)."""
        return self.segment(raw.split(self.separators.element), 0)

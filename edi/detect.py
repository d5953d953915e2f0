"""Find interchanges in decoded text and read their separators from ISA, UNA or UNB."""

from __future__ import annotations

import re
from dataclasses import dataclass

from edi.model import EDIFACT, X12, Separators

_BOM = "\ufeff"
_HEADER_TAGS = ("ISA", "UNA", "UNB")
_EBCDIC_HEADERS = (b"\xc9\xe2\xc1", b"\xe4\xd5\xc2", b"\xe4\xd5\xc1")
_ASCII_HEADERS = (b"ISA", b"UNA", b"UNB", b"UNH")
_SPACE = " \t\r\n"
_EDIFACT_DEFAULT = Separators(element="+", component=":", segment="'", release="?")
_EDIFACT_LEVEL_B = Separators(element="\x1d", component="\x1f", segment="\x1c")
# Character sets of the EDIFACT syntax identifiers (used when a file is not valid UTF-8).
_CHARSETS = {
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}


@dataclass(frozen=True, slots=True)
class Header:
    """Where an interchange starts and how it is delimited.

    ``start`` is the first character (of ISA, UNA or UNB), ``body_start`` that of ISA/UNB.
    ``problem`` is set (and ``separators`` a guess) when the header is recognisable but broken.
    """

    standard: str
    start: int
    body_start: int
    separators: Separators
    charset: str | None = None
    problem: str | None = None


def decode(data: bytes) -> tuple[str, bool]:
    """Text of ``data`` (UTF-8, else Latin-1 byte for byte) without BOM; True when UTF-8."""
    try:
        text, utf8 = data.decode("utf-8"), True
    except UnicodeDecodeError:
        text, utf8 = data.decode("latin-1"), False
    return text.replace(_BOM, "", 1) if text.startswith(_BOM) else text, utf8


#: Two CJK ideographs in a row: Chinese text, which Latin-1 read as GB18030 hardly gives.
_CHINESE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}")


def chinese_text(data: bytes) -> str | None:
    """``data`` read as GB18030 (which GBK and GB2312 are part of) when it decodes cleanly and
    holds Chinese, else None.

    X12 names no character set, and files from Chinese systems are often GBK. Decoding cleanly
    is not proof enough: Latin-1 text decodes too whenever an accented letter is followed by
    an ASCII letter ("Müller" gives "M黮ler"), but only as a lone ideograph, where Chinese
    names and addresses are runs of them; so a run of two is asked for.
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if _CHINESE.search(text) else None


def looks_ebcdic(data: bytes) -> bool:
    """True when ``data`` holds an EBCDIC ISA/UNB/UNA and no ASCII envelope."""
    head = data[:4096]
    if any(tag in head for tag in _ASCII_HEADERS):
        return False
    return any(tag in head for tag in _EBCDIC_HEADERS)


class HeaderScanner:
    """Finds interchange headers in order.

    Each search first looks a few kilobytes ahead (where the next header nearly always is)
    and only then through the rest of the text, remembering what it found, so that reading a
    file scans it for headers about once.
    """

    _WINDOW = 4096

    def __init__(self, text: str):
        self.text = text
        self._next: dict[str, int] = {tag: -2 for tag in _HEADER_TAGS}

    def _occurrence(self, tag: str, pos: int) -> int:
        cached = self._next[tag]
        if cached == -1 or cached >= pos:
            return cached
        found = self.text.find(tag, pos, pos + self._WINDOW)
        if found < 0:
            found = self.text.find(tag, pos + self._WINDOW - 2)
        self._next[tag] = found
        return found

    def next_header(self, pos: int, terminator: str | None = None) -> Header | None:
        """The first valid header at or after ``pos``.

        With ``terminator`` (that of the interchange before), a header counts only right after
        that terminator (whitespace aside), so that "ISA" inside data is not taken for one.
        """
        while True:
            near = [
                (at, tag)
                for tag in _HEADER_TAGS
                if (at := self.text.find(tag, pos, pos + self._WINDOW)) >= 0
            ]
            found = near or [
                (at, tag) for tag in _HEADER_TAGS if (at := self._occurrence(tag, pos)) >= 0
            ]
            if not found:
                return None
            at, tag = min(found)
            if self._preceded_well(at, terminator):
                header = self._read(tag, at)
                if header is not None:
                    return header
            pos = at + 1

    def _preceded_well(self, at: int, terminator: str | None) -> bool:
        text = self.text
        if at == 0:
            return True
        if terminator is None:
            return not text[at - 1].isalnum()
        i = at - 1
        while i >= 0 and text[i] in _SPACE:
            if terminator == "\n" and text[i] in "\r\n":
                return True
            i -= 1
        return i < 0 or text[i] == terminator

    def _read(self, tag: str, at: int) -> Header | None:
        if tag == "ISA":
            return read_isa(self.text, at)
        if tag == "UNA":
            return read_una(self.text, at)
        return read_unb(self.text, at, at, None)

    def bare_message(self) -> int:
        """Where a bare EDIFACT message (UNH without UNB) starts, or -1."""
        at = self.text.find("UNH")
        while at >= 0:
            after = self.text[at + 3 : at + 4]
            if after and not after.isalnum() and (at == 0 or not self.text[at - 1].isalnum()):
                return at
            at = self.text.find("UNH", at + 1)
        return -1


def isa_fields(text: str, at: int) -> tuple[list[str], int] | None:
    """ISA01..ISA15 (line breaks removed) and the index of ISA16, or None if not an ISA.

    The element separator is the character after "ISA"; ISA16 follows the 16th of them.
    """
    separator = text[at + 3 : at + 4]
    if not separator or separator.isalnum() or separator in _SPACE:
        return None
    pos = at + 3
    for _ in range(15):
        pos = text.find(separator, pos + 1)
        if pos < 0 or pos - at > 400:
            return None
    raw = text[at + 4 : pos].replace("\r", "").replace("\n", "")
    component = pos + 1
    while component < len(text) and text[component] in "\r\n":
        component += 1
    return raw.split(separator), component


def read_isa(text: str, at: int) -> Header | None:
    """The header of the X12 interchange whose ISA starts at ``at`` (None if it is not one).

    The element separator is the character after "ISA"; ISA16 is the component separator and
    the character after it the segment terminator (a newline, or spaces then a newline, make
    the newline the terminator; spaces then another character make that one the terminator,
    as in fixed-width files that pad each segment); ISA11 is the repetition separator from
    version 00402 on.
    An ISA that is not 106 characters long is read by counting its 16 element separators.
    """
    fields = isa_fields(text, at)
    if fields is None:
        return None
    values, comp_at = fields
    element = text[at + 3]
    if comp_at >= len(text):
        guess = Separators(element=element, component=">", segment="~")
        return Header(X12, at, at, guess, problem="ISA16")
    component = text[comp_at]
    rest = text[comp_at + 1 : comp_at + 81]
    terminator = rest[:1]
    if terminator == " ":
        # A space cannot end segments (ISA's own elements are padded with spaces): it is padding.
        terminator = rest.lstrip(" ")[:1]
    if terminator in ("", "\r", "\n"):
        terminator = "\n"
    repetition = values[10] if len(values) > 11 else ""
    version = values[11] if len(values) > 11 else ""
    usable = repetition and not repetition.isalnum() and repetition not in (element, component)
    separators = Separators(
        element=element,
        component=component,
        segment=terminator,
        repetition=repetition if usable and version >= "00402" else None,
    )
    clashes = terminator in (element, component) or terminator.isalnum()
    unusable = component.isalnum() or component in " \t\r\n"
    problem = "ISA16" if clashes or unusable else None
    return Header(X12, at, at, separators, problem=problem)


def read_una(text: str, at: int) -> Header | None:
    """The header of the EDIFACT interchange whose UNA starts at ``at``, if a UNB follows.

    UNA gives, in order: component, element, decimal mark, release character (' ' = none),
    repetition separator (' ' = none, syntax 4) and segment terminator.
    """
    una = text[at + 3 : at + 9]
    if len(una) < 6:
        return None
    component, element, decimal, release, repetition, terminator = una
    unb = at + 9
    while unb < len(text) and text[unb] in _SPACE:
        unb += 1
    if text[unb : unb + 3] != "UNB" or len({component, element, terminator}) < 3:
        return None
    if terminator in "\r\n":
        terminator = "\n"
    separators = Separators(
        element=element,
        component=component,
        segment=terminator,
        repetition=None if repetition == " " else repetition,
        release=None if release == " " else release,
        decimal="," if decimal == "," else ".",
    )
    return read_unb(text, at, unb, separators)


def read_unb(text: str, start: int, at: int, separators: Separators | None) -> Header | None:
    """The header of the EDIFACT interchange whose UNB starts at ``at``.

    Without UNA the defaults apply (``:+.? '``, or the level-B control characters when UNB is
    followed by IS3); a UNB line ended by a newline, with no apostrophe before it, makes the
    newline the terminator (seen in files written without a UNA).
    """
    after = text[at + 3 : at + 4]
    if not after or after.isalnum() or after in _SPACE:
        return None
    if separators is None:
        separators = _EDIFACT_LEVEL_B if after == "\x1d" else _EDIFACT_DEFAULT
        if after not in ("+", "\x1d"):
            separators = Separators(element=after, component=":", segment="'", release="?")
        newline = text.find("\n", at)
        quote = text.find(separators.segment, at)
        if newline >= 0 and (quote < 0 or newline < quote):
            following = text[newline:].lstrip(_SPACE)[:3]
            if following in ("UNH", "UNG", "UNZ"):
                separators = Separators(
                    element=separators.element, component=separators.component, segment="\n"
                )
    syntax = text[at + 4 : at + 8]
    return Header(EDIFACT, start, at, separators, charset=_CHARSETS.get(syntax))


def trailer_end(text: str, header: Header) -> int:
    """Index just past the interchange trailer (IEA/UNZ) that follows ``header``, or -1.

    The trailer must start a segment (follow the terminator, whitespace aside). It may belong
    to a later interchange when this one lacks its own; the envelope pass notices that.
    """
    separators = header.separators
    tag = ("IEA" if header.standard == X12 else "UNZ") + separators.element
    terminator = separators.segment
    at = text.find(tag, header.body_start)
    while at >= 0:
        i = at - 1
        while i >= 0 and text[i] in _SPACE and text[i] != terminator:
            i -= 1
        if i >= 0 and text[i] == terminator:
            end = text.find(terminator, at)
            if end < 0:
                return len(text)
            # Blanks after the trailer go with it, so that a lone interchange is not copied.
            while end + 1 < len(text) and text[end + 1] in _SPACE:
                end += 1
            return end + 1
        at = text.find(tag, at + 1)
    return -1

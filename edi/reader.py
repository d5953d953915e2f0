"""Read bytes into interchanges: find each envelope, normalise it, split it, check it."""

from __future__ import annotations

from collections.abc import Iterator

from edi import errors
from edi.detect import (
    Header,
    HeaderScanner,
    chinese_text,
    decode,
    looks_ebcdic,
    trailer_end,
)
from edi.edifact import envelope as edifact_envelope
from edi.errors import EdiError
from edi.model import X12, Document, Interchange, Separators
from edi.x12 import envelope as x12_envelope
from models.i18n import N_, Msg

_EDIFACT_BARE = Separators(element="+", component=":", segment="'", release="?")


def iter_interchanges(data: bytes, problems: list[EdiError] | None = None) -> Iterator[Interchange]:
    """Yield each interchange of ``data`` in file order, each read as soon as it is reached.

    Every interchange has its own separators. Junk before the first envelope (transport
    headers, a BOM) is skipped. Problems that belong to no interchange (EBCDIC, not X12 or
    EDIFACT) are appended to ``problems``. Never raises on any input.
    """
    problems = problems if problems is not None else []
    if looks_ebcdic(data):
        problems.append(
            EdiError(
                errors.EBCDIC,
                Msg(N_("The file is EBCDIC-encoded; send it as ASCII or UTF-8")),
            )
        )
        return
    text, utf8 = decode(data)
    scanner = HeaderScanner(text)
    header = scanner.next_header(0)
    if header is None:
        bare = scanner.bare_message()
        if bare < 0:
            problems.append(
                EdiError(errors.UNKNOWN_FORMAT, Msg(N_("The file is not X12 or EDIFACT")))
            )
            return
        yield edifact_envelope.read_interchange(text[bare:], _EDIFACT_BARE, bare=True)[0]
        return
    seen: set[tuple[str, str | None, str | None]] = set()
    while header is not None:
        # The interchange normally ends at its trailer; when it has none of its own (or the
        # trailer found belongs to a later interchange) it ends where the next header starts.
        terminator = header.separators.segment
        end = trailer_end(text, header)
        interchange, interrupted = _read(text, header, end, utf8) if end >= 0 else (None, True)
        following = scanner.next_header(header.body_start + 3 if interrupted else end, terminator)
        next_start = following.start if following is not None else len(text)
        if interchange is None or interrupted:
            end = next_start
            interchange, _ = _read(text, header, end, utf8)
        _flag_repeat(interchange, seen)
        _flag_junk(interchange, text[end:next_start])
        yield interchange
        header = following


def _read(text: str, header: Header, end: int, utf8: bool) -> tuple[Interchange, bool]:
    """Read ``text[header.start:end]``; True when another header is inside it."""
    raw = text[header.start : end]
    if not utf8:
        raw = _recoded(raw.encode("latin-1"), header.charset)
    if header.standard == X12:
        return x12_envelope.read_interchange(raw, header)
    offset = header.body_start - header.start
    return edifact_envelope.read_interchange(raw, header.separators, offset=offset)


def _recoded(data: bytes, charset: str | None) -> str:
    """An interchange of a file that is not UTF-8 (read byte for byte as Latin-1), read again.

    In the character set its EDIFACT syntax identifier names, when its bytes are that; else as
    GB18030 when they are that and hold Chinese (see :func:`edi.detect.chinese_text`): files
    from Chinese systems are often GBK whatever they declare, and X12 declares nothing. Else
    as declared with undecodable bytes replaced, or as Latin-1 (UNOA to UNOC, X12).
    """
    if charset:
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            pass
    chinese = chinese_text(data)
    if chinese is not None:
        return chinese
    return data.decode(charset or "latin-1", errors="replace")


def _flag_repeat(interchange: Interchange, seen: set[tuple[str, str | None, str | None]]) -> None:
    """An interchange sent twice in one file (same standard, sender, control number) is an
    error on the second, so that its messages are not taken twice."""
    key = (interchange.standard, interchange.sender, interchange.control_number)
    if interchange.control_number and key in seen:
        interchange.errors.append(
            EdiError(
                errors.DUPLICATE_CONTROL_NUMBER,
                Msg(
                    N_("Interchange control number %(number)s is used twice"),
                    number=interchange.control_number,
                ),
                interchange=interchange.control_number,
                segment_tag="ISA" if interchange.standard == X12 else "UNB",
                element="ISA13" if interchange.standard == X12 else "UNB/0020",
                interchange_position=1,
            )
        )
    seen.add(key)


def _flag_junk(interchange: Interchange, between: str) -> None:
    """Text after the trailer, before the next interchange, is reported (not rejected)."""
    junk = between.strip(" \t\r\n\x00\x1a" + interchange.separators.segment)
    if junk:
        interchange.errors.append(
            EdiError(
                errors.UNEXPECTED_DATA,
                Msg(N_("Data after the interchange trailer: %(start)s"), start=junk[:20]),
                interchange=interchange.control_number,
            )
        )


def read(data: bytes) -> Document:
    """Every interchange of ``data`` with its envelope checked, without mapping to records."""
    document = Document()
    document.interchanges.extend(iter_interchanges(data, document.errors))
    return document

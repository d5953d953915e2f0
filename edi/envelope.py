"""Split one normalised interchange into its envelope segments, groups and message texts.

This is the structural pass shared by X12 and EDIFACT: it finds where each message starts and
ends with ``str.find`` on the whole text (no per-segment Python work), keeps each message as
one string, and notes whatever sits where it should not. The standard-specific modules
(:mod:`edi.x12.envelope`, :mod:`edi.edifact.envelope`) read the envelope values and check them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edi.model import Segment
from edi.tokenizer import Dialect, normalise, tidy

_INTERCHANGE_HEADERS = ("ISA", "UNA", "UNB")


@dataclass(frozen=True, slots=True)
class Tags:
    """The envelope segment tags of one standard."""

    message_header: str
    message_trailer: str
    group_header: str
    group_trailer: str
    interchange_trailer: str
    extras: frozenset[str] = frozenset()


@dataclass(slots=True)
class RawMessage:
    """A message's text (header to trailer, inclusive), its segment count and envelope."""

    header: Segment
    trailer: Segment | None
    text: str
    count: int


@dataclass(slots=True)
class RawGroup:
    """A group as found; ``header`` is None for messages outside any group.

    ``header_at`` and ``trailer_at`` are the positions of its header and trailer in the
    interchange (see :class:`RawInterchange`), 0 when there is none.
    """

    header: Segment | None
    trailer: Segment | None = None
    messages: list[RawMessage] = field(default_factory=list)
    header_at: int = 0
    trailer_at: int = 0


@dataclass(slots=True)
class RawInterchange:
    """The structure of one interchange before its values are checked.

    Positions (``*_at``) count segments from the interchange header (ISA/UNB = 1; a UNA is not
    a segment), as an envelope error names them. ``strays`` lists runs of segments found
    outside any message where only envelope segments may be, as (first tag, number of
    segments, position of the first); ``stray_trailers`` are group trailers without a header,
    with their positions; ``last_at`` is the position of the last segment read (the trailer's
    when there is one); ``trailing`` is non-blank text after the trailer.
    ``interrupted`` is True when another interchange header (ISA, UNA, UNB) turned up before
    the trailer: the text given was too long and must be cut there.
    """

    groups: list[RawGroup] = field(default_factory=list)
    trailer: Segment | None = None
    trailer_at: int = 0
    last_at: int = 0
    extras: list[Segment] = field(default_factory=list)
    strays: list[tuple[str, int, int]] = field(default_factory=list)
    stray_trailers: list[tuple[Segment, int]] = field(default_factory=list)
    trailing: str = ""
    interrupted: bool = False
    line_breaks_ok: bool = True

    def adds_up(self) -> bool:
        """True when every segment sits where it should and every count matches."""
        return (
            self.trailer is not None
            and self.line_breaks_ok
            and not self.strays
            and not self.stray_trailers
            and all(
                message.trailer is not None and _declares(message.trailer, message.count)
                for group in self.groups
                for message in group.messages
            )
        )


def _declares(trailer: Segment, count: int) -> bool:
    declared = trailer.value(1).strip()
    return declared.isdecimal() and int(declared) == count


class _Splitter:
    def __init__(self, body: str, dialect: Dialect, tags: Tags, prefix: str):
        self.body = body
        self.dialect = dialect
        self.tags = tags
        self.t = dialect.separators.segment
        self.e = dialect.separators.element
        # Envelope segments are found as terminator + line break (when kept) + tag.
        lead = self.t + prefix
        envelope = (
            tags.message_header,
            tags.group_header,
            tags.group_trailer,
            tags.interchange_trailer,
        )
        self.starts = tuple(lead + tag + self.e for tag in envelope) + tuple(
            lead + tag for tag in _INTERCHANGE_HEADERS
        )
        self.trailer_pattern = lead + tags.message_trailer + self.e
        self.prefix = prefix

    def run(self, pos: int) -> RawInterchange:
        body, t, e, tags = self.body, self.t, self.e, self.tags
        known = {
            tags.message_header,
            tags.group_header,
            tags.group_trailer,
            tags.interchange_trailer,
            *tags.extras,
        }
        result = RawInterchange()
        group: RawGroup | None = None
        stray_tag, stray_count, stray_at = "", 0, 0
        # The position of the last segment read: the header's at first (none when bare).
        at = 1 if pos > 0 else 0
        n = len(body)
        while pos < n:
            end = body.find(t, pos)
            if end < 0:
                end = n
            raw = body[pos:end]
            tag = raw.partition(e)[0].strip()
            if self.prefix and "\n" in raw[len(self.prefix) :]:
                result.line_breaks_ok = False
            if tag not in known:
                if raw.lstrip()[:3] in _INTERCHANGE_HEADERS:
                    result.interrupted = True
                    return result
                if raw.strip():
                    at += 1
                    if not stray_count:
                        stray_tag, stray_at = tag, at
                    stray_count += 1
                pos = end + 1
                continue
            if stray_count:
                result.strays.append((stray_tag, stray_count, stray_at))
                stray_count = 0
            if tag == tags.message_header:
                if group is None:
                    group = RawGroup(None)
                    result.groups.append(group)
                message, pos = self._message(pos)
                group.messages.append(message)
                at += message.count
                if self.prefix and not self._breaks_only_after_terminators(message):
                    result.line_breaks_ok = False
                continue
            segment = self.dialect.header_segment(raw)
            at += 1
            if tag == tags.group_header:
                group = RawGroup(segment, header_at=at)
                result.groups.append(group)
            elif tag == tags.group_trailer:
                if group is not None and group.header is not None:
                    group.trailer, group.trailer_at = segment, at
                else:
                    result.stray_trailers.append((segment, at))
                group = None
            elif tag == tags.interchange_trailer:
                result.trailer, result.trailer_at, result.last_at = segment, at, at
                result.trailing = body[end + 1 :].strip(" \t\r\n\x00\x1a" + t)
                return result
            else:
                result.extras.append(segment)
            pos = end + 1
        if stray_count:
            result.strays.append((stray_tag, stray_count, stray_at))
        result.last_at = at
        return result

    def _message(self, pos: int) -> tuple[RawMessage, int]:
        body, t = self.body, self.t
        n = len(body)
        found = body.find(self.trailer_pattern, pos)
        if found < 0:
            cut = self._next_envelope(body, pos, n)
            return self._open_message(body[pos:cut]), cut + 1
        trailer_end = body.find(t, found + 1)
        if trailer_end < 0:
            trailer_end = n
        text = body[pos:trailer_end]
        count = text.count(t) + 1
        trailer = self.dialect.header_segment(body[found + 1 : trailer_end])
        if not _declares(trailer, count):
            cut = self._next_envelope(text, 1, len(text))
            if cut < len(text):
                return self._open_message(text[:cut]), pos + cut + 1
        return RawMessage(self._first(text), trailer, text, count), trailer_end + 1

    def _breaks_only_after_terminators(self, message: RawMessage) -> bool:
        """The message text starts after a terminator: it holds one line break per segment."""
        text = message.text
        if text.count("\n") != message.count:
            return False
        return self.prefix == "\n" or text.count("\r") == message.count

    def _next_envelope(self, text: str, start: int, default: int) -> int:
        """Index of the terminator before the next envelope segment in ``text``."""
        cuts = [at for pattern in self.starts if (at := text.find(pattern, start)) >= 0]
        return min(cuts) if cuts else default

    def _open_message(self, text: str) -> RawMessage:
        return RawMessage(self._first(text), None, text, text.count(self.t) + 1)

    def _first(self, text: str) -> Segment:
        end = text.find(self.t)
        return self.dialect.header_segment(text if end < 0 else text[:end])


def split(body: str, dialect: Dialect, tags: Tags, pos: int, prefix: str = "") -> RawInterchange:
    """The structure of ``body`` from ``pos`` (the first segment after the header) on.

    ``prefix`` is the line break kept after every terminator (see
    :func:`edi.tokenizer.line_break_prefix`); segments then start with it.

    When it does not add up, the body is tidied (blanks after terminators, empty segments)
    and split again, and that reading is kept: tidying never changes data, so this costs a
    second pass only for files that need it.
    """
    raw = _Splitter(body, dialect, tags, prefix).run(pos)
    if raw.adds_up() or raw.interrupted:
        return raw
    terminator = dialect.separators.segment
    rest = body[pos - 1 :] if pos > 0 else body
    tidied = tidy(normalise(rest, terminator) if prefix else rest, terminator)
    if tidied == rest:
        return raw
    return _Splitter(tidied, dialect, tags, "").run(1 if pos > 0 else 0)

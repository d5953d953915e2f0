"""Our segments and elements agree with pydifact on the EDIFACT samples it can read."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from edi import read
from edi.detect import decode

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "edi"

pydifact_parser = pytest.importorskip("pydifact.parser")

pytestmark = pytest.mark.skipif(
    not (SAMPLES / "edifact").is_dir(),
    reason=f"public EDI samples not found at {SAMPLES} (../shared/data/edi next to the repo)",
)


def _trim(items: list) -> list:
    while items and items[-1] in ("", None, []):
        items.pop()
    return items


def ours(segment, repetition: str, component: str) -> tuple:
    elements = []
    for n in range(1, len(segment.elements) + 1):
        occurrences = segment.repetitions(n)
        if len(occurrences) > 1:
            components = [repetition.join(component.join(c) for c in occurrences)]
        else:
            components = _trim(list(occurrences[0])) or [""]
        elements.append(components[0] if len(components) == 1 else components)
    return segment.tag, _trim(elements)


def theirs(segment) -> tuple:
    """pydifact keeps line breaks inside values; we drop them (they are never data)."""
    elements = []
    for element in segment.elements:
        if isinstance(element, list):
            components = _trim([(c or "").replace("\r", "").replace("\n", "") for c in element])
            element = components[0] if len(components) == 1 else components or ""
        else:
            element = (element or "").replace("\r", "").replace("\n", "")
        elements.append(element)
    return segment.tag, _trim(elements)


def pydifact_messages(text: str) -> list[list[tuple]] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            segments = list(pydifact_parser.Parser().parse(text))
    except Exception:  # a file pydifact cannot read is left out
        return None
    messages, current = [], None
    for segment in segments:
        if segment.tag == "UNH":
            current = []
        if current is not None:
            current.append(theirs(segment))
        if segment.tag == "UNT" and current is not None:
            messages.append(current)
            current = None
    return messages


def test_same_segments_and_elements_as_pydifact():
    compared, differences = 0, []
    for path in sorted((SAMPLES / "edifact").rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        text, utf8 = decode(data)
        expected = pydifact_messages(text)
        document = read(data)
        charsets = {ic.version.split(":")[0] for ic in document.interchanges if ic.version}
        if expected is None or (not utf8 and charsets - {"UNOA", "UNOB", "UNOC"}):
            continue  # pydifact could not read it, or decodes it with the wrong charset
        found = [
            [
                ours(s, ic.separators.repetition or "", ic.separators.component)
                for s in message.segments()
            ]
            for ic in document.interchanges
            for message in ic.messages
            if not any(e.code == "missing_trailer" for e in message.errors)
        ]
        compared += 1
        if found != expected:
            differences.append(path.name)
    assert compared >= 100
    assert differences == []

"""Shared helpers for the EDI tests: our own fixture files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edi"


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    """Read one of our fixture files by name."""

    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read

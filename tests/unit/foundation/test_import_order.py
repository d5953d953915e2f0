"""Modules import on their own, whatever a program happens to import first."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["models.access", "models.trace.search", "models.orgs.paths"])
def test_a_module_imports_first_in_a_new_interpreter(module: str) -> None:
    """``models.access`` and ``models.orgs`` import each other: a worker or script importing
    the access rule first failed with a circular ImportError."""
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr

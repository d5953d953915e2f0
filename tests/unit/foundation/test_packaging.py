"""What ``pip install .`` (the Docker image) ships: every file of the packages that is not
Python matches the package data, so no template, catalogue or vendored licence is left out."""

from __future__ import annotations

import subprocess
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_tracked_package_file_is_installed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    tracked = subprocess.run(
        ["git", "ls-files", "webapp", "worker", "edi", "models"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    left_out = [
        path
        for path in tracked
        if not path.endswith(".py") and not any(fnmatch(Path(path).name, p) for p in patterns)
    ]
    assert left_out == []

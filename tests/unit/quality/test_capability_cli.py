"""``tierlight quality capability``: a stable JSON interface other tools rely on."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.unit.quality.conftest import PISTON_RINGS
from webapp.cli import main


def _csv(tmp_path, values, header="diameter"):
    path = tmp_path / "m.csv"
    path.write_text("\n".join([header, *map(str, values)]) + "\n")
    return str(path)


def test_piston_rings_through_the_cli(tmp_path):
    values = [v for subgroup in PISTON_RINGS for v in subgroup]
    result = CliRunner().invoke(
        main,
        [
            "quality",
            "capability",
            _csv(tmp_path, values),
            "--lsl",
            "73.95",
            "--usl",
            "74.05",
            "--subgroup",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n"] == 125 and report["chart"] == "xbar_r" and report["subgroup_size"] == 5
    assert round(report["center"], 5) == 74.00118
    # Montgomery rounds A2 to 0.577, hence the tolerance on his printed limits.
    assert abs(report["lcl"] - 73.98805) < 5e-5 and abs(report["ucl"] - 74.01431) < 5e-5
    assert round(report["range_ucl"], 5) == 0.04813
    assert round(report["cp"], 2) == 1.70 and round(report["cpk"], 2) == 1.66
    for key in ("mean", "sigma_within", "sigma_overall", "pp", "ppk", "signals", "range_center"):
        assert key in report


def test_bad_limits_exit_non_zero_with_one_line(tmp_path):
    result = CliRunner().invoke(
        main, ["quality", "capability", _csv(tmp_path, [1, 2, 3]), "--lsl", "5", "--usl", "4"]
    )
    assert result.exit_code == 1
    assert "LSL (5.0) must be below USL (4.0)." in result.output


def test_a_bad_cell_names_its_row(tmp_path):
    result = CliRunner().invoke(
        main,
        ["quality", "capability", _csv(tmp_path, [1.0, "abc", 2.0]), "--lsl", "0", "--usl", "3"],
    )
    assert result.exit_code == 1
    assert result.output == 'Error: Row 3: "abc" is not a number.\n'  # the row named once


def test_a_csv_saved_by_chinese_excel_is_read(tmp_path):
    """Excel on a Chinese Windows saves CSV in GB18030: the Chinese header is skipped."""
    path = tmp_path / "gb.csv"
    path.write_bytes("测量值\r\n74.030\r\n\r\n74.002\r\n74.019\r\n".encode("gb18030"))
    result = CliRunner().invoke(
        main, ["quality", "capability", str(path), "--lsl", "73.95", "--usl", "74.05"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["n"] == 3


def test_a_file_that_is_no_text_gets_one_line(tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(b"PK\x03\x04\x81\x20\xff\x00")
    result = CliRunner().invoke(
        main, ["quality", "capability", str(path), "--lsl", "0", "--usl", "3"]
    )
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot be read" in result.output

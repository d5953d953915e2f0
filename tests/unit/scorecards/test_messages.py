"""Why a warning was raised: reasons that read right for any count."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from models.scorecards.messages import reason


@pytest.mark.parametrize("count", [1, 3])
def test_a_subtier_incident_reason_reads_right_for_one_and_for_several(count):
    warning = SimpleNamespace(kind="subtier_incident", incident_count=count)
    text = str(reason(warning))
    assert text == f"Open critical quality incidents at its sub-tier suppliers: {count}."

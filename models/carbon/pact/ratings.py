"""Data quality ratings between PACT v2's scale and v3's.

PACT v2 rates technological, temporal and geographical representativeness from 1 (good) to 3
(poor); PACT v3 rates them from 1 to 5 ("The value MUST be between 1 and 5 inclusive"). A
Footprint, our roll-up and our database hold v2's scale, so a v3 document's ratings are mapped
onto it on reading and back on writing, linearly and with the ends fixed: best is best and worst
is worst (v3 1 / 3 / 5 is v2 1 / 2 / 3). The map is exact in Decimal, both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from models.carbon.pact.footprint import DataQuality

_RATED = ("technological_dqr", "temporal_dqr", "geographical_dqr")
_TWO = Decimal(2)


def v3_to_common(quality: DataQuality | None) -> DataQuality | None:
    """v3 ratings (1–5) on v2's scale (1–3)."""
    return _mapped(quality, lambda r: 1 + (r - 1) / _TWO)


def common_to_v3(quality: DataQuality | None) -> DataQuality | None:
    """v2-scale ratings (1–3) on v3's scale (1–5)."""
    return _mapped(quality, lambda r: 1 + (r - 1) * _TWO)


def _mapped(
    quality: DataQuality | None, convert: Callable[[Decimal], Decimal]
) -> DataQuality | None:
    if quality is None:
        return None
    changes = {
        name: convert(value) for name in _RATED if (value := getattr(quality, name)) is not None
    }
    return replace(quality, **changes)

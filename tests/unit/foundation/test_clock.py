"""The product's clock: times typed without an offset are local, stored in UTC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from models.clock import as_utc, local_midnight, local_zone, on_local_clock, use_time_zone
from models.config import load_settings


@pytest.fixture
def berlin() -> Iterator[None]:
    before = local_zone().key
    use_time_zone("Europe/Berlin")
    yield
    use_time_zone(before)


def test_beijing_time_is_the_default():
    assert load_settings({}).time_zone == "Asia/Shanghai"
    assert as_utc(datetime(2026, 11, 1, 8, 0)) == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    assert local_midnight(date(2026, 11, 1)) == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)


def test_a_time_with_an_offset_keeps_it():
    given = datetime.fromisoformat("2026-11-01T08:00:00-05:00")
    assert as_utc(given) == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)


def test_another_zone_follows_its_daylight_saving(berlin):
    assert load_settings({"TIME_ZONE": "Europe/Berlin"}).time_zone == "Europe/Berlin"
    assert as_utc(datetime(2026, 7, 1, 12, 0)) == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert as_utc(datetime(2026, 12, 1, 12, 0)) == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    assert on_local_clock(datetime(2026, 12, 1, 11, 0, tzinfo=UTC)).hour == 12


def test_an_unknown_zone_is_refused_naming_the_setting():
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        use_time_zone("Mars/Olympus")
    assert local_zone().key == "Asia/Shanghai"

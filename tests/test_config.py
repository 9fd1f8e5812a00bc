"""Every setting docs/domain.md calls configuration can be changed from the environment and is
checked at start-up: a bad value stops it with a message naming the variable."""
from __future__ import annotations

import pytest

from backend import create_app
from backend.config import ConfigError, load_config
from backend.services.booking import BookingRules


def test_the_booking_rules_come_from_the_environment(monkeypatch, tmp_path):
    settings = {"BOOKING_WINDOW_DAYS": "21", "BOOKING_CLOSE_MINUTES": "15",
                "CANCEL_DEADLINE_MINUTES": "120", "MAX_ACTIVE_BOOKINGS": "2", "NO_SHOW_LIMIT": "4",
                "NO_SHOW_LOOKBACK_DAYS": "60", "NO_SHOW_BLOCK_DAYS": "14",
                "CHECK_IN_EARLY_MINUTES": "45", "NO_SHOW_AFTER_MINUTES": "20"}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CASE_NUMBER_PREFIX", "ZB")

    config = load_config(str(tmp_path), {"SECRET_KEY": "k"})

    assert BookingRules.from_config(config) == BookingRules(
        window_days=21, close_minutes=15, cancel_minutes=120, max_active=2, no_show_limit=4,
        no_show_lookback_days=60, no_show_block_days=14, check_in_early_minutes=45,
        no_show_after_minutes=20)
    assert config["CASE_NUMBER_PREFIX"] == "ZB"


@pytest.mark.parametrize("variable, value, message", [
    ("BOOKING_WINDOW_DAYS", "two weeks", "应为整数"),
    ("BOOKING_WINDOW_DAYS", "0", "应在 1 至 366 之间"),
    ("MAX_ACTIVE_BOOKINGS", "-1", "应在 1 至 100 之间"),
    ("BOOKING_CLOSE_MINUTES", "-5", "应在 0 至"),
    ("DATABASE_POOL_SIZE", "0", "应在 1 至 1000 之间"),
    ("SLOT_LIST_CACHE_SECONDS", "61", "应在 0 至 60 之间"),
    ("CASE_NUMBER_PREFIX", "博山", "字母或数字"),
])
def test_a_bad_value_stops_the_start_up_naming_the_variable(monkeypatch, tmp_path, variable,
                                                            value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "TESTING": True})
    assert refused.value.variable == variable
    assert message in str(refused.value)
    assert f"Configuration error ({variable})" in str(refused.value)

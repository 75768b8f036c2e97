"""The one helper each for UTC, OS error text, the current user and an error's first line."""

from __future__ import annotations

import datetime as dt
import getpass

import pytest

from codesign.system import UNKNOWN_USER, current_user, first_line, os_reason
from codesign.timeutil import as_utc, from_epoch_ms, iso_utc, parse_utc


def test_a_time_without_zone_is_utc_and_a_zoned_one_keeps_its_zone() -> None:
    naive = dt.datetime(2026, 3, 2, 7, 0)
    assert as_utc(naive).tzinfo is dt.UTC
    paris = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert as_utc(paris) is paris


def test_iso_round_trip_is_in_utc() -> None:
    paris = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    text = iso_utc(paris)
    assert text == "2026-03-02T06:00:00+00:00"
    assert parse_utc(text) == paris
    assert iso_utc(None) is None
    assert parse_utc(None) is None
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_utc(42)


def test_epoch_milliseconds() -> None:
    assert from_epoch_ms(1_000) == dt.datetime(1970, 1, 1, 0, 0, 1, tzinfo=dt.UTC)
    assert from_epoch_ms(None) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def test_os_reason_is_the_system_words_else_the_type() -> None:
    assert os_reason(PermissionError(13, "Permission denied")) == "Permission denied"
    assert os_reason(FileNotFoundError()) == "FileNotFoundError"


def test_first_line() -> None:
    assert first_line(ValueError("one\ntwo")) == "one"
    assert first_line(ValueError("  ")) == "ValueError"
    assert first_line("a\nb") == "a"


def test_current_user_falls_back_when_the_account_has_no_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert current_user() == getpass.getuser()

    def no_name() -> str:
        raise KeyError("getpwuid(): uid not found")

    monkeypatch.setattr(getpass, "getuser", no_name)
    assert current_user() == UNKNOWN_USER

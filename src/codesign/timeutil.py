"""UTC, the one clock every record is written in.

Files, the tracking store and report names keep times in UTC so that two machines in two
time zones agree on which run came first; people are shown them in the project's time zone by
the views. A time without a zone is taken as UTC everywhere (never as the machine's local time,
which changes with the server a report happens to run on).
"""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    """The current time, in UTC: the default clock of every record."""
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` with a zone: its own if it has one, else UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def iso_utc(moment: dt.datetime | None) -> str | None:
    """``moment`` as an ISO 8601 text in UTC, for a file; ``None`` stays ``None``."""
    return None if moment is None else as_utc(moment).astimezone(dt.UTC).isoformat()


def parse_utc(text: object) -> dt.datetime | None:
    """Read what :func:`iso_utc` wrote; raises ``ValueError`` on anything but a time or null."""
    if text is None:
        return None
    if not isinstance(text, str):
        msg = "expected an ISO 8601 time"
        raise ValueError(msg)
    return as_utc(dt.datetime.fromisoformat(text))


def from_epoch_ms(milliseconds: int | None) -> dt.datetime:
    """A time kept as milliseconds since the epoch (MLflow's way); missing reads as the epoch."""
    return dt.datetime.fromtimestamp((milliseconds or 0) / 1000, tz=dt.UTC)

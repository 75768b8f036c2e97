"""When a report is due: cron in the project's time zone, against the last successful run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from codesign.charter.model import Reports
from codesign.project import (
    REPORT_STATE_FILE,
    Project,
    ReportState,
    read_report_state,
    write_report_state,
)
from codesign.reports.schedule import due

PARIS = "Europe/Paris"
MONDAY_7 = Reports(schedule="0 7 * * MON", timezone=PARIS)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_first_run_is_due() -> None:
    answer = due(MONDAY_7, ReportState(), utc("2026-03-04 12:00"))
    assert answer.due
    assert answer.reason == "first run: no successful report yet"
    assert answer.next_at is not None
    assert answer.next_at.isoformat() == "2026-03-09T07:00:00+01:00"


def test_not_due_after_a_success_until_the_next_slot() -> None:
    state = ReportState().after("ok", utc("2026-03-02 06:00"), "t-1")  # Monday 07:00 Paris
    answer = due(MONDAY_7, state, utc("2026-03-08 12:00"))
    assert not answer.due
    assert answer.reason == "not due until 2026-03-09 07:00 CET"
    # Monday 07:00 in Paris is 06:00 UTC in winter: due from that second on
    assert not due(MONDAY_7, state, utc("2026-03-09 05:59:59")).due
    answer = due(MONDAY_7, state, utc("2026-03-09 06:00"))
    assert answer.due
    assert answer.reason == "scheduled at 2026-03-09 07:00 CET"


def test_a_failed_run_stays_due() -> None:
    state = ReportState().after("ok", utc("2026-03-02 06:00"), "t-1")
    state = state.after("failed", utc("2026-03-09 06:00"), "t-2")
    assert state.last_success == utc("2026-03-02 06:00")
    assert state.last_report == "t-2"
    answer = due(MONDAY_7, state, utc("2026-03-09 06:15"))
    assert answer.due
    assert answer.reason == "scheduled at 2026-03-09 07:00 CET (the last run failed)"


def test_missed_slots_catch_up_once() -> None:
    state = ReportState().after("ok", utc("2026-02-02 06:00"), "t-1")
    assert due(MONDAY_7, state, utc("2026-03-04 12:00")).due  # four Mondays missed: one run
    state = state.after("ok", utc("2026-03-04 12:00"), "t-2")
    assert not due(MONDAY_7, state, utc("2026-03-04 12:15")).due


def test_the_schedule_follows_the_time_zone_across_summer_time() -> None:
    state = ReportState().after("ok", utc("2026-03-23 06:00"), "t")
    # 30 March 2026: Paris is on summer time, 07:00 there is 05:00 UTC
    assert not due(MONDAY_7, state, utc("2026-03-30 04:59")).due
    answer = due(MONDAY_7, state, utc("2026-03-30 05:00"))
    assert answer.due
    assert answer.reason == "scheduled at 2026-03-30 07:00 CEST"


def test_no_schedule_is_never_due() -> None:
    answer = due(Reports(), ReportState(), utc("2026-03-04 12:00"))
    assert not answer.due
    assert answer.reason == "no schedule in the charter (reports.schedule)"


def test_state_round_trips_through_the_project(tmp_path: Path) -> None:
    (tmp_path / "codesign.yaml").write_text("schema_version: 1\nuse_case: {title: T}\n")
    project = Project.at(tmp_path)
    assert read_report_state(project) == ReportState()
    state = ReportState().after("failed", utc("2026-03-09 06:00"), "t-20260309T060000Z")
    write_report_state(project, state)
    assert read_report_state(project) == state
    data = json.loads((tmp_path / REPORT_STATE_FILE).read_text())
    assert data == {
        "last_success": None,
        "last_attempt": "2026-03-09T06:00:00+00:00",
        "last_status": "failed",
        "last_report": "t-20260309T060000Z",
    }
    assert not list((tmp_path / "reports").glob(".*.tmp"))


@pytest.mark.parametrize(
    "content",
    ["{", "[]", '{"last_status": "maybe"}', '{"last_success": 12}', '{"last_success": "x"}'],
)
def test_a_damaged_state_reads_as_never_run(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "codesign.yaml").write_text("schema_version: 1\nuse_case: {title: T}\n")
    (tmp_path / "reports").mkdir()
    (tmp_path / REPORT_STATE_FILE).write_text(content)
    assert read_report_state(Project.at(tmp_path)) == ReportState()
    assert "unreadable report schedule state" in caplog.text

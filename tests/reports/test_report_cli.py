"""``codesign report run`` as a scheduler runs it: exit codes, --due with a fixed clock, locks."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from codesign.project import Project, ReportState, read_report_state, write_report_state
from codesign.reports.lock import project_lock

NOW = "2026-03-02T07:00:00+00:00"
"""Monday 08:00 in Paris: the triage preset's report ("0 7 * * MON", Europe/Paris) fell due at
06:00 UTC."""


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def scheduled(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of three projects: never reported, reported since the slot, failed since."""
    root = tmp_path_factory.mktemp("hospital")
    for name in ("first", "fresh", "failed"):
        shutil.copytree(built_project, root / name, symlinks=True)
    write_report_state(
        Project.at(root / "fresh"), ReportState().after("ok", utc("2026-03-02 06:30"), "t-a")
    )
    earlier = ReportState().after("ok", utc("2026-02-23 06:00"), "t-b")
    write_report_state(
        Project.at(root / "failed"), earlier.after("failed", utc("2026-03-02 06:15"), "t-c")
    )
    return root


def test_due_runs_what_is_due_and_only_that(run_cli, scheduled: Path) -> None:
    result = run_cli(
        "report", "run", "--due", str(scheduled), "--now", NOW, "--jobs", "2", "--json"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    statuses = {Path(r["project"]).name: r["status"] for r in document["results"]}
    assert statuses == {"failed": "ok", "first": "ok", "fresh": "not due"}
    assert document["exit_code"] == 0
    fresh = next(r for r in document["results"] if r["project"].endswith("fresh"))
    assert fresh["message"] == "not due until 2026-03-09 07:00 CET"
    for name in ("failed", "first"):
        state = read_report_state(Project.at(scheduled / name))
        assert state.last_success == dt.datetime.fromisoformat(NOW)
        assert (scheduled / name / "reports" / "triage-20260302T070000Z.html").is_file()
    assert not list((scheduled / "fresh" / "reports").glob("*.html"))

    again = run_cli("report", "run", "--due", str(scheduled), "--now", NOW)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "3 project(s): 3 not due"
    quiet = run_cli("-q", "report", "run", "--due", str(scheduled), "--now", NOW)
    assert quiet.returncode == 0
    assert quiet.stdout == ""  # what cron mails: nothing when nothing needs a person
    verbose = run_cli("-v", "report", "run", "--due", str(scheduled), "--now", NOW)
    assert "NOT DUE" in verbose.stdout
    assert "not due until 2026-03-09 07:00 CET" in verbose.stdout


def test_a_running_report_is_skipped_not_waited_for(run_cli, project_copy: Path) -> None:
    with project_lock(Project.at(project_copy)):
        asked = run_cli("report", "run", str(project_copy), timeout=60)
        scheduled = run_cli("report", "run", "--due", str(project_copy), "--now", NOW, timeout=60)
    assert asked.returncode == 1, asked.stderr
    with project_lock(Project.at(project_copy)):
        quiet = run_cli("-q", "report", "run", str(project_copy), timeout=60)
    assert quiet.stdout.startswith(f"SKIPPED  {project_copy}: already running (pid ")
    assert f"SKIPPED  {project_copy}: " in asked.stdout
    assert f"SKIPPED  {project_copy}: already running (pid {os.getpid()} since" in asked.stdout
    assert scheduled.returncode == 0, scheduled.stderr  # the other run does it
    assert "1 project(s): 1 skipped" in scheduled.stdout
    assert not list((project_copy / "reports").glob("*.html"))


def test_an_empty_folder_has_nothing_due(run_cli, tmp_path: Path) -> None:
    result = run_cli("report", "run", "--due", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 project(s): nothing to do"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nowhere"], "no such file or folder: nowhere"),
        (["{empty}"], "no codesign project (a folder with codesign.yaml) at or under"),
        (["{project}", "-p", "1x", "3"], "parameter '1x': expected a name of letters"),
        (["{project}", "-p", "weeks", "4x"], "parameter 'weeks': value is not JSON"),
        (["{project}", "-p", "x", "NaN"], "NaN is not a finite number"),
        (["{project}", "-r", "project_dir", "/x"], "is set by codesign for each project"),
        (["{project}", "-p", "x", "1", "-r", "x", "a"], "parameter 'x': given more than once"),
        (["{project}", "--jobs", "0"], "jobs: expected 1 to 64 reports at once, got 0"),
        (["{project}", "--timeout", "-5"], "timeout: expected a number of seconds above 0"),
        (["{project}", "--now", "monday"], "--now: expected an ISO 8601 time"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    run_cli, tmp_path: Path, arguments: list[str], message: str
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "codesign.yaml").write_text("schema_version: 1\nuse_case: {title: T}\n")
    (tmp_path / "empty").mkdir()
    values = {"project": str(project), "empty": str(tmp_path / "empty")}
    result = run_cli("report", "run", *(a.format(**values) for a in arguments))
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "reports").exists()


def test_report_alone_prints_usage(run_cli) -> None:
    result = run_cli("report")
    assert result.returncode == 2
    assert "run" in result.stderr


def test_a_project_with_an_invalid_charter_fails_alone(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "codesign.yaml").write_text("schema_version: 1\nuse_case: {title: T, stage: later}\n")
    result = run_cli("report", "run", str(bad))
    assert result.returncode == 1, result.stderr
    assert f"FAILED   {bad}: " in result.stdout
    assert "invalid charter" in result.stdout or "use_case.stage" in result.stdout
    assert "Failed (1): " in result.stdout

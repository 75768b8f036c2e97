"""A scheduled run on a shared server: hostile files fail their own project alone.

A FIFO or ``/dev/zero`` planted as a project's ``reports/.schedule.json`` fails that project at
once with the reason (it used to stall every project, or fill the memory); a link planted at
``reports/`` is never written through; report files honour the umask.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codesign.reports.runner import ReportOptions, ReportStatus, run_reports

from .conftest import fixed_clock, small_projects

pytestmark = pytest.mark.slow


@pytest.mark.timeout(600)
def test_a_bad_project_fails_alone_and_files_honour_the_umask(
    scaffolded: Path, tmp_path: Path
) -> None:
    root = small_projects(scaffolded, tmp_path / "share", 4)
    (root / "p00" / "reports").mkdir()
    os.mkfifo(root / "p00" / "reports" / ".schedule.json")
    (root / "p01" / "reports").mkdir()
    (root / "p01" / "reports" / ".schedule.json").symlink_to("/dev/zero")
    victim = tmp_path / "elsewhere"
    victim.mkdir()
    (root / "p02" / "reports").symlink_to(victim)
    options = ReportOptions(
        due_only=True,
        jobs=2,
        clock=fixed_clock("2026-03-02T07:00:00+00:00"),
        tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
    )
    previous = os.umask(0o077)
    try:
        summary = run_reports([root], options)
    finally:
        os.umask(previous)
    results = {r.project.name: r for r in summary.results}
    assert results["p00"].status is ReportStatus.FAILED
    assert (
        "schedule.json: is a named pipe (FIFO), expected a regular file" in results["p00"].message
    )
    assert results["p01"].status is ReportStatus.FAILED
    assert "schedule.json: is a device, expected a regular file" in results["p01"].message
    assert results["p02"].status is ReportStatus.FAILED
    assert "reports: is a symbolic link" in results["p02"].message
    assert list(victim.iterdir()) == []
    assert results["p03"].status is ReportStatus.OK, results["p03"].message
    written = [
        results["p03"].html,
        results["p03"].notebook,
        root / "p03" / "reports" / ".schedule.json",
    ]
    assert all(path is not None and path.stat().st_mode & 0o777 == 0o600 for path in written)

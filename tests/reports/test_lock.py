"""One report run per project at a time; a second one is told at once, never kept waiting."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from codesign.project import Project
from codesign.reports.lock import ReportLockedError, project_lock


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "codesign.yaml").write_text("schema_version: 1\nuse_case: {title: T}\n")
    return Project.at(tmp_path)


def test_a_second_lock_fails_at_once_naming_the_holder(project: Project) -> None:
    import os

    with project_lock(project):
        started = time.monotonic()
        with pytest.raises(ReportLockedError) as caught, project_lock(project):
            pass
        assert time.monotonic() - started < 1
    assert f"a report is already running (pid {os.getpid()} since " in str(caught.value)
    assert str(project.root) in str(caught.value)
    with project_lock(project):  # released on exit
        pass


HOLDER = """
import sys, time
from codesign.project import Project
from codesign.reports.lock import project_lock
with project_lock(Project.at(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_the_lock_dies_with_its_holder(project: Project) -> None:
    command = [sys.executable, "-c", HOLDER, str(project.root)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "locked"
            with (
                pytest.raises(ReportLockedError, match=f"pid {holder.pid} since"),
                project_lock(project),
            ):
                pass
        finally:
            holder.kill()
    with project_lock(project):  # a killed holder leaves no stale lock
        assert project.report_lock_path.exists()

"""Report files are written whole or not at all, under names that never collide."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import nbformat

from codesign.reports.runner import free_stem

CRASH = """
import datetime as dt, os, sys
import nbformat
from codesign.project import Project
from codesign.reports import runner
from codesign.reports.execute import Execution

project = Project.at(sys.argv[1])
charter = project.load_charter().charter
nb = nbformat.read(project.report_notebook, as_version=4)
real_link = os.link

def crash_on_html(source, target, *args, **kwargs):
    if str(target).endswith(".html"):
        os._exit(17)  # the machine stops right before the HTML gets its name
    return real_link(source, target, *args, **kwargs)

os.link = crash_on_html
runner._write(project, charter, Execution(nb, None, 0.0), dt.datetime(2026, 3, 2, 7, tzinfo=dt.UTC))
"""


def test_a_crash_never_leaves_a_truncated_report(project_copy: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CRASH, str(project_copy)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 17, result.stderr
    reports = project_copy / "reports"
    assert not list(reports.glob("*.html"))  # the page is there whole, or not at all
    notebook = reports / "triage-20260302T070000Z.ipynb"
    nbformat.validate(nbformat.read(notebook, as_version=4))  # written before: complete
    leftovers = [p.name for p in reports.iterdir() if p.name.endswith(".tmp")]
    assert all(name.startswith(".triage-20260302T070000Z.html.") for name in leftovers)


def test_two_reports_in_one_second_get_two_names(tmp_path: Path) -> None:
    at = dt.datetime(2026, 3, 2, 7, 0, 0, 600_000, tzinfo=dt.UTC)
    assert free_stem(tmp_path, "triage", at) == "triage-20260302T070000Z"
    (tmp_path / "triage-20260302T070000Z.html").write_text("x")
    assert free_stem(tmp_path, "triage", at) == "triage-20260302T070001Z"
    (tmp_path / "triage-20260302T070001Z.ipynb").write_text("x")
    assert free_stem(tmp_path, "triage", at) == "triage-20260302T070002Z"
    paris = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert free_stem(tmp_path, "t", paris) == "t-20260302T070000Z"  # always UTC

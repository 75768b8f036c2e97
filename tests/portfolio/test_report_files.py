"""Finding the latest report by the UTC time stamp the report runner puts in its file name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from codesign.portfolio.report_files import latest_report


def touch(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text("x")


def test_the_newest_stamp_wins_and_html_is_preferred(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "triage-20260301T070000Z.html",
        "triage-20260301T070000Z.ipynb",
        "triage-20260215T070000Z.html",
        "old-slug-20260110T070000Z.html",
    )
    found = latest_report(tmp_path)
    assert found is not None
    assert found.path == tmp_path / "triage-20260301T070000Z.html"
    assert found.created_at == dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC)


def test_the_name_says_when_not_the_modification_time(tmp_path: Path) -> None:
    touch(tmp_path, "triage-20260301T070000Z.html")
    touch(tmp_path, "triage-20250101T070000Z.html")  # copied last: newer mtime, older report
    found = latest_report(tmp_path)
    assert found is not None
    assert found.path.name == "triage-20260301T070000Z.html"


def test_a_run_without_html_links_its_notebook(tmp_path: Path) -> None:
    touch(tmp_path, "triage-20260301T070000Z.html", "triage-20260308T070000Z.ipynb")
    found = latest_report(tmp_path)
    assert found is not None
    assert found.path.name == "triage-20260308T070000Z.ipynb"


def test_other_files_are_ignored(tmp_path: Path) -> None:
    touch(
        tmp_path,
        ".gitkeep",
        "notes.html",
        "triage-20260301T070000.html",  # no Z: not the runner's stamp
        "triage-20261399T250000Z.html",  # the pattern's digits, not a date
        "triage-20260301T070000Z.pdf",
        "-20260301T070000Z.html",  # no name
    )
    (tmp_path / "triage-20260401T070000Z.html").mkdir()
    assert latest_report(tmp_path) is None


def test_no_reports_folder_is_no_report(tmp_path: Path) -> None:
    assert latest_report(tmp_path / "reports") is None
    (tmp_path / "file").write_text("x")
    assert latest_report(tmp_path / "file") is None

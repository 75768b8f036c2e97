"""Projects: discovery under roots, paths, tracking URI precedence, gate results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from codesign import config
from codesign.charter import preset_text
from codesign.exceptions import CharterError
from codesign.project import (
    GateFinding,
    GateRecord,
    Project,
    find_projects,
    gate_result_for,
    gate_status,
    latest_gate_result,
    record_gate_result,
)


def make_project(folder: Path, preset: str = "blank") -> Path:
    folder.mkdir(parents=True)
    (folder / "codesign.yaml").write_text(preset_text(preset))
    return folder


def test_find_projects_skips_bulky_and_hidden_folders(tmp_path: Path) -> None:
    a = make_project(tmp_path / "site-a" / "triage")
    b = make_project(tmp_path / "site-b" / "imaging")
    make_project(tmp_path / ".trash" / "old")
    make_project(tmp_path / "site-a" / "triage" / "data" / "copy")  # inside a project
    (tmp_path / "empty").mkdir()
    assert find_projects([tmp_path]) == [a.resolve(), b.resolve()]
    assert find_projects([a]) == [a.resolve()]


def test_project_requires_a_charter(tmp_path: Path) -> None:
    with pytest.raises(CharterError, match="not a codesign project"):
        Project.at(tmp_path)
    project = Project.at(make_project(tmp_path / "p") / "codesign.yaml")
    assert project.root == (tmp_path / "p").resolve()
    assert project.slug == "p"


def test_tracking_uri_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.at(make_project(tmp_path / "p"))
    embedded = f"sqlite:///{project.root / 'mlruns' / 'mlflow.db'}"
    assert project.tracking_uri() == embedded
    monkeypatch.setenv(config.ENV_TRACKING_URI, "http://127.0.0.1:5000")
    assert project.tracking_uri() == "http://127.0.0.1:5000"
    assert project.tracking_uri("postgresql://db/x") == "postgresql://db/x"


def test_gate_results_by_data_hash(tmp_path: Path) -> None:
    project = Project.at(make_project(tmp_path / "p"))
    assert gate_status(project, "ab" * 32) == "not run"
    assert latest_gate_result(project) is None
    record = GateRecord(
        passed=False,
        rows=10,
        findings=[GateFinding(column="nurse_note", category="phi.phone", count=2, check="phi")],
        data_sha256="ab" * 32,
        source="extract.csv",
        charter_sha256="cd" * 32,
        checked_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    record_gate_result(project, record)
    assert gate_result_for(project, "ab" * 32) == record
    assert gate_status(project, "ab" * 32) == "failed"
    assert gate_status(project, None) == "not run"
    assert latest_gate_result(project) == record


def test_unreadable_gate_result_counts_as_not_run(tmp_path: Path) -> None:
    project = Project.at(make_project(tmp_path / "p"))
    folder = project.root / "governance" / "results"
    folder.mkdir(parents=True)
    (folder / f"{'ef' * 32}.json").write_text("{not json")
    assert gate_status(project, "ef" * 32) == "not run"


def test_find_walks_up_to_the_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "notebooks").mkdir()
    assert Project.find(root / "notebooks").root == root.resolve()
    assert Project.find(root).root == root.resolve()
    with pytest.raises(CharterError, match="not inside a codesign project"):
        Project.find(tmp_path)


def test_gate_summary_names_counts_never_values() -> None:
    record = GateRecord(
        passed=False,
        rows=10,
        findings=[GateFinding(column="nurse_note", category="phi.name", count=2, check="scan")],
        data_sha256="ab" * 32,
        source="extract.csv",
        charter_sha256="cd" * 32,
        checked_at=dt.datetime(2026, 3, 1, 7, 5, tzinfo=dt.UTC),
    )
    assert record.summary() == (
        "failed: extract.csv, 10 rows, 1 finding(s), checked 2026-03-01 07:05 UTC"
    )


def test_scan_projects_lists_what_it_could_not_search(tmp_path: Path) -> None:
    from codesign.project import scan_projects

    a = make_project(tmp_path / "site-a" / "triage")
    scan = scan_projects([tmp_path, tmp_path / "missing"])
    assert scan.projects == (a.resolve(),)
    (missing,) = scan.unreadable
    assert missing.path == tmp_path / "missing"
    assert missing.reason == "No such file or directory"
    assert find_projects([tmp_path, tmp_path / "missing"]) == [a.resolve()]

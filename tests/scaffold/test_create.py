"""``create_project`` in-process: all or nothing, never over an existing folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codesign.charter import load_charter
from codesign.exceptions import ScaffoldError
from codesign.scaffold import ProjectSpec, create_project
from codesign.scaffold.create import _move_into_place

from .conftest import LAYOUT, fake_git, files_under


def test_creates_the_project_and_nothing_else(tmp_path: Path) -> None:
    root = create_project(ProjectSpec.from_name("Sepsis alert", preset="blank"), tmp_path)
    assert root == tmp_path / "sepsis-alert"
    assert files_under(root) == LAYOUT
    assert [p.name for p in tmp_path.iterdir()] == ["sepsis-alert"]
    assert load_charter(root).charter.use_case.slug == "sepsis-alert"


def test_relative_output_dir_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = create_project(ProjectSpec.from_name("X"), "a/b")
    assert root == tmp_path / "a" / "b" / "x"
    assert root.is_dir()


@pytest.mark.parametrize("step", ["init", "config"])
def test_a_failure_half_way_removes_everything_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    bin_dir = fake_git(tmp_path / "bin", fail_on=step)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(ScaffoldError, match=f"`git {step}` failed"):
        create_project(ProjectSpec.from_name("Triage"), work / "new" / "folders")
    assert files_under(work) == []


def test_missing_git_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ScaffoldError, match="git is not installed"):
        create_project(ProjectSpec.from_name("Triage"), tmp_path / "out")
    assert files_under(tmp_path) == []


def test_an_existing_output_folder_is_kept_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "other-project").mkdir()
    bin_dir = fake_git(tmp_path / "bin", fail_on="init")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(ScaffoldError):
        create_project(ProjectSpec.from_name("Triage"), tmp_path / "out")
    assert files_under(tmp_path / "out") == ["other-project"]


def test_a_target_that_appears_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    built = tmp_path / "built"
    built.mkdir()
    (built / "codesign.yaml").write_text("new\n")
    target = tmp_path / "target"
    target.mkdir()
    (target / "theirs.txt").write_text("theirs\n")
    with pytest.raises(ScaffoldError, match="appeared while the project was being made"):
        _move_into_place(built, target)
    assert files_under(target) == ["theirs.txt"]
    assert (built / "codesign.yaml").is_file()


def test_a_current_folder_with_template_syntax_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cookiecutter renders the absolute output path, so the current folder counts too."""
    odd = tmp_path / "{{ 7*7 }}"
    odd.mkdir()
    monkeypatch.chdir(odd)
    with pytest.raises(ScaffoldError, match=r"^output_dir: .*template syntax"):
        create_project(ProjectSpec.from_name("Triage"))
    assert files_under(odd) == []

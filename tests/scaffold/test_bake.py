"""Baking the template with the real cookiecutter API and CLI: the hooks run, the project works.

Every preset is baked once per module with the cookiecutter API (hooks included, as a user of
the plain template gets them) and each baked project's own tests are run, as
cookiecutter-data-science's ``bake_project`` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from codesign.charter import PRESETS, load_charter

from .conftest import (
    LAYOUT,
    REPO,
    TEMPLATE,
    assert_project_tests_pass,
    bake,
    fake_git,
    files_under,
    git,
    isolated_env,
)

NAMES = {
    "clinical_lead": "Dr Zoé Bernard",
    "partner_organisation": "AP-HP / Inria",
    "site": "CHU Exemple",
    "timezone": "America/Montreal",
}


@pytest.fixture(scope="module")
def baked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """One project per preset, baked with the cookiecutter API; the triage one with names."""
    home = tmp_path_factory.mktemp("bake-home")
    output = tmp_path_factory.mktemp("baked")
    with isolated_env(home):
        projects = {
            preset: bake(
                output,
                home / "replay",
                project_name=f"{preset.title()} use case",
                preset=preset,
                **(NAMES if preset == "triage" else {}),
            )
            for preset in PRESETS
        }
        yield projects


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_bakes_the_designed_layout(baked: dict[str, Path], preset: str) -> None:
    project = baked[preset]
    assert project.name == f"{preset}-use-case"
    assert files_under(project) == LAYOUT
    assert (project / ".git").is_dir()


@pytest.mark.parametrize("preset", PRESETS)
def test_baked_project_tests_pass(baked: dict[str, Path], preset: str) -> None:
    assert_project_tests_pass(baked[preset])


def test_charter_carries_the_answers(baked: dict[str, Path]) -> None:
    charter = load_charter(baked["triage"]).charter
    assert charter.use_case.title == "Triage use case"
    assert charter.use_case.slug == "triage-use-case"
    assert charter.use_case.site == "CHU Exemple"
    assert charter.use_case.partner == "AP-HP / Inria"
    assert charter.reports.timezone == "America/Montreal"
    assert charter.clinical_lead is not None
    assert charter.clinical_lead.name == "Dr Zoé Bernard"
    blank = load_charter(baked["blank"]).charter
    assert blank.use_case.title == "Blank use case"
    assert blank.clinical_lead is None


def test_notebooks_are_copied_untouched(baked: dict[str, Path]) -> None:
    project = baked["triage"]
    template = TEMPLATE / "{{cookiecutter.project_slug}}" / "notebooks"
    for source in template.glob("*.ipynb"):
        assert (project / "notebooks" / source.name).read_bytes() == source.read_bytes()
    report = REPO / "templates" / "reports" / "report.ipynb"
    assert (project / "notebooks" / "report.ipynb").read_bytes() == report.read_bytes()


def test_notebooks_come_in_the_projects_language(tmp_path: Path, baked: dict[str, Path]) -> None:
    """A French project gets the French notebooks: the same code, cell for cell, in French."""
    template = TEMPLATE / "{{cookiecutter.project_slug}}" / "notebooks"
    assert not (baked["triage"] / "notebooks" / "fr").exists()  # English: no translations left
    with isolated_env(tmp_path / "home"):
        project = bake(tmp_path / "out", tmp_path / "replay", project_name="Tri", language="fr")
    assert not (project / "notebooks" / "fr").exists()
    for source in sorted(template.glob("*.ipynb")):
        english = nbformat.read(source, as_version=4)
        french = nbformat.read(project / "notebooks" / source.name, as_version=4)
        assert french == nbformat.read(template / "fr" / source.name, as_version=4)
        assert [c.cell_type for c in french.cells] == [c.cell_type for c in english.cells]
        for ours, theirs in zip(french.cells, english.cells, strict=True):
            if ours.cell_type == "code":
                assert ours.source == theirs.source, source.name
            else:
                assert ours.source != theirs.source, (source.name, "not translated")
    workshop = (project / "notebooks" / "00_workshop.ipynb").read_text(encoding="utf-8")
    assert "# Atelier : ce que réussir veut dire" in workshop


def test_readme_names_the_project(baked: dict[str, Path]) -> None:
    readme = (baked["imaging"] / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Imaging use case\n")
    assert "`imaging` charter preset" in readme
    assert "{{" not in readme


def test_template_notebooks_hold_no_output() -> None:
    """nbstripout would change nothing: the shipped notebooks are already commit-ready."""
    notebooks = [
        *sorted((TEMPLATE / "{{cookiecutter.project_slug}}" / "notebooks").glob("*.ipynb")),
        REPO / "templates" / "reports" / "report.ipynb",
    ]
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert all(not c.get("outputs") for c in notebook.cells), path.name
    result = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--dry-run", *map(str, notebooks)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == ""


# --- git ----------------------------------------------------------------------------------------


def test_git_is_initialised_with_the_notebook_filter_and_drivers(baked: dict[str, Path]) -> None:
    project = baked["documentation"]
    config = git(project, "config", "--local", "--list")
    assert f"filter.nbstripout.clean={sys.executable} -m nbstripout" in config
    assert "filter.nbstripout.required=true" in config
    assert f"diff.jupyternotebook.command={sys.executable} -m nbdime.vcs.git.diffdriver" in config
    assert "merge.jupyternotebook.driver=" in config
    assert "merge.tool" not in config  # the user's own merge tool is left alone
    attributes = git(project, "check-attr", "filter", "diff", "merge", "--", "notebooks/x.ipynb")
    assert attributes.splitlines() == [
        "notebooks/x.ipynb: filter: nbstripout",
        "notebooks/x.ipynb: diff: jupyternotebook",
        "notebooks/x.ipynb: merge: jupyternotebook",
    ]
    nbstripout_status = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--status"],
        cwd=project,
        capture_output=True,
        check=False,
    )
    assert nbstripout_status.returncode == 0


def test_the_project_starts_from_a_first_commit_of_every_file(baked: dict[str, Path]) -> None:
    project = baked["documentation"]
    assert git(project, "status", "--porcelain") == ""  # clean: `cruft update` can run
    tracked = sorted(git(project, "ls-files").split())
    assert tracked == [f for f in files_under(project) if (project / f).is_file()]
    # no identity in the isolated HOME: the fallback signs it, and no configuration keeps it
    assert git(project, "log", "--format=%an <%ae>|%s").strip() == (
        "codesign <codesign@localhost>|Documentation use case: new project from the codesign "
        "template (preset documentation)"
    )
    assert "user.email" not in git(project, "config", "--local", "--list")
    for notebook in [f for f in tracked if f.endswith(".ipynb")]:  # went through nbstripout
        stored = git(project, "show", f"HEAD:{notebook}")
        assert '"outputs": [],' in stored or '"outputs"' not in stored


def test_data_and_results_are_ignored(baked: dict[str, Path]) -> None:
    project = baked["imaging"]
    ignored = [
        "data/extract.csv",
        "data/raw/2026/extract.parquet",
        "mlruns/mlflow.db",
        "mlruns/artifacts/1/model.pkl",
        "reports/report-20260301T070000Z.html",
        "governance/results/latest.json",
        "governance/data_docs/index.html",
        "feedback/records.csv",
        "notebooks/.ipynb_checkpoints/00_workshop-checkpoint.ipynb",
    ]
    kept = ["data/README.md", "governance/README.md", "mlruns/.gitkeep", "reports/.gitkeep"]
    listed = git(project, "check-ignore", "--no-index", *ignored, *kept).split()
    assert sorted(listed) == sorted(ignored)


def notebook_with_output(path: Path, text: str) -> None:
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "code")
    cell.source += "\n# run in the workshop"  # a change to commit (the first commit has the rest)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    cell.execution_count = 7
    notebook.metadata["widgets"] = {"state": {"x": text}}
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def committed(baked: dict[str, Path]) -> tuple[Path, str]:
    """The imaging project with a notebook holding a patient's name committed (no git identity
    configured: the test passes one on the command line, as CI has none)."""
    from faker import Faker

    project = baked["imaging"]
    canary = Faker("fr_FR").name()
    notebook = project / "notebooks" / "01_governance.ipynb"
    notebook_with_output(notebook, f"patient: {canary}\n")
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    git(project, *identity, "add", "notebooks/01_governance.ipynb")
    git(project, *identity, "commit", "--quiet", "--no-verify", "-m", "Workshop notebook")
    return project, canary


def test_a_notebook_with_outputs_is_committed_stripped(committed: tuple[Path, str]) -> None:
    project, canary = committed
    stored = git(project, "show", "HEAD:notebooks/01_governance.ipynb")
    assert canary not in stored
    notebook = nbformat.reads(stored, as_version=4)
    assert all(
        not c.get("outputs") and c.get("execution_count") is None
        for c in notebook.cells
        if c.cell_type == "code"
    )
    assert "widgets" not in notebook.metadata
    # the working copy keeps its outputs, and git sees nothing to commit in it
    assert canary in (project / "notebooks" / "01_governance.ipynb").read_text(encoding="utf-8")
    assert git(project, "status", "--porcelain", "notebooks/01_governance.ipynb") == ""


def test_git_diff_uses_nbdime_without_an_activated_environment(
    committed: tuple[Path, str],
) -> None:
    project, _ = committed
    notebook = project / "notebooks" / "01_governance.ipynb"
    content = nbformat.read(notebook, as_version=4)
    content.cells[0].source += "\n\nEdited in the workshop."
    nbformat.write(content, notebook)
    env = {**os.environ, "PATH": "/usr/bin:/bin"}  # no virtualenv on PATH
    diff = git(project, "diff", "--no-color", "notebooks/01_governance.ipynb", env=env)
    assert diff.startswith("nbdiff ")
    assert "## modified /cells/0/source:" in diff
    assert "Edited in the workshop." in diff


# --- the plain cookiecutter command, and failures -----------------------------------------------


def test_plain_cookiecutter_cli_bakes_a_working_project(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "cookiecutter"),
            str(TEMPLATE),
            "--no-input",
            "--output-dir",
            str(tmp_path),
            "project_name=Clinical notes assistant",
            "preset=documentation",
            "clinical_lead=Dr Q",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    project = tmp_path / "clinical-notes-assistant"
    assert files_under(project) == LAYOUT
    assert load_charter(project).charter.clinical_lead.name == "Dr Q"  # type: ignore[union-attr]
    assert_project_tests_pass(project)


def refused(tmp_path: Path, **context: str) -> Any:
    from cookiecutter.exceptions import FailedHookException

    output = tmp_path / "out"
    output.mkdir()
    with pytest.raises(FailedHookException):
        bake(output, tmp_path / "replay", **context)
    return output


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"clinical_lead": "Dr\u202eQ"}, "clinical_lead: contains an invisible control character"),
        ({"timezone": "Mars/Olympus"}, 'timezone: unknown time zone "Mars/Olympus"'),
        ({"project_slug": "Not A Slug"}, "project_slug:"),
    ],
)
def test_pre_generation_hook_refuses_bad_answers(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], context: dict[str, str], message: str
) -> None:
    output = refused(tmp_path, project_name="Triage", **context)
    assert files_under(output) == []
    assert message in capfd.readouterr().err


def test_a_slug_escaping_the_output_folder_leaves_nothing(tmp_path: Path) -> None:
    output = refused(tmp_path, project_name="Triage", project_slug="../escaped")
    assert files_under(output) == []
    assert not (tmp_path / "escaped").exists()


def test_a_failing_post_generation_step_removes_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    bin_dir = fake_git(tmp_path / "bin", fail_on="config")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    output = refused(tmp_path, project_name="Triage")
    assert files_under(output) == []
    assert "`git config` failed" in capfd.readouterr().err


def test_hook_answers_cannot_become_code(tmp_path: Path) -> None:
    """Quotes, backslashes and triple quotes in an answer reach the hook as plain text."""
    output = tmp_path / "out"
    lead = 'Dr "Q" O\'Brien \\ \'\'\' """ </script>'
    project = bake(output, tmp_path / "replay", project_name="Triage", clinical_lead=lead)
    assert load_charter(project).charter.clinical_lead.name == lead  # type: ignore[union-attr]

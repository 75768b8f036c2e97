"""``cruft update`` brings template improvements into an existing project (the real cruft).

A template repository (a git repository holding ``cookiecutter/``, as codesign's does) is made
in ``tmp_path``; a project is scaffolded linked to it; the template then improves (a new file,
a changed one) while the team edits its charter; ``cruft update`` in the project applies the
improvements and keeps the team's charter.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codesign.scaffold import ProjectSpec, create_project
from codesign.scaffold.updates import ENV_TEMPLATE_REPOSITORY, template_source

from .conftest import TEMPLATE, git

pytestmark = pytest.mark.slow

IDENTITY = ("-c", "user.name=Template maintainer", "-c", "user.email=maintainer@example.org")
SLUG_DIR = "{{cookiecutter.project_slug}}"


def commit_all(repository: Path, message: str) -> str:
    git(repository, "add", "--all")
    git(repository, *IDENTITY, "commit", "--quiet", "--no-verify", "-m", message)
    return git(repository, "rev-parse", "HEAD").strip()


def test_cruft_update_brings_template_improvements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = tmp_path / "codesign"
    shutil.copytree(TEMPLATE, repository / "cookiecutter")
    git(repository, "init", "--quiet")
    first = commit_all(repository, "Template 1")
    monkeypatch.setenv(ENV_TEMPLATE_REPOSITORY, f"{repository}@{first}")
    project = create_project(ProjectSpec.from_name("Sepsis alert", preset="blank"), tmp_path)
    state = json.loads((project / ".cruft.json").read_text())
    assert (state["template"], state["commit"], state["directory"]) == (
        str(repository),
        first,
        "cookiecutter",
    )

    rendered = repository / "cookiecutter" / SLUG_DIR
    (rendered / "CHECKLIST.md").write_text(
        "# Go-live checklist for {{ cookiecutter.project_name }}\n"
    )
    readme = rendered / "data" / "README.md"
    readme.write_text(readme.read_text() + "\nNever put identified extracts here.\n")
    second = commit_all(repository, "Template 2: a go-live checklist")

    charter = project / "codesign.yaml"
    charter.write_text(charter.read_text() + "# the team's note\n")
    commit_all(project, "Workshop 1")

    cruft = Path(sys.executable).parent / "cruft"
    result = subprocess.run(
        [cruft, "update", "--skip-apply-ask"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "CHECKLIST.md").read_text() == "# Go-live checklist for Sepsis alert\n"
    assert "Never put identified extracts here." in (project / "data" / "README.md").read_text()
    assert charter.read_text().endswith("# the team's note\n")
    assert json.loads((project / ".cruft.json").read_text())["commit"] == second
    assert not list(project.rglob("*.rej"))


def test_the_template_source_defaults_to_codesign_s_release(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import codesign

    monkeypatch.delenv(ENV_TEMPLATE_REPOSITORY, raising=False)
    assert template_source() == (
        "https://github.com/codesign-health/codesign",
        f"v{codesign.__version__}",
    )
    monkeypatch.setenv(ENV_TEMPLATE_REPOSITORY, "git@example.org:hospital/codesign.git")
    assert template_source()[0] == "git@example.org:hospital/codesign.git"
    monkeypatch.setenv(ENV_TEMPLATE_REPOSITORY, "https://example.org/codesign@v2.0.0")
    assert template_source() == ("https://example.org/codesign", "v2.0.0")

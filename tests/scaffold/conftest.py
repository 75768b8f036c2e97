"""Helpers for baking projects from the template and running their own tests.

Baking a project and running its tests takes seconds, so tests share baked projects through
module-scoped fixtures; those run before the per-test ``isolated_home`` fixture, so they isolate
HOME themselves with :func:`isolated_env`.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "cookiecutter"

LAYOUT = [  # DESIGN.md section 3, as files
    ".cruft.json",
    ".gitattributes",
    ".gitignore",
    "README.md",
    "codesign.yaml",
    "data",
    "data/README.md",
    "governance",
    "governance/README.md",
    "mlruns",
    "mlruns/.gitkeep",
    "notebooks",
    "notebooks/00_workshop.ipynb",
    "notebooks/01_governance.ipynb",
    "notebooks/02_iterations.ipynb",
    "notebooks/03_feedback.ipynb",
    "notebooks/report.ipynb",
    "pytest.ini",
    "reports",
    "reports/.gitkeep",
    "tests",
    "tests/test_project.py",
]

ISOLATED_GIT = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")


@contextlib.contextmanager
def isolated_env(home: Path) -> Iterator[Path]:
    """HOME and the XDG folders point into ``home`` (no ~/.cookiecutterrc, no git identity)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("USERPROFILE", str(home))
        mp.setenv("XDG_CONFIG_HOME", str(home / ".config"))
        mp.setenv("XDG_CACHE_HOME", str(home / ".cache"))
        mp.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
        mp.delenv("COOKIECUTTER_CONFIG", raising=False)
        for name in ISOLATED_GIT:
            mp.delenv(name, raising=False)
        yield home


def bake(output: Path, replay: Path, **context: str) -> Path:
    """Bake the template with cookiecutter's own API, hooks on, into ``output``."""
    from cookiecutter.main import cookiecutter

    return Path(
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            extra_context=context,
            output_dir=str(output),
            default_config={"replay_dir": str(replay), "cookiecutters_dir": str(replay)},
        )
    )


def run_project_tests(project: Path) -> subprocess.CompletedProcess[str]:
    """Run a baked project's own tests as its users would: ``pytest`` in its folder.

    Only pytest's built-in plugins are loaded: this repository's dev plugins (hypothesis, faker)
    are not the project's and would only slow every run down.
    """
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def assert_project_tests_pass(project: Path) -> None:
    result = run_project_tests(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    assert "failed" not in result.stdout


def files_under(folder: Path) -> list[str]:
    """Every path below ``folder`` (``.git`` contents excluded), relative, sorted."""
    if not folder.exists():
        return []
    return sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if ".git" not in path.relative_to(folder).parts[:1]
    )


def git(project: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in ``project``; returns stdout, fails the test on a non-zero exit."""
    result = subprocess.run(
        ["git", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def fake_git(folder: Path, fail_on: str) -> Path:
    """A ``git`` that runs the real one but fails on ``fail_on`` (a half-way failure)."""
    import shutil

    real = shutil.which("git")
    assert real is not None
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "git"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "{fail_on}" ]; then\n'
        '  echo "fatal: simulated failure of git $1" >&2; exit 128\n'
        "fi\n"
        f'exec {real} "$@"\n'
    )
    script.chmod(0o755)
    return folder

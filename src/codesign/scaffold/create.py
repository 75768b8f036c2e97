"""Scaffold a project: check, render, finish, and only then put it in place.

The project is built in a hidden staging folder next to its final place (same file system) and
moved there in one rename once complete, so a project folder either exists whole or not at all:
a failure half-way (the template, the charter, git), or Ctrl-C, removes the staging folder and
any output folder this call created. An existing target is never touched.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from codesign.exceptions import ScaffoldError
from codesign.fileio import MUST_NOT_EXIST, atomic_write
from codesign.i18n import LANGUAGES
from codesign.project.layout import REPORT_NOTEBOOK
from codesign.scaffold.charter import write_charter
from codesign.scaffold.spec import check_output_dir
from codesign.scaffold.template import render, report_notebook_bytes
from codesign.scaffold.updates import write_cruft_state
from codesign.scaffold.vcs import init_repository
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Iterator

    from codesign.scaffold.spec import ProjectSpec

logger = logging.getLogger(__name__)

STAGING_PREFIX = ".codesign-new-"
"""Name prefix of the hidden folder a project is built in before it is moved into place."""


def create_project(spec: ProjectSpec, output_dir: Path | str = ".") -> Path:
    """Create ``output_dir/<slug>/`` for ``spec`` (template, charter, report notebook, git).

    Returns the new project's folder. Raises :class:`ScaffoldError`, with nothing written and
    nothing left behind, for an output folder that is not a folder, a target that already
    exists, or any failure on the way.
    """
    output = Path(output_dir).expanduser().absolute()
    check_output_dir(str(output))  # cookiecutter renders the whole path as a template
    target = _target(output, spec.project_slug)
    created = _make_folder(output)
    try:
        with _staging(output) as staging:
            built = render(spec, staging)
            finish_project(spec, built)
            _move_into_place(built, target)
    except OSError as e:
        _remove_empty(created)
        msg = f"{output}: cannot write the project there ({os_reason(e)}); nothing was kept"
        raise ScaffoldError(msg) from e
    except BaseException:
        _remove_empty(created)
        raise
    logger.info("created %s", target)
    return target


def finish_project(spec: ProjectSpec, project_dir: Path) -> None:
    """What the template cannot do by rendering: charter, report notebook, the link to the
    template for updates (``.cruft.json``), git and the first commit.

    The post-generation hook of the template calls this too, so the plain ``cookiecutter``
    command makes the same project.
    """
    write_charter(spec, project_dir)
    use_notebooks_in(spec.language, project_dir)
    _copy_report_notebook(project_dir)
    write_cruft_state(spec, project_dir)
    init_repository(
        project_dir,
        message=f"{spec.project_name}: new project from the codesign template "
        f"(preset {spec.preset})",
    )


@contextlib.contextmanager
def _staging(output: Path) -> Iterator[Path]:
    """A hidden, private folder in ``output`` to build in; removed with whatever it holds."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=output))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _target(output: Path, slug: str) -> Path:
    """``output/slug``, refused if it exists (as anything) or would resolve outside ``output``."""
    if output.exists() and not output.is_dir():
        msg = f"output_dir: {output} is a file, expected a folder"
        raise ScaffoldError(msg)
    target = output / slug
    if os.path.lexists(target):
        msg = f"{target}: already exists; nothing was written (choose another name or folder)"
        raise ScaffoldError(msg)
    if target.resolve().parent != output.resolve():
        msg = f"project_slug: {slug!r} would place the project outside {output}"
        raise ScaffoldError(msg)
    return target


def _make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; returns those created, deepest first."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _remove_empty(missing)
        msg = f"output_dir: cannot create {folder} ({os_reason(e)})"
        raise ScaffoldError(msg) from e
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def use_notebooks_in(language: str, project_dir: Path) -> None:
    """The notebooks in the project's language: the template keeps each translation under
    ``notebooks/<language>/`` (the same code cells, its own words); the ones of ``language``
    replace the English ones, and the translations folders are removed either way."""
    notebooks = project_dir / "notebooks"
    for folder in sorted(p for p in notebooks.iterdir() if p.is_dir() and p.name in LANGUAGES):
        if folder.name == language:
            for translated in sorted(folder.glob("*.ipynb")):
                os.replace(translated, notebooks / translated.name)
        shutil.rmtree(folder)


def _copy_report_notebook(project_dir: Path) -> None:
    atomic_write(
        project_dir / REPORT_NOTEBOOK, report_notebook_bytes(), expected_sha256=MUST_NOT_EXIST
    )


def _move_into_place(built: Path, target: Path) -> None:
    """Rename the finished project to ``target``, never over anything that appeared there.

    Creating ``target`` claims the name (it fails if anything holds it); renaming a folder over
    one's own empty folder is then a single atomic step on POSIX systems.
    """
    try:
        target.mkdir()
    except FileExistsError:
        msg = f"{target}: appeared while the project was being made; nothing was written there"
        raise ScaffoldError(msg) from None
    except OSError as e:
        msg = f"{target}: cannot create ({os_reason(e)})"
        raise ScaffoldError(msg) from e
    try:
        os.replace(built, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            target.rmdir()
        msg = f"{target}: cannot move the new project into place ({os_reason(e)})"
        raise ScaffoldError(msg) from e

"""The new project's git repository: notebooks committed without outputs, diffed with nbdime.

A notebook's outputs are where patient data shows up (a ``df.head()``, a plotted record), so the
repository strips them on every commit with nbstripout's clean filter. ``.gitattributes`` (part
of the template, so it travels with every clone) assigns the filter and nbdime's diff and merge
drivers to ``*.ipynb``; this module defines them in the repository's own ``.git/config``, never
in the user's global configuration.

The definitions are the ones ``nbstripout --install`` and ``nbdime config-git --enable`` write,
with two deliberate differences: the commands run through the Python that has codesign (and so
nbstripout and nbdime) installed, so they work when that environment is not activated (nbdime
would write a bare ``git-nbdiffdriver``, found only on an activated ``PATH``); and nbdime's GUI
diff and merge tools are left alone, as they would replace the user's chosen ``merge.tool`` for
every file of the repository. The filter is ``required``: if it cannot run, git refuses to
commit a notebook rather than committing it unstripped.

The project's first commit is made here, through that filter (so the very first snapshot of
every notebook is already stripped), so that the team starts from a clean working tree: a
template update (``cruft update``) needs one, and ``git diff`` then shows exactly what the
workshop changed. It is signed by the user's git identity when one is configured, else by
:data:`FALLBACK_IDENTITY` (set for this one command, never written to any configuration);
commit hooks and signing are skipped, since this commit holds only what the template made.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Final

from codesign.exceptions import ScaffoldError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

logger = logging.getLogger(__name__)

GIT_TIMEOUT: Final = 60.0
"""Seconds a single git command may take; local commands take milliseconds."""

_REPOSITORY_ENV: Final = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_PREFIX",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
)
"""Variables that would point git at another repository (set when run from a git hook)."""


def notebook_git_config(python: str | None = None) -> dict[str, str]:
    """The repository-local git configuration for notebooks, keyed by git config name."""
    interpreter = shlex.quote(python or sys.executable)
    return {
        "filter.nbstripout.clean": f"{interpreter} -m nbstripout",
        "filter.nbstripout.smudge": "cat",
        "filter.nbstripout.required": "true",
        "diff.ipynb.textconv": f"{interpreter} -m nbstripout -t",
        "diff.jupyternotebook.command": f"{interpreter} -m nbdime.vcs.git.diffdriver diff",
        "merge.jupyternotebook.driver": (
            f"{interpreter} -m nbdime.vcs.git.mergedriver merge %O %A %B %L %P"
        ),
        "merge.jupyternotebook.name": "jupyter notebook merge driver",
    }


def init_repository(
    project_dir: Path, python: str | None = None, *, message: str | None = None
) -> None:
    """``git init`` in ``project_dir``, configure the notebook filter and drivers there, and
    commit everything with ``message`` (no commit when it is ``None``).

    Raises :class:`ScaffoldError` when git is missing or fails, with git's own message.
    """
    run_git(project_dir, "init", "--quiet")
    for key, value in notebook_git_config(python).items():
        run_git(project_dir, "config", "--local", key, value)
    logger.info("initialised git in %s with the nbstripout filter and nbdime drivers", project_dir)
    if message is not None:
        first_commit(project_dir, message)


FALLBACK_IDENTITY: Final = {"user.name": "codesign", "user.email": "codesign@localhost"}
"""Who signs the first commit when git knows no one (a fresh server, CI)."""


def first_commit(project_dir: Path, message: str) -> None:
    """Commit every file of the new project, its notebooks as nbstripout leaves them.

    The notebooks are checked here, in this process, with nbstripout's own function (exactly
    what the clean filter runs); since they are already stripped, ``git add`` is told for this
    one command that the filter's output is the file itself, instead of starting one Python
    process per notebook (seconds each on a busy server). The filter stays required for every
    later commit.
    """
    check_notebooks_stripped(project_dir)
    # `git commit` refreshes the index too (files written this second are "racily clean"), so
    # it gets the same override; the repository's own configuration is left as it is.
    config = {"filter.nbstripout.clean": "cat"}
    run_git(project_dir, "add", "--all", config=config)
    config["commit.gpgsign"] = "false"
    if not _has_identity(project_dir):
        config.update(FALLBACK_IDENTITY)
    run_git(project_dir, "commit", "--quiet", "--no-verify", "-m", message, config=config)
    logger.info("made the first commit of %s", project_dir)


def check_notebooks_stripped(project_dir: Path) -> None:
    """Raise :class:`ScaffoldError` if nbstripout would change a notebook of the project."""
    import copy

    import nbformat
    from nbstripout import strip_output

    for path in sorted(project_dir.rglob("*.ipynb")):
        if ".git" in path.relative_to(project_dir).parts:
            continue
        notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)  # type: ignore[no-untyped-call]
        stripped = strip_output(
            copy.deepcopy(notebook), keep_output=False, keep_count=False, keep_id=False
        )
        if stripped != notebook:
            msg = f"{path}: holds outputs or execution counts; the template's notebooks must not"
            raise ScaffoldError(msg)


def _has_identity(repository: Path) -> bool:
    """Whether git has a name and an e-mail for commits (environment or configuration)."""
    env = git_env()
    for key, variable in (("user.name", "GIT_AUTHOR_NAME"), ("user.email", "GIT_AUTHOR_EMAIL")):
        if env.get(variable):
            continue
        try:
            if not run_git(repository, "config", "--get", key).strip():
                return False
        except ScaffoldError:  # `git config --get` exits 1 when the key is not set
            return False
    return True


def run_git(repository: Path, *args: str, config: Mapping[str, str] | None = None) -> str:
    """Run one git command in ``repository``; returns its standard output.

    ``config`` holds settings for this command only (``git -c key=value``).
    """
    git = shutil.which("git")
    if git is None:
        msg = (
            "git is not installed (or not on PATH): a project needs it to keep notebook outputs "
            "out of its history; install git and run `codesign new` again"
        )
        raise ScaffoldError(msg)
    try:
        options = [part for k, v in (config or {}).items() for part in ("-c", f"{k}={v}")]
        result = subprocess.run(
            [git, *options, *args],
            cwd=repository,
            env=git_env(),
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        msg = f"{repository}: `git {args[0]}` could not run ({e})"
        raise ScaffoldError(msg) from e
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        msg = (
            f"{repository}: `git {args[0]}` failed (exit {result.returncode})"
            f"{': ' + detail[-1] if detail else ''}"
        )
        raise ScaffoldError(msg)
    return result.stdout


def git_env() -> dict[str, str]:
    """The environment for git: the user's, minus anything that redirects it to another repo."""
    return {k: v for k, v in os.environ.items() if k not in _REPOSITORY_ENV}

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

No commit is made: nothing here needs a git identity, and the team's first commit is theirs.
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


def init_repository(project_dir: Path, python: str | None = None) -> None:
    """``git init`` in ``project_dir`` and configure the notebook filter and drivers there.

    Raises :class:`ScaffoldError` when git is missing or fails, with git's own message.
    """
    run_git(project_dir, "init", "--quiet")
    for key, value in notebook_git_config(python).items():
        run_git(project_dir, "config", "--local", key, value)
    logger.info("initialised git in %s with the nbstripout filter and nbdime drivers", project_dir)


def run_git(repository: Path, *args: str) -> str:
    """Run one git command in ``repository``; returns its standard output."""
    git = shutil.which("git")
    if git is None:
        msg = (
            "git is not installed (or not on PATH): a project needs it to keep notebook outputs "
            "out of its history; install git and run `codesign new` again"
        )
        raise ScaffoldError(msg)
    try:
        result = subprocess.run(
            [git, *args],
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

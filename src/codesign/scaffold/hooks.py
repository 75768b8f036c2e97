"""What the template's hook files run, when the plain ``cookiecutter`` command drives it.

``cookiecutter/hooks/*.py`` are rendered by Jinja and run as scripts, so they hold no logic: each
hands cookiecutter's answers (as JSON) to one function here. ``codesign new`` does not run the
hook files; it calls the same functions in its own process (see :mod:`codesign.scaffold.create`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from codesign.exceptions import ScaffoldError
from codesign.scaffold.create import finish_project
from codesign.scaffold.spec import ProjectSpec

logger = logging.getLogger(__name__)


def pre_generate(context_json: str) -> ProjectSpec:
    """Check every answer before cookiecutter writes a file (``pre_gen_project``).

    Raises :class:`ScaffoldError` naming the variable; cookiecutter then removes the folder.
    """
    return ProjectSpec.from_context(_context(context_json))


def post_generate(context_json: str, project_dir: Path | str) -> Path:
    """Finish the rendered project in ``project_dir`` (``post_gen_project``): charter, git."""
    spec = ProjectSpec.from_context(_context(context_json))
    root = Path(project_dir).absolute()
    finish_project(spec, root)
    return root


def _context(context_json: str) -> dict[str, Any]:
    try:
        context = json.loads(context_json)
    except ValueError as e:
        msg = f"the template's answers are not valid JSON ({e})"
        raise ScaffoldError(msg) from e
    if not isinstance(context, dict):
        msg = "the template's answers are not a mapping of variables"
        raise ScaffoldError(msg)
    return context

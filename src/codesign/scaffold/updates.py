"""``.cruft.json``: how an existing project takes in later improvements of the template.

A project scaffolded today keeps the template as it was today. `cruft <https://cruft.github.io>`_
links a project to the template's git repository and commit: ``cruft update`` renders the
template at that commit and at the latest one with the project's own answers, and applies the
difference to the project as a patch (three-way, so the team's edits are kept). This module
writes the link.

The template lives in codesign's repository (the ``cookiecutter/`` folder), released with a tag
per version; a project made with codesign X.Y.Z is linked to tag ``vX.Y.Z``. A hospital that
mirrors the repository (or a test) sets :data:`ENV_TEMPLATE_REPOSITORY` to ``URL`` or
``URL@REF``. Files the team owns from the first day are never updated by the template: the
charter (``codesign.yaml``, written from a preset), and git's own folder, which the template's
post-generation hook creates in every rendering and which must not enter the patch.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Final

from codesign.fileio import MUST_NOT_EXIST, atomic_write

if TYPE_CHECKING:
    from pathlib import Path

    from codesign.scaffold.spec import ProjectSpec

CRUFT_FILE: Final = ".cruft.json"
ENV_TEMPLATE_REPOSITORY: Final = "CODESIGN_TEMPLATE_REPOSITORY"
"""``URL`` or ``URL@REF`` of the git repository holding the template (default: codesign's)."""
TEMPLATE_REPOSITORY: Final = "https://github.com/codesign-health/codesign"
TEMPLATE_DIRECTORY: Final = "cookiecutter"
"""Where the template sits in its repository."""
NEVER_UPDATED: Final = (".git", ".cruft.json", "codesign.yaml")


def template_source() -> tuple[str, str]:
    """The template's repository and the reference (commit or tag) of this codesign's version."""
    configured = os.environ.get(ENV_TEMPLATE_REPOSITORY, "").strip()
    if not configured:
        return TEMPLATE_REPOSITORY, _release_tag()
    repository, at, ref = configured.rpartition("@")
    if at and repository and ref and not any(c in ref for c in "/:"):  # not git@host:path
        return repository, ref
    return configured, _release_tag()


def _release_tag() -> str:
    import codesign

    return f"v{codesign.__version__}"


def cruft_state(spec: ProjectSpec) -> dict[str, object]:
    """The content of ``.cruft.json`` for a project made from ``spec``."""
    repository, ref = template_source()
    return {
        "template": repository,
        "commit": ref,
        "checkout": None,
        "context": {"cookiecutter": {**spec.context(), "_template": repository}},
        "directory": TEMPLATE_DIRECTORY,
        "skip": list(NEVER_UPDATED),
    }


def write_cruft_state(spec: ProjectSpec, project_dir: Path) -> Path:
    """Write ``.cruft.json`` in the new project; returns its path."""
    path = project_dir / CRUFT_FILE
    text = json.dumps(cruft_state(spec), indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, text.encode("utf-8"), expected_sha256=MUST_NOT_EXIST)
    return path

"""Scaffolding: a new use case project from the Cookiecutter template (``codesign new``).

A project is complete the moment it exists: its charter (a preset with the project's names),
the workshop, governance, iteration, feedback and report notebooks, its own passing tests, and a
git repository that strips notebook outputs on commit. See DESIGN.md section 3 for the layout.
"""

from codesign.scaffold.charter import preset_defaults
from codesign.scaffold.create import create_project, finish_project
from codesign.scaffold.spec import DEFAULT_PRESET, ProjectSpec, slug_for

__all__ = [
    "DEFAULT_PRESET",
    "ProjectSpec",
    "create_project",
    "finish_project",
    "preset_defaults",
    "slug_for",
]

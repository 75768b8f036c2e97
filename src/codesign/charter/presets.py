"""Charter presets: ready-made charters for use cases seen in the field.

Presets ship as package data (``codesign/templates/charters/<name>.yaml``), read through
:mod:`importlib.resources` so they work from a wheel as well as from a checkout. Each is a
complete, valid charter whose targets carry their source as comments.
"""

from __future__ import annotations

from importlib import resources
from typing import Final

from codesign.exceptions import CharterError

PRESETS: Final = ("triage", "imaging", "documentation", "blank")
"""The presets, in the order they are offered."""


def preset_text(name: str) -> str:
    """The YAML text of preset ``name``, comments included."""
    if name not in PRESETS:
        msg = f'unknown preset "{name}"; expected one of: {", ".join(PRESETS)}'
        raise CharterError(msg)
    resource = resources.files("codesign") / "templates" / "charters" / f"{name}.yaml"
    return resource.read_text(encoding="utf-8")

"""Charter presets: ready-made charters for use cases seen in the field.

Presets ship as package data (``codesign/templates/charters/<name>.yaml``, the French ones under
``charters/fr/``), read through :mod:`importlib.resources` so they work from a wheel as well as
from a checkout. Each is a complete, valid charter whose targets carry their source as comments;
a preset's translation has the same outcomes, targets, sources and data contract, in the
language's words (titles, rationales, comments, roles) and with its ``language:`` set.
"""

from __future__ import annotations

from importlib import resources
from typing import Final

from codesign.exceptions import CharterError
from codesign.i18n import DEFAULT_LANGUAGE, LANGUAGES

PRESETS: Final = ("triage", "imaging", "documentation", "blank")
"""The presets, in the order they are offered."""


def preset_text(name: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The YAML text of preset ``name`` in ``language`` (``en``, ``fr``), comments included."""
    if name not in PRESETS:
        msg = f'unknown preset "{name}"; expected one of: {", ".join(PRESETS)}'
        raise CharterError(msg)
    if language not in LANGUAGES:
        msg = f'unknown language "{language}" for a preset; expected one of: {", ".join(LANGUAGES)}'
        raise CharterError(msg)
    folder = resources.files("codesign") / "templates" / "charters"
    if language != DEFAULT_LANGUAGE:
        folder = folder / language
    return (folder / f"{name}.yaml").read_text(encoding="utf-8")

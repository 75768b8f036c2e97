"""Build hook: compile the message catalogues (``.po`` → ``.mo``) with Babel.

The repository keeps the translations as text (``src/codesign/locale/<lang>/LC_MESSAGES/
codesign.po``); what gettext reads at run time is the compiled ``codesign.mo`` beside it. A wheel
gets them compiled into a build folder and added under ``codesign/locale/``; an editable install
gets them compiled in place, next to their ``.po`` (git-ignored), since it runs from the sources.
A translation Babel cannot compile (a broken placeholder line) stops the build.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE = Path("src/codesign/locale")
DOMAIN = "codesign"


def compile_catalogues(root: Path, out: Path) -> list[Path]:
    """Compile every ``<lang>/LC_MESSAGES/codesign.po`` under ``root/LOCALE`` into ``out``."""
    written = []
    for po in sorted((root / LOCALE).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as stream:
            catalog = read_po(stream, domain=DOMAIN)
        errors = [(m.id, e) for m, es in catalog.check() for e in es]
        if errors:
            msg = f"{po}: {len(errors)} broken translation(s), first: {errors[0]}"
            raise RuntimeError(msg)
        target = out / po.relative_to(root / LOCALE).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as stream:
            write_mo(stream, catalog)
        written.append(target)
    return written


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the catalogues for the wheel (or in place for an editable install)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        if version == "editable":
            compile_catalogues(root, root / LOCALE)
            return
        self._folder = tempfile.TemporaryDirectory(prefix="codesign-locale-")
        out = Path(self._folder.name)
        for mo in compile_catalogues(root, out):
            build_data["force_include"][str(mo)] = f"codesign/locale/{mo.relative_to(out)}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:  # noqa: ARG002 (the hook's signature)
        folder = getattr(self, "_folder", None)
        if folder is not None:
            folder.cleanup()

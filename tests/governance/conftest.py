"""Fixtures of the governance tests: a triage project, synthetic extracts, a canary search."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import found_in

from codesign.charter import preset_text
from codesign.project import PHI_CATEGORIES
from codesign.synthetic import PlantOptions, ed_extract, plant_identifiers

ROWS = 400


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding the triage preset's charter (its data contract)."""
    root = tmp_path / "triage"
    root.mkdir()
    (root / "codesign.yaml").write_text(preset_text("triage"), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def clean_frame() -> pd.DataFrame:
    """A de-identified extract, full of clinical numbers."""
    return ed_extract(ROWS, seed=42)


@pytest.fixture(scope="session")
def planted():
    """The same extract with 3 to 8 identifiers per category in the notes, and identity columns."""
    counts = dict(zip(PHI_CATEGORIES, (3, 4, 5, 6, 7, 8, 9), strict=True))
    return plant_identifiers(
        ed_extract(ROWS, seed=42), PlantOptions(counts=counts, identity_columns=True, seed=9)
    )


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[[pd.DataFrame, str], Path]:
    def write(frame: pd.DataFrame, name: str = "extract.csv") -> Path:
        path = tmp_path / name
        frame.to_csv(path, index=False)
        return path

    return write


def canary_forms(canaries: Iterable[str]) -> list[str]:
    """Every planted value, and the bare digits of phone numbers and NIR (9+ digits)."""
    forms = set(canaries)
    for value in canaries:
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 9:
            forms.add(digits)
    return sorted(forms)


def leaked(texts: dict[str, str], canaries: Iterable[str]) -> list[tuple[str, str]]:
    """``(where, canary)`` for every canary found in one of ``texts``."""
    forms = canary_forms(canaries)
    return [(where, c) for where, text in texts.items() for c in found_in(text, forms)]


def files_written(root: Path, *, skip: Iterable[Path] = ()) -> dict[str, str]:
    """The text of every file under ``root`` but the inputs in ``skip``."""
    skipped = {p.resolve() for p in skip}
    return {
        str(p): p.read_text(encoding="utf-8", errors="replace")
        for p in root.rglob("*")
        if p.is_file() and p.resolve() not in skipped
    }


@pytest.fixture
def find_leaks() -> Callable[[dict[str, str], Iterable[str]], list[tuple[str, str]]]:
    """``find_leaks(texts, canaries)``: every canary found in one of the texts."""
    return leaked


@pytest.fixture
def read_written() -> Callable[..., dict[str, str]]:
    """``read_written(root, skip=(inputs,))``: the text of every file the gate wrote."""
    return files_written

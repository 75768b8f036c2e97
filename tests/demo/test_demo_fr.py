"""The demo's story in French: ``codesign --lang fr demo`` and the report a French team reads.

The story runs once (module fixture) with the French triage preset; its report page must be
French throughout: ``<html lang="fr">``, French headings and verdicts, numbers with a decimal
comma, dates day first in the project's time zone, and no interface sentence left in English,
checked against every message of the English catalogue that has a French translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.french import english_left, visible_text

from .test_demo import codesign

pytestmark = pytest.mark.slow

SLUG = "assistant-d-orientation-infirmiere"


@dataclass(frozen=True)
class FrenchDemo:
    folder: Path
    project: Path
    stdout: str
    page: str


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> FrenchDemo:
    home = tmp_path_factory.mktemp("demo-fr-home")
    cwd = tmp_path_factory.mktemp("demo-fr-cwd")
    result = codesign("--lang", "fr", "demo", "--dir", "histoire", home=home, cwd=cwd)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    project = cwd / "histoire" / SLUG
    (page,) = (project / "reports").glob("*.html")
    return FrenchDemo(cwd / "histoire", project, result.stdout, page.read_text(encoding="utf-8"))


def test_the_page_is_french(demo: FrenchDemo) -> None:
    assert '<html lang="fr">' in demo.page
    text = visible_text(demo.page)
    for heading in (
        "Tableau de bord des résultats",
        "Évolution au fil des itérations du modèle",
        "Contrôle de gouvernance",
        "Risques pour les patients",
        "Construire, acheter ou s'associer",
        "Retours des personnes qui l'utilisent",
        "Validation",
    ):
        assert heading in text, heading
    assert "Atteint" in text
    assert "Non atteint" in text
    assert "Assistant d'orientation infirmière" in text


def test_numbers_and_dates_are_written_the_french_way(demo: FrenchDemo) -> None:
    text = visible_text(demo.page)
    assert re.search(r"≥ 0,95\b", text), "targets with a decimal comma"
    assert re.search(r"\b0,\d{1,3}\b", text), "values with a decimal comma"
    assert not re.search(r"(?<![\d.])0\.\d{2,3}(?!\d)", text), "no value with a decimal point"
    assert re.search(r"Rapport du \d\d/\d\d/\d{4} \d\d:\d\d \(Europe/Paris\)", text)


def test_no_english_interface_sentence_is_left(demo: FrenchDemo) -> None:
    left = english_left(visible_text(demo.page))
    assert not left, f"English left in the French report: {left}"


def test_the_terminal_says_where_the_report_is(demo: FrenchDemo) -> None:
    assert f"{SLUG}/reports/" in demo.stdout

"""The portfolio in French: the page, the flags and the command's lines a French AI office reads.

The share of projects is the one every portfolio test reads (English charters: their titles
stay as typed); the portfolio is built and written with French chosen, as ``codesign --lang fr
portfolio`` does. The page must be French throughout: ``<html lang="fr">``, French headings,
flags and statuses, numbers with a decimal comma, dates day first, and no interface sentence
left in English, checked against every message of the catalogue that has a French translation.
The exports' keys stay the same stable English keys in every language.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.french import NBSP, english_left, visible_text
from tests.portfolio.conftest import NOW, Tree

from codesign.i18n import use_language
from codesign.portfolio import Portfolio, PortfolioOptions, build_portfolio, write_portfolio
from codesign.portfolio.exports import CSV_COLUMNS


@dataclass(frozen=True)
class French:
    portfolio: Portfolio
    page: str
    json: dict[str, Any]
    csv_header: list[str]


@pytest.fixture(scope="module")
def french(tree: Tree, tmp_path_factory: pytest.TempPathFactory) -> French:
    with use_language("fr"):
        portfolio = build_portfolio([tree.root], PortfolioOptions(now=NOW))
        files = write_portfolio(portfolio, tmp_path_factory.mktemp("fr") / "out")
    header = next(csv.reader(io.StringIO(files.csv.read_text(encoding="utf-8"))))
    return French(
        portfolio,
        files.html.read_text(encoding="utf-8"),
        json.loads(files.json.read_text(encoding="utf-8")),
        header,
    )


def test_the_page_is_french(french: French) -> None:
    assert '<html lang="fr">' in french.page
    text = visible_text(french.page)
    for words in (
        "Portefeuille IA",
        "Synthèse",
        "Projets par étape",
        "Construire, acheter ou s'associer",
        "Résultats attendus atteints à la dernière itération",
        "Contrôle de gouvernance",
        "Alertes à traiter",
        "Responsable clinique",
        "Dernier rapport",
        "Effacer les filtres",
        "pas de responsable clinique",  # a flag
        "charte actuelle non validée",
        "co-conception",  # a stage
        "non décidé",
        "réussi",  # a governance status
        "Illisibles en partie (3)",
    ):
        assert words in text, words
    assert "Nurse triage assistant" in text, "titles stay as the charters have them"


def test_filters_keep_their_keys_and_show_french_words(french: French) -> None:
    assert '<option value="co-design">co-conception</option>' in french.page
    assert '<option value="no_clinical_lead">pas de responsable clinique</option>' in french.page
    assert '<option value="all met">tous atteints</option>' in french.page
    assert 'data-shown="{shown} projets affichés sur 10"' in french.page


def test_numbers_and_dates_are_written_the_french_way(french: French) -> None:
    text = visible_text(french.page)
    assert re.search(r"généré le \d\d/\d\d/\d{4} \d\d:\d\d \(UTC\)", text)
    assert re.search(rf"\b\d{{1,3}}{NBSP}%</strong> des résultats attendus atteints", french.page)
    day = f"{NOW:%d/%m/%Y}"
    assert day in text, "dates day first"
    assert f"{NOW:%Y-%m-%d}" not in text, "no ISO date left"
    assert not re.search(r"\d %", french.page), "a percent sign after a non-breaking space"


def test_no_english_interface_sentence_is_left(french: French) -> None:
    left = english_left(visible_text(french.page))
    assert not left, f"English left in the French portfolio: {left}"


def test_flags_speak_french_and_keep_their_codes(french: French) -> None:
    messages = {f.code.value: f.message for i in french.portfolio.initiatives for f in i.flags}
    assert messages["no_clinical_lead"] == (
        "aucune partie prenante interne n'a le rôle de responsable clinique"
    )
    assert re.fullmatch(
        rf"aucune activité depuis \d+ jours \(dernière{NBSP}: [^,]+, le \d\d/\d\d/\d{{4}}\)",
        messages["inactive"],
    ), messages["inactive"]
    assert french.json["flags"]["no_clinical_lead"] == "pas de responsable clinique"


def test_the_exports_keep_their_english_keys(french: French) -> None:
    assert french.csv_header == list(CSV_COLUMNS)
    assert set(french.json["summary"]["by_stage"]) == {
        "idea",
        "co-design",
        "pilot",
        "scaled",
        "retired",
    }
    assert "all met" in french.json["summary"]["by_outcomes"]
    record = french.json["initiatives"][0]
    assert {"title", "stage", "flags", "governance"} <= set(record)


def test_the_command_speaks_french(tree: Tree, tmp_path: Path, run_cli: Any) -> None:
    result = run_cli("--lang", "fr", "-q", "portfolio", str(tree.root), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    first, summary = result.stdout.splitlines()
    assert first == (
        f"Portefeuille{NBSP}: {tmp_path / 'index.html'} (avec portfolio.csv et portfolio.json)"
    )
    assert summary.startswith(f"10 projets{NBSP}: ")
    assert summary.endswith(f"{NBSP}; 3 illisible(s) en partie")
    assert "1 résultats en recul" in summary
    assert '<html lang="fr">' in (tmp_path / "index.html").read_text(encoding="utf-8")

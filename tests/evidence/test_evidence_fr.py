"""The evidence documents in French: what a DPO or a manager of a French hospital reads.

The project of the other evidence tests (an English charter: its typed text stays as written),
its documents written with French chosen, as ``codesign --lang fr evidence`` or a charter with
``language: fr`` does. The pages must be French throughout: ``lang="fr"``, French titles,
statuses and findings, dates day first, and no interface sentence left in English, checked
against every message of the catalogue that has a French translation. Item ids and the JSON's
keys stay the same; the CHAI model card still validates against its schema.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.evidence.conftest import GENERATED_AT
from tests.evidence.test_evidence import _chai_schema
from tests.french import NBSP, english_left, visible_text

from codesign.evidence import write_evidence
from codesign.i18n import use_language


@pytest.fixture(scope="module")
def folder(tracked: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("evidence-fr")
    with use_language("fr"):
        write_evidence(tracked, out=out, generated_at=GENERATED_AT)
    return out


def _page(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["annex-iv.html", "tripod-ai.html", "decide-ai.html"])
def test_every_page_is_french(folder: Path, name: str) -> None:
    page = _page(folder, name)
    assert "<html lang='fr'>" in page
    left = english_left(visible_text(page))
    assert not left, f"English left in the French {name}: {left}"


def test_the_annex_reads_as_a_french_dpo_expects(folder: Path) -> None:
    page = _page(folder, "annex-iv.html")
    assert f"annexe IV{NBSP}: documentation technique</h1>" in page
    text = visible_text(page)  # white space made plain spaces, non-breaking ones too
    for words in (
        "Description générale du système d'IA",
        "Système de gestion des risques",
        "Plan de surveillance après commercialisation",
        "Source : charte : use_case.title",
        "Exigé par la charte et non prouvé :",
        "Prouvé",
        "Partiel",
        "gravité",
    ):
        assert words in text, words
    day = f"{GENERATED_AT:%d/%m/%Y}"
    assert f"généré le {day} " in text, "the generation date, day first"
    assert f"{GENERATED_AT:%Y-%m-%d}" not in text, "no ISO date left"


def test_numbers_are_written_with_a_decimal_comma(folder: Path) -> None:
    text = visible_text(_page(folder, "annex-iv.html"))
    assert re.search(r"\b0,\d{1,3}\b", text), "metric values with a decimal comma"
    assert not re.search(r"(?<![\d.])0\.\d{2,3}(?!\d)", text), "no value with a decimal point"


def test_markdown_and_word_are_french_too(folder: Path) -> None:
    markdown = _page(folder, "annex-iv.md")
    assert f"**Statut{NBSP}:**" in markdown
    assert "## 1. Description générale du système d'IA" in markdown
    assert not english_left(markdown), english_left(markdown)
    with zipfile.ZipFile(io.BytesIO((folder / "evidence.docx").read_bytes())) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert f"Statut{NBSP}:" in body
    assert "Description générale du système d'IA" in body


def test_ids_and_keys_stay_and_the_model_card_validates(folder: Path) -> None:
    document = json.loads(_page(folder, "evidence.json"))
    (annex,) = (f for f in document["frameworks"] if f["key"] == "annex-iv")
    assert [i["id"] for i in annex["items"]][:2] == ["annex-iv.1", "annex-iv.2"]
    assert {i["status"] for i in annex["items"]} <= {"evidenced", "partial", "missing"}
    _chai_schema().validate(str(folder / "model-card.xml"))


def test_the_command_says_what_is_missing_in_french(blank: Path, run_cli: Any) -> None:
    done = run_cli("--lang", "fr", "evidence", "--project", str(blank), "--check")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(f"preuves écrites dans {blank / 'evidence'}\n")
    assert (
        f"annex-iv.5 (Système de gestion des risques), exigé, est manquant{NBSP}: "
        "aucun registre des dangers (risks)"
    ) in done.stdout
    assert "<html lang='fr'>" in (blank / "evidence" / "annex-iv.html").read_text(encoding="utf-8")

"""The demo's story in French: ``codesign --lang fr demo`` and the report a French team reads.

The story runs once (module fixture) with the French triage preset; its report page must be
French throughout: ``<html lang="fr">``, French headings and verdicts, numbers with a decimal
comma, dates day first in the project's time zone, and no interface sentence left in English,
checked against every message of the English catalogue that has a French translation.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .test_demo import codesign

pytestmark = pytest.mark.slow

CATALOGUE = (
    Path(__file__).parents[2] / "src" / "codesign" / "locale" / "fr" / "LC_MESSAGES" / "codesign.po"
)
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


class _Visible(html.parser.HTMLParser):
    """The text a reader sees or hears: text nodes, and alt, title and aria-label attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        self.parts.extend(v for k, v in attrs if k in ("alt", "title", "aria-label") and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def english_fragments() -> set[str]:
    """Every run of words (two or more) of an English message that its French changes,
    placeholders and markup cut out: what must not be left in a French page."""
    with CATALOGUE.open("rb") as stream:
        catalog = read_po(stream, locale="fr")
    fragments: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        strings = (message.string,) if isinstance(message.string, str) else tuple(message.string)
        for english in ids:
            if english in strings:
                continue
            for piece in re.split(r"\{[a-z_]+\}|<[^>]+>|`[^`]*`", english):
                words = piece.strip(" .,;:()“”\"'·✓✗\n")
                kept_in_french = any(words in french for french in strings)  # a command's name
                if len(words.split()) >= 2 and len(words) >= 10 and not kept_in_french:
                    fragments.add(words)
    return fragments


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
    text = visible_text(demo.page)
    left = sorted(f for f in english_fragments() if f in text)
    assert not left, f"English left in the French report: {left}"


def test_the_terminal_says_where_the_report_is(demo: FrenchDemo) -> None:
    assert f"{SLUG}/reports/" in demo.stdout

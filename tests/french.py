"""Checks that a page a French reader gets is French: its visible text, and English left in it.

Shared by the French tests of the report (``tests/demo/test_demo_fr.py``), the portfolio and the
evidence documents: :func:`visible_text` is what a reader sees or hears of a page, and
:func:`english_left` the English interface sentences still in it, checked against every message
of the catalogue that has a French translation.
"""

from __future__ import annotations

import functools
import html.parser
import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).parents[1] / "src" / "codesign" / "locale" / "fr" / "LC_MESSAGES"
CATALOGUE = CATALOGUE / "codesign.po"
NBSP = "\u00a0"


class _Visible(html.parser.HTMLParser):
    """The text a reader sees or hears: text nodes, and alt, title and aria-label attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        self.parts.extend(
            v for k, v in attrs if k in ("alt", "title", "aria-label", "placeholder") and v
        )

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """The text of an HTML page a reader meets, white space runs made one space."""
    parser = _Visible()
    parser.feed(page)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@functools.cache
def english_fragments() -> frozenset[str]:
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
    return frozenset(fragments)


COMMAND = re.compile(r"\bcodesign(?: [a-z][a-z-]*){1,2}\b")
"""A command's name (``codesign report run``): the same in every language."""


def english_left(text: str) -> list[str]:
    """The English interface sentences (fragments of the catalogue's messages) left in ``text``,
    commands' names left aside."""
    prose = COMMAND.sub(" ", text)
    return sorted(fragment for fragment in english_fragments() if fragment in prose)

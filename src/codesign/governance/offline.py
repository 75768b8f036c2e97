"""Data Docs that load nothing from outside: a hospital's machines often have no internet.

Great Expectations' pages pull Bootstrap, jQuery, bootstrap-table, Font Awesome, Vega and a logo
from CDNs and S3; offline they render unstyled, and the index's table of runs, which
bootstrap-table fills from data in the page, stays empty. :func:`make_offline` rewrites a page:
every ``<script src>``, ``<link href>`` and ``<img src>`` pointing outside the machine is
removed, and one inline stylesheet and one small script (shipped in this package, as
``data_docs_offline.css`` and ``.js``) take their place. The script implements the few jQuery and
bootstrap-table calls the pages make (fill a table from its rows, run a function when the page is
ready) and nothing more. Links to outside sites stay links: a link loads nothing until clicked.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from pathlib import Path

_OUTSIDE: Final = r"""(?:https?:)?//[^"']+"""
_REMOTE_SCRIPT: Final = re.compile(
    rf"""<script\b[^>]*\bsrc\s*=\s*["']{_OUTSIDE}["'][^>]*>\s*</script>""", re.IGNORECASE
)
_REMOTE_LINK: Final = re.compile(
    rf"""<link\b[^>]*\bhref\s*=\s*["']{_OUTSIDE}["'][^>]*/?>""", re.IGNORECASE
)
_REMOTE_IMAGE: Final = re.compile(
    rf"""<img\b[^>]*\bsrc\s*=\s*["']{_OUTSIDE}["'][^>]*/?>""", re.IGNORECASE
)
_REMOTE_CSS_URL: Final = re.compile(rf"""@import\s+url\(\s*["']?{_OUTSIDE}["']?\s*\)\s*;?""")
_REMOTE_BACKGROUND: Final = re.compile(rf"""url\(\s*["']?{_OUTSIDE}["']?\s*\)""")
MARKER: Final = "codesign-offline"
"""The id of the inline stylesheet: a page holding it has been made offline."""


@functools.cache
def _asset(name: str) -> str:
    return (
        importlib.resources.files("codesign.governance").joinpath(name).read_text(encoding="utf-8")
    )


def make_offline(html: str) -> str:
    """``html`` without any outside asset, with the inline stylesheet and script instead."""
    for pattern in (_REMOTE_SCRIPT, _REMOTE_LINK, _REMOTE_IMAGE, _REMOTE_CSS_URL):
        html = pattern.sub("", html)
    html = _REMOTE_BACKGROUND.sub("none", html)
    if MARKER in html:
        return html
    head = (
        f'<style id="{MARKER}">{_asset("data_docs_offline.css")}</style>'
        f"<script>{_asset('data_docs_offline.js')}</script>"
    )
    at = html.lower().find("<head>")
    if at < 0:
        return head + html
    return html[: at + len("<head>")] + head + html[at + len("<head>") :]


def make_site_offline(site: Path) -> int:
    """Rewrite every page of a Data Docs site in place; returns the number of pages."""
    pages = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(make_offline(text), encoding="utf-8")
        pages += 1
    for sheet in site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        text = _REMOTE_BACKGROUND.sub("none", _REMOTE_CSS_URL.sub("", text))
        sheet.write_text(text, encoding="utf-8")
    return pages


def outside_references(html: str) -> list[str]:
    """Every asset of ``html`` that would be loaded from outside the machine (for checks)."""
    found: list[str] = []
    for pattern in (
        _REMOTE_SCRIPT,
        _REMOTE_LINK,
        _REMOTE_IMAGE,
        _REMOTE_CSS_URL,
        _REMOTE_BACKGROUND,
    ):
        found += [m.group(0) for m in pattern.finditer(html)]
    return found

"""Data Docs offline: every page loads nothing from outside and still reads as a styled page.

Each published page is opened in Chromium with every request that would leave the machine
blocked and counted (goal 0); the page must be styled by the inline sheet, the index must list the
run, and no page may throw. Screenshots at 1366×768 and 390×844 are kept in
``tests/governance/screenshots/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import CHROMIUM_ARGS

from codesign.governance import GateOptions, run_gate
from codesign.governance.offline import MARKER, make_offline, outside_references

SCREENSHOTS = Path(__file__).parent / "screenshots"


def test_make_offline_removes_every_outside_asset() -> None:
    page = (
        "<html><head><link rel='stylesheet' href='https://cdn.example/b.css'>"
        '<script src="//cdn.example/j.js"></script><style>@import url("https://x/y.css");'
        ".a{background:url('https://s3/logo.png') no-repeat}</style></head>"
        '<body><img src="https://s3/logo.png"><a href="https://greatexpectations.io">GX</a>'
        '<link rel="stylesheet" href="static/styles/local.css"></body></html>'
    )
    assert len(outside_references(page)) >= 5
    offline = make_offline(page)
    assert outside_references(offline) == []
    assert MARKER in offline
    assert 'href="https://greatexpectations.io"' in offline  # a link loads nothing
    assert "static/styles/local.css" in offline
    assert make_offline(offline) == offline


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_offline(browser: Any, page_path: Path, viewport: dict[str, int]) -> dict[str, Any]:
    context = browser.new_context(viewport=viewport)
    outside: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:", "about:")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    styled = page.evaluate(
        "() => ({font: getComputedStyle(document.body).fontFamily,"
        " sheet: !!document.getElementById('codesign-offline'),"
        " cells: document.querySelectorAll('td').length})"
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    name = f"{page_path.stem}-{viewport['width']}x{viewport['height']}.png"
    page.screenshot(path=str(SCREENSHOTS / name), full_page=False)
    context.close()
    return {"outside": outside, "errors": errors, **styled}


@pytest.mark.e2e
def test_every_data_docs_page_loads_nothing_from_outside(
    browser: Any, project: Path, planted, write_csv
) -> None:
    result = run_gate(write_csv(planted.frame), project, GateOptions())
    assert result.data_docs is not None
    pages = sorted(result.data_docs.parent.rglob("*.html"))
    assert len(pages) >= 3  # index, expectation suite, validation result
    for page_path in pages:
        assert outside_references(page_path.read_text(encoding="utf-8")) == [], page_path
        for viewport in ({"width": 1366, "height": 768}, {"width": 390, "height": 844}):
            seen = open_offline(browser, page_path, viewport)
            assert seen["outside"] == [], (page_path.name, seen["outside"])
            assert seen["errors"] == [], (page_path.name, seen["errors"])
            assert seen["sheet"], page_path.name
            assert "system-ui" in seen["font"], (page_path.name, seen["font"])
            assert seen["cells"] > 0, page_path.name  # the tables are filled, offline

"""The evidence pages in Chromium: nothing fetched, readable on a laptop and on a phone.

Screenshots go to ``screenshots/evidence/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import CHROMIUM_ARGS, REPO
from tests.evidence.conftest import GENERATED_AT

from codesign.evidence import write_evidence

SHOTS = REPO / "screenshots" / "evidence"
VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}
PAGES = ("annex-iv.html", "tripod-ai.html", "decide-ai.html")


@pytest.fixture(scope="module")
def folder(tracked: Path) -> Path:
    return write_evidence(tracked, generated_at=GENERATED_AT).folder


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_nothing_from_outside_and_fits(
    browser: Any, folder: Path, name: str, viewport: str
) -> None:
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    outside: list[str] = []

    def block(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((folder / name).as_uri())
        assert outside == []
        assert errors == []
        assert (
            page.locator("main > section").count()
            == {
                "annex-iv.html": 9,
                "tripod-ai.html": 27,
                "decide-ai.html": 17,
            }[name]
        )
        assert page.locator("[role=status]").inner_text().count("·") == 2
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, "the page scrolls sideways"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{Path(name).stem}-{viewport}.png"), full_page=False)
    finally:
        context.close()

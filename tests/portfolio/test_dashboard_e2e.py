"""The dashboard in a real browser (headless Chromium via Playwright), opened as a file.

Sorting and filtering are driven from the keyboard, as someone who does not use a mouse would;
the page must load nothing from anywhere and break no rule of its Content-Security-Policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import expect
from tests.conftest import CHROMIUM_ARGS
from tests.portfolio.conftest import NOW, Tree

from codesign.portfolio import PortfolioOptions, build_portfolio, write_portfolio

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def dashboard(tree: Tree, tmp_path_factory: pytest.TempPathFactory) -> Path:
    portfolio = build_portfolio([tree.root], PortfolioOptions(now=NOW))
    return write_portfolio(portfolio, tmp_path_factory.mktemp("e2e") / "out").html


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Page:
    """One open dashboard, with what it asked the network for and what it complained about."""

    def __init__(self, browser: Any, url: str) -> None:
        self.page = browser.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        self.page.goto(url)

    def visible_titles(self) -> list[str]:
        titles: list[str] = self.page.eval_on_selector_all(
            "#initiatives tbody tr:not([hidden])",
            "rows => rows.map(r => r.cells[0].getAttribute('data-sort'))",
        )
        return titles

    def status(self) -> str:
        return str(self.page.locator("#shown").inner_text())


@pytest.fixture
def page(browser: Any, dashboard: Path) -> Iterator[Page]:
    opened = Page(browser, dashboard.as_uri())
    yield opened
    opened.page.close()


def test_it_opens_from_a_file_and_loads_nothing(page: Page, dashboard: Path) -> None:
    assert page.status() == "10 of 10 initiatives shown"
    assert page.page.locator("#filters").is_visible()
    assert page.page.locator("svg.chart").count() == 5
    assert page.requests == [dashboard.as_uri()]
    assert page.errors == []  # no script error, no Content-Security-Policy violation


def test_search_and_filters_from_the_keyboard(page: Page) -> None:
    p = page.page
    p.locator("#filter-q").focus()
    p.keyboard.type("sepsis")
    assert page.visible_titles() == ["Sepsis alert"]
    assert page.status() == "1 of 10 initiatives shown"
    p.keyboard.press("Control+A")
    p.keyboard.type("CH Sud")  # the site, case-insensitive
    assert page.visible_titles() == ["Sepsis alert"]
    p.keyboard.press("Control+A")
    p.keyboard.type("night triage")  # every word, in any order
    assert page.visible_titles() == ["Triage at night"]
    p.keyboard.press("Control+A")
    p.keyboard.press("Backspace")

    p.locator("#filter-stage").select_option("pilot")
    assert len(page.visible_titles()) == 4
    p.locator("#filter-flag").select_option("regressing")
    assert page.visible_titles() == ["Triage at night"]
    p.locator("#filter-stage").select_option("co-design")
    assert page.visible_titles() == []
    assert p.locator("#empty").is_visible()

    p.locator("button[type=reset]").focus()
    p.keyboard.press("Enter")
    # the page's policy forbids evaluated strings, so wait with a locator, not wait_for_function
    expect(p.locator("#shown")).to_have_text(re.compile(r"^10 of 10 initiatives shown"))
    p.locator("#filter-flag").select_option("broken")
    assert sorted(page.visible_titles()) == ["Corrupt store", "Garbage gate", "invalid-charter"]
    p.locator("#filter-flag").select_option("none")
    assert sorted(page.visible_titles()) == ["Nurse triage assistant", "Old pilot"]
    p.locator("#filter-flag").select_option("")
    p.locator("#filter-governance").select_option("failed")
    assert page.visible_titles() == ["Triage at night"]
    assert page.errors == []


def test_sorting_from_the_keyboard(page: Page) -> None:
    p = page.page
    name_header = p.locator("#initiatives thead th").nth(0)
    name_header.locator("button").focus()
    p.keyboard.press("Enter")
    assert name_header.get_attribute("aria-sort") == "ascending"
    ascending = page.visible_titles()
    assert ascending == sorted(ascending, key=str.casefold)
    p.keyboard.press("Enter")
    assert name_header.get_attribute("aria-sort") == "descending"
    assert page.visible_titles() == ascending[::-1]
    assert "sorted by Initiative, descending" in page.status()

    stage_header = p.locator("#initiatives thead th").nth(2)
    stage_header.locator("button").focus()
    p.keyboard.press("Enter")
    assert name_header.get_attribute("aria-sort") is None
    stages = p.eval_on_selector_all(
        "#initiatives tbody tr", "rows => rows.map(r => r.cells[2].textContent.trim())"
    )
    order = ["idea", "co-design", "pilot", "scaled", "retired"]
    read = [s for s in stages if s]
    assert [order.index(s) for s in read] == sorted(order.index(s) for s in read)
    assert stages[-1] == ""  # the unreadable charter sorts last, whichever the direction
    p.keyboard.press("Enter")
    stages = p.eval_on_selector_all(
        "#initiatives tbody tr", "rows => rows.map(r => r.cells[2].textContent.trim())"
    )
    assert stages[0] == "retired"
    assert stages[-1] == ""


def test_a_chart_bar_filters_the_table(page: Page) -> None:
    p = page.page
    bar = p.locator('#chart-flags ~ svg [data-value="governance_failed"]')
    bar.focus()
    p.keyboard.press("Enter")
    assert p.locator("#filter-flag").input_value() == "governance_failed"
    assert page.visible_titles() == ["Triage at night"]
    p.locator('[data-filter="stage"][data-value="retired"]').click()
    assert p.locator("#filter-stage").input_value() == "retired"


def test_a_row_links_to_its_latest_report(page: Page, tree: Tree) -> None:
    link = page.page.locator("#initiatives tbody a", has_text="Nurse triage assistant")
    href = link.evaluate("a => a.href")
    target = Path(unquote(urlparse(href).path))
    assert target == tree["good"] / "reports" / "nurse-triage-assistant-20261102T070000Z.html"
    assert target.is_file()

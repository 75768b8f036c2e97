"""End to end: ``codesign workshop`` on a scaffolded project, a facilitator and three people.

The server is started as a facilitator starts it; four Chromium contexts (separate cookies,
separate kernels) use it at once: the facilitator puts two outcomes to the room, three
participants rate them (one on a 390×844 phone, who adds themselves to the stakeholders), one
proposes a target, the facilitator sees the consensus and accepts one; the charter on disk then
holds it with its evidence. The phone participant answers the SUS questionnaire and signs off.
Bad input is refused next to its field with nothing saved. Every page: no code, no source, no
horizontal overflow; a reload shows ready forms. Screenshots go to ``.screenshots/workshop/``
(git-ignored), to be looked at.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from tests.conftest import CHROMIUM_ARGS, free_port

from codesign.scaffold import ProjectSpec, create_project

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.e2e

STEP_MS = 60_000
SHOTS = Path(__file__).resolve().parents[2] / ".screenshots" / "workshop"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
FIRST = "Flag sepsis early in the waiting room"
SECOND = "Few false alarms for triage nurses"

# Elements that scroll sideways, and text cut with an ellipsis; the page itself must not be
# wider than the window.
OVERFLOW_JS = """
() => {
  const bad = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    bad.push('page ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
  for (const el of document.querySelectorAll('.codesign-page *')) {
    if (!el.offsetParent) continue;
    const style = getComputedStyle(el);
    const over = el.scrollWidth > el.clientWidth + 1;
    const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
    if (over && scrolls && el.tagName !== 'TABLE')
      bad.push('scrollbar: ' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth);
    if (over && style.textOverflow === 'ellipsis')
      bad.push('cut text: ' + el.className + ' "' + el.textContent.slice(0, 40) + '"');
    const box = el.getBoundingClientRect();
    if (box.right > window.innerWidth + 1 && box.width > 0)
      bad.push('past the edge: ' + el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  return bad.slice(0, 20);
}
"""

# Text that does not reach WCAG AA contrast against what is behind it: 4.5:1, or 3:1 for large
# text (24px, or 18.66px bold). Colours are blended over the first opaque background up the tree.
CONTRAST_JS = """
() => {
  const rgba = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(',').map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3]));
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    let result = [255, 255, 255];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = (c) => {
    const [r, g, b] = c.map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bad = [];
  for (const el of document.querySelectorAll('.codesign-page *')) {
    if (!el.offsetParent || el.closest('[disabled]')) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const field = ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && el.value;
    if (!own && !field) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden labels
    const style = getComputedStyle(el);
    const back = background(el);
    const fore = over(rgba(style.color), back);
    const [hi, lo] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5))
      bad.push(ratio.toFixed(2) + ' ' + el.tagName + ' "' +
        (el.value || el.textContent).trim().slice(0, 40) + '"');
  }
  return bad.slice(0, 20);
}
"""


def open_page(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(url)
    page.locator(".codesign-page").wait_for()
    return page


def check_page(page: Page, name: str, shots: Path = SHOTS) -> None:
    """No code, no source, nothing wider than the window; a screenshot to look at."""
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    html = page.content()
    assert (
        page.locator(".jp-InputArea, .jp-CodeMirrorEditor, .cm-editor, .jp-InputPrompt").count()
        == 0
    )
    for source in ("import ", "_page()", "codesign.widgets"):
        assert source not in page.locator("body").inner_text(), (name, source)
    assert "participant_page" not in html, name
    assert "facilitator_page" not in html, name
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.get_by_text("model not found").count() == 0
    problems = page.evaluate(OVERFLOW_JS)
    assert problems == [], (name, problems)
    contrast = page.evaluate(CONTRAST_JS)
    assert contrast == [], (name, "text under WCAG AA contrast", contrast)


def choose(page: Page, who: str) -> None:
    page.get_by_label("I am").select_option(label=who)
    page.get_by_role("button", name="Continue").click()
    page.locator(".codesign-rating-form").wait_for()


def rate(page: Page, title: str, score: int, target: str = "") -> None:
    box = page.locator(".codesign-rating", has_text=title)
    box.wait_for()
    importance = page.get_by_label(f"Importance of: {title}")
    label = importance.locator("option").filter(has_text=re.compile(rf"^{score}:")).inner_text()
    importance.select_option(label=label)
    field = page.get_by_label(f"Target for: {title}")
    field.fill(target)
    field.press("Tab")


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus: it is reachable from the keyboard, in order."""
    for _ in range(120):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reaches {target}")


def rate_by_keyboard(page: Page, title: str, score: int, target: str = "") -> None:
    """``rate``, with the keys only: Tab to the importance, type its number, Tab, the target."""
    importance = page.get_by_label(f"Importance of: {title}")
    tab_to(page, importance)
    page.keyboard.type(str(score))  # a closed list picks the option its first letters start
    page.keyboard.press("Tab")
    field = page.get_by_label(f"Target for: {title}", exact=True)
    expect_focused(field)
    page.keyboard.press("Control+A")
    page.keyboard.type(target)
    page.keyboard.press("Tab")


def expect_focused(target: Locator) -> None:
    assert target.evaluate("el => el === document.activeElement"), target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return create_project(ProjectSpec.from_name("Triage", preset="triage"), tmp_path / "work")


def load(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((project / "codesign.yaml").read_text(encoding="utf-8"))
    return data


def test_a_room_rates_agrees_and_signs_from_browsers(
    chromium_path: str, project: Path, server_factory: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server = server_factory(
        ["workshop", "--project", str(project), "--port", str(free_port()), "--no-browser"]
    )
    found = server.wait_for(r"Participants \(one each, laptop or phone\): (\S+)")
    participant_url = found.group(1)
    facilitator_url = re.search(r"Facilitator \(every form\): (\S+)", server.output()).group(1)  # type: ignore[union-attr]
    assert f"token={server.token}" in participant_url

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        pages: list[Page] = []
        try:
            facilitator = open_page(browser, facilitator_url, DESKTOP)
            pages.append(facilitator)
            for title, metric, kind in (
                (FIRST, "Sensitivity", "safety"),
                (SECOND, "Positive predictive value", "accuracy"),
            ):
                facilitator.get_by_label("New outcome to put to the room").fill(title)
                facilitator.get_by_label("Kind of success").select_option(label=kind)
                facilitator.get_by_label("Measured by").select_option(label=metric)
                facilitator.get_by_role("button", name="Put to the room").click()
                expect(facilitator.locator(".codesign-candidate", has_text=title)).to_be_visible()

            alice = open_page(browser, participant_url, DESKTOP)
            bruno = open_page(browser, participant_url, DESKTOP)
            phone = open_page(browser, participant_url, PHONE)
            pages += [alice, bruno, phone]

            # an unknown participant: nothing chosen, Continue says what to do
            alice.get_by_role("button", name="Continue").click()
            expect(alice.get_by_text("Choose your name in the list")).to_be_visible()
            choose(alice, "Dr A. Martin, clinical lead")
            # Bruno uses the keyboard only, from the page's first control on
            picker = bruno.get_by_label("I am")
            tab_to(bruno, picker)
            bruno.keyboard.type("B. L")
            expect(picker).to_have_value(re.compile(".+"))
            assert "Lefèvre" in picker.evaluate("el => el.selectedOptions[0].text")
            tab_to(bruno, bruno.get_by_role("button", name="Continue"))
            bruno.keyboard.press("Enter")
            bruno.locator(".codesign-rating-form").wait_for()
            # the phone participant is not in the charter: adds themselves from closed lists
            phone.get_by_label("I am").select_option(label="I am not in the list: add me")
            phone.get_by_label("Your name").fill("E. Durand")
            phone.get_by_label("Your role").select_option(label="triage nurse")
            phone.get_by_role("button", name="Continue").click()
            phone.locator(".codesign-rating-form").wait_for()

            rate(alice, FIRST, 8, "95 %")
            rate(alice, SECOND, 9)
            alice.get_by_role("button", name="Save my ratings").click()
            expect(alice.get_by_text("Saved: 2 rating(s) for round 1")).to_be_visible()

            # a target off the metric's scale: refused next to the field, nothing saved
            rate_by_keyboard(bruno, FIRST, 9, "95")
            rate_by_keyboard(bruno, SECOND, 5)
            tab_to(bruno, bruno.get_by_role("button", name="Save my ratings"))
            bruno.keyboard.press("Enter")
            expect(bruno.get_by_text("did you mean 95% (0.95)?")).to_be_visible()
            ratings = project / "workshop" / "ratings" / "round-1"
            assert len(list(ratings.glob("*.json"))) == 1
            rate(bruno, FIRST, 9, "0,95")
            bruno.get_by_role("button", name="Save my ratings").click()
            expect(bruno.get_by_text("Saved: 2 rating(s) for round 1")).to_be_visible()

            rate(phone, FIRST, 7)
            rate(phone, SECOND, 2)
            phone.get_by_role("button", name="Save my ratings").click()
            expect(phone.get_by_text("Saved: 2 rating(s) for round 1")).to_be_visible()
            check_page(phone, "participant-phone-rated")

            # the facilitator sees it live: first in (3 of 3 critical), second no consensus
            first = facilitator.locator(".codesign-candidate", has_text=FIRST)
            second = facilitator.locator(".codesign-candidate", has_text=SECOND)
            expect(first).to_contain_text("consensus in", timeout=STEP_MS)
            expect(first).to_contain_text("n = 3, median 8; rated 7-9: 100%; rated 1-3: 0%")
            expect(first).to_contain_text("median 95% (0.95)")
            expect(second).to_contain_text("no consensus")
            expect(second).to_contain_text("rated 7-9: 33%; rated 1-3: 33%")
            expect(facilitator.get_by_text("3 people rated so far")).to_be_visible()
            check_page(facilitator, "facilitator-consensus")
            expect(facilitator.get_by_label(f"Target for: {FIRST}", exact=True)).to_have_value(
                "0.95"
            )
            first.get_by_role("button", name="Accept into the charter").click()
            expect(facilitator.get_by_text(f"“{FIRST}” is in the charter")).to_be_visible()
            second.get_by_role("button", name="Accept into the charter").click()
            expect(second).to_contain_text("has no consensus in yet")

            charter = load(project)
            accepted = [o for o in charter["outcomes"] if o["title"] == FIRST]
            assert len(accepted) == 1
            assert not [o for o in charter["outcomes"] if o["title"] == SECOND]
            outcome = accepted[0]
            assert outcome["target"] == ">= 0.95"
            assert outcome["metric"] == "sensitivity"
            evidence = outcome["consensus"]
            assert (evidence["round"], evidence["n"], evidence["median"]) == (1, 3, 8.0)
            assert (evidence["share_critical"], evidence["share_not_important"]) == (1.0, 0.0)
            assert "at least 70% rate 7-9 and fewer than 15% rate 1-3" in evidence["rule"]
            assert {"name": "E. Durand", "role": "triage nurse", "side": "internal"} in [
                {"name": s["name"], "role": s["role"], "side": s.get("side", "internal")}
                for s in charter["stakeholders"]
            ]

            # the phone participant: SUS questionnaire, then sign-off (twice: refused)
            phone.get_by_role("button", name="Questionnaires").click()
            form = phone.locator(".codesign-feedback-forms")
            form.wait_for()
            radios = form.locator(".widget-radio-box")
            for index in range(10):
                radios.nth(index).get_by_label("4", exact=True).check()
            form.get_by_role("button", name="Save this SUS response").click()
            expect(phone.get_by_text("Saved: usability score")).to_be_visible()
            check_page(phone, "participant-phone-sus")
            phone.get_by_role("button", name="Sign-off").click()
            phone.get_by_label("Type your name to confirm: E. Durand").fill("E. Durand")
            phone.get_by_role("button", name="Sign off this version").click()
            expect(phone.get_by_text("Signed off version")).to_be_visible()
            signed = load(project)["signoffs"]
            assert [(s["name"], s["role"]) for s in signed] == [("E. Durand", "triage nurse")]
            phone.get_by_label("Type your name to confirm: E. Durand").fill("E. Durand")
            phone.get_by_role("button", name="Sign off this version").click()
            expect(phone.get_by_text("a second sign-off of the same version")).to_be_visible()
            assert load(project)["signoffs"] == signed
            check_page(phone, "participant-phone-signed")

            # the facilitator's other forms fit the window too
            for section, marker, shot in (
                ("Outcomes", ".codesign-outcome-editor", "facilitator-outcomes"),
                ("Use case and people", ".codesign-use-case-form", "facilitator-use-case"),
                ("Sign-offs", "table", "facilitator-signoffs"),
                ("The data it uses", ".codesign-column-name", "facilitator-data"),
                ("Risks to patients", ".codesign-hazard-row", "facilitator-risks"),
            ):
                facilitator.get_by_role("button", name=section, exact=True).click()
                facilitator.locator(marker).first.wait_for()
                check_page(facilitator, shot)
            facilitator.set_viewport_size(PHONE)  # the facilitator's hazard log on a phone
            check_page(facilitator, "facilitator-phone-risks")
            facilitator.get_by_role("button", name="The data it uses", exact=True).click()
            facilitator.locator(".codesign-column-name").first.wait_for()
            check_page(facilitator, "facilitator-phone-data")
            # every input of a table row is named for its record: by its label, shown above
            # it on a phone (the headings are gone) and hidden on a wide screen
            age = facilitator.get_by_label("Column for: age", exact=True)
            expect(age).to_have_value("age")
            expect(facilitator.get_by_text("Column for: age", exact=True)).to_be_visible()
            expect(
                facilitator.get_by_role("textbox", name="Range (numbers) for: age (maximum)")
            ).to_have_value("120")
            expect(
                facilitator.get_by_role("checkbox", name="Must be there for: age")
            ).to_be_checked()
            facilitator.set_viewport_size(DESKTOP)
            facilitator.get_by_role("button", name="Risks to patients", exact=True).click()
            hazard = facilitator.locator(".codesign-hazard-row").first
            expect(hazard.get_by_label("What can go wrong")).to_have_value(
                "A high-acuity patient is suggested a less urgent level"
            )
            expect(hazard).to_contain_text("15 of 25, ✗ unacceptable")
            facilitator.get_by_role("button", name="Sign-offs", exact=True).click()
            expect(facilitator.get_by_text("E. Durand").first).to_be_visible()

            # reloading any page shows ready forms, no action needed
            for page, marker in (
                (alice, ".codesign-identity"),
                (facilitator, ".codesign-consensus-board"),
            ):
                page.reload()
                page.locator(marker).wait_for()
            check_page(alice, "participant-desktop-reloaded")
            check_page(facilitator, "facilitator-reloaded")
            alice.set_viewport_size(PHONE)
            check_page(alice, "participant-phone-reloaded")
        except Exception:
            SHOTS.mkdir(parents=True, exist_ok=True)
            for index, page in enumerate(pages):
                page.screenshot(path=str(SHOTS / f"failure-{index}.png"), full_page=True)
            print(server.output()[-5000:])
            raise
        finally:
            browser.close()

    # feedback by role only: nobody's name in the records
    written = (project / "feedback" / "records.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(written)))
    assert [(r["kind"], r["respondent_role"]) for r in rows] == [("sus", "triage nurse")]
    for path in (project / "workshop").rglob("*.json"):
        written += path.read_text(encoding="utf-8")
    for name in ("E. Durand", "Martin", "Lefèvre"):
        assert name not in written
    assert server.stop() == 0

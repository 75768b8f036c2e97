"""End to end, in French: ``codesign workshop`` on a project whose charter says ``language: fr``.

A French hospital's room reads every page in French: the facilitator puts an outcome to the
room, a participant on a phone picks their name, types a target the French way (``0,95``; a
percentage by mistake gets a French sentence with a decimal comma), saves, and finds the SUS in
its validated French wording (F-SUS, Gronier & Baudet 2021). Each page is ``<html lang="fr">``
and shows no English sentence of the interface (checked against every English message of the
catalogue whose French differs). Screenshots go to ``.screenshots/workshop-fr/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.conftest import CHROMIUM_ARGS, free_port
from tests.french import english_left
from tests.jupyter.test_workshop_e2e import DESKTOP, PHONE, check_page, open_page

from codesign.scaffold import ProjectSpec, create_project

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / ".screenshots" / "workshop-fr"
OUTCOME = "Repérer les sepsis dès la salle d'attente"
SECTIONS = (
    ("Résultats", ".codesign-outcome-editor", "resultats"),
    ("Cas d'usage et personnes", ".codesign-use-case-form", "cas-d-usage"),
    ("À quoi sert l'outil", ".codesign-intended-use-form", "usage-prevu"),
    ("Les données utilisées", ".codesign-contract-form", "donnees"),
    ("Construire, acheter ou s'associer", ".codesign-decision-form", "decision"),
    ("Validations", "text=Charte enregistrée", "validations"),
    ("Retours jusqu'ici", "text=Aucun retour enregistré pour l'instant.", "retours"),
)
"""The facilitator's sections after the consensus and the risks, and what each one shows."""


@pytest.fixture
def projet(tmp_path: Path) -> Path:
    spec = ProjectSpec.from_name("Orientation", preset="triage", language="fr")
    return create_project(spec, tmp_path / "travail")


def assert_french(page: Page, name: str) -> str:
    """The page says ``lang="fr"`` and no English sentence of the interface is left on it."""
    assert page.locator("html").get_attribute("lang") == "fr", name
    text = re.sub(r"\s+", " ", page.locator("body").inner_text())
    left = english_left(text)
    assert not left, (name, "English left on a French page", left)
    return text


def test_a_french_room_reads_and_fills_everything_in_french(
    chromium_path: str, projet: Path, server_factory: Any
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server = server_factory(
        ["workshop", "--project", str(projet), "--port", str(free_port()), "--no-browser"]
    )
    found = server.wait_for(r"Participants \(chacun sur son ordinateur ou téléphone\)\s*:\s*(\S+)")
    participant_url = found.group(1)
    facilitator = re.search(r"Animateur \(tous les formulaires\)\s*:\s*(\S+)", server.output())
    assert facilitator is not None, server.output()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            board = open_page(browser, facilitator.group(1), DESKTOP)
            text = assert_french(board, "animateur")
            for heading in ("Consensus sur les résultats", "Risques pour les patients"):
                assert heading in text, heading
            board.get_by_label("Nouveau résultat à soumettre à la salle").fill(OUTCOME)
            board.get_by_label("Type de réussite").select_option(label="sécurité")
            board.get_by_label("Mesuré par").select_option(label="Sensibilité")
            board.get_by_role("button", name="Soumettre à la salle").click()
            expect(board.locator(".codesign-candidate", has_text=OUTCOME)).to_be_visible()
            check_page(board, "animateur", SHOTS)
            board.get_by_role("button", name="Risques pour les patients").click()
            board.locator(".codesign-risk-form, .codesign-hazard-row").first.wait_for()
            assert_french(board, "animateur, risques")
            check_page(board, "animateur-risques", SHOTS)

            phone = open_page(browser, participant_url, PHONE)
            assert_french(phone, "participant")
            phone.get_by_role("button", name="Continuer").click()
            expect(phone.get_by_text("Choisissez votre nom dans la liste")).to_be_visible()
            phone.get_by_label("Je suis").select_option(
                label="B. Lefèvre, cadre infirmier de l'accueil"
            )
            phone.get_by_role("button", name="Continuer").click()
            phone.locator(".codesign-rating-form").wait_for()

            importance = phone.get_by_label(
                re.compile(rf"^Importance de\s*:\s*{re.escape(OUTCOME)}")
            )
            importance.select_option(label="8 : critique".replace(" :", "\u00a0:"))
            target = phone.get_by_label(re.compile(rf"^Cible pour\s*:\s*{re.escape(OUTCOME)}"))
            target.fill("95,5")
            target.press("Tab")
            phone.get_by_role("button", name="Enregistrer mes notes").click()
            refused = phone.get_by_text(re.compile(r"vouliez-vous dire 95,5\s*% \(0,955\)"))
            expect(refused).to_be_visible()
            check_page(phone, "participant-refus", SHOTS)
            assert phone.get_by_text(re.compile(r"^Enregistré")).count() == 0  # nothing saved
            target.fill("0,95")
            target.press("Tab")
            phone.get_by_role("button", name="Enregistrer mes notes").click()
            expect(
                phone.get_by_text(re.compile(r"Enregistré\s*: 1 note\(s\) pour le tour 1"))
            ).to_be_visible()
            check_page(phone, "participant-notes", SHOTS)
            assert_french(phone, "participant, notes")

            board.get_by_role("button", name="Consensus sur les résultats").click()
            expect(board.locator(".codesign-candidate", has_text=OUTCOME)).to_contain_text(
                re.compile(r"médiane 95\s*% \(0,95\)"), timeout=30_000
            )
            assert_french(board, "animateur, consensus")

            for section, shown, shot in SECTIONS:
                board.get_by_role("button", name=section, exact=True).click()
                board.locator(shown).first.wait_for()
                assert_french(board, section)
                check_page(board, f"animateur-{shot}", SHOTS)

            phone.get_by_role("button", name="Validation", exact=True).click()
            expect(
                phone.get_by_text(re.compile(r"Vous validez sous votre nom\s*: B\. Lefèvre"))
            ).to_be_visible()
            assert_french(phone, "participant, validation")
            check_page(phone, "participant-validation", SHOTS)

            phone.get_by_role("button", name="Questionnaires").click()
            expect(
                phone.get_by_text("Je voudrais utiliser ce système fréquemment.")
            ).to_be_visible()
            expect(
                phone.get_by_text("1 = pas du tout d'accord … 5 = tout à fait d'accord")
            ).to_be_visible()
            assert_french(phone, "participant, questionnaires")
            check_page(phone, "participant-questionnaires", SHOTS)
        finally:
            browser.close()

"""The charter's ``language:``, and validation messages in the charter's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from codesign import i18n
from codesign.charter import CharterFile, load_charter, parse_charter, preset_text
from codesign.charter.model import Language, Target
from codesign.exceptions import CharterError

if TYPE_CHECKING:
    from pathlib import Path


def test_languages_of_the_charter_are_codesign_s() -> None:
    assert tuple(language.value for language in Language) == i18n.LANGUAGES


def test_an_unset_language_leaves_the_content_hash_as_it_was() -> None:
    """Existing sign-offs stay valid: the field counts only once given."""
    text = preset_text("triage")
    before = parse_charter(text)
    assert before.language is None
    assert "language" not in before.canonical()
    with_language = parse_charter(
        text.replace("schema_version: 2", "schema_version: 2\nlanguage: fr")
    )
    assert with_language.language is Language.FR
    assert with_language.content_sha256() != before.content_sha256()


def test_an_unknown_language_names_the_field_its_line_and_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_text(preset_text("triage", "fr").replace("language: fr", "language: de"))
    with pytest.raises(CharterError) as caught:
        load_charter(path)
    (issue,) = caught.value.issues
    assert issue.loc == "language"
    assert issue.line == 7
    assert issue.message == 'expected one of: en, fr; got "de"'
    assert str(path) in str(caught.value)


def test_a_french_charter_s_mistakes_are_in_french_naming_the_outcome(tmp_path: Path) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_text(preset_text("triage", "fr").replace('target: ">= 0.95"', "target: au moins"))
    with pytest.raises(CharterError) as caught:
        load_charter(path)
    error = caught.value
    assert error.language == "fr"
    (issue,) = error.issues
    assert issue.loc == "outcomes[1].target"
    assert (
        issue.subject == "résultat «\u00a0Repérer tous les patients graves (niveaux 1 et 2)\u00a0»"
    )
    assert issue.message.startswith("un opérateur et un nombre attendus")
    assert "charte invalide, 1 problème(s)" in str(error)
    assert "outcomes[1].target: un opérateur" in str(error)
    assert str(error).endswith(
        "(résultat «\u00a0Repérer tous les patients graves (niveaux 1 et 2)\u00a0»)"
    )


def test_an_english_charter_s_mistakes_name_the_outcome_too() -> None:
    text = preset_text("triage").replace('target: ">= 0.95"', "target: at least")
    with pytest.raises(CharterError) as caught:
        parse_charter(text)
    (issue,) = caught.value.issues
    assert issue.subject == "outcome “Catch every high-acuity patient (levels 1 and 2)”"
    assert issue.message == 'expected an operator and a number like ">= 0.95", got "at least"'


def test_lang_overrides_the_charter_s_language() -> None:
    text = preset_text("triage", "fr").replace('target: ">= 0.95"', "target: au moins")
    with i18n.use_language("en"), pytest.raises(CharterError) as caught:
        parse_charter(text)
    assert caught.value.issues[0].message.startswith("expected an operator and a number")


def test_a_saved_french_charter_is_refused_in_french(tmp_path: Path) -> None:
    file = CharterFile.from_text(preset_text("triage", "fr"), tmp_path / "codesign.yaml")
    file.charter.outcomes[0].__dict__["title"] = ""  # as a form would leave it, unvalidated
    with pytest.raises(CharterError) as caught:
        file.save()
    assert "charte non enregistrée" in str(caught.value)
    assert caught.value.issues[0].message == "ne doit pas être vide"


@pytest.mark.parametrize(("text", "shown"), [(">= 0,95", ">= 0.95"), ("<=1,5", "<= 1.5")])
def test_a_target_with_a_decimal_comma_is_read(text: str, shown: str) -> None:
    assert str(Target.parse(text)) == shown

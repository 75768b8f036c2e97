"""``--lang``, ``CODESIGN_LANG`` and the charter's ``language:`` on the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from codesign.charter import load_charter, preset_text

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def french_mistake(tmp_path: Path) -> Path:
    """A French charter whose second outcome has a target nobody can read."""
    path = tmp_path / "codesign.yaml"
    path.write_text(preset_text("triage", "fr").replace('target: ">= 0.95"', "target: au moins"))
    return path


def test_validate_speaks_the_charter_s_french_naming_the_outcome(run_cli, french_mistake) -> None:
    result = run_cli("charter", "validate", str(french_mistake))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == f"codesign\u00a0: erreur\u00a0: {french_mistake}\u00a0: charte invalide, 1 problème(s)"
    )
    assert lines[1].startswith(f"  {french_mistake}:42: outcomes[1].target: un opérateur et un")
    assert lines[1].endswith(
        "(résultat «\u00a0Repérer tous les patients graves (niveaux 1 et 2)\u00a0»)"
    )
    assert "Traceback" not in result.stderr


def test_lang_en_overrides_the_charter(run_cli, french_mistake) -> None:
    result = run_cli("charter", "validate", "--lang", "en", str(french_mistake))
    assert result.returncode == 2
    assert "invalid charter, 1 problem(s)" in result.stderr
    assert "outcomes[1].target: expected an operator and a number" in result.stderr
    assert "(outcome “Repérer tous les patients graves (niveaux 1 et 2)”)" in result.stderr


def test_codesign_lang_overrides_the_charter(
    run_cli, french_mistake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODESIGN_LANG", "en")
    result = run_cli("charter", "validate", str(french_mistake))
    assert "invalid charter" in result.stderr


def test_lang_before_the_command_and_the_locale(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "codesign.yaml").write_text(preset_text("triage"))
    result = run_cli("--lang", "fr", "charter", "validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "charte valide «\u00a0Nurse triage assistant\u00a0» (7 résultats" in result.stdout
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    by_locale = run_cli("charter", "validate", cwd=tmp_path)
    assert "charte valide" in by_locale.stdout


def test_an_unknown_lang_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    result = run_cli("charter", "validate", "--lang", "de", str(tmp_path))
    assert result.returncode == 2
    assert "argument --lang: expected one of en, fr, got 'de'" in result.stderr


def test_an_unknown_codesign_lang_is_named(
    run_cli, french_mistake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODESIGN_LANG", "de")
    result = run_cli("charter", "validate", str(french_mistake))
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "codesign: error: CODESIGN_LANG: expected one of en, fr, got 'de'"
    )


def test_an_unknown_charter_language_names_file_field_and_choices(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_text(preset_text("triage", "fr").replace("language: fr", "language: de"))
    result = run_cli("charter", "validate", str(path))
    assert result.returncode == 2
    assert f'{path}:7: language: expected one of: en, fr; got "de"' in result.stderr


def test_new_with_french_writes_the_french_preset(run_cli, tmp_path: Path) -> None:
    result = run_cli(
        "new",
        "Tri aux urgences",
        "--preset",
        "triage",
        "--language",
        "fr",
        "--no-input",
        "--output-dir",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    charter = load_charter(tmp_path / "tri-aux-urgences").charter
    assert charter.language is not None
    assert charter.language.value == "fr"
    assert charter.use_case.title == "Tri aux urgences"
    assert charter.outcome("high_acuity_sensitivity").title.startswith("Repérer")  # type: ignore[union-attr]
    text = (tmp_path / "tri-aux-urgences" / "codesign.yaml").read_text()
    assert "# ACS Committee on Trauma" in text
    assert "la norme admise" in text


def test_new_with_an_unknown_language_writes_nothing(run_cli, tmp_path: Path) -> None:
    result = run_cli("new", "Tri", "--language", "de", "--no-input", "--output-dir", str(tmp_path))
    assert result.returncode == 2
    assert "expected one of en, fr, got 'de'" in result.stderr
    assert list(tmp_path.iterdir()) == []

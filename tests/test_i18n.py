"""Languages: which one is chosen, messages in it, numbers and dates written for it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from codesign import i18n, presentation
from codesign.exceptions import LanguageError
from codesign.i18n import _, ngettext

NBSP = "\u00a0"


# --- which language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("explicit", "env", "project", "locale", "expected"),
    [
        ("fr", "en", "en", "en_GB.UTF-8", "fr"),  # --lang first
        (None, "fr", "en", "en_GB.UTF-8", "fr"),  # then CODESIGN_LANG
        (None, "", "fr", "en_GB.UTF-8", "fr"),  # then the charter's language:
        (None, "", None, "fr_FR.UTF-8", "fr"),  # then the locale
        (None, "", None, "de_DE.UTF-8", "en"),  # a locale codesign does not speak: English
        (None, "", None, "C", "en"),
        (None, "", None, "", "en"),
    ],
)
def test_precedence(
    explicit: str | None, env: str, project: str | None, locale: str, expected: str
) -> None:
    environ = {"CODESIGN_LANG": env, "LANG": locale}
    assert i18n.resolve_language(explicit, project, environ=environ) == expected


def test_language_variable_lists_several() -> None:
    assert i18n.locale_language({"LANGUAGE": "de:fr:en", "LANG": "de_DE.UTF-8"}) == "fr"
    assert i18n.locale_language({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}) == "fr"


@pytest.mark.parametrize("text", ["fr", "FR", "fr_FR", "fr-FR.UTF-8", " fr "])
def test_language_spellings(text: str) -> None:
    assert i18n.parse_language(text, source="--lang") == "fr"


def test_an_unknown_language_names_its_source_and_the_choices() -> None:
    with pytest.raises(LanguageError, match=r"CODESIGN_LANG: expected one of en, fr, got 'de'"):
        i18n.resolve_language(environ={"CODESIGN_LANG": "de"})
    with pytest.raises(LanguageError, match=r"--lang: expected one of en, fr, got 'de'"):
        i18n.resolve_language("de", environ={})


def test_a_library_call_survives_a_bad_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODESIGN_LANG", "de")
    i18n._warn_once.cache_clear()
    assert i18n.current_language() == "en"  # the command line refuses it; a library goes on


def test_blocks_choose_and_restore() -> None:
    assert i18n.current_language() == "en"
    with i18n.use_language("fr"):
        assert _("Met") == "Atteint"
        with i18n.use_language("en"):
            assert _("Met") == "Met"
    with i18n.project_language("fr"):
        assert i18n.current_language() == "fr"
        with i18n.use_language("en"):  # explicit beats the project's
            assert i18n.current_language() == "en"
    assert i18n.current_language() == "en"


def test_process_choice_reaches_worker_threads() -> None:
    import concurrent.futures

    i18n.set_language("fr")
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            assert pool.submit(i18n.current_language).result() == "fr"
    finally:
        i18n.set_language(None)


# --- messages -------------------------------------------------------------------------------------


def test_placeholders_are_named_and_filled_after_translation() -> None:
    with i18n.use_language("fr"):
        text = _("Value on {iteration}", iteration="v2")
    assert text == "Valeur sur v2"
    assert _("Value on {iteration}", iteration="v2") == "Value on v2"


def test_plural_forms() -> None:
    one, many = (
        "{n} sign-off predates the current content",
        "{n} sign-offs predate the current content",
    )
    assert ngettext(one, many, 1) == "1 sign-off predates the current content"
    assert ngettext(one, many, 3) == "3 sign-offs predate the current content"
    with i18n.use_language("fr"):  # French: 0 and 1 are singular
        assert ngettext(one, many, 0) == "0 signature est antérieure au contenu actuel"
        assert ngettext(one, many, 2) == "2 signatures sont antérieures au contenu actuel"


def test_a_message_not_in_the_catalogue_reads_as_written() -> None:
    with i18n.use_language("fr"):
        assert _("No such message {x}", x=1) == "No such message 1"


def test_a_damaged_translation_falls_back_to_the_source(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def gettext(self, message: str) -> str:
            return "{nope}" if message else ""

    monkeypatch.setattr(i18n, "translations", lambda _language: Broken())
    assert _("Value on {iteration}", iteration="v2") == "Value on v2"


def test_marks_speak_the_current_language() -> None:
    mark = presentation.VERDICTS["not met"]
    assert mark.word == "Not met"
    with i18n.use_language("fr"):
        assert mark.word == "Non atteint"
        assert "Non atteint" in presentation.mark_html(mark)


# --- numbers and dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        (0.95, "0.95", "0,95"),
        (0.97891, "0.979", "0,979"),
        (80.64, "80.6", "80,6"),
        (1234.5, "1234", "1234"),
        (-0.0001, "0", "0"),
        (-2.5, "-2.5", "-2,5"),
        (None, "–", "–"),
        (float("nan"), "–", "–"),
    ],
)
def test_numbers(value: float | None, english: str, french: str) -> None:
    assert presentation.format_number(value) == english
    assert presentation.format_number(value, language="fr") == french


def test_percentages() -> None:
    assert presentation.format_share(0.95) == "95%"
    assert presentation.format_share(0.95, language="fr") == f"95{NBSP}%"
    assert presentation.format_share(0.053, language="fr") == f"5,3{NBSP}%"


def test_written_numbers_keep_their_decimals() -> None:
    assert i18n.format_written_number("0.90", language="fr") == "0,90"
    assert i18n.format_written_number("0.90", language="en") == "0.90"
    assert i18n.format_written_number("70", language="fr") == "70"
    assert i18n.format_written_number("abc", language="fr") == "abc"


def test_counts_read_alike_in_both_languages() -> None:
    assert i18n.format_integer(12500, language="en") == "12500"
    assert i18n.format_integer(-3, language="fr") == "-3"


def test_dates_in_the_project_time_zone_with_its_name() -> None:
    moment = dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.UTC)
    assert (
        i18n.format_datetime(moment, "Europe/Paris", language="fr")
        == "25/11/2026 08:00 (Europe/Paris)"
    )
    assert (
        i18n.format_datetime(moment, "Europe/Paris", language="en")
        == "2026-11-25 08:00 (Europe/Paris)"
    )
    assert i18n.format_datetime(moment.replace(tzinfo=None), language="en") == (
        "2026-11-25 07:00 (UTC)"
    )
    assert i18n.format_date(moment.date(), language="fr") == "25/11/2026"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("0.95", "fr", 0.95),
        ("0,95", "fr", 0.95),
        (f"1{NBSP}234,5", "fr", 1234.5),
        ("1 234,5", "fr", 1234.5),
        ("-3", "en", -3.0),
    ],
)
def test_numbers_as_people_type_them(text: str, language: i18n.Language, expected: float) -> None:
    assert i18n.parse_decimal(text, language=language) == expected


@pytest.mark.parametrize(("text", "language"), [("0,95", "en"), ("abc", "fr"), ("nan", "fr")])
def test_what_is_not_a_number(text: str, language: i18n.Language) -> None:
    with pytest.raises(ValueError, match="not a number"):
        i18n.parse_decimal(text, language=language)


def test_babel_is_not_imported_to_answer_help() -> None:
    code = (
        "import sys; from codesign.cli import build_parser; build_parser(); "
        "from codesign import presentation; presentation.VERDICTS['met'].word; "
        "print('babel' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"

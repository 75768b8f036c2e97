"""Languages: which one a person reads, the messages in it, and its numbers and dates.

codesign speaks English and French (:data:`LANGUAGES`). Which one, first found of (as
:mod:`codesign.config` orders every setting):

1. an explicit choice: ``--lang`` on the command line, :func:`use_language` in code;
2. the environment: ``CODESIGN_LANG``;
3. the project: the charter's ``language:`` (a command sets it with :func:`set_project_language`
   once it has read the charter);
4. the locale: ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, when it names a language of
   codesign (``fr_FR.UTF-8``);
5. English.

Messages go through gettext catalogues (``codesign/locale/<lang>/LC_MESSAGES/codesign.mo``,
compiled from the ``.po`` files at build time), read once per process and language, the first
time a message is asked for. A message is a whole sentence with named placeholders, filled in
after translation, so a translator can move them::

    _("Target for: {outcome}", outcome=outcome.title)
    ngettext("{n} outcome", "{n} outcomes", len(outcomes))

:func:`N_` marks a message where it is defined (a table of labels) for :func:`_` to translate
where it is shown. Numbers, percentages and dates are written for the language with Babel,
imported on first use only (``codesign --help`` never loads it).

This module is on the ground floor: every layer may import it; it imports only the exceptions.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import logging
import os
from typing import TYPE_CHECKING, Final, Literal, get_args

from codesign.exceptions import LanguageError

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Mapping

# Light imports only at the top: the command line imports this module for every command. The
# catalogue's reader (importlib.resources), Decimal, time zones and Babel load when first needed.

logger = logging.getLogger(__name__)

Language = Literal["en", "fr"]
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
"""The languages codesign speaks, the source language first."""
DEFAULT_LANGUAGE: Final[Language] = "en"
ENV_LANG: Final = "CODESIGN_LANG"
"""Environment variable choosing the language, above the charter's ``language:``."""
DOMAIN: Final = "codesign"
"""The gettext domain: the catalogues are ``locale/<lang>/LC_MESSAGES/codesign.mo``."""
LOCALE_VARIABLES: Final = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the locale is read from, in gettext's order."""

_explicit: contextvars.ContextVar[Language | None] = contextvars.ContextVar(
    "codesign_language", default=None
)
_project: contextvars.ContextVar[Language | None] = contextvars.ContextVar(
    "codesign_project_language", default=None
)


class _ProcessChoice:
    """What :func:`set_language` and :func:`set_project_language` chose for the whole process.

    Process-wide rather than per context, because the command line's worker threads (``report
    run --jobs``) start with an empty context; the blocks of :func:`use_language` and
    :func:`project_language` override it within their context.
    """

    explicit: Language | None = None
    project: Language | None = None


# --- which language -----------------------------------------------------------------------------


def parse_language(text: str, *, source: str) -> Language:
    """``text`` as a language of codesign (``fr``, ``FR``, ``fr_FR``, ``fr-FR.UTF-8``).

    Raises :class:`LanguageError` naming ``source`` (``--lang``, ``CODESIGN_LANG``, a file and
    field) and the languages accepted.
    """
    found = _language_of(text)
    if found is None:
        accepted = ", ".join(LANGUAGES)
        msg = f"{source}: expected one of {accepted}, got {text.strip()!r}"
        raise LanguageError(msg, source=source, value=text)
    return found


def _language_of(text: str) -> Language | None:
    """The language ``text`` names (a code, or a locale like ``fr_FR.UTF-8``), if codesign's."""
    code = text.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return next((language for language in LANGUAGES if language == code), None)


def environment_language(environ: Mapping[str, str] | None = None) -> Language | None:
    """The language ``CODESIGN_LANG`` chooses; ``None`` if unset or empty.

    Raises :class:`LanguageError` when it names a language codesign does not speak: the command
    line calls this first, so the mistake stops it with a clear message.
    """
    env = os.environ if environ is None else environ
    value = env.get(ENV_LANG, "").strip()
    return parse_language(value, source=ENV_LANG) if value else None


def locale_language(environ: Mapping[str, str] | None = None) -> Language | None:
    """The language of the locale, if it is one of codesign's (``C``, ``de_DE``: ``None``).

    The first locale variable set decides, as gettext reads them; ``LANGUAGE`` may list several
    (``fr:en``), the first of codesign's counts.
    """
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name, "").strip()
        if not value:
            continue
        for part in value.split(":") if name == "LANGUAGE" else (value,):
            found = _language_of(part)
            if found is not None:
                return found
        if name != "LANGUAGE":
            return None
    return None


def resolve_language(
    explicit: str | None = None,
    project: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Language:
    """The language to use: ``explicit`` > ``CODESIGN_LANG`` > ``project`` > locale > English.

    An ``explicit`` or ``CODESIGN_LANG`` value codesign does not speak raises
    :class:`LanguageError`; a charter's is checked when the charter is validated.
    """
    if explicit:
        return parse_language(explicit, source="--lang")
    from_env = environment_language(environ)
    if from_env is not None:
        return from_env
    if project:
        chosen = _language_of(project)
        if chosen is not None:
            return chosen
    return locale_language(environ) or DEFAULT_LANGUAGE


def current_language() -> Language:
    """The language messages and numbers are written in now (see the module's order)."""
    explicit = explicit_language()
    if explicit is not None:
        return explicit
    project = _project.get() or _ProcessChoice.project
    try:
        return resolve_language(None, project)
    except LanguageError as e:  # the command line has refused it already; a library goes on
        _warn_once(str(e))
        return resolve_language(None, project, environ={})


@functools.cache
def _warn_once(message: str) -> None:
    logger.warning("%s; using the charter's language or the locale's", message)


def explicit_language() -> Language | None:
    """The language chosen explicitly in this context (``--lang``, :func:`use_language`), if any."""
    return _explicit.get() or _ProcessChoice.explicit


def set_language(language: str | None) -> None:
    """Choose the language explicitly for the process (``--lang``); ``None`` lifts the choice."""
    _ProcessChoice.explicit = (
        None if language is None else parse_language(language, source="--lang")
    )


def set_project_language(language: str | None) -> None:
    """Say which language the project's charter asks for (its ``language:``, maybe unset)."""
    _ProcessChoice.project = None if language is None else _language_of(language)


@contextlib.contextmanager
def use_language(language: str | None) -> Iterator[Language]:
    """Within the block, messages and numbers are in ``language`` (``None``: as resolved)."""
    token = _explicit.set(None if language is None else parse_language(language, source="language"))
    try:
        yield current_language()
    finally:
        _explicit.reset(token)


@contextlib.contextmanager
def project_language(language: str | None) -> Iterator[Language]:
    """Within the block, the project's language is ``language`` (a charter being read)."""
    token = _project.set(None if language is None else _language_of(language))
    try:
        yield current_language()
    finally:
        _project.reset(token)


# --- messages -----------------------------------------------------------------------------------


@functools.cache
def translations(language: Language) -> gettext.NullTranslations:
    """The compiled catalogue of ``language``, read once (English: the messages as written)."""
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    from importlib import resources

    resource = resources.files("codesign") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with resource.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    except (FileNotFoundError, OSError) as e:
        logger.warning(
            "no compiled %s catalogue (%s): messages stay in English; compile the catalogues "
            "(pybabel compile -d src/codesign/locale -D codesign) or reinstall codesign",
            language,
            e,
        )
        return gettext.NullTranslations()


def _(message: str, /, **params: object) -> str:
    """``message`` in the current language, its ``{named}`` placeholders filled with ``params``."""
    translated = translations(current_language()).gettext(message)
    return _fill(translated, message, params) if params else translated


def ngettext(singular: str, plural: str, n: int, /, **params: object) -> str:
    """The form of a message for the count ``n`` in the current language; ``{n}`` is the count."""
    translated = translations(current_language()).ngettext(singular, plural, n)
    original = singular if n == 1 else plural
    return _fill(translated, original, {"n": n, **params})


def N_(message: str, /) -> str:  # noqa: N802 (gettext's name for the marker)
    """Mark ``message`` for the catalogue where it is defined; :func:`_` translates it later."""
    return message


def _fill(translated: str, original: str, params: Mapping[str, object]) -> str:
    try:
        return translated.format_map(params)
    except (KeyError, IndexError, ValueError):  # a damaged translation: the source still reads
        logger.warning("translation of %r does not fit its placeholders", original)
        return original.format_map(params)


# --- numbers and dates (Babel) ------------------------------------------------------------------

DATETIME_PATTERNS: Final[Mapping[Language, str]] = {
    "en": "yyyy-MM-dd HH:mm",
    "fr": "dd/MM/yyyy HH:mm",
}
"""How a date and time is written: ISO order in English, the French day first."""
DATE_PATTERNS: Final[Mapping[Language, str]] = {"en": "yyyy-MM-dd", "fr": "dd/MM/yyyy"}


def format_decimal(value: float, places: int = 3, *, language: Language | None = None) -> str:
    """``value`` rounded to at most ``places`` decimals, trailing zeros dropped: ``0,95`` in French.

    Rounded as Python rounds the float (``f"{value:.3f}"``), then written by Babel for the
    language: the decimal sign, the minus sign. No thousands separator (a French 4-digit number
    is not grouped; metric values rarely reach five digits).
    """
    from decimal import Decimal

    from babel.numbers import format_decimal as babel_decimal

    exact = Decimal(f"{value:.{places}f}")
    if exact.is_zero():
        exact = Decimal(0)
    pattern = "0." + "#" * places if places > 0 else "0"
    return babel_decimal(exact, format=pattern, locale=language or current_language())


def format_written_number(text: str, *, language: Language | None = None) -> str:
    """A number as someone wrote it (``"0.90"`` in a target), with its decimals, for the language.

    ``0,90`` in French; text that is not a number is returned as it is.
    """
    from decimal import Decimal, InvalidOperation

    from babel.numbers import format_decimal as babel_decimal

    try:
        exact = Decimal(text.strip())
    except InvalidOperation:
        return text
    if not exact.is_finite():
        return text
    exponent = exact.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pattern = "0." + "0" * places if places else "0"
    return babel_decimal(exact, format=pattern, locale=language or current_language())


def format_integer(value: int, *, language: Language | None = None, grouped: bool = False) -> str:
    """A count, as :func:`format_decimal` writes numbers: digits only, no thousands separator.

    ``grouped`` counts of rows and values are grouped the language's way: ``12,345``, ``12 345``
    in French (a narrow no-break space).
    """
    from babel.numbers import format_decimal as babel_decimal

    pattern = "#,##0" if grouped else "0"
    return babel_decimal(value, format=pattern, locale=language or current_language())


def format_percent(share: float, places: int = 0, *, language: Language | None = None) -> str:
    """A share (0.95) as a percentage, the language's way: ``95%``, ``95 %`` in French."""
    from decimal import Decimal

    from babel import Locale
    from babel.numbers import format_percent as babel_percent

    lang = language or current_language()
    exact = Decimal(f"{share * 100:.{places}f}")
    if exact.is_zero():
        exact = Decimal(0)
    pattern = Locale.parse(lang).percent_formats[None].pattern  # "#,##0 %": the sign's place
    if places > 0:
        pattern = pattern.replace("0", "0." + "#" * places, 1)
    return babel_percent(exact / 100, format=pattern, locale=lang)


def zone_of(timezone: str | dt.tzinfo | None) -> dt.tzinfo:
    """A time zone from its IANA name (``None``: UTC)."""
    import datetime as dt
    import zoneinfo

    if timezone is None:
        return dt.UTC
    if isinstance(timezone, dt.tzinfo):
        return timezone
    return zoneinfo.ZoneInfo(timezone)


def zone_name(timezone: str | dt.tzinfo | None) -> str:
    """The IANA name shown after a time: ``Europe/Paris``; ``UTC``."""
    import datetime as dt

    if timezone is None or timezone is dt.UTC:
        return "UTC"
    return timezone if isinstance(timezone, str) else str(timezone)


def format_datetime(
    when: dt.datetime,
    timezone: str | dt.tzinfo | None = None,
    *,
    language: Language | None = None,
) -> str:
    """A moment in the project's time zone, with the zone's name.

    ``25/11/2026 08:00 (Europe/Paris)`` in French, ``2026-11-25 08:00 (Europe/Paris)`` in
    English. A naive ``when`` is taken as UTC (codesign stores UTC).
    """
    import datetime as dt

    from babel.dates import format_datetime as babel_datetime

    lang = language or current_language()
    aware = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
    local = aware.astimezone(zone_of(timezone))
    text = babel_datetime(local, DATETIME_PATTERNS[lang], locale=lang)
    return f"{text} ({zone_name(timezone)})"


def format_date(day: dt.date, *, language: Language | None = None) -> str:
    """A day: ``25/11/2026`` in French, ``2026-11-25`` in English."""
    from babel.dates import format_date as babel_date

    lang = language or current_language()
    return babel_date(day, DATE_PATTERNS[lang], locale=lang)


def parse_decimal(text: str, *, language: Language | None = None) -> float:
    """A number as a person types it: ``0.95`` always; ``0,95`` and ``1 234,5`` in French.

    Raises :class:`ValueError` when ``text`` is not a finite number in the language.
    """
    from decimal import Decimal, InvalidOperation

    from babel.numbers import get_decimal_symbol

    lang = language or current_language()
    cleaned = "".join(ch for ch in text.strip() if ch not in " \u00a0\u202f")
    if get_decimal_symbol(lang) == "," and cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        msg = f"not a number: {text!r}"
        raise ValueError(msg)
    return float(number)

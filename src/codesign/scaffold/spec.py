"""The answers a new project is made from, checked before anything is rendered or written.

Cookiecutter renders every answer as a Jinja template (so ``{{ 7*7 }}`` would become ``49``, and
worse), names the project folder after the slug, and renders whole output paths. Every value is
therefore checked here first, and each refusal names the template variable it is about:

- every variable: no template syntax (``{{``, ``{%``, ``{#``), no invisible control character,
  a maximum length;
- ``project_name`` and ``project_slug``, which name a folder: no path separator, no ``..``, not
  an absolute path; the slug must be a safe folder name;
- ``preset`` must be a known preset, ``timezone`` an IANA time zone.

Names of people and organisations go into file contents only, never into a path, so they may hold
a ``/`` ("AP-HP / Inria"). An empty optional answer keeps what the preset says.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zoneinfo
from dataclasses import asdict, dataclass, fields
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Final

from slugify import slugify

from codesign.charter.presets import PRESETS
from codesign.exceptions import ScaffoldError
from codesign.i18n import DEFAULT_LANGUAGE, LANGUAGES

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_PRESET: Final = PRESETS[0]
"""The preset used when none is chosen: the first one offered, as in ``cookiecutter.json``."""

MAX_NAME: Final = 100
"""A project name is a title, not a paragraph."""
MAX_SLUG: Final = 63
"""The charter's ``use_case.slug`` limit (a DNS label), so the slug works as a host name too."""
MAX_PERSON: Final = 200
"""The charter's limit for names of people, organisations and sites."""
MAX_TIMEZONE: Final = 64

_TEMPLATE_SYNTAX: Final = ("{{", "{%", "{#")
_SLUG_RE: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_WINDOWS_DEVICES: Final = frozenset(
    {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{i}" for i in range(1, 10)),
        *(f"lpt{i}" for i in range(1, 10)),
    }
)
_JOINERS: Final = frozenset({"\u200c", "\u200d"})
"""Zero-width (non-)joiners: format characters that some scripts need in names."""


@dataclass(frozen=True)
class ProjectSpec:
    """The template's variables for one new project, valid by construction.

    Field names are the variables of ``cookiecutter/cookiecutter.json``. Build one with
    :meth:`from_name` (derives the slug) or :meth:`from_context` (cookiecutter's answers); direct
    construction is validated too, so an invalid spec cannot exist.
    """

    project_name: str
    project_slug: str
    preset: str = DEFAULT_PRESET
    clinical_lead: str = ""
    partner_organisation: str = ""
    site: str = ""
    timezone: str = ""
    """IANA time zone of the report schedule; empty keeps the preset's."""
    language: str = DEFAULT_LANGUAGE
    """en | fr: the preset's language and the charter's ``language:``."""

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, str):
                msg = f"{field.name}: expected text, got {type(value).__name__}"
                raise ScaffoldError(msg)
            object.__setattr__(self, field.name, value.strip())
        check_name(self.project_name)
        check_slug(self.project_slug)
        check_preset(self.preset)
        check_text("clinical_lead", self.clinical_lead, MAX_PERSON)
        check_text("partner_organisation", self.partner_organisation, MAX_PERSON)
        check_text("site", self.site, MAX_PERSON)
        check_timezone(self.timezone)
        check_language(self.language)

    @classmethod
    def from_name(
        cls,
        project_name: str,
        *,
        preset: str = DEFAULT_PRESET,
        clinical_lead: str = "",
        partner_organisation: str = "",
        site: str = "",
        timezone: str = "",
        language: str = DEFAULT_LANGUAGE,
    ) -> ProjectSpec:
        """A spec whose slug is derived from the name, as ``cookiecutter.json`` derives it."""
        return cls(
            project_name=project_name,
            project_slug=slug_for(project_name),
            preset=preset,
            clinical_lead=clinical_lead,
            partner_organisation=partner_organisation,
            site=site,
            timezone=timezone,
            language=language,
        )

    @classmethod
    def from_context(cls, context: Mapping[str, object]) -> ProjectSpec:
        """The spec from cookiecutter's ``cookiecutter`` context (the hooks get it this way).

        Private keys (``_template``, ``_output_dir``...) are ignored; a missing variable is an
        error naming it, since the template and this class must agree.
        """
        values: dict[str, str] = {}
        for field in fields(cls):
            if field.name not in context:
                if field.name in ("project_name", "project_slug"):
                    msg = f"{field.name}: missing from the template's answers"
                    raise ScaffoldError(msg)
                continue
            values[field.name] = context[field.name]  # type: ignore[assignment]  # checked above
        return cls(**values)

    def context(self) -> dict[str, str]:
        """The answers as cookiecutter's ``extra_context``."""
        return asdict(self)


def slug_for(project_name: str) -> str:
    """The project's folder name: lowercase ASCII words joined by hyphens, at most 63 characters.

    This is the ``slugify`` filter ``cookiecutter.json`` uses, with the same options, so
    ``codesign new`` and the plain ``cookiecutter`` command name the folder alike.
    """
    check_name(project_name)
    slug = slugify(project_name.strip(), max_length=MAX_SLUG, word_boundary=True)
    if not slug:
        msg = (
            f"project_name: {_shown(project_name)} gives no usable folder name; "
            "use some letters or digits"
        )
        raise ScaffoldError(msg)
    return slug


def check_text(variable: str, value: str, max_length: int, *, required: bool = False) -> None:
    """The checks every variable gets: length, control characters, template syntax."""
    if required and not value.strip():
        msg = f"{variable}: must not be empty"
        raise ScaffoldError(msg)
    if len(value) > max_length:
        msg = f"{variable}: {len(value)} characters, expected at most {max_length}"
        raise ScaffoldError(msg)
    for char in value:
        if _is_control(char):
            msg = (
                f"{variable}: contains an invisible control character (U+{ord(char):04X}); "
                "remove it"
            )
            raise ScaffoldError(msg)
    for syntax in _TEMPLATE_SYNTAX:
        if syntax in value:
            msg = f'{variable}: {_shown(value)} contains template syntax "{syntax}"; use plain text'
            raise ScaffoldError(msg)


def check_name(value: str) -> None:
    """``project_name``: a title, never a path."""
    check_text("project_name", value, MAX_NAME, required=True)
    check_not_a_path("project_name", value)


def check_not_a_path(variable: str, value: str) -> None:
    """Refuse what would take a folder name elsewhere: separators, ``..``, absolute paths."""
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).drive or value.startswith("~"):
        msg = f"{variable}: {_shown(value)} is a path; give a name (and --output-dir for where)"
        raise ScaffoldError(msg)
    if "/" in value or "\\" in value:
        msg = f'{variable}: {_shown(value)} contains a path separator ("/" or "\\"); give a name'
        raise ScaffoldError(msg)
    if ".." in value:
        msg = f'{variable}: {_shown(value)} contains ".."; give a name'
        raise ScaffoldError(msg)


def check_slug(value: str) -> None:
    """``project_slug``: a safe folder name on every system, and a valid charter slug."""
    check_text("project_slug", value, MAX_SLUG, required=True)
    check_not_a_path("project_slug", value)
    if not _SLUG_RE.fullmatch(value):
        msg = (
            f"project_slug: {_shown(value)} is not a safe folder name; expected lowercase "
            f"letters, digits and hyphens, starting with a letter or digit, at most {MAX_SLUG}"
        )
        raise ScaffoldError(msg)
    if value in _WINDOWS_DEVICES:
        msg = f"project_slug: {_shown(value)} is a reserved device name on Windows; choose another"
        raise ScaffoldError(msg)


def check_preset(value: str) -> None:
    """``preset``: one of the shipped presets."""
    if value not in PRESETS:
        msg = f"preset: unknown preset {_shown(value)}; expected one of: {', '.join(PRESETS)}"
        raise ScaffoldError(msg)


def check_timezone(value: str) -> None:
    """``timezone``: empty (keep the preset's) or an IANA zone such as ``Europe/Paris``."""
    check_text("timezone", value, MAX_TIMEZONE)
    if not value:
        return
    if PurePosixPath(value).is_absolute() or ".." in value or "\\" in value:
        msg = f'timezone: {_shown(value)} is a path; expected an IANA time zone like "Europe/Paris"'
        raise ScaffoldError(msg)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        msg = f'timezone: unknown time zone {_shown(value)}; expected one like "Europe/Paris"'
        raise ScaffoldError(msg) from None


def check_language(value: str) -> None:
    """``language``: one of codesign's languages."""
    if value not in LANGUAGES:
        msg = f"language: unknown language {_shown(value)}; expected one of: {', '.join(LANGUAGES)}"
        raise ScaffoldError(msg)


def check_output_dir(path: str) -> None:
    """The output folder may be any path, but cookiecutter renders it: no template syntax."""
    for syntax in _TEMPLATE_SYNTAX:
        if syntax in path:
            msg = f'output_dir: {_shown(path)} contains template syntax "{syntax}"; rename it'
            raise ScaffoldError(msg)
    for char in path:
        if _is_control(char):
            msg = f"output_dir: contains an invisible control character (U+{ord(char):04X})"
            raise ScaffoldError(msg)


def _is_control(char: str) -> bool:
    """Control, format (bidi overrides...), surrogate, private, unassigned, line separators."""
    if char in _JOINERS:
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def _shown(value: str) -> str:
    """A value quoted for a message, escaped and shortened (it is a name, never patient data)."""
    text = value if len(value) <= 60 else value[:57] + "..."
    return json.dumps(text, ensure_ascii=False)

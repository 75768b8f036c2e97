"""The message catalogues: complete, faithful to their placeholders, up to date with the code.

The template (``codesign.pot``) is what Babel extracts from the sources with the configuration in
``pyproject.toml`` (``[tool.babel]``); every language's ``.po`` translates each of its messages,
none empty, none losing or adding a ``{placeholder}``; the compiled ``.mo`` gettext reads holds
the same translations. When a test here fails, the commands to run are in ``pyproject.toml``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from codesign.i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES

REPO = Path(__file__).parent.parent
LOCALE = REPO / "src" / "codesign" / "locale"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"
TRANSLATED = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def _ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return (message_id,) if isinstance(message_id, str) else tuple(message_id)


def test_the_template_is_up_to_date_with_the_sources() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["babel"]["mappings"][0]
    keywords: dict[str, object] = {"_": None, "N_": None, "ngettext": (1, 2)}
    assert mapping["keywords"] == ["_", "N_", "ngettext:1,2"]
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            REPO,
            method_map=[(mapping["pattern"], mapping["method"])],
            keywords=keywords,  # type: ignore[arg-type]
        )
    }
    with TEMPLATE.open("rb") as stream:
        template = {message.id for message in read_po(stream) if message.id}
    extracted = {m if isinstance(m, str) else tuple(m) for m in found}
    missing = sorted(map(str, extracted - template))
    stale = sorted(map(str, template - extracted))
    assert not missing, f"messages in the code, not in {TEMPLATE.name} (extract again): {missing}"
    assert not stale, f"messages in {TEMPLATE.name}, gone from the code (extract again): {stale}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    with TEMPLATE.open("rb") as stream:
        template = {message.id for message in read_po(stream) if message.id}
    with _po(language).open("rb") as stream:
        catalog = read_po(stream, locale=language)
    translated = {message.id: message for message in catalog if message.id}
    assert set(translated) == template, "update the .po from the template (pybabel update)"
    problems = []
    for message_id, message in translated.items():
        ids = _ids(message_id)
        strings = _ids(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(s.strip() for s in strings) or len(strings) != len(ids):
            problems.append(f"not translated: {ids[0]!r}")
            continue
        every = set.union(*(_placeholders(i) for i in ids))
        shared = set.intersection(*(_placeholders(i) for i in ids))
        for text in strings:
            found = _placeholders(text)
            if not shared <= found <= every:
                problems.append(f"placeholders {sorted(found)} in {text!r} for {ids[0]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_holds_the_translations(language: str) -> None:
    compiled = _po(language).with_suffix(".mo")
    assert compiled.is_file(), (
        f"{compiled} is missing: compile the catalogues "
        "(pybabel compile -d src/codesign/locale -D codesign, or make install)"
    )
    with _po(language).open("rb") as stream:
        source = {_key(m.id): _key(m.string) for m in read_po(stream, locale=language) if m.id}
    with compiled.open("rb") as stream:
        binary = {_key(m.id): _key(m.string) for m in read_mo(stream) if m.id}
    assert binary == source, "the .mo is older than its .po: compile the catalogues again"


def test_a_wheel_build_compiles_the_catalogues(tmp_path: Path) -> None:
    """The build hook's compiler, run on the repository: one .mo per translated language."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hatch_build", REPO / "hatch_build.py")
    assert spec is not None
    assert spec.loader is not None
    pytest.importorskip("hatchling")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.compile_catalogues(REPO, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        f"{language}/LC_MESSAGES/{DOMAIN}.mo" for language in TRANSLATED
    ]


def test_no_message_hides_inside_an_f_string() -> None:
    """Babel reads no code inside an f-string: ``f"{_('...')}"`` would never be translated."""
    hidden = re.compile(r"""\bf(['"]).*\{[^}]*\b(?:_|N_|ngettext)\(\s*['"]""")
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "src" / "codesign").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if hidden.search(line)
    ]
    assert not found, f"a message inside an f-string (name it before the f-string): {found}"

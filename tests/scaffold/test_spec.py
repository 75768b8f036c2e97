"""The template's variables are checked before anything is rendered; refusals name the variable."""

from __future__ import annotations

import pytest

from codesign.charter import PRESETS
from codesign.exceptions import ScaffoldError
from codesign.scaffold import DEFAULT_PRESET, ProjectSpec, slug_for
from codesign.scaffold.spec import check_output_dir


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Nurse triage assistant", "nurse-triage-assistant"),
        ("Évaluation IA — urgences", "evaluation-ia-urgences"),
        ("  Sepsis   alert v2 ", "sepsis-alert-v2"),
        ("Dr. O'Brien's ward", "dr-o-brien-s-ward"),
        ("急诊分诊", "ji-zhen-fen-zhen"),
    ],
)
def test_slug_is_derived_like_cookiecutter_json(name: str, slug: str) -> None:
    assert slug_for(name) == slug
    assert ProjectSpec.from_name(name).project_slug == slug


def test_long_names_are_cut_at_a_word_boundary() -> None:
    slug = slug_for("Assistant " * 9)
    assert len(slug) <= 63
    assert slug.startswith("assistant-")
    assert not slug.endswith("-")
    assert all(part == "assistant" for part in slug.split("-"))


def test_defaults_keep_the_preset() -> None:
    spec = ProjectSpec.from_name("x")
    assert spec.preset == DEFAULT_PRESET == PRESETS[0]
    assert (spec.clinical_lead, spec.partner_organisation, spec.site, spec.timezone) == ("",) * 4


def test_values_are_stripped_and_slashes_allowed_in_organisations() -> None:
    spec = ProjectSpec.from_name(
        " Triage ", partner_organisation=" AP-HP / Inria ", site="CHU", timezone="Europe/Paris"
    )
    assert spec.project_name == "Triage"
    assert spec.partner_organisation == "AP-HP / Inria"


BAD_NAMES = [
    ("{{ 7*7 }}", "project_name", 'template syntax "{{"'),
    ("{% raw %}x", "project_name", 'template syntax "{%"'),
    ("a {# comment", "project_name", 'template syntax "{#"'),
    ("site-a/triage", "project_name", "path separator"),
    ("site-a\\triage", "project_name", "path separator"),
    ("..", "project_name", 'contains ".."'),
    ("triage..v2", "project_name", '".."'),
    ("/tmp/triage", "project_name", "is a path"),
    ("~/triage", "project_name", "is a path"),
    ("C:triage", "project_name", "is a path"),
    ("tri\x1bage", "project_name", "control character (U+001B)"),
    ("tri\u202eage", "project_name", "control character (U+202E)"),
    ("line\nbreak", "project_name", "control character (U+000A)"),
    ("x" * 101, "project_name", "101 characters, expected at most 100"),
    ("", "project_name", "must not be empty"),
    ("   ", "project_name", "must not be empty"),
    ("!!! ???", "project_name", "no usable folder name"),
]


@pytest.mark.parametrize(("name", "variable", "message"), BAD_NAMES)
def test_bad_names_are_refused(name: str, variable: str, message: str) -> None:
    with pytest.raises(ScaffoldError, match=r"^" + variable + ": ") as caught:
        ProjectSpec.from_name(name)
    assert message in str(caught.value)


BAD_VALUES = [
    ("preset", "triag", 'unknown preset "triag"; expected one of: triage, imaging'),
    ("preset", "../blank", "unknown preset"),
    ("clinical_lead", "Dr {{ config }}", 'template syntax "{{"'),
    ("clinical_lead", "Dr\x00X", "control character (U+0000)"),
    ("clinical_lead", "x" * 201, "201 characters, expected at most 200"),
    ("partner_organisation", "{% for x in y %}", 'template syntax "{%"'),
    ("partner_organisation", "ACME\u2028AI", "control character (U+2028)"),
    ("site", "CHU\tNord", "control character (U+0009)"),
    ("site", "{#", 'template syntax "{#"'),
    ("timezone", "Mars/Olympus", 'unknown time zone "Mars/Olympus"'),
    ("timezone", "../../etc/passwd", "is a path"),
    ("timezone", "/etc/localtime", "is a path"),
    ("timezone", "Europe\\Paris", "is a path"),
]


@pytest.mark.parametrize(("variable", "value", "message"), BAD_VALUES)
def test_bad_values_are_refused_naming_the_variable(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(ScaffoldError, match=r"^" + variable + ": ") as caught:
        ProjectSpec.from_name("Triage", **{variable: value})
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("../evil", "path separator"),
        ("Triage", "not a safe folder name"),
        ("-triage", "not a safe folder name"),
        ("tri_age", "not a safe folder name"),
        ("a" * 64, "64 characters, expected at most 63"),
        ("con", "reserved device name"),
        ("{{x}}", 'template syntax "{{"'),
    ],
)
def test_bad_slugs_are_refused(slug: str, message: str) -> None:
    with pytest.raises(ScaffoldError, match=r"^project_slug: ") as caught:
        ProjectSpec(project_name="Triage", project_slug=slug)
    assert message in str(caught.value)


def test_zero_width_joiners_are_allowed_in_names() -> None:
    assert ProjectSpec.from_name("x", clinical_lead="Dr Ra\u200cmin").clinical_lead.endswith("min")


def test_context_round_trip_ignores_private_keys() -> None:
    spec = ProjectSpec.from_name("Triage", preset="blank", clinical_lead="Dr Q")
    context = {**spec.context(), "_template": "/x", "_output_dir": "/y", "__prompts__": {}}
    assert ProjectSpec.from_context(context) == spec


def test_context_must_name_the_project() -> None:
    with pytest.raises(ScaffoldError, match="project_slug: missing"):
        ProjectSpec.from_context({"project_name": "x"})
    with pytest.raises(ScaffoldError, match="preset: expected text, got list"):
        ProjectSpec.from_context({"project_name": "x", "project_slug": "x", "preset": ["a"]})


@pytest.mark.parametrize("path", ["out/{{ 7*7 }}", "out/{%x", "{#/x"])
def test_output_dir_with_template_syntax_is_refused(path: str) -> None:
    with pytest.raises(ScaffoldError, match=r"^output_dir: .*template syntax"):
        check_output_dir(path)

"""Fixtures for the workshop forms: a charter in a fresh folder, and the forms on it.

The forms are driven as a person would, through their widgets: set an input's ``value`` (what
pressing Enter or Tab does in the browser), ``click()`` a button; then assert what the form shows
and what is on disk. ipywidgets swallows exceptions raised in callbacks, so a click alone proves
nothing: every test checks the visible text and the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codesign.charter import preset_text
from codesign.widgets import Workshop
from codesign.widgets.decision import DecisionForm
from codesign.widgets.outcomes import OutcomeEditor
from codesign.widgets.signoff import SignOffForm
from codesign.widgets.use_case import UseCaseForm


@pytest.fixture
def triage(tmp_path: Path) -> Path:
    """A folder holding the triage preset's charter (comments and all)."""
    folder = tmp_path / "triage"
    folder.mkdir()
    (folder / "codesign.yaml").write_text(preset_text("triage"), encoding="utf-8")
    return folder


@pytest.fixture
def workshop(triage: Path) -> Workshop:
    opened = Workshop.open(triage)
    assert opened.session is not None, opened.problem
    return opened


@pytest.fixture
def outcomes(workshop: Workshop) -> OutcomeEditor:
    form = workshop.outcomes
    assert isinstance(form, OutcomeEditor)
    return form


@pytest.fixture
def use_case(workshop: Workshop) -> UseCaseForm:
    form = workshop.use_case
    assert isinstance(form, UseCaseForm)
    return form


@pytest.fixture
def decision(workshop: Workshop) -> DecisionForm:
    form = workshop.decision
    assert isinstance(form, DecisionForm)
    return form


@pytest.fixture
def signoff(workshop: Workshop) -> SignOffForm:
    form = workshop.signoff
    assert isinstance(form, SignOffForm)
    return form


def comments(text: str) -> list[str]:
    """The comment lines of a YAML text, sorted: what a save must keep."""
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


def visible(html: str) -> str:
    """Text of an HTML value without its markup, as a person reads it."""
    import html as html_module
    import re

    spaced = re.sub(r"<(?:br|/div|/li|/td|/th|/p)\b[^>]*>", " ", html)
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", "", spaced)).split())

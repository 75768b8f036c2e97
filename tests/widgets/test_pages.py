"""The facilitator's page opens only with the facilitator's key (the room shares one token)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesign.config import ENV_FACILITATOR_KEY, ENV_PROJECT
from codesign.widgets import pages
from codesign.widgets.pages import facilitator_key_given

KEY = "k3y-of-the-facilitator"


@pytest.mark.parametrize(
    ("environ", "given"),
    [
        ({ENV_FACILITATOR_KEY: KEY, pages.ENV_QUERY: f"token=t&key={KEY}"}, True),
        ({ENV_FACILITATOR_KEY: KEY, pages.ENV_QUERY: "token=t"}, False),
        ({ENV_FACILITATOR_KEY: KEY, pages.ENV_QUERY: "token=t&key=guess"}, False),
        ({ENV_FACILITATOR_KEY: KEY, pages.ENV_QUERY: f"key={KEY}x"}, False),
        ({ENV_FACILITATOR_KEY: KEY}, False),
        ({pages.ENV_QUERY: "key="}, False),  # no key set: the page is nobody's
        ({}, False),
    ],
)
def test_the_key_must_match(environ: dict[str, str], given: bool) -> None:
    assert facilitator_key_given(environ) is given


def test_without_the_key_the_page_says_where_to_go(
    triage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PROJECT, str(triage))
    monkeypatch.setenv(ENV_FACILITATOR_KEY, KEY)
    monkeypatch.setenv(pages.ENV_QUERY, "token=t")
    shown = repr([getattr(w, "value", "") for w in pages.facilitator_page().children])
    assert "This page is the facilitator" in shown
    assert "participant link" in shown
    monkeypatch.setenv(pages.ENV_QUERY, f"token=t&key={KEY}")
    page = pages.facilitator_page()
    assert "This page is the facilitator" not in repr(
        [getattr(w, "value", "") for w in page.children]
    )

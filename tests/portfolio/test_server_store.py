"""Projects that track on a shared store: the portfolio reads them through the MLflow client.

The store is a real PostgreSQL database that MLflow manages (the backend of a hospital's
tracking server); ``CODESIGN_TRACKING_URI`` points every project at it, as an operator sets it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import create_database
from tests.portfolio.conftest import NOW, Tree, copy_project, edit_charter, levels

from codesign.portfolio import PortfolioOptions, build_portfolio

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_iterations_on_a_shared_store_are_read_through_the_client(
    tree: Tree, tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codesign.tracking import IterationOptions, track

    store = create_database(postgres_url, "portfolio")
    monkeypatch.setenv("CODESIGN_TRACKING_URI", store)
    monkeypatch.setenv("CODESIGN_ARTIFACT_ROOT", (tmp_path / "artifacts").as_uri())
    share = tmp_path / "share"
    first = copy_project(tree["no-lead"], share / "sepsis")
    second = copy_project(tree["outdated"], share / "beds")
    edit_charter(second, lambda c: setattr(c.use_case, "slug", "bed-planning"))
    quiet = IterationOptions(use_feedback=False)
    track(levels(good=True), project=first, options=quiet)
    track(levels(good=False), project=first, options=quiet)
    track(levels(good=True), project=second, options=quiet)

    portfolio = build_portfolio([share], PortfolioOptions(now=NOW))
    found = {i.path.name: i for i in portfolio.initiatives}
    sepsis, beds = found["sepsis"], found["beds"]
    assert (sepsis.iterations, beds.iterations) == (2, 1)
    assert sepsis.regressing == ("under_triage", "high_acuity_sensitivity")
    assert beds.outcomes is not None
    assert beds.outcomes.met == 4
    assert sepsis.problems == beds.problems == ()

    # without the variable, each project's own embedded store is read: it holds no iteration
    monkeypatch.delenv("CODESIGN_TRACKING_URI")
    embedded = build_portfolio([share], PortfolioOptions(now=NOW))
    assert [i.iterations for i in embedded.initiatives] == [0, 0]

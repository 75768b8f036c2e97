"""Reading a share of projects: one row per initiative, the right flags, broken ones listed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import shutil
from pathlib import Path

import pytest
from tests.portfolio.conftest import LONG_AGO, NOW, Tree, copy_tree

from codesign.charter.model import DecisionOption, Stage
from codesign.exceptions import PortfolioError
from codesign.portfolio import (
    FlagCode,
    Initiative,
    Portfolio,
    PortfolioOptions,
    build_portfolio,
    write_portfolio,
)
from codesign.tracking import read_iterations

F = FlagCode


def by_path(portfolio: Portfolio) -> dict[Path, Initiative]:
    return {i.path: i for i in portfolio.initiatives}


def codes(initiative: Initiative) -> set[FlagCode]:
    return {flag.code for flag in initiative.flags}


@pytest.fixture(scope="module")
def portfolio(tree: Tree) -> Portfolio:
    return build_portfolio([tree.root], PortfolioOptions(now=NOW))


@pytest.fixture(scope="module")
def rows(portfolio: Portfolio, tree: Tree) -> dict[str, Initiative]:
    found = by_path(portfolio)
    return {name: found[path.resolve()] for name, path in tree.projects.items()}


def test_every_project_is_one_row(portfolio: Portfolio, tree: Tree) -> None:
    assert sorted(i.path for i in portfolio.initiatives) == sorted(
        p.resolve() for p in tree.projects.values()
    )
    assert portfolio.generated_at == NOW
    assert portfolio.roots == (tree.root,)
    names = [i.name.casefold() for i in portfolio.initiatives]
    assert names == sorted(names)


def test_a_healthy_initiative_has_its_fields_and_no_flag(rows: dict[str, Initiative]) -> None:
    good = rows["good"]
    assert (good.title, good.site, good.stage, good.clinical_lead, good.partner) == (
        "Nurse triage assistant",
        "CHU Nord",
        Stage.PILOT,
        "Dr A. Martin",
        "Example Health AI",
    )
    assert good.decision is DecisionOption.PARTNER
    assert good.iterations == 2
    assert good.outcomes is not None
    # the triage preset has 7 outcomes; levels alone measure 4 of them, all met
    assert (good.outcomes.met, good.outcomes.measured, good.outcomes.total) == (4, 4, 7)
    assert good.regressing == ()
    assert (good.governance, good.governance_current) == ("passed", True)
    assert (good.signoffs_valid, good.signoffs_outdated) == (1, 0)
    assert good.report is not None
    assert good.report.path.name == "nurse-triage-assistant-20261102T070000Z.html"
    assert good.report.created_at == dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC)
    assert good.last_activity is not None
    assert good.last_activity.kind in ("governance gate", "charter edited", "report", "iteration")
    assert good.flags == ()
    assert good.problems == ()


def test_required_evidence_that_is_missing_is_flagged_and_counted(
    tree: Tree, tmp_path: Path
) -> None:
    from tests.portfolio.conftest import copy_project, edit_charter

    project = copy_project(tree["good"], tmp_path / "share" / "triage")
    edit_charter(project, lambda c: setattr(c.evidence, "required", ["annex-iv.1", "annex-iv.5"]))
    (initiative,) = build_portfolio([tmp_path / "share"], PortfolioOptions(now=NOW)).initiatives
    assert initiative.evidence is not None
    assert initiative.evidence.total == 9 + 27 + 17  # Annex IV, TRIPOD+AI, DECIDE-AI items
    assert initiative.evidence.required_missing == ("annex-iv.5",)
    flag = next(f for f in initiative.flags if f.code is F.EVIDENCE_INCOMPLETE)
    assert "annex-iv.5" in flag.message
    assert "annex-iv.1" not in flag.message


def test_regressing_outcomes_and_a_failed_gate_are_flagged(rows: dict[str, Initiative]) -> None:
    night = rows["regressing"]
    assert night.outcomes is not None
    assert (night.outcomes.met, night.outcomes.measured) == (2, 4)
    assert night.regressing == ("under_triage", "high_acuity_sensitivity")
    assert codes(night) == {F.REGRESSING, F.GOVERNANCE_FAILED}
    message = next(f.message for f in night.flags if f.code is F.REGRESSING)
    assert "under_triage, high_acuity_sensitivity" in message


def test_regressions_are_the_tracking_layers(rows: dict[str, Initiative], tree: Tree) -> None:
    from codesign.tracking import compare

    comparison = compare(tree["regressing"])
    latest = comparison.iterations[-1]
    assert rows["regressing"].regressing == tuple(
        oid for oid, cell in latest.cells.items() if cell.regression
    )
    assert len(read_iterations(tree["regressing"])) == rows["regressing"].iterations


def test_missing_lead_sign_off_and_gate_are_flagged(rows: dict[str, Initiative]) -> None:
    sepsis = rows["no-lead"]
    assert (sepsis.title, sepsis.clinical_lead, sepsis.decision) == (
        "Sepsis alert",
        None,
        DecisionOption.BUILD,
    )
    assert codes(sepsis) == {F.NO_CLINICAL_LEAD, F.NO_SIGNOFF, F.GOVERNANCE_NOT_RUN}
    assert sepsis.iterations == 0
    assert sepsis.outcomes is None
    assert sepsis.governance == "not run"


def test_a_sign_off_on_an_earlier_charter_does_not_count(rows: dict[str, Initiative]) -> None:
    beds = rows["outdated"]
    assert (beds.signoffs_valid, beds.signoffs_outdated) == (0, 1)
    flag = next(f for f in beds.flags if f.code is F.NO_SIGNOFF)
    assert "changed after its 1 sign-off" in flag.message


def test_ninety_days_without_activity_is_flagged(rows: dict[str, Initiative]) -> None:
    dormant = rows["dormant"]
    assert dormant.last_activity is not None
    assert dormant.last_activity.at == LONG_AGO
    assert codes(dormant) == {F.INACTIVE}
    (flag,) = dormant.flags
    assert "no activity for 200 days" in flag.message


def test_the_clock_and_the_threshold_are_injectable(tree: Tree) -> None:
    later = build_portfolio(
        [tree.root / "site-a"], PortfolioOptions(now=NOW + dt.timedelta(days=120))
    )
    assert all(F.INACTIVE in codes(i) for i in later.initiatives)
    strict = build_portfolio([tree["dormant"]], PortfolioOptions(now=NOW, stale_after_days=365))
    assert F.INACTIVE not in codes(strict.initiatives[0])
    with pytest.raises(PortfolioError, match="stale_after_days: expected a number of days >= 1"):
        PortfolioOptions(stale_after_days=0)


def test_a_retired_initiative_is_not_flagged(rows: dict[str, Initiative]) -> None:
    old = rows["retired"]
    assert old.stage is Stage.RETIRED
    assert old.clinical_lead is None
    assert old.flags == ()


def test_broken_projects_are_listed_with_the_reason(rows: dict[str, Initiative]) -> None:
    invalid = rows["invalid"]
    assert invalid.title is None
    assert invalid.name == "invalid-charter"
    assert codes(invalid) == {F.BROKEN}
    (problem,) = invalid.problems
    assert "invalid charter" in problem
    assert "use_case.title: required field missing" in problem

    corrupt = rows["corrupt-store"]
    assert corrupt.title == "Corrupt store"  # what could be read is still shown
    assert corrupt.iterations is None
    assert corrupt.outcomes is None
    (problem,) = corrupt.problems
    assert "mlflow.db: cannot read the tracking store" in problem
    assert F.BROKEN in codes(corrupt)
    assert F.REGRESSING not in codes(corrupt)

    garbage = rows["garbage-gate"]
    assert garbage.governance is None
    (problem,) = garbage.problems
    assert "latest.json: unreadable gate result" in problem
    assert codes(garbage) == {F.BROKEN, F.NO_SIGNOFF}  # not "never run": it is unknown
    for initiative in (invalid, corrupt, garbage):
        for text in initiative.problems:
            assert "Traceback" not in text


def test_summary_counts(portfolio: Portfolio) -> None:
    summary = portfolio.summary()
    assert summary.initiatives == 10
    assert summary.broken == 3
    assert summary.by_stage == {"idea": 0, "co-design": 4, "pilot": 4, "scaled": 0, "retired": 1}
    assert summary.by_decision == {"build": 1, "buy": 0, "partner": 8, "undecided": 0}
    assert summary.by_governance == {"passed": 2, "failed": 1, "not run": 5, "unreadable": 1}
    assert summary.by_outcomes == {  # the corrupt store's initiative is in no band
        "all met": 0,
        "half or more": 2,
        "under half": 1,
        "none met": 0,
        "no iteration yet": 5,
    }
    assert summary.by_flag[F.BROKEN] == 3
    assert summary.by_flag[F.REGRESSING] == 1
    assert (summary.outcomes_met, summary.outcomes_total) == (4 + 2 + 4, 21)
    assert summary.flagged == sum(1 for i in portfolio.initiatives if i.flags)


def test_a_root_that_is_not_a_folder_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(PortfolioError, match="does not exist; expected a folder"):
        build_portfolio([tmp_path / "typo"])
    (tmp_path / "file").write_text("x")
    with pytest.raises(PortfolioError, match="is not a folder"):
        build_portfolio([tmp_path / "file"])
    with pytest.raises(PortfolioError, match="no root folder given"):
        build_portfolio([])


def test_an_empty_share_is_an_empty_portfolio(tmp_path: Path) -> None:
    portfolio = build_portfolio([tmp_path])
    assert portfolio.initiatives == ()
    assert portfolio.summary().initiatives == 0


def test_a_root_inside_a_project_or_twice_counts_it_once(tree: Tree) -> None:
    portfolio = build_portfolio([tree.root / "site-a", tree["good"], tree.root / "site-a"])
    assert len(portfolio.initiatives) == 2


def test_a_tracking_uri_overrides_every_embedded_store(tree: Tree, tmp_path: Path) -> None:
    shared = f"sqlite:///{tmp_path / 'shared.db'}"
    portfolio = build_portfolio(
        [tree.root / "site-a"], PortfolioOptions(now=NOW, tracking_uri=shared)
    )
    assert [i.iterations for i in portfolio.initiatives] == [0, 0]  # nothing there yet


def test_an_unreachable_server_is_asked_once_and_listed(
    tree: Tree, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.conftest import free_port

    from codesign.tracking import store

    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("CODESIGN_TRACKING_URI", url)
    probes: list[str] = []
    real_probe = store.probe
    monkeypatch.setattr(store, "probe", lambda uri: (probes.append(uri), real_probe(uri)))
    with caplog.at_level(logging.WARNING):
        portfolio = build_portfolio([tree.root / "site-a", tree.root / "site-b"])
    assert probes == [url]
    for initiative in portfolio.initiatives:
        (problem,) = initiative.problems
        assert problem.startswith(f"cannot reach the tracking server {url}")
        assert "Nothing was logged" not in problem
        assert initiative.title is not None


def test_one_unexpected_failure_does_not_stop_the_rest(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codesign.portfolio import survey

    real = survey._from_charter

    def explode(project, charter, sha):  # a bug in one project's reading, not a user error
        if charter.use_case.title == "Sepsis alert":
            raise ZeroDivisionError("boom")
        return real(project, charter, sha)

    monkeypatch.setattr(survey, "_from_charter", explode)
    portfolio = build_portfolio([tree.root / "site-b"])
    found = {i.path.name: i for i in portfolio.initiatives}
    assert found["sepsis"].problems == (
        f"{found['sepsis'].path}: could not be read (ZeroDivisionError); "
        "run with -vv to see the details",
    )
    assert found["bed-planning"].problems == ()


def test_report_links_follow_the_newest_run(tree: Tree, tmp_path: Path) -> None:
    copy = copy_tree(tree, tmp_path / "share")
    reports = copy["good"] / "reports"
    (reports / "nurse-triage-assistant-20261205T080000Z.ipynb").write_text("{}")  # html failed
    (reports / "nurse-triage-assistant-20269999T999999Z.html").write_text("not a date")
    (initiative,) = build_portfolio([copy["good"]]).initiatives
    assert initiative.report is not None
    assert initiative.report.path.name == "nurse-triage-assistant-20261205T080000Z.ipynb"
    shutil.rmtree(reports)
    (initiative,) = build_portfolio([copy["good"]]).initiatives
    assert initiative.report is None
    assert not initiative.problems


def test_a_failed_last_report_run_is_flagged(tree: Tree, tmp_path: Path) -> None:
    from codesign.project import Project, ReportState, write_report_state

    copy = copy_tree(tree, tmp_path / "share")
    project = Project.at(copy["good"])
    ran = dt.datetime(2026, 11, 9, 7, tzinfo=dt.UTC)
    state = ReportState().after("ok", ran - dt.timedelta(days=7), "nurse-triage-assistant-x")
    write_report_state(project, state)
    (initiative,) = build_portfolio([copy["good"]], PortfolioOptions(now=NOW)).initiatives
    assert initiative.report_status == "ok"
    assert initiative.flags == ()
    write_report_state(project, state.after("failed", ran, "nurse-triage-assistant-y"))
    portfolio = build_portfolio([copy["good"]], PortfolioOptions(now=NOW))
    (initiative,) = portfolio.initiatives
    assert (initiative.report_status, initiative.report_attempted_at) == ("failed", ran)
    files = write_portfolio(portfolio, tmp_path / "out")
    assert 'title="the last report run failed">failed</span>' in files.html.read_text()
    (row,) = json.loads(files.json.read_text())["initiatives"]
    assert row["last_report_status"] == "failed"
    assert row["flags"][0]["code"] == "report_failed"
    assert [(f.code, f.message) for f in initiative.flags] == [
        (
            F.REPORT_FAILED,
            "the last report run failed (2026-11-09 07:00 UTC); its partial report says where "
            "it stopped",
        )
    ]


def test_initiatives_are_plain_values(rows: dict[str, Initiative]) -> None:
    good = rows["good"]
    assert dataclasses.replace(good) == good
    with pytest.raises(dataclasses.FrozenInstanceError):
        good.title = "x"  # type: ignore[misc]


def test_one_project_on_its_own(tree: Tree) -> None:
    from codesign.portfolio import survey_project

    alone = survey_project(tree["no-lead"])
    assert alone.title == "Sepsis alert"
    assert alone.flags == ()  # flags are the portfolio's: they need its clock
    assert survey_project(str(tree["invalid"])).problems

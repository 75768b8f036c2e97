"""Real reports on real projects: one that works, and each way a report can fail, side by side.

One batch runs four copies of a scaffolded project at once (``jobs=2``, plus a fourth with a
time limit in a parallel thread): a clean one, one whose cell raises, one whose kernel dies
(``os._exit``) and one that outlives its time limit. Every test below reads that batch.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path

import nbformat
import pytest

from codesign.project import Project, read_report_state
from codesign.reports.markup import value_text
from codesign.reports.runner import (
    ReportOptions,
    ReportResult,
    ReportStatus,
    RunSummary,
    run_report,
    run_reports,
)
from codesign.tracking import compare
from codesign.tracking.reading import read_sqlite, read_with_client, sqlite_path

from .conftest import ITERATIONS, copy_project, fixed_clock, insert_cell, isolated_env

pytestmark = pytest.mark.slow

NOW = "2026-03-02T07:00:00+00:00"
STEM = "triage-20260302T070000Z"
TIME_LIMIT = 20.0


@pytest.fixture(scope="module")
def batch(built_project: Path, tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("batch-home")
    root = tmp_path_factory.mktemp("batch")
    with isolated_env(home):
        projects = {
            name: copy_project(built_project, root / name) for name in ("ok", "cell", "dead")
        }
        insert_cell(projects["cell"], "1 / 0", in_section="Governance gate")
        insert_cell(projects["dead"], "import os\nos._exit(1)", in_section="Build, buy")
        slow = copy_project(built_project, tmp_path_factory.mktemp("slow") / "slow")
        insert_cell(slow, "import time\ntime.sleep(600)", in_section="Governance gate")
        timed: list[ReportResult] = []
        limit = ReportOptions(timeout=TIME_LIMIT, clock=fixed_clock(NOW))
        thread = threading.Thread(target=lambda: timed.append(run_report(slow, limit)))
        thread.start()
        options = ReportOptions(jobs=2, clock=fixed_clock(NOW), parameters={"audience": "board"})
        summary = run_reports([root], options)
        thread.join()
    return {"summary": summary, "projects": {**projects, "slow": slow}, "timed": timed[0]}


def result(batch, name: str) -> ReportResult:
    if name == "slow":
        return batch["timed"]
    return next(r for r in batch["summary"].results if r.project.name == name)


def test_failures_are_isolated_and_named(batch) -> None:
    summary: RunSummary = batch["summary"]
    assert [(r.project.name, r.status) for r in summary.results] == [
        ("cell", ReportStatus.FAILED),
        ("dead", ReportStatus.FAILED),
        ("ok", ReportStatus.OK),
    ]
    assert result(batch, "slow").status is ReportStatus.FAILED
    assert summary.exit_code == 1
    lines = summary.lines()
    assert lines[-2] == "3 project(s): 1 ok, 2 failed"
    assert lines[-1].startswith("Failed (2): ")
    assert str(batch["projects"]["cell"]) in lines[-1]
    assert str(batch["projects"]["dead"]) in lines[-1]


def test_the_report_files_are_named_for_the_portfolio(batch) -> None:
    ok = result(batch, "ok")
    assert ok.notebook == batch["projects"]["ok"] / "reports" / f"{STEM}.ipynb"
    assert ok.html == batch["projects"]["ok"] / "reports" / f"{STEM}.html"
    assert ok.message == f"wrote reports/{STEM}.html and .ipynb"
    names = sorted(p.name for p in (batch["projects"]["ok"] / "reports").iterdir())
    assert names == [".gitkeep", ".lock", ".schedule.json", f"{STEM}.html", f"{STEM}.ipynb"]


def test_the_html_shows_no_code_and_embeds_the_charts(batch) -> None:
    html = result(batch, "ok").html.read_text(encoding="utf-8")
    for code in ("load_report(", "report.scorecard()", "project_dir ="):
        assert code not in html
    assert 'class="jp-CodeMirrorEditor' not in html
    assert 'class="jp-InputPrompt' not in html
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 7  # every outcome was measured
    for image in images:
        assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', image)
        assert 'alt="Chart of ' in image
    assert "<script" not in html  # no CDN, nothing loaded from elsewhere
    assert not re.search(r'(src|href)="https?://', html)
    assert "<title>Triage: report of 2026-03-02 08:00 (Europe/Paris)</title>" in html


def test_a_clean_report_shows_no_error_or_warning(batch) -> None:
    nb = nbformat.read(result(batch, "ok").notebook, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert outputs
    assert all(o["output_type"] != "error" and o.get("name") != "stderr" for o in outputs)
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


def test_the_html_shows_the_right_values(batch, built_project: Path) -> None:
    html = result(batch, "ok").html.read_text(encoding="utf-8")
    latest = compare(built_project).iterations[-1]
    charter = Project.at(built_project).load_charter().charter
    rows = re.findall(r"<tr>(.*?)</tr>", html)
    for outcome in charter.outcomes:
        row = next(r for r in rows if f"<code>{outcome.id}</code>" in r)
        cell = latest.cells[outcome.id]
        assert f">{value_text(cell.value)}" in row, outcome.id
        assert ("✓ Met" if cell.met else "✗ Not met") in row, outcome.id


def test_a_failing_cell_keeps_the_partial_report_with_a_banner(batch) -> None:
    failed = result(batch, "cell")
    assert failed.message.startswith("stopped at cell ")
    assert (
        "in the section “Governance gate”: the code of that section raised ZeroDivisionError"
        in (failed.message)
    )
    nb = nbformat.read(failed.notebook, as_version=4)
    assert "This report is incomplete." in nb.cells[0].source
    assert "ZeroDivisionError" in nb.cells[0].source
    shown = _outputs_by_source(nb)
    assert shown["report.scorecard()"]
    assert shown["report.trends()"]
    assert not shown["report.governance()"]
    assert not shown["report.signoffs()"]
    html = failed.html.read_text(encoding="utf-8")
    assert "This report is incomplete." in html
    assert 'id="report-stopped-here"' in html
    assert 'alt="Chart of ' in html  # what ran before the failure is all there


def test_a_dead_kernel_keeps_the_partial_report(batch) -> None:
    failed = result(batch, "dead")
    assert "in the section “Build, buy or partner”" in failed.message
    assert "the Python process running the report died" in failed.message
    nb = nbformat.read(failed.notebook, as_version=4)
    shown = _outputs_by_source(nb)
    assert shown["report.governance()"]
    assert not shown["report.decision()"]
    assert "This report is incomplete." in failed.html.read_text(encoding="utf-8")


def test_a_report_past_its_time_limit_is_stopped(batch) -> None:
    failed = result(batch, "slow")
    assert "in the section “Governance gate”" in failed.message
    assert f"it timed out after {TIME_LIMIT:g} s and its kernel was killed" in failed.message
    # stopped at the limit, not after the cell's 600 s (kernel starts take longer on a busy machine)
    assert TIME_LIMIT <= failed.seconds < TIME_LIMIT + 120
    nb = nbformat.read(failed.notebook, as_version=4)
    assert _outputs_by_source(nb)["report.trends()"]


def test_report_runs_are_logged_but_never_iterations(batch) -> None:
    from mlflow import MlflowClient

    project = Project.at(batch["projects"]["ok"])
    uri = project.tracking_uri()
    client = MlflowClient(uri)
    experiment = client.get_experiment_by_name("triage")
    runs = client.search_runs(
        [experiment.experiment_id], filter_string="tags.`codesign.kind` = 'report'"
    )
    assert [(r.info.run_name, r.info.status) for r in runs] == [(STEM, "FINISHED")]
    assert result(batch, "ok").run_id == runs[0].info.run_id
    artifacts = sorted(a.path for a in client.list_artifacts(runs[0].info.run_id, "report"))
    assert artifacts == [f"report/{STEM}.html", f"report/{STEM}.ipynb"]
    assert [r.name for r in read_sqlite(sqlite_path(uri), "triage")] == list(ITERATIONS)
    assert [r.name for r in read_with_client(uri, "triage")] == list(ITERATIONS)
    assert [it.name for it in compare(project).iterations] == list(ITERATIONS)


def test_a_failed_report_run_is_logged_as_failed(batch) -> None:
    from mlflow import MlflowClient

    project = Project.at(batch["projects"]["dead"])
    client = MlflowClient(project.tracking_uri())
    experiment = client.get_experiment_by_name("triage")
    runs = client.search_runs(
        [experiment.experiment_id], filter_string="tags.`codesign.kind` = 'report'"
    )
    assert [r.info.status for r in runs] == ["FAILED"]
    assert "died" in runs[0].data.tags["codesign.report.stopped"]
    assert runs[0].data.tags["codesign.report.status"] == "failed"


def test_the_schedule_state_follows_the_outcome(batch) -> None:
    ok = read_report_state(Project.at(batch["projects"]["ok"]))
    assert ok.last_success == dt.datetime.fromisoformat(NOW)
    assert (ok.last_status, ok.last_report) == ("ok", STEM)
    failed = read_report_state(Project.at(batch["projects"]["cell"]))
    assert failed.last_success is None
    assert (failed.last_status, failed.last_report) == ("failed", STEM)


def test_parameters_are_injected_after_the_parameters_cell(batch) -> None:
    nb = nbformat.read(result(batch, "ok").notebook, as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells[:2]]
    assert tags == [["parameters"], ["injected-parameters"]]
    injected = nb.cells[1].source
    assert 'audience = "board"' in injected
    assert f'project_dir = "{batch["projects"]["ok"]}"' in injected


def test_an_unreachable_tracking_server_fails_the_report_but_keeps_it(
    project_copy: Path,
) -> None:
    from tests.conftest import free_port

    uri = f"http://127.0.0.1:{free_port()}"
    outcome = run_report(project_copy, ReportOptions(tracking_uri=uri, clock=fixed_clock(NOW)))
    assert outcome.status is ReportStatus.FAILED
    assert outcome.message.startswith("written but not logged to MLflow: ")
    assert outcome.message.endswith(f"; kept reports/{STEM}.html")
    assert "cannot reach the tracking server" in outcome.message
    assert outcome.html is not None
    assert outcome.html.is_file()
    html = outcome.html.read_text(encoding="utf-8")
    assert "This report is incomplete" not in html
    # the report read the iterations from the same (unreachable) store, and said so in place
    assert "The iterations could not be read: cannot reach the tracking server" in html
    nb = nbformat.read(outcome.notebook, as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"]
    state = read_report_state(Project.at(project_copy))
    assert (state.last_status, state.last_success) == ("failed", None)  # due again next tick


def test_a_kernel_that_cannot_start_fails_the_report_with_a_banner(project_copy: Path) -> None:
    outcome = run_report(
        project_copy, ReportOptions(kernel_name="no-such-kernel", clock=fixed_clock(NOW))
    )
    assert outcome.status is ReportStatus.FAILED
    assert outcome.message == (
        "stopped before running any cell: no Jupyter kernel named 'no-such-kernel'; "
        f"kept reports/{STEM}.html"
    )
    assert outcome.run_id is not None  # logged, as a failed run
    html = outcome.html.read_text(encoding="utf-8")
    assert "This report is incomplete." in html
    assert "Go to where it stopped" not in html  # it never started


def _outputs_by_source(nb) -> dict[str, bool]:
    """Each code cell's source → whether it has outputs (did it run)."""
    return {c.source: bool(c.get("outputs")) for c in nb.cells if c.cell_type == "code"}

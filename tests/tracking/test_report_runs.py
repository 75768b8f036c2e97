"""Report runs share the project's experiment but never count as iterations."""

from __future__ import annotations

from pathlib import Path

from codesign.project import Project
from codesign.tracking import IterationOptions, compare, read_iterations, track
from codesign.tracking.reading import (
    KIND_REPORT,
    TAG_KIND,
    read_sqlite,
    read_with_client,
    sqlite_path,
)
from codesign.tracking.store import RunContent, log_run, open_project_experiment

SLUG = "sepsis-alert"


def test_report_runs_are_left_out_of_both_read_paths(project: Path, predictions_file: Path) -> None:
    for name in ("a", "b"):
        track(predictions_file, project=project, options=IterationOptions(name=name))
    where = Project.at(project)
    uri = where.tracking_uri()
    client, experiment_id = open_project_experiment(where, SLUG, uri)
    for status in ("FINISHED", "FAILED"):
        log_run(
            client,
            experiment_id,
            RunContent(
                name=f"report-{status}",
                metrics={"sens": 0.1},  # looks like an outcome's value: must still not count
                tags={TAG_KIND: KIND_REPORT},
                status=status,
            ),
            tracking_uri=uri,
        )
    path = sqlite_path(uri)
    assert path is not None
    assert [r.name for r in read_sqlite(path, SLUG)] == ["a", "b"]
    assert [r.name for r in read_with_client(uri, SLUG)] == ["a", "b"]
    assert [r.name for r in read_iterations(project)] == ["a", "b"]
    assert [it.name for it in compare(project).iterations] == ["a", "b"]
    runs = client.search_runs([experiment_id])
    assert sorted(r.info.status for r in runs) == ["FAILED", "FINISHED", "FINISHED", "FINISHED"]

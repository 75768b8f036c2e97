"""What a project's store holds, gathered once for every evidence document.

Evidence is read, never computed: the charter, the latest governance gate result, the logged
iterations (through tracking's fast read path), the candidate's standing (the one judgement
``compare``, the report, the portfolio and ``promote`` state), the report runs and the feedback
file's size.
Only counts, names the team chose (outcome ids, column names of the data contract) and values
already aggregated by the tracking store are kept: never a row of data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from codesign.exceptions import CodesignError, EvidenceError
from codesign.project import Project, latest_gate_result, read_report_state
from codesign.tracking.reading import read_store
from codesign.tracking.standing import read_project_feedback, standing_of

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from codesign.charter.model import Category, Charter
    from codesign.project import GateRecord, ReportState
    from codesign.tracking.reading import IterationRecord
    from codesign.tracking.standing import Standing

FEEDBACK_SCAN_LIMIT = 64 << 20
"""Bytes of the feedback file read to count its records; beyond, the count says "at least"."""


@dataclass(frozen=True)
class KeyMetric:
    """One outcome of the charter as measured on the candidate iteration."""

    outcome: str
    title: str
    category: Category
    metric: str
    target: str
    value: float | None
    met: bool | None
    params: str
    """The metric's options as written (``by: sex``), for a reader; never data."""


@dataclass(frozen=True)
class Facts:
    """Everything the evidence documents draw on, read from one project."""

    project: Project
    charter: Charter
    gate: GateRecord | None
    iterations: tuple[IterationRecord, ...]
    candidate: IterationRecord | None
    standing: Standing
    """The candidate's standing: what every other view states for it, value for value."""
    metrics: tuple[KeyMetric, ...]
    reports: ReportState
    feedback_records: int
    charter_sha256: str
    """The charter's content hash, computed once (iterations and sign-offs compare with it)."""

    @property
    def charter_source(self) -> str:
        return self.project.charter_path.name


def gather(
    project: Project | Path | str | None = None,
    *,
    iteration: str | None = None,
    tracking_uri: str | None = None,
) -> Facts:
    """Read the project; ``iteration`` names the candidate (default: the latest logged)."""
    try:
        where = project if isinstance(project, Project) else Project.at(project)
        charter = where.load_charter().charter
        records = tuple(read_store(where.tracking_uri(tracking_uri), where.slug_of(charter)))
    except EvidenceError:
        raise
    except CodesignError as e:
        msg = f"cannot gather evidence: {e}"
        raise EvidenceError(msg) from e
    candidate = _candidate(records, iteration, where)
    standing = standing_of(
        charter,
        records,
        iteration=None if candidate is None else candidate.name,
        feedback=read_project_feedback(where),
    )
    return facts_of(where, charter, records, standing)


def facts_of(
    project: Project,
    charter: Charter,
    records: Sequence[IterationRecord],
    standing: Standing,
    *,
    feedback_records: int | None = None,
) -> Facts:
    """The facts of a project whose charter, iterations and standing were already read.

    For views that read them anyway (the report, the portfolio): they judge the evidence on the
    same standing they show, without reading the store twice. The candidate is the standing's
    judged iteration.
    """
    judged = standing.iteration
    candidate = next(
        (r for r in reversed(records) if judged is not None and r.run_id == judged.run_id), None
    )
    return Facts(
        project=project,
        charter=charter,
        gate=latest_gate_result(project),
        iterations=tuple(records),
        candidate=candidate,
        standing=standing,
        metrics=key_metrics(charter, standing),
        reports=read_report_state(project),
        feedback_records=(
            _count_records(project.feedback_path) if feedback_records is None else feedback_records
        ),
        charter_sha256=standing.charter_sha256,
    )


def key_metrics(charter: Charter, standing: Standing) -> tuple[KeyMetric, ...]:
    """Every outcome's value and verdict on the candidate, as its standing states them.

    The one place evidence reads measured values: a value is the candidate's own (never one
    borrowed from another iteration), judged against the charter's current target.
    """
    rows: list[KeyMetric] = []
    for outcome in charter.outcomes:
        judged = standing.outcome(outcome.id)
        value, met = (None, None) if judged is None else (judged.value, judged.met)
        rows.append(
            KeyMetric(
                outcome=outcome.id,
                title=outcome.title,
                category=outcome.category,
                metric=outcome.metric,
                target=str(outcome.target),
                value=value if met is not None else None,
                met=met,
                params=", ".join(f"{k}: {v}" for k, v in sorted(outcome.params.items())),
            )
        )
    return tuple(rows)


def _candidate(
    records: tuple[IterationRecord, ...], name: str | None, project: Project
) -> IterationRecord | None:
    if name is None:
        return records[-1] if records else None
    for record in reversed(records):
        if name in (record.name, record.run_id):
            return record
    known = ", ".join(r.name for r in records) or "none logged yet"
    msg = f"{project.root}: no iteration named {name!r}; iterations: {known}"
    raise EvidenceError(msg)


def _count_records(path: Path) -> int:
    """Rows of the feedback CSV (header excluded), counted without reading a value."""
    if not path.is_file():
        return 0
    try:
        with path.open("rb") as stream:
            lines = stream.read(FEEDBACK_SCAN_LIMIT).count(b"\n")
    except OSError:
        return 0
    return max(lines - 1, 0)

"""What a project's store holds, gathered once for every evidence document.

Evidence is read, never computed: the charter, the latest governance gate result, the logged
iterations (through tracking's fast read path), the report runs and the feedback file's size.
Only counts, names the team chose (outcome ids, column names of the data contract) and values
already aggregated by the tracking store are kept: never a row of data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codesign.exceptions import CodesignError, EvidenceError
from codesign.project import Project, latest_gate_result, read_report_state
from codesign.tracking.reading import read_store

if TYPE_CHECKING:
    from pathlib import Path

    from codesign.charter.model import Category, Charter
    from codesign.project import GateRecord, ReportState
    from codesign.tracking.reading import IterationRecord

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
    return Facts(
        project=where,
        charter=charter,
        gate=latest_gate_result(where),
        iterations=records,
        candidate=candidate,
        metrics=key_metrics(charter, candidate),
        reports=read_report_state(where),
        feedback_records=_count_records(where.feedback_path),
        charter_sha256=charter.content_sha256(),
    )


def key_metrics(charter: Charter, candidate: IterationRecord | None) -> tuple[KeyMetric, ...]:
    """Every outcome's value on the candidate, judged against the charter's current target.

    The one place evidence reads measured values: switch it to the shared "standing" of an
    iteration when that exists, and every document follows.
    """
    rows: list[KeyMetric] = []
    for outcome in charter.outcomes:
        value = candidate.value(outcome.id) if candidate is not None else None
        if value is not None and not math.isfinite(value):
            value = None
        rows.append(
            KeyMetric(
                outcome=outcome.id,
                title=outcome.title,
                category=outcome.category,
                metric=outcome.metric,
                target=str(outcome.target),
                value=value,
                met=None if value is None else outcome.target.met(value),
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

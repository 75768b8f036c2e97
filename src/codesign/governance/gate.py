"""The governance gate: one call checks data against the project's data contract.

:func:`run_gate` loads the charter, opens the data (a file, read in bounded batches, or a
PostgreSQL table in place), plans the checks from the contract, runs them through Great
Expectations, publishes Data Docs
under ``governance/data_docs/`` and keeps the result for the tracking layer
(:func:`codesign.project.record_gate_result`, keyed by the data's hash), so an iteration logged
on data that failed or skipped the gate is marked as such.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codesign.exceptions import GovernanceError
from codesign.governance import docs
from codesign.governance.batches import DEFAULT_BATCH_ROWS, Reread
from codesign.governance.plan import plan_checks, reported_category
from codesign.governance.result import GateResult
from codesign.governance.sources import Batch, TableSource, parse_source
from codesign.i18n import _
from codesign.project import (
    FINDING_CATEGORIES,
    GateFinding,
    GateRecord,
    Project,
    record_gate_result,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from codesign.charter.model import DataContract
    from codesign.governance.batches import ReadHints, ReadProgress
    from codesign.governance.gx import Outcome
    from codesign.governance.sources import FileSource

logger = logging.getLogger(__name__)

_ORDER = {category: i for i, category in enumerate(FINDING_CATEGORIES)}


@dataclass(frozen=True)
class GateOptions:
    """What a gate run writes besides its result object, and how it reads a file."""

    record: bool = True
    """Keep the result in ``governance/results/`` for the tracking layer."""
    data_docs: bool = True
    """Publish Great Expectations Data Docs in ``governance/data_docs/``."""
    batch_rows: int = DEFAULT_BATCH_ROWS
    """A file is checked in batches of at most this many rows (memory stays bounded)."""
    progress: Callable[[ReadProgress], None] | None = None
    """Called as a file is read: rows and bytes so far, never a value or a column name."""


def run_gate(
    data: str | Path,
    project: Project | Path | str | None = None,
    options: GateOptions | None = None,
) -> GateResult:
    """Check ``data`` (CSV, Parquet, or ``postgresql://…?table=NAME``) against the contract.

    ``project`` defaults to the current folder. Raises :class:`GovernanceError` (or
    :class:`~codesign.exceptions.CharterError`) when the gate cannot run; a gate that runs and
    finds problems returns a failed result.
    """
    options = options or GateOptions()
    project = project if isinstance(project, Project) else Project.at(project)
    charter_file = project.load_charter()
    charter = charter_file.charter
    contract = charter.data_contract
    if not contract.columns:
        msg = _(
            "{path}: data_contract declares no columns; the gate needs a contract to check the "
            "data against (see `codesign charter schema`)",
            path=project.charter_path,
        )
        raise GovernanceError(msg)
    source = parse_source(data)
    index: Path | None = None
    with docs.staging(project.governance_dir) as site:
        if isinstance(source, TableSource):
            batch = source.open(contract)
            outcomes = _validate_table(source, batch, contract, site)
        else:
            batch, outcomes = _validate_file(source, contract, options, site)
        findings = findings_from(outcomes, batch)
        if options.data_docs:
            index = docs.publish(site, project.governance_dir)
    record = GateRecord(
        passed=not findings,
        rows=batch.rows,
        findings=findings,
        data_sha256=batch.data_sha256,
        source=source.display,
        charter_sha256=charter.content_sha256(),
        checked_at=dt.datetime.now(dt.UTC),
    )
    record_path = record_gate_result(project, record) if options.record else None
    logger.info("gate %s on %s: %d findings", record.status, source.display, len(findings))
    return GateResult(
        record=record,
        data_docs=index,
        record_path=record_path,
        title=charter.use_case.title,
        language=charter.language,
    )


def _validate_table(
    source: TableSource, batch: Batch, contract: DataContract, site: Path
) -> list[Outcome]:
    from codesign.governance import gx

    checks = plan_checks(contract, batch.columns)
    logger.info(
        "checking %s (%d rows) with %d expectations", source.display, batch.rows, len(checks)
    )
    return gx.validate(source, batch, checks, site)


def _validate_file(
    source: FileSource, contract: DataContract, options: GateOptions, site: Path
) -> tuple[Batch, list[Outcome]]:
    """Stream the file through the checks; read it again if its first rows misled the plan."""
    from codesign.governance import gx

    hints: ReadHints | None = None
    while True:
        reader = source.reader(
            contract, batch_rows=options.batch_rows, progress=options.progress, hints=hints
        )
        try:
            with reader:
                checks = plan_checks(contract, reader.columns)
                logger.info("checking %s with %d expectations", source.display, len(checks))
                outcomes = gx.validate_batches(source, reader, checks, site)
        except Reread as again:
            hints = again.hints
            continue
        batch = Batch(rows=reader.rows, columns=reader.columns, data_sha256=reader.data_sha256)
        return batch, outcomes


def findings_from(outcomes: list[Outcome], batch: Batch) -> list[GateFinding]:
    """One finding per failed expectation (per undeclared column for the table check)."""
    non_null: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.check.column is not None and outcome.non_null is not None:
            non_null.setdefault(outcome.check.column, outcome.non_null)
    findings: list[GateFinding] = []
    for outcome in outcomes:
        if outcome.success:
            continue
        check = outcome.check
        if check.category == "undeclared_column":
            for name in outcome.result.get("observed_value") or []:
                findings.append(
                    GateFinding(
                        column=str(name),
                        category="undeclared_column",
                        count=non_null.get(str(name), batch.rows),
                        check=check.expectation,
                    )
                )
            continue
        column = check.column or ""
        if check.category == "missing_column":
            count = batch.rows
        elif check.category == "forbidden_column":
            count = non_null.get(column, batch.rows)
        else:
            count = outcome.unexpected
        findings.append(
            GateFinding(
                column=column,
                category=reported_category(check.category),
                count=count,
                check=check.expectation,
            )
        )
    positions = {name: i for i, name in enumerate(batch.columns)}
    findings.sort(key=lambda f: (positions.get(f.column, len(positions)), _ORDER[f.category]))
    if any(f.count < 0 for f in findings):  # pragma: no cover - counts come from GX
        msg = "a finding has a negative count"
        raise GovernanceError(msg)
    return findings

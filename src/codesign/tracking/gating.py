"""Governance on every number: an iteration's data must have passed the gate, or say why not.

The gate (:mod:`codesign.governance`) keeps its latest result per data hash
(:func:`codesign.project.record_gate_result`). Before an iteration is logged,
:func:`gate_for_iteration` looks up the result for the data it was measured on:

* passed: logged, marked ``passed``;
* never checked: logged, marked ``not run`` (shown as "not gated");
* failed: refused (exit 2) with the findings by category and count, unless the person logging
  gives ``--override-gate "REASON"``; the reason is recorded with the run and shown wherever
  its numbers appear.

:func:`gate_history` lists every gate result the project keeps, newest first: a failed run on a
raw extract stays visible after the de-identified extract passes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from typing import TYPE_CHECKING, Final

from codesign.exceptions import GateRefusedError, TrackingError
from codesign.project import GATE_RESULTS_DIR, LATEST_GATE_RESULT, gate_result_for
from codesign.system import os_reason

if TYPE_CHECKING:
    from pathlib import Path

    from codesign.project import GateRecord, GateStatus, Project

logger = logging.getLogger(__name__)

MAX_REASON_LENGTH: Final = 500


def checked_reason(reason: str | None) -> str | None:
    """An override's reason, stripped; a blank or over-long one is refused (exit 2)."""
    if reason is None:
        return None
    cleaned = " ".join(reason.split())
    if not cleaned:
        msg = (
            '--override-gate: give the reason in words, e.g. --override-gate "vendor extract, '
            'identifiers removed upstream; DPO approved 2026-11-20"'
        )
        raise TrackingError(msg)
    if len(cleaned) > MAX_REASON_LENGTH:
        msg = (
            f"--override-gate: expected at most {MAX_REASON_LENGTH} characters, got {len(cleaned)}"
        )
        raise TrackingError(msg)
    return cleaned


def gate_for_iteration(
    project: Project, data_sha256: str | None, data_label: str, override: str | None
) -> GateStatus:
    """The gate status of an iteration's data; raises :class:`GateRefusedError` on a failure.

    ``override`` (already :func:`checked_reason`) lets data that failed through; it is ignored,
    and logged as such, when the data did not fail.
    """
    record = gate_result_for(project, data_sha256) if data_sha256 else None
    if record is None or record.passed:
        if override:
            logger.info("gate override not needed: %s did not fail the gate", data_label)
        return "not run" if record is None else "passed"
    if override:
        logger.warning("logging on data that failed the gate (%s): %s", data_label, override)
        return "failed"
    raise GateRefusedError(refusal(record, data_label), findings=findings_by_category(record))


def findings_by_category(record: GateRecord) -> dict[str, int]:
    """Rows found per finding category (``phi.name: 12``), in the gate's order."""
    counts: Counter[str] = Counter()
    for finding in record.findings:
        counts[finding.category] += finding.count
    return dict(counts)


def refusal(record: GateRecord, data_label: str) -> str:
    """Why the data is refused, with counts only: never a value."""
    counts = findings_by_category(record)
    found = ", ".join(f"{category} {count}" for category, count in counts.items()) or "no detail"
    when = record.checked_at.astimezone(dt.UTC)
    return (
        f"{data_label}: the governance gate failed on this data ({found}; checked "
        f"{when:%Y-%m-%d %H:%M} UTC); nothing was logged. Fix the data and run `codesign check` "
        'again, or log it anyway with --override-gate "REASON" (the reason is recorded and '
        "shown with every number of this iteration)"
    )


def gate_history(project: Project) -> list[GateRecord]:
    """Every gate result the project keeps (the latest per data checked), newest first."""
    folder = project.root / GATE_RESULTS_DIR
    latest = project.root / LATEST_GATE_RESULT
    try:
        paths = sorted(p for p in folder.glob("*.json") if p != latest and p.is_file())
    except OSError as e:
        logger.warning("cannot list gate results in %s: %s", folder, os_reason(e))
        return []
    records = [r for path in paths if (r := _read_record(path)) is not None]
    records.sort(key=lambda r: r.checked_at, reverse=True)
    return records


def _read_record(path: Path) -> GateRecord | None:
    from pydantic import ValidationError

    from codesign.project import GateRecord

    try:
        return GateRecord.model_validate_json(path.read_bytes())
    except (OSError, ValueError, ValidationError) as e:
        logger.warning("ignoring unreadable gate result %s: %s", path, type(e).__name__)
        return None

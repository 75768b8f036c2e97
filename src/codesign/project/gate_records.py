"""The governance gate's results, as the project keeps them: counts and categories, never values.

The tracking, report and portfolio layers read gate results without importing the gate itself
(and Great Expectations with it), so the records, their closed list of categories and the files
they live in are defined here, in the project layer.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from codesign.exceptions import FileReadError
from codesign.fileio import MIB, REPLACE_ANY, atomic_write, project_folder, read_user_file
from codesign.i18n import N_, _
from codesign.project.layout import GATE_RESULTS_DIR

if TYPE_CHECKING:
    from pathlib import Path

    from codesign.project.layout import Project

logger = logging.getLogger(__name__)

MAX_GATE_RECORD_BYTES: Final = 4 * MIB
"""A gate result holds counts per column and category: kilobytes, even for wide extracts."""


PHI_CATEGORIES: Final = (
    "phi.nir",
    "phi.phone",
    "phi.email",
    "phi.name",
    "phi.address",
    "phi.birthdate",
    "phi.patient_id",
)
"""Kinds of identifying information the gate looks for (DESIGN.md section 5)."""

CONTRACT_CATEGORIES: Final = (
    "undeclared_column",
    "missing_column",
    "type",
    "range",
    "allowed",
    "completeness",
)
"""Kinds of data contract breaches (DESIGN.md section 5)."""

FINDING_CATEGORIES: Final = (*PHI_CATEGORIES, *CONTRACT_CATEGORIES)
"""The closed list of finding categories that outside tools read (DESIGN.md section 5).

Rules the section does not name are reported under the nearest category, and the finding's
``check`` says precisely which rule failed: a ``phi: forbidden`` column that is present is an
``undeclared_column`` (it is not declared for use) found by ``expect_column_to_be_absent``; a
repeated value in a ``unique`` column is a value that is not ``allowed``, found by
``expect_column_values_to_be_unique_when_present``."""

CATEGORY_LABELS: Final[dict[str, str]] = {
    "phi.nir": N_("social security numbers (NIR)"),
    "phi.phone": N_("phone numbers"),
    "phi.email": N_("e-mail addresses"),
    "phi.name": N_("person names"),
    "phi.address": N_("street addresses"),
    "phi.birthdate": N_("dates of birth"),
    "phi.patient_id": N_("hospital patient or stay numbers (IPP, NDA)"),
    "undeclared_column": N_("column not declared in the data contract"),
    "missing_column": N_("required column missing"),
    "type": N_("values not of the declared type"),
    "range": N_("values outside the declared range"),
    "allowed": N_("values not in the allowed list"),
    "completeness": N_("missing values (below the completeness threshold)"),
}
"""Plain-language names of finding categories, for people reading a gate result."""

CHECK_LABELS: Final[dict[str, str]] = {
    "expect_column_to_be_absent": N_("column forbidden by the data contract is present"),
    "expect_column_values_to_be_unique_when_present": N_("values that should be unique but repeat"),
}
"""Plain-language names of checks more precise than their category (see FINDING_CATEGORIES)."""


class GateFinding(BaseModel):
    """One kind of problem in one column, counted; never a value (DESIGN.md section 5)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str
    category: str
    """One of :data:`FINDING_CATEGORIES`."""
    count: int = Field(ge=0)
    check: str
    """The expectation that failed, e.g. ``expect_column_values_to_be_between_when_present``."""

    @property
    def label(self) -> str:
        """What was found, in plain language: the check's name if precise, else the category's."""
        label = CHECK_LABELS.get(self.check) or CATEGORY_LABELS.get(self.category)
        return _(label) if label else self.category


class GateRecord(BaseModel):
    """The outcome of one governance gate run on one data file or table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    passed: bool
    rows: int = Field(ge=0)
    findings: list[GateFinding] = Field(default_factory=list)
    data_sha256: str
    """SHA-256 of the data file's bytes; for a database table, of its credential-free URL, row
    count and an order-independent fingerprint of its rows computed in the database (see
    :mod:`codesign.governance.sources`)."""
    source: str
    """What was checked, for people: a file name or a table name; never a value."""
    charter_sha256: str
    checked_at: dt.datetime

    @property
    def status(self) -> Literal["passed", "failed"]:
        return "passed" if self.passed else "failed"

    def summary(self) -> str:
        """One line for people (notebooks, reports): status, what, how much, when; no value."""
        return (
            f"{self.status}: {self.source}, {self.rows} rows, {len(self.findings)} finding(s), "
            f"checked {self.checked_at:%Y-%m-%d %H:%M %Z}"
        )


GateStatus = Literal["passed", "failed", "not run"]


def record_gate_result(project: Project, record: GateRecord) -> Path:
    """Keep a gate result as the latest one for its data hash, and as the project's latest."""
    folder = project_folder(project.root, GATE_RESULTS_DIR)  # never through a planted link
    payload = (record.model_dump_json(indent=2) + "\n").encode("utf-8")
    path = folder / f"{record.data_sha256}.json"
    atomic_write(path, payload, expected_sha256=REPLACE_ANY, within=project.root)
    atomic_write(
        project.latest_gate_result_path, payload, expected_sha256=REPLACE_ANY, within=project.root
    )
    return path


def gate_result_for(project: Project, data_sha256: str) -> GateRecord | None:
    """The latest gate result for data with this hash, if the gate ran on it."""
    return _read_gate(project.gate_results_dir / f"{data_sha256}.json")


def latest_gate_result(project: Project) -> GateRecord | None:
    """The most recent gate result of the project, whatever the data."""
    return _read_gate(project.latest_gate_result_path)


def gate_status(project: Project, data_sha256: str | None) -> GateStatus:
    """``passed``, ``failed`` or ``not run`` for data with this hash."""
    if data_sha256 is None:
        return "not run"
    record = gate_result_for(project, data_sha256)
    return "not run" if record is None else record.status


def _read_gate(path: Path) -> GateRecord | None:
    try:
        data = read_user_file(path, limit=MAX_GATE_RECORD_BYTES, what="gate result")
        return GateRecord.model_validate(json.loads(data))
    except FileNotFoundError:
        return None
    except (FileReadError, ValueError, ValidationError) as e:
        logger.warning("ignoring unreadable gate result %s: %s", path, type(e).__name__)
        return None

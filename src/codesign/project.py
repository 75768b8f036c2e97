"""A codesign project on disk: where its charter, data, gate results, store and reports live.

The layout is DESIGN.md section 3. Every layer finds a project's files through :class:`Project`
rather than joining paths itself, so the layout is written down once. The governance gate's
results are kept here too (:func:`record_gate_result`), because the tracking, report and
portfolio layers read them without importing the gate itself; so is the state of the report
runs (:class:`ReportState`), which the report runner writes and the portfolio reads.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from codesign import config
from codesign.charter.document import load_charter
from codesign.charter.feedback import FEEDBACK_FILE
from codesign.exceptions import CharterError
from codesign.fileio import REPLACE_ANY, atomic_write

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from codesign.charter.document import CharterFile
    from codesign.charter.model import Charter

logger = logging.getLogger(__name__)

_SKIP_DIRS: Final = frozenset(
    {"node_modules", "__pycache__", "site-packages", "mlruns", "data", "reports", "governance"}
)
GATE_RESULTS_DIR: Final = Path("governance") / "results"
LATEST_GATE_RESULT: Final = GATE_RESULTS_DIR / "latest.json"
"""The project's most recent gate result, whatever the data (relative to the project root)."""
REPORT_STATE_FILE: Final = Path("reports") / ".schedule.json"
"""Where a project keeps the state of its report runs, relative to its root."""


@dataclass(frozen=True)
class Project:
    """A project folder: the one holding ``codesign.yaml``."""

    root: Path

    @classmethod
    def at(cls, path: Path | str | None = None) -> Project:
        """The project at ``path`` (default: the current folder); it must hold a charter."""
        root = Path(path) if path is not None else Path.cwd()
        if root.name == config.CHARTER_FILENAME and root.is_file():
            root = root.parent
        if not (root / config.CHARTER_FILENAME).is_file():
            msg = (
                f"{root}: not a codesign project (no {config.CHARTER_FILENAME}); "
                "pass --project DIR or create one with `codesign new`"
            )
            raise CharterError(msg, path=root)
        return cls(root.resolve())

    @classmethod
    def find(cls, path: Path | str | None = None) -> Project:
        """The project holding ``path``: that folder or the nearest one above it with a charter.

        Notebooks use this with ``project_dir = "."``: it finds the project whether the kernel
        runs in ``notebooks/`` (JupyterLab) or at the project root (a report runner).
        """
        start = (Path(path) if path is not None else Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / config.CHARTER_FILENAME).is_file():
                return cls(folder)
        msg = (
            f"{start}: not inside a codesign project (no {config.CHARTER_FILENAME} here or "
            "above); set project_dir to the project's folder"
        )
        raise CharterError(msg, path=start)

    @property
    def charter_path(self) -> Path:
        return self.root / config.CHARTER_FILENAME

    @property
    def notebooks_dir(self) -> Path:
        return self.root / "notebooks"

    @property
    def report_notebook(self) -> Path:
        return self.notebooks_dir / "report.ipynb"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def governance_dir(self) -> Path:
        return self.root / "governance"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def feedback_path(self) -> Path:
        return self.root / FEEDBACK_FILE

    @property
    def slug(self) -> str:
        """The project's short name: the charter's ``use_case.slug``, else the folder name."""
        return self.slug_of(self.load_charter().charter)

    def slug_of(self, charter: Charter) -> str:
        """:attr:`slug` for a charter of this project already loaded (no second parse)."""
        return charter.use_case.slug or self.root.name

    def load_charter(self) -> CharterFile:
        """Load and validate this project's charter."""
        return load_charter(self.charter_path)

    def tracking_uri(self, override: str | None = None) -> str:
        """Where iterations are tracked (see :func:`codesign.config.tracking_uri`)."""
        return config.tracking_uri(self.root, override)

    def artifact_root(self) -> Path:
        """Where the embedded store keeps artifacts."""
        return config.embedded_artifact_root(self.root)


@dataclass(frozen=True)
class UnreadableFolder:
    """A folder under the roots that could not be searched: it may hide a project."""

    path: Path
    reason: str
    """Why, in the operating system's words (``Permission denied``); never file content."""


@dataclass(frozen=True)
class ProjectScan:
    """What a search of the roots found: project folders, and folders it could not enter."""

    projects: tuple[Path, ...]
    unreadable: tuple[UnreadableFolder, ...] = ()


def find_projects(roots: Iterable[Path | str]) -> list[Path]:
    """Every project folder under ``roots`` (a root may itself be a project), sorted.

    Hidden folders and the bulky folders of a project (data, mlruns, reports) are not searched,
    and the search does not descend into a project once found, so a file share with hundreds of
    projects is scanned quickly. Folders that cannot be read are skipped (and logged); see
    :func:`scan_projects` to list them.
    """
    return list(scan_projects(roots).projects)


def scan_projects(roots: Iterable[Path | str]) -> ProjectScan:
    """:func:`find_projects`, with the folders that could not be searched and why.

    On a shared drive some folders are closed to whoever runs the scan; a portfolio lists them
    rather than silently showing fewer initiatives than there are.
    """
    found: set[Path] = set()
    unreadable: dict[Path, UnreadableFolder] = {}
    for root in roots:
        for item in _walk(Path(root)):
            if isinstance(item, UnreadableFolder):
                unreadable.setdefault(item.path, item)
            else:
                found.add(item)
    return ProjectScan(
        projects=tuple(sorted(found)),
        unreadable=tuple(unreadable[path] for path in sorted(unreadable)),
    )


def _walk(folder: Path) -> Iterator[Path | UnreadableFolder]:
    try:
        is_project = (folder / config.CHARTER_FILENAME).is_file()
        entries = [] if is_project else list(os.scandir(folder))
    except OSError as e:
        reason = e.strerror or type(e).__name__
        logger.warning("cannot scan %s: %s", folder, reason)
        yield UnreadableFolder(folder.absolute(), reason)
        return
    if is_project:
        yield folder.resolve()
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SKIP_DIRS:
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(Path(entry.path))


# --- governance gate results ------------------------------------------------------------------


PHI_CATEGORIES: Final = (
    "phi.nir",
    "phi.phone",
    "phi.email",
    "phi.name",
    "phi.address",
    "phi.birthdate",
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
    "phi.nir": "social security numbers (NIR)",
    "phi.phone": "phone numbers",
    "phi.email": "e-mail addresses",
    "phi.name": "person names",
    "phi.address": "street addresses",
    "phi.birthdate": "dates of birth",
    "undeclared_column": "column not declared in the data contract",
    "missing_column": "required column missing",
    "type": "values not of the declared type",
    "range": "values outside the declared range",
    "allowed": "values not in the allowed list",
    "completeness": "missing values (below the completeness threshold)",
}
"""Plain-language names of finding categories, for people reading a gate result."""

CHECK_LABELS: Final[dict[str, str]] = {
    "expect_column_to_be_absent": "column forbidden by the data contract is present",
    "expect_column_values_to_be_unique_when_present": "values that should be unique but repeat",
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
        return CHECK_LABELS.get(self.check) or CATEGORY_LABELS.get(self.category, self.category)


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
    folder = project.root / GATE_RESULTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    payload = (record.model_dump_json(indent=2) + "\n").encode("utf-8")
    path = folder / f"{record.data_sha256}.json"
    atomic_write(path, payload, expected_sha256=REPLACE_ANY)
    atomic_write(project.root / LATEST_GATE_RESULT, payload, expected_sha256=REPLACE_ANY)
    return path


def gate_result_for(project: Project, data_sha256: str) -> GateRecord | None:
    """The latest gate result for data with this hash, if the gate ran on it."""
    return _read_gate(project.root / GATE_RESULTS_DIR / f"{data_sha256}.json")


def latest_gate_result(project: Project) -> GateRecord | None:
    """The most recent gate result of the project, whatever the data."""
    return _read_gate(project.root / LATEST_GATE_RESULT)


def gate_status(project: Project, data_sha256: str | None) -> GateStatus:
    """``passed``, ``failed`` or ``not run`` for data with this hash."""
    if data_sha256 is None:
        return "not run"
    record = gate_result_for(project, data_sha256)
    return "not run" if record is None else record.status


def _read_gate(path: Path) -> GateRecord | None:
    try:
        return GateRecord.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, ValidationError) as e:
        logger.warning("ignoring unreadable gate result %s: %s", path, type(e).__name__)
        return None


# --- report runs -------------------------------------------------------------------------------

ReportRunStatus = Literal["ok", "failed"]


@dataclass(frozen=True)
class ReportState:
    """The last report runs of a project: what ``--due`` schedules by and the portfolio shows."""

    last_success: dt.datetime | None = None
    last_attempt: dt.datetime | None = None
    last_status: ReportRunStatus | None = None
    last_report: str | None = None
    """File name (without extension) of the last report written, complete or partial."""

    def after(self, status: ReportRunStatus, at: dt.datetime, report: str | None) -> ReportState:
        """The state once a run started at ``at`` ended with ``status``."""
        return ReportState(
            last_success=at if status == "ok" else self.last_success,
            last_attempt=at,
            last_status=status,
            last_report=report or self.last_report,
        )

    def to_json(self) -> dict[str, str | None]:
        return {
            "last_success": _iso_utc(self.last_success),
            "last_attempt": _iso_utc(self.last_attempt),
            "last_status": self.last_status,
            "last_report": self.last_report,
        }

    @classmethod
    def from_json(cls, data: object) -> ReportState:
        """Parse what :meth:`to_json` wrote; raises ``ValueError`` on anything else."""
        if not isinstance(data, dict):
            msg = "expected an object"
            raise ValueError(msg)
        status = data.get("last_status")
        if status not in (None, "ok", "failed"):
            msg = f"unknown last_status {status!r}"
            raise ValueError(msg)
        report = data.get("last_report")
        return cls(
            last_success=_parse_utc(data.get("last_success")),
            last_attempt=_parse_utc(data.get("last_attempt")),
            last_status=status,
            last_report=str(report) if report is not None else None,
        )


def read_report_state(project: Project) -> ReportState:
    """The state of the project's report runs; a missing or damaged file reads as "never run"."""
    path = project.root / REPORT_STATE_FILE
    try:
        return ReportState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return ReportState()
    except (OSError, ValueError) as e:
        logger.warning(
            "%s: unreadable report schedule state (%s); treating the report as never run",
            path,
            type(e).__name__,
        )
        return ReportState()


def write_report_state(project: Project, state: ReportState) -> None:
    """Keep ``state`` atomically (the caller holds the project's report lock)."""
    path = project.root / REPORT_STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(state.to_json(), indent=2) + "\n"
    atomic_write(path, text.encode("utf-8"), expected_sha256=REPLACE_ANY)


def _aware_utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _iso_utc(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(dt.UTC).isoformat()


def _parse_utc(text: object) -> dt.datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        msg = "expected an ISO 8601 time"
        raise ValueError(msg)
    return _aware_utc(dt.datetime.fromisoformat(text))

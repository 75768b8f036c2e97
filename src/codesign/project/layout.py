"""Every path of a project folder, defined once (DESIGN.md section 3).

Every layer finds a project's files through :class:`Project` (or the relative paths below,
for code that only has a root) rather than joining paths itself, so moving a file of the layout
is a change to this module alone. The charter's own file name is :data:`codesign.config.
CHARTER_FILENAME`: the charter layer, below this one, needs it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign import config
from codesign.charter.document import load_charter
from codesign.exceptions import CharterError, CodesignError
from codesign.fileio import project_folder, read_if_exists

if TYPE_CHECKING:
    from codesign.charter.document import CharterFile
    from codesign.charter.model import Charter

NOTEBOOKS_DIR: Final = Path("notebooks")
REPORT_NOTEBOOK: Final = NOTEBOOKS_DIR / "report.ipynb"
"""The Papermill report; a cell tagged ``parameters`` holds ``project_dir``."""
DATA_DIR: Final = Path("data")
"""Data files; git-ignored, never read by a view."""
GOVERNANCE_DIR: Final = Path("governance")
GATE_RESULTS_DIR: Final = GOVERNANCE_DIR / "results"
"""One JSON per data hash: the latest gate result for that data."""
LATEST_GATE_RESULT: Final = GATE_RESULTS_DIR / "latest.json"
"""The project's most recent gate result, whatever the data."""
DATA_DOCS_DIR: Final = GOVERNANCE_DIR / "data_docs"
"""Great Expectations Data Docs of the gate runs (counts, never values)."""
REPORTS_DIR: Final = Path("reports")
"""Executed reports: ``<slug>-<UTC timestamp>.ipynb`` and ``.html``."""
REPORT_STATE_FILE: Final = REPORTS_DIR / ".schedule.json"
"""The state of the project's report runs (what ``--due`` schedules by)."""
REPORT_LOCK_FILE: Final = REPORTS_DIR / ".lock"
"""Held while a report of the project runs, so that a second run skips instead of waiting."""
FEEDBACK_FILE: Final = Path("feedback") / "records.csv"
"""Clinician feedback records (SUS, trust, time-motion), one row per questionnaire."""
MLRUNS_DIR: Final = Path("mlruns")
"""The embedded MLflow store: ``mlflow.db`` and ``artifacts/``."""
TRACKING_DB: Final = MLRUNS_DIR / "mlflow.db"
ARTIFACTS_DIR: Final = MLRUNS_DIR / "artifacts"

BULKY_DIRS: Final = frozenset(
    p.parts[0] for p in (DATA_DIR, GOVERNANCE_DIR, REPORTS_DIR, MLRUNS_DIR)
)
"""Folders of a project that can hold many files and never hold another project."""


def embedded_tracking_uri(project_root: Path) -> str:
    """The project's embedded MLflow store: ``sqlite:///<project>/mlruns/mlflow.db``."""
    return f"sqlite:///{(project_root / TRACKING_DB).resolve()}"


def embedded_artifact_root(project_root: Path) -> Path:
    """Where the embedded store keeps artifacts: ``<project>/mlruns/artifacts``."""
    return (project_root / ARTIFACTS_DIR).resolve()


_LANGUAGE_KEY: Final = re.compile(r"^language:[ \t]*[\"']?([A-Za-z_-]+)", re.MULTILINE)
"""The charter's top-level ``language:`` key and its value."""


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

    def written_language(self) -> str | None:
        """The charter's ``language:`` as written, read without parsing the charter.

        A command speaks the project's language from its first message, before it loads the
        charter (a data file not found is told in French to a French team); ``None`` when the
        charter cannot be read or says no language. The charter's validation checks the value.
        """
        try:
            data = read_if_exists(self.charter_path)
        except CodesignError:
            return None
        found = _LANGUAGE_KEY.search(data.decode("utf-8", "replace")) if data else None
        return found.group(1) if found else None

    @property
    def notebooks_dir(self) -> Path:
        return self.root / NOTEBOOKS_DIR

    @property
    def report_notebook(self) -> Path:
        return self.root / REPORT_NOTEBOOK

    @property
    def data_dir(self) -> Path:
        return self.root / DATA_DIR

    @property
    def governance_dir(self) -> Path:
        return self.root / GOVERNANCE_DIR

    @property
    def gate_results_dir(self) -> Path:
        return self.root / GATE_RESULTS_DIR

    @property
    def latest_gate_result_path(self) -> Path:
        return self.root / LATEST_GATE_RESULT

    @property
    def data_docs_dir(self) -> Path:
        return self.root / DATA_DOCS_DIR

    @property
    def reports_dir(self) -> Path:
        return self.root / REPORTS_DIR

    @property
    def report_state_path(self) -> Path:
        return self.root / REPORT_STATE_FILE

    @property
    def report_lock_path(self) -> Path:
        return self.root / REPORT_LOCK_FILE

    @property
    def feedback_path(self) -> Path:
        return self.root / FEEDBACK_FILE

    @property
    def mlruns_dir(self) -> Path:
        return self.root / MLRUNS_DIR

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
        """Where iterations are tracked: an explicit or configured URI, else the embedded store.

        The precedence is :func:`codesign.config.configured_tracking_uri`'s.
        """
        return config.configured_tracking_uri(override) or embedded_tracking_uri(self.root)

    def artifact_root(self) -> Path:
        """Where the embedded store keeps artifacts, made if missing.

        ``mlruns/`` and ``mlruns/artifacts/`` must be real folders of the project: artifacts
        (a report's notebook) are never written through a link planted there
        (:class:`~codesign.exceptions.FileWriteError`).
        """
        project_folder(self.root, ARTIFACTS_DIR)
        return embedded_artifact_root(self.root)

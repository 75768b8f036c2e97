"""A codesign project on disk: its layout, how projects are found, and the records it keeps.

- :mod:`~codesign.project.layout`: every path of a project folder, defined once;
- :mod:`~codesign.project.discovery`: every project under some roots;
- :mod:`~codesign.project.gate_records`: the governance gate's results (counts, never values);
- :mod:`~codesign.project.report_state`: the state of the report runs.

The names below are re-exported so that ``from codesign.project import Project`` keeps working.
"""

from codesign.project.discovery import ProjectScan, UnreadableFolder, find_projects, scan_projects
from codesign.project.gate_records import (
    CATEGORY_LABELS,
    CHECK_LABELS,
    CONTRACT_CATEGORIES,
    FINDING_CATEGORIES,
    PHI_CATEGORIES,
    GateFinding,
    GateRecord,
    GateStatus,
    gate_result_for,
    gate_status,
    latest_gate_result,
    record_gate_result,
)
from codesign.project.layout import (
    FEEDBACK_FILE,
    GATE_RESULTS_DIR,
    LATEST_GATE_RESULT,
    REPORT_STATE_FILE,
    Project,
    embedded_artifact_root,
    embedded_tracking_uri,
)
from codesign.project.report_state import (
    ReportRunStatus,
    ReportState,
    read_report_state,
    write_report_state,
)

__all__ = [
    "CATEGORY_LABELS",
    "CHECK_LABELS",
    "CONTRACT_CATEGORIES",
    "FEEDBACK_FILE",
    "FINDING_CATEGORIES",
    "GATE_RESULTS_DIR",
    "LATEST_GATE_RESULT",
    "PHI_CATEGORIES",
    "REPORT_STATE_FILE",
    "GateFinding",
    "GateRecord",
    "GateStatus",
    "Project",
    "ProjectScan",
    "ReportRunStatus",
    "ReportState",
    "UnreadableFolder",
    "embedded_artifact_root",
    "embedded_tracking_uri",
    "find_projects",
    "gate_result_for",
    "gate_status",
    "latest_gate_result",
    "read_report_state",
    "record_gate_result",
    "scan_projects",
    "write_report_state",
]

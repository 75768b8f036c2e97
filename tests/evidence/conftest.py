"""Fixtures of the evidence tests: a project with a hazard log, a gate run and two iterations.

The project is built once per module (logging iterations to MLflow takes seconds) from
``charter-tracking.yaml``, with format 2 fields added, the small predictions and feedback, and
planted canary values that must never reach any evidence file.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from codesign.project import GateRecord, Project, record_gate_result

DATA = Path(__file__).parent.parent / "data"
SCHEMA = (
    Path(__file__).parent.parent.parent.parent
    / "shared"
    / "standards"
    / "chai-model-card"
    / "v0.2"
    / "schema.xsd"
)
"""The CHAI schema, outside the repository (../shared/standards from the repository root)."""

CANARY_VALUE = "Zorglub-Canary-0612345678"
CANARY_COLUMN = "canary_patient_surname"
GENERATED_AT = dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC)

FORMAT_2 = """
intended_use:
  purpose: Flag adults at risk of sepsis on the ward so that a nurse reviews them within the hour.
  intended_users: [ward nurse]
  setting: Adult medical wards
  out_of_scope: [Children under 18, Intensive care units]
  human_oversight: The ward nurse reviews every alert and decides whether to call the doctor.
  known_limitations: [Not evaluated on surgical wards]
risks:
  - id: H1
    hazard: A septic patient is not flagged
    cause: Atypical presentation
    effect: Delayed antibiotics
    severity: 5
    likelihood: 3
    controls:
      - {measure: Usual early-warning score kept alongside, owner: Dr A. Martin}
    residual_severity: 5
    residual_likelihood: 1
    monitoring: [sens, high_acuity]
  - id: H2
    hazard: Women are flagged less often than men
    severity: 4
    likelihood: 3
    controls:
      - {measure: Sensitivity gap by sex reviewed each iteration}
    monitoring: [sex_gap]
    residual_severity: 4
    residual_likelihood: 2
evidence:
  required: [annex-iv.1, annex-iv.5, tripod-ai.14]
"""


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with a hazard log, a gate result, feedback and two logged iterations."""
    from codesign.tracking import IterationOptions, track

    root = tmp_path_factory.mktemp("evidence") / "sepsis"
    root.mkdir()
    text = (DATA / "charter-tracking.yaml").read_text(encoding="utf-8")
    charter = text.replace("schema_version: 1", "schema_version: 2") + FORMAT_2
    charter = charter.replace(
        "    - {name: sex, type: category, allowed: [F, M]}",
        "    - {name: sex, type: category, allowed: [F, M]}\n"
        "    - {name: age, type: integer, range: [18, 120]}",
    )
    (root / "codesign.yaml").write_text(charter, encoding="utf-8")
    (root / "feedback").mkdir()
    shutil.copy(DATA / "feedback-small.csv", root / "feedback" / "records.csv")
    predictions = root / "predictions.csv"
    lines = (DATA / "predictions-small.csv").read_text(encoding="utf-8").splitlines()
    planted = [f"{lines[0]},{CANARY_COLUMN}"] + [f"{line},{CANARY_VALUE}" for line in lines[1:]]
    predictions.write_text("\n".join(planted) + "\n", encoding="utf-8")
    project = Project.at(root)
    record_gate_result(
        project,
        GateRecord(
            passed=True,
            rows=len(lines) - 1,
            findings=[],
            data_sha256="0" * 64,
            source="predictions.csv",
            charter_sha256=project.load_charter().charter.content_sha256(),
            checked_at=GENERATED_AT,
        ),
    )
    with pytest.MonkeyPatch.context() as patch:
        for name in ("CODESIGN_TRACKING_URI", "MLFLOW_TRACKING_URI", "MLFLOW_RUN_ID"):
            patch.delenv(name, raising=False)
        patch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
        track(predictions, project=root, options=IterationOptions(name="v1", author="tester"))
        track(predictions, project=root, options=IterationOptions(name="v2", author="tester"))
    return root


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    """A project scaffolded from the blank preset's charter, nothing else."""
    from codesign.charter import preset_text

    root = tmp_path / "blank"
    root.mkdir()
    (root / "codesign.yaml").write_text(preset_text("blank"), encoding="utf-8")
    return root

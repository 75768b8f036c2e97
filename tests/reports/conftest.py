"""Fixtures of the report tests: real projects, scaffolded and filled through the public APIs.

A project is built once per session (:func:`built_project`): ``codesign.scaffold`` creates it
from the triage preset, the governance gate (Great Expectations) checks a synthetic extract,
feedback is appended, and three iterations are tracked in its embedded MLflow store. Tests
that run reports work on copies (:func:`copy_project`), since a report writes into its project.
Kernels are slow on two cores: tests that need several reports run them in one call, in parallel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from codesign.charter.feedback import FeedbackRecord, append_feedback
from codesign.governance import GateOptions, run_gate
from codesign.project import Project
from codesign.scaffold import ProjectSpec, create_project
from codesign.synthetic import ed_extract
from codesign.tracking import IterationOptions, track

ITERATIONS = ("model-v1", "model-v2", "model-v3")
NOISE = (0.55, 0.3, 0.12)
"""Share of cases each iteration gets one level wrong: v3 is the best."""


@contextlib.contextmanager
def isolated_env(home: Path) -> Iterator[None]:
    """HOME and the XDG folders in ``home``, no tracking store inherited (session fixtures run
    before the per-test ``isolated_home``)."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in {
            "HOME": home,
            "XDG_CONFIG_HOME": home / ".config",
            "XDG_CACHE_HOME": home / ".cache",
            "XDG_DATA_HOME": home / ".local" / "share",
        }.items():
            mp.setenv(name, str(value))
        for name in ("CODESIGN_TRACKING_URI", "CODESIGN_ARTIFACT_ROOT", "MLFLOW_TRACKING_URI"):
            mp.delenv(name, raising=False)
        mp.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
        mp.setenv("GX_ANALYTICS_ENABLED", "False")
        yield


def predictions(noise: float, seed: int, rows: int = 400) -> pd.DataFrame:
    """Triage predictions: true and predicted levels (1 = most urgent), and sex."""
    rng = np.random.default_rng(seed)
    level_true = rng.integers(1, 6, rows)
    wrong = rng.random(rows) < noise
    level_pred = np.clip(level_true + wrong * rng.choice([-1, 1], rows), 1, 5)
    return pd.DataFrame(
        {"level_true": level_true, "level_pred": level_pred, "sex": rng.choice(["F", "M"], rows)}
    )


FEEDBACK = (
    FeedbackRecord(kind="sus", respondent_role="triage nurse", sus=(4, 2, 4, 2, 4, 2, 4, 2, 4, 2)),
    FeedbackRecord(kind="sus", respondent_role="triage nurse", sus=(5, 1, 4, 2, 5, 1, 4, 2, 5, 2)),
    FeedbackRecord(
        kind="trust", respondent_role="triage nurse", trust={"trust_reliable": 4, "trust_safe": 3}
    ),
    FeedbackRecord(
        kind="time_motion",
        respondent_role="emergency physician",
        task="triage of one patient",
        minutes_with=4,
        minutes_without=5.5,
    ),
    FeedbackRecord(kind="review", respondent_role="emergency physician", accurate=True),
)


def build_project(output: Path, name: str = "Triage") -> Path:
    """A triage project with a passed gate result, feedback and three tracked iterations."""
    root = create_project(ProjectSpec.from_name(name, preset="triage"), output)
    project = Project.at(root)
    extract = project.data_dir / "extract.csv"
    ed_extract(300, seed=7).to_csv(extract, index=False)
    result = run_gate(extract, project=project, options=GateOptions(data_docs=False))
    assert result.passed, result.summary()
    append_feedback(project.feedback_path, FEEDBACK)
    for index, (name_, noise) in enumerate(zip(ITERATIONS, NOISE, strict=True)):
        path = output / f"{root.name}-predictions-{index}.csv"
        predictions(noise, seed=index).to_csv(path, index=False)
        track(path, project=project, options=IterationOptions(name=name_, data=extract))
    return root


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's reference project (read it; copy it to run reports in it)."""
    home = tmp_path_factory.mktemp("reports-home")
    with isolated_env(home):
        return build_project(tmp_path_factory.mktemp("reports-built"))


def copy_project(source: Path, target: Path) -> Path:
    """A copy of a project to run reports in (its tracking store comes along)."""
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture
def project_copy(built_project: Path, tmp_path: Path) -> Path:
    return copy_project(built_project, tmp_path / "triage")


def insert_cell(project: Path, code: str, *, in_section: str) -> None:
    """Put a code cell into the project's report notebook, first in a section."""
    path = project / "notebooks" / "report.ipynb"
    from codesign.reports.sections import HEADINGS

    key = next(k for k, (title, _intro) in HEADINGS.items() if title.startswith(in_section))
    nb = nbformat.read(path, as_version=4)
    index = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.source == f'report.heading("{key}")'
    )
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(code))
    nbformat.write(nb, path)


def fixed_clock(text: str):  # -> Callable[[], dt.datetime]
    moment = dt.datetime.fromisoformat(text)
    return lambda: moment


def report_texts(path: Path) -> str:
    """What a reader sees in an executed notebook: text, HTML and Markdown outputs."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output["text"])
            data = output.get("data", {})
            kinds = ("text/html", "text/markdown", "text/plain")
            parts.extend(str(data.get(kind, "")) for kind in kinds)
    return "\n".join(parts)


SMALL_REPORT = (
    nbformat.v4.new_code_cell("project_dir = '.'", metadata={"tags": ["parameters"]}),
    nbformat.v4.new_code_cell(
        "from codesign.project import Project\n"
        "print(Project.find(project_dir).load_charter().charter.use_case.title)"
    ),
)
"""A report notebook that only reads the charter: for tests of the runner, not the report."""


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly scaffolded triage project (no data, no iterations): read it, copy from it."""
    return create_project(
        ProjectSpec.from_name("Small", preset="triage"), tmp_path_factory.mktemp("small")
    )


def small_projects(scaffolded: Path, root: Path, count: int, **extra_cells: str) -> Path:
    """``count`` projects ``p00``, ``p01``... in ``root`` with the charter and a small report.

    ``extra_cells`` maps a project's name to code run at the end of its report.
    """
    for index in range(count):
        project = root / f"p{index:02}"
        (project / "notebooks").mkdir(parents=True)
        shutil.copy2(scaffolded / "codesign.yaml", project / "codesign.yaml")
        nb = nbformat.read(scaffolded / "notebooks" / "report.ipynb", as_version=4)
        nb.cells = [nbformat.from_dict(cell) for cell in SMALL_REPORT]
        if project.name in extra_cells:
            nb.cells.append(nbformat.v4.new_code_cell(extra_cells[project.name]))
        nbformat.write(nb, project / "notebooks" / "report.ipynb")
    return root

"""Fixtures of the tracking tests: a project whose charter uses every metric, small data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from codesign.charter import load_charter
from codesign.charter.feedback import read_feedback
from codesign.tracking.predictions import read_predictions


@pytest.fixture
def project(tmp_path: Path, data_dir: Path) -> Path:
    """A project folder holding ``charter-tracking.yaml`` (slug ``sepsis-alert``)."""
    root = tmp_path / "sepsis"
    root.mkdir()
    shutil.copy(data_dir / "charter-tracking.yaml", root / "codesign.yaml")
    return root


@pytest.fixture
def predictions_file(data_dir: Path) -> Path:
    return data_dir / "predictions-small.csv"


@pytest.fixture
def feedback_file(data_dir: Path) -> Path:
    return data_dir / "feedback-small.csv"


@pytest.fixture
def small(predictions_file: Path):  # -> Predictions
    return read_predictions(predictions_file, group_columns=["sex"])


@pytest.fixture
def charter(data_dir: Path):  # -> Charter
    return load_charter(data_dir / "charter-tracking.yaml").charter


@pytest.fixture
def feedback(feedback_file: Path):  # -> list[FeedbackRecord]
    return read_feedback(feedback_file)


def track_in_parallel(project: Path, predictions: Path, names: Sequence[str]) -> None:
    """Run one ``codesign track`` process per name at once, as people on a team would; each
    must exit 0."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    argv = [sys.executable, "-m", "codesign", "track", str(predictions), "--project", str(project)]
    processes = [
        subprocess.Popen(
            [*argv, "--name", name, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        for name in names
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in processes]
    assert [code for code, _, _ in results] == [0] * len(names), [err for _, _, err in results]

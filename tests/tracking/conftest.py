"""Fixtures of the tracking tests: a project whose charter uses every metric, small data."""

from __future__ import annotations

import shutil
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

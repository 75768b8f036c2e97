"""Helpers shared by the benchmark scripts: timing, alternation, ratio reports.

Machines here are noisy, so every benchmark measures its subject and its baseline in the same
run, alternating them, and reports the ratio of medians rather than absolute times.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

VENV_BIN = Path(sys.executable).parent

EMPTY_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "0",
            "metadata": {"tags": ["parameters"]},
            "outputs": [],
            "source": ['project_dir = "."'],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}
"""A notebook with one parameters cell: what `papermill` runs for the kernel floor."""


def time_call(fn: Callable[[], object]) -> float:
    """Wall time of one call, in seconds."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def time_command(argv: Sequence[str], **kwargs: object) -> float:
    """Wall time of one command run to completion, output discarded."""
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def alternate(
    subject: Callable[[], float], baseline: Callable[[], float], rounds: int
) -> tuple[list[float], list[float]]:
    """Run subject and baseline alternately; each callable returns its own measured seconds."""
    subject_times: list[float] = []
    baseline_times: list[float] = []
    for _ in range(rounds):
        subject_times.append(subject())
        baseline_times.append(baseline())
    return subject_times, baseline_times


def report(name: str, subject: list[float], baseline: list[float], goal: str, *, ok: bool) -> float:
    """Print one ratio line and return the ratio of medians."""
    ratio = statistics.median(subject) / statistics.median(baseline)
    print(
        f"{name}: ratio {ratio:.3f} (goal {goal}: {'met' if ok else 'NOT met'}) "
        f"— median {statistics.median(subject) * 1000:.1f} ms vs "
        f"{statistics.median(baseline) * 1000:.1f} ms over {len(subject)} rounds"
    )
    return ratio

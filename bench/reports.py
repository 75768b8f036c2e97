"""What does a report cost, against the kernel floor and against running reports one by one?

(a) One report: ``codesign report run PROJECT`` (charter, three iterations, gate result and
    feedback: the whole scorecard with seven charts, HTML export, an MLflow run) against
    ``papermill`` on an empty notebook, both as commands. The baseline is the floor every
    Papermill report pays: the interpreter, Papermill's imports, a kernel started and stopped.
    Goal: ratio <= 1.6.
(b) Twenty reports: one ``codesign report run P1 ... P20 --jobs 2`` against twenty sequential
    ``codesign report run Pi`` commands. Goal: ratio <= 0.6.
(c) For information, how ``--jobs 2`` runs them: threads in one process (what it does), against
    two processes each running ten reports one by one (what a shell's ``&`` would do).

Every project is real: scaffolded with ``codesign new``'s library, its extract checked by the
governance gate, three iterations tracked in its own embedded MLflow store, feedback recorded.

    .venv/bin/python bench/reports.py [--rounds N] [--batch-rounds N] [--projects N]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import EMPTY_NOTEBOOK, VENV_BIN, alternate, report, time_command

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MLFLOW_CONFIGURE_LOGGING", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def predictions(noise: float, seed: int, rows: int = 400):  # -> pandas.DataFrame
    """Triage predictions: true and predicted levels (1 = most urgent), and sex."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    level_true = rng.integers(1, 6, rows)
    wrong = rng.random(rows) < noise
    level_pred = np.clip(level_true + wrong * rng.choice([-1, 1], rows), 1, 5)
    sex = rng.choice(["F", "M"], rows)
    return pd.DataFrame({"level_true": level_true, "level_pred": level_pred, "sex": sex})


def feedback():  # -> list[FeedbackRecord]
    from codesign.charter.feedback import FeedbackRecord

    nurse, physician = "triage nurse", "emergency physician"
    return [
        FeedbackRecord(kind="sus", respondent_role=nurse, sus=(4, 2, 4, 2, 4, 2, 4, 2, 4, 2)),
        FeedbackRecord(kind="trust", respondent_role=nurse, trust={"trust_reliable": 4}),
        FeedbackRecord(
            kind="time_motion",
            respondent_role=physician,
            task="triage",
            minutes_with=4,
            minutes_without=5.5,
        ),
    ]


def make_projects(root: Path, count: int) -> list[Path]:
    """``count`` triage projects, each with its own gate result, store, iterations, feedback."""
    from codesign.charter.feedback import append_feedback
    from codesign.governance import GateOptions, run_gate
    from codesign.project import Project
    from codesign.scaffold import ProjectSpec, create_project
    from codesign.synthetic import ed_extract
    from codesign.tracking import IterationOptions, track

    base = create_project(ProjectSpec.from_name("Triage", preset="triage"), root / "base")
    extract = base / "data" / "extract.csv"
    ed_extract(300, seed=7).to_csv(extract, index=False)
    run_gate(extract, project=base, options=GateOptions(data_docs=False))
    files = []
    for index, noise in enumerate((0.55, 0.3, 0.12)):
        path = root / f"predictions-{index}.csv"
        predictions(noise, seed=index).to_csv(path, index=False)
        files.append(path)
    projects = []
    for number in range(count):
        target = root / "hospital" / f"triage-{number:02d}"
        shutil.copytree(base, target, symlinks=True)  # before any store: each gets its own
        project = Project.at(target)
        append_feedback(project.feedback_path, feedback())
        data = project.data_dir / "extract.csv"
        for name, path in zip(("model-v1", "model-v2", "model-v3"), files, strict=True):
            track(path, project=project, options=IterationOptions(name=name, data=data))
        projects.append(target)
    return projects


def with_cpu(measure: Callable[[], float], cpu: list[float]) -> float:
    """Run ``measure`` (a timed command); also note the CPU seconds its processes used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = measure()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return seconds


def run(argv: list[str]) -> float:
    return time_command([str(VENV_BIN / "codesign"), "-q", *argv])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds of (a)")
    parser.add_argument("--batch-rounds", type=int, default=1, help="rounds of (b) and (c)")
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--parts", default="abc", help="which measurements (default: abc)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="codesign-bench-reports-") as tmp:
        root = Path(tmp)
        os.environ["HOME"] = str(root / "home")
        started = time.perf_counter()
        projects = make_projects(root, args.projects)
        print(f"{len(projects)} projects made in {time.perf_counter() - started:.0f} s")
        empty = root / "empty.ipynb"
        empty.write_text(json.dumps(EMPTY_NOTEBOOK))
        single = projects[0]

        def one_report() -> float:
            return run(["report", "run", str(single)])

        def empty_papermill() -> float:
            argv = [str(VENV_BIN / "papermill"), str(empty), str(root / "out.ipynb")]
            return time_command([*argv, "-p", "project_dir", "."])

        if "a" in args.parts:
            one_report()  # warm the file cache for both
            empty_papermill()
            cpu: dict[str, list[float]] = {"ours": [], "floor": []}
            ours, floor = alternate(
                lambda: with_cpu(one_report, cpu["ours"]),
                lambda: with_cpu(empty_papermill, cpu["floor"]),
                args.rounds,
            )
            ratio = statistics.median(ours) / statistics.median(floor)
            name = "(a) one report / papermill empty notebook"
            report(name, ours, floor, "<= 1.6", ok=ratio <= 1.6)
            print(
                f"    CPU time of all processes (the command, its kernel, its MLflow logger): "
                f"median {statistics.median(cpu['ours']):.2f} s vs "
                f"{statistics.median(cpu['floor']):.2f} s, "
                f"ratio {statistics.median(cpu['ours']) / statistics.median(cpu['floor']):.2f}"
            )

        def batch() -> float:
            return run(["report", "run", *map(str, projects), "--jobs", "2"])

        def one_by_one() -> float:
            return sum(run(["report", "run", str(p)]) for p in projects)

        if "b" in args.parts:
            ours, theirs = alternate(batch, one_by_one, args.batch_rounds)
            ratio = statistics.median(ours) / statistics.median(theirs)
            name = f"(b) {len(projects)} reports --jobs 2 / {len(projects)} single runs"
            report(name, ours, theirs, "<= 0.6", ok=ratio <= 0.6)

        def two_processes() -> float:
            halves = [projects[0::2], projects[1::2]]
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                commands = [
                    [str(VENV_BIN / "codesign"), "-q", "report", "run", *map(str, half)]
                    for half in halves
                ]
                list(
                    pool.map(lambda c: subprocess.run(c, check=True, capture_output=True), commands)
                )
            return time.perf_counter() - start

        if "c" in args.parts:
            ours, theirs = alternate(batch, two_processes, args.batch_rounds)
            ratio = statistics.median(ours) / statistics.median(theirs)
            half = len(projects) // 2
            name = f"(c) --jobs 2 threads / 2 processes x {half} reports"
            report(name, ours, theirs, "information", ok=True)


if __name__ == "__main__":
    main()

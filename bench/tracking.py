"""What does iteration tracking cost, against doing the same by hand in the same run?

1. ``codesign track`` on 100k predictions, against a plain script that reads the same file,
   computes the same metrics with scikit-learn directly and logs one plain MLflow run (each a
   fresh process, so both pay their imports). Goal: ratio <= 1.5. The same pair is also timed
   in-process (imports warm) to show the library's own overhead.
2. ``compare`` over 200 iterations, against a plain ``mlflow.search_runs`` of the same
   experiment, in-process and as commands. Goal: under a second (the ratio is reported).
3. The read path a portfolio uses: 300 projects x 10 iterations, each project's charter parsed
   and its store read, against parsing the 300 charters alone. Goal: ratio <= 3.

    .venv/bin/python bench/tracking.py [--rounds N] [--rows N] [--iterations N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from _common import VENV_BIN, alternate, report, time_call, time_command

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MLFLOW_CONFIGURE_LOGGING", "false")

CHARTER = """\
schema_version: 1
use_case: {title: Bench triage, slug: bench-triage, stage: pilot}
outcomes:
  - {id: sens, title: Catch, category: safety, metric: sensitivity, target: ">= 0.8"}
  - {id: spec, title: Spare, category: adoption, metric: specificity, target: ">= 0.7"}
  - {id: alerts, title: Alerts right, category: adoption, metric: ppv, target: ">= 0.5"}
  - {id: silence, title: Silence right, category: safety, metric: npv, target: ">= 0.9"}
  - {id: acc, title: Right, category: accuracy, metric: accuracy, target: ">= 0.7"}
  - {id: f1_score, title: Balanced, category: accuracy, metric: f1, target: ">= 0.6"}
  - {id: ranking, title: Ranks, category: accuracy, metric: auroc, target: ">= 0.8"}
  - {id: rare, title: Rare cases, category: accuracy, metric: auprc, target: ">= 0.5"}
  - {id: brier_score, title: Honest, category: accuracy, metric: brier, target: "<= 0.2"}
  - {id: calibration, title: Calibrated, category: accuracy, metric: ece, target: "<= 0.05"}
  - {id: under, title: Under, category: safety, metric: under_triage_rate, target: "<= 0.05"}
  - {id: over, title: Over, category: adoption, metric: over_triage_rate, target: "<= 0.35"}
  - id: sex_gap
    title: Equal
    category: equity
    metric: subgroup_gap
    target: "<= 0.05"
    params: {metric: sensitivity, by: sex}
"""


def make_project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "codesign.yaml").write_text(CHARTER)
    return folder


def make_predictions(path: Path, rows: int, seed: int = 0) -> Path:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    level_true = rng.integers(1, 6, rows)
    y_true = (level_true <= 2).astype(int)
    y_score = np.clip(0.6 * y_true + rng.normal(0.25, 0.2, rows), 0, 1)
    frame = pd.DataFrame(
        {
            "encounter_id": [f"E{i:07d}" for i in range(rows)],
            "y_true": y_true,
            "y_score": y_score.round(4),
            "y_pred": (y_score >= 0.5).astype(int),
            "level_true": level_true,
            "level_pred": np.clip(level_true + rng.integers(-1, 2, rows), 1, 5),
            "sex": rng.choice(["F", "M"], rows),
        }
    )
    frame.to_csv(path, index=False)
    return path


# --- the baseline: scikit-learn directly, one plain MLflow run --------------------------------


def baseline_run(predictions: Path, tracking_uri: str) -> None:
    """Read, compute the same metrics with scikit-learn, log one plain MLflow run."""
    import mlflow
    import numpy as np
    import pandas as pd
    from sklearn import metrics as m

    frame = pd.read_csv(predictions)
    y, score, pred = frame["y_true"], frame["y_score"], frame["y_pred"]
    level_true, level_pred = frame["level_true"], frame["level_pred"]
    bins = np.searchsorted(np.linspace(0, 1, 11)[1:-1], score)
    ece = float(
        np.abs(
            np.bincount(bins, weights=y, minlength=10)
            - np.bincount(bins, weights=score, minlength=10)
        ).sum()
        / len(y)
    )
    by_sex = [m.recall_score(g["y_true"], g["y_pred"]) for _, g in frame.groupby("sex")]
    values = {
        "sensitivity": m.recall_score(y, pred),
        "specificity": m.recall_score(y, pred, pos_label=0),
        "ppv": m.precision_score(y, pred),
        "npv": m.precision_score(y, pred, pos_label=0),
        "accuracy": m.accuracy_score(y, pred),
        "f1": m.f1_score(y, pred),
        "auroc": m.roc_auc_score(y, score),
        "auprc": m.average_precision_score(y, score),
        "brier": m.brier_score_loss(y, score),
        "ece": ece,
        "under_triage_rate": float((level_pred > level_true).mean()),
        "over_triage_rate": float((level_pred < level_true).mean()),
        "subgroup_gap": max(by_sex) - min(by_sex),
    }
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment("baseline")
    with mlflow.start_run():
        mlflow.log_metrics({k: float(v) for k, v in values.items()})
    forget_tracking_uri()


def forget_tracking_uri() -> None:
    """``mlflow.set_tracking_uri`` also sets ``MLFLOW_TRACKING_URI``, which codesign honours
    (after ``CODESIGN_TRACKING_URI``): the baseline must not redirect the next codesign call."""
    os.environ.pop("MLFLOW_TRACKING_URI", None)


# --- the measurements ----------------------------------------------------------------------------


def bench_track(work: Path, rows: int, rounds: int) -> None:
    from codesign.tracking import IterationOptions, track

    project = make_project(work / "track-project")
    predictions = make_predictions(work / "predictions.csv", rows)
    baseline_uri = f"sqlite:///{work / 'baseline' / 'mlflow.db'}"
    (work / "baseline").mkdir()
    codesign = [str(VENV_BIN / "codesign"), "track", str(predictions), "--project", str(project),
                "--no-feedback", "--json"]  # fmt: skip
    plain = [sys.executable, __file__, "--baseline-run", str(predictions), baseline_uri]
    time_command(codesign)  # creates the embedded store (its tables) once, warms the file cache
    time_command(plain)
    ours, theirs = alternate(lambda: time_command(codesign), lambda: time_command(plain), rounds)
    ratio = statistics.median(ours) / statistics.median(theirs)
    report(f"codesign track, {rows} predictions / sklearn + plain MLflow run (commands)",
           ours, theirs, "<= 1.5", ok=ratio <= 1.5)  # fmt: skip

    options = IterationOptions(use_feedback=False)  # names are unique: each call gets its own
    track(predictions, project=project, options=options)
    baseline_run(predictions, baseline_uri)
    ours, theirs = alternate(
        lambda: time_call(lambda: track(predictions, project=project, options=options)),
        lambda: time_call(lambda: baseline_run(predictions, baseline_uri)),
        rounds,
    )
    ratio = statistics.median(ours) / statistics.median(theirs)
    report(f"track() in-process, {rows} predictions / same by hand (imports warm)",
           ours, theirs, "<= 1.5", ok=ratio <= 1.5)  # fmt: skip


def bench_compare(work: Path, iterations: int, rounds: int) -> None:
    import mlflow

    from codesign.project import Project
    from codesign.tracking import IterationOptions, compare, track

    project = make_project(work / "compare-project")
    small = make_predictions(work / "small.csv", 200, seed=1)
    for i in range(iterations):
        track(small, project=project, options=IterationOptions(use_feedback=False, name=f"it-{i}"))
    uri = Project.at(project).tracking_uri()
    assert len(compare(project).iterations) == iterations

    def search() -> object:
        mlflow.set_tracking_uri(uri)
        found = mlflow.search_runs(experiment_names=["bench-triage"])
        forget_tracking_uri()
        return found

    time_call(search)
    ours, theirs = alternate(
        lambda: time_call(lambda: compare(project)), lambda: time_call(search), rounds
    )
    ok = statistics.median(ours) < 1.0
    report(f"compare() over {iterations} iterations / mlflow.search_runs (in-process)",
           ours, theirs, "under 1 s", ok=ok)  # fmt: skip

    command = [str(VENV_BIN / "codesign"), "compare", "--project", str(project), "--json"]
    search_command = [
        sys.executable, "-c",
        "import mlflow, sys; mlflow.set_tracking_uri(sys.argv[1]); "
        "mlflow.search_runs(experiment_names=['bench-triage'])", uri,
    ]  # fmt: skip
    time_command(command)
    time_command(search_command)
    ours, theirs = alternate(
        lambda: time_command(command), lambda: time_command(search_command), rounds
    )
    ok = statistics.median(ours) < 1.0
    report(f"codesign compare over {iterations} iterations / python -c mlflow.search_runs",
           ours, theirs, "under 1 s", ok=ok)  # fmt: skip


def bench_portfolio_read(
    work: Path, rounds: int, projects: int = 300, per_project: int = 10
) -> None:
    from codesign.charter import load_charter
    from codesign.project import Project
    from codesign.tracking import IterationOptions, track
    from codesign.tracking.reading import read_store

    template = make_project(work / "portfolio-template")
    small = make_predictions(work / "tiny.csv", 100, seed=2)
    for i in range(per_project):
        track(small, project=template, options=IterationOptions(use_feedback=False, name=f"it-{i}"))
    roots = []
    for i in range(projects):
        root = work / "portfolio" / f"p{i:03d}"
        shutil.copytree(template, root)
        roots.append(root)

    def charters_only() -> None:
        for root in roots:
            load_charter(root)

    def charters_and_iterations() -> None:
        for root in roots:
            charter = load_charter(root).charter
            slug = charter.use_case.slug or root.name
            found = read_store(Project(root).tracking_uri(), slug)
            assert len(found) == per_project

    ours, theirs = alternate(
        lambda: time_call(charters_and_iterations), lambda: time_call(charters_only), rounds
    )
    ratio = statistics.median(ours) / statistics.median(theirs)
    report(f"{projects} projects x {per_project} iterations read / {projects} charters parsed",
           ours, theirs, "<= 3", ok=ratio <= 3)  # fmt: skip


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--baseline-run":
        baseline_run(Path(sys.argv[2]), sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="codesign-bench-tracking-"))
    try:
        bench_track(work, args.rows, args.rounds)
        bench_compare(work, args.iterations, max(args.rounds, 10))
        bench_portfolio_read(work, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""``codesign track PREDICTIONS``: log an iteration and judge it against every outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from codesign.cli.options import add_json, add_project, add_tracking_uri

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``track`` command."""
    parser = subparsers.add_parser(
        "track",
        help="log a model iteration to MLflow and judge it against the charter's outcomes",
        description=(
            "Measure a model iteration against every outcome of the charter and log it as one "
            "MLflow run in the project's experiment (embedded store mlruns/mlflow.db, or "
            "CODESIGN_TRACKING_URI / MLFLOW_TRACKING_URI). Refuses data whose latest governance "
            "gate result failed unless --override-gate gives a reason, a name already used, and "
            "a charter without outcomes. Exit 0 when logged, 2 on bad input."
        ),
        epilog=(
            "PREDICTIONS is CSV or Parquet: y_true (0/1) with y_score (0 to 1) and/or y_pred "
            "(0/1); level_true with level_pred (triage levels 1 to 5); and the subgroup columns "
            "the charter compares across (e.g. sex). Other columns are not read."
        ),
    )
    parser.add_argument(
        "predictions",
        type=Path,
        nargs="?",
        metavar="PREDICTIONS",
        help="CSV or Parquet file (leave out to measure the feedback records only)",
    )
    add_project(parser)
    parser.add_argument("--name", help="the iteration's name (default: file name and UTC time)")
    feedback = parser.add_mutually_exclusive_group()
    feedback.add_argument(
        "--feedback",
        type=Path,
        metavar="FILE",
        help="feedback records (default: the project's feedback/records.csv when it exists)",
    )
    feedback.add_argument("--no-feedback", action="store_true", help="ignore feedback records")
    parser.add_argument(
        "--data",
        type=Path,
        metavar="FILE",
        help="the data the iteration was evaluated on, whose governance gate result is recorded "
        "(default: the predictions file itself)",
    )
    parser.add_argument(
        "--override-gate",
        metavar="REASON",
        help="log even though the data's latest governance gate result failed; the reason is "
        "recorded with the iteration and shown wherever its numbers appear",
    )
    parser.add_argument("--author", help="who ran the iteration (default: the OS user)")
    add_tracking_uri(parser)
    add_json(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Log the iteration; print the verdict table or the JSON document."""
    from codesign.tracking.iteration import IterationOptions, track

    options = IterationOptions(
        name=args.name,
        feedback=args.feedback,
        use_feedback=not args.no_feedback,
        data=args.data,
        author=args.author,
        tracking_uri=args.tracking_uri,
        source="codesign track",
        override_gate=args.override_gate,
    )
    result = track(args.predictions, project=args.project, options=options)
    print(json.dumps(result.to_json()) if args.json else str(result))
    return 0

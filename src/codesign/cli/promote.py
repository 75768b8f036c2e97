"""``codesign promote ITERATION``: the go decision, only on a complete standing."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from codesign.cli.options import add_json, add_project, add_tracking_uri

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``promote`` command."""
    parser = subparsers.add_parser(
        "promote",
        help="record the decision to deploy an iteration, when its standing is complete",
        description=(
            "Promote an iteration: every outcome of the current charter measured on it and met, "
            "its data passed by the governance gate, the current charter signed by the clinical "
            "lead and the data protection officer. Registers the model (--model-uri, or the "
            "run's logged model) in the MLflow Model Registry under the project's name with the "
            "alias 'approved', and keeps the decision in decisions/promotions.json. Exit 0 "
            "promoted, 1 not ready (lists what is missing; nothing written), 2 bad input."
        ),
    )
    parser.add_argument("iteration", metavar="ITERATION", help="the iteration's name")
    add_project(parser)
    parser.add_argument(
        "--model-uri",
        metavar="URI",
        help="the model to register (a folder, runs:/RUN_ID/model, models:/...)",
    )
    parser.add_argument("--by", help="who takes the decision (default: the OS user)")
    parser.add_argument(
        "--stage",
        choices=("pilot", "scaled"),
        help="where the decision moves the use case (default: pilot, then scaled)",
    )
    add_tracking_uri(parser)
    add_json(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Promote, or list what is missing."""
    from codesign.charter import Stage
    from codesign.tracking.promotion import promote

    result = promote(
        args.iteration,
        project=args.project,
        model_uri=args.model_uri,
        decided_by=args.by,
        tracking_uri=args.tracking_uri,
        stage=None if args.stage is None else Stage(args.stage),
    )
    print(json.dumps(result.to_json()) if args.json else str(result))
    return 0 if result.promoted else 1

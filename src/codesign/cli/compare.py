"""``codesign compare``: every iteration against every outcome, with trends and regressions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from codesign.cli.options import add_json, add_project, add_tracking_uri

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``compare`` command."""
    parser = subparsers.add_parser(
        "compare",
        help="compare the logged iterations against the charter's targets",
        description=(
            "Iterations x outcomes, each value judged against the charter's current target, "
            "with the trend per outcome; a regression (an outcome an earlier iteration met, now "
            "missed) is flagged. Exit 0."
        ),
    )
    add_project(parser)
    parser.add_argument(
        "--iteration",
        metavar="NAME",
        help="the iteration whose standing is stated (default: the latest)",
    )
    parser.add_argument(
        "--last",
        type=int,
        default=6,
        metavar="N",
        help="iterations shown in the table (default: 6; 0 for all); --json gives all",
    )
    add_tracking_uri(parser)
    add_json(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the comparison."""
    from codesign.tracking.comparison import compare

    comparison = compare(args.project, tracking_uri=args.tracking_uri, iteration=args.iteration)
    if args.json:
        print(json.dumps(comparison.to_json()))
    else:
        print(comparison.text(last=args.last if args.last > 0 else None))
    return 0

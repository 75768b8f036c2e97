"""``codesign diff A B``: what changed between two notebooks, or two charters."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``diff`` command."""
    parser = subparsers.add_parser(
        "diff",
        help="what changed between two notebooks or two charters, for review",
        description=(
            "Compare two notebooks (with nbdime: cell sources; outputs and metadata on request) "
            "or two charters (codesign.yaml files or project folders: outcomes added, removed "
            "or moved, targets changed, every other field). Exit 0, whether they differ or not; "
            "2 on missing, unreadable or mismatched inputs."
        ),
    )
    parser.add_argument("old", type=Path, metavar="A", help="the earlier notebook or charter")
    parser.add_argument("new", type=Path, metavar="B", help="the later one")
    parser.add_argument(
        "--outputs", action="store_true", help="notebooks: compare outputs and execution counts"
    )
    parser.add_argument(
        "--metadata", action="store_true", help="notebooks: compare metadata and cell ids"
    )
    colour = parser.add_mutually_exclusive_group()
    colour.add_argument("--color", action="store_true", default=None, help="colour the diff")
    colour.add_argument("--no-color", dest="color", action="store_false", help="plain text")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the diff."""
    from codesign.review import DiffOptions, diff_files

    color = sys.stdout.isatty() if args.color is None else args.color
    result = diff_files(
        args.old,
        args.new,
        DiffOptions(outputs=args.outputs, metadata=args.metadata, color=color and not args.json),
    )
    print(json.dumps(result.to_json()) if args.json else result.text.rstrip("\n"))
    return 0

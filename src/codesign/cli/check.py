"""``codesign check DATA``: the governance gate on a file or a database table."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` command."""
    parser = subparsers.add_parser(
        "check",
        help="governance gate: check data against the charter's data contract (PHI, completeness)",
        description=(
            "Check a CSV or Parquet extract, or a PostgreSQL table (postgresql://HOST/DB?table="
            "NAME, checked inside the database), against the data contract of the project's "
            "charter: identifying information (NIR, phone numbers, e-mails, names, addresses, "
            "dates of birth), declared columns, types, completeness, ranges, allowed values, "
            "uniqueness. Prints counts, never values. Writes Data Docs under governance/ and "
            "keeps the result for iteration tracking. Exit 0 passed, 1 failed, 2 bad input."
        ),
    )
    parser.add_argument("data", metavar="DATA", help="a .csv/.parquet file or a table URL")
    parser.add_argument(
        "--project", metavar="DIR", help="the project folder (default: the current folder)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON document: passed, rows, findings"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the gate and report; 0 passed, 1 failed (bad input raises: exit 2)."""
    from codesign.governance import run_gate

    result = run_gate(args.data, project=args.project)
    if args.json:
        sys.stdout.write(result.to_json() + "\n")
    else:
        print(result.summary())
    return 0 if result.passed else 1

"""``codesign charter validate`` and ``codesign charter schema``."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from codesign.charter import Charter


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``charter`` command group."""
    parser = subparsers.add_parser(
        "charter",
        help="validate a charter (codesign.yaml) or print its JSON Schema",
        description="Work with the outcome charter, the project's codesign.yaml.",
    )
    commands = parser.add_subparsers(title="charter commands", metavar="COMMAND")
    validate = commands.add_parser(
        "validate",
        help="check a charter; errors name the field and the line",
        description="Validate a charter. Exit 0 when valid, 2 when not.",
    )
    validate.add_argument(
        "path",
        nargs="?",
        help="a codesign.yaml file or a project folder (default: the current folder)",
    )
    validate.add_argument("--json", action="store_true", help="print one JSON document")
    validate.set_defaults(handler=run_validate)
    schema = commands.add_parser(
        "schema",
        help="print the charter's JSON Schema (for editors)",
        description="Print the JSON Schema (draft 2020-12) of the charter format.",
    )
    schema.set_defaults(handler=run_schema)
    parser.set_defaults(handler=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_validate(args: argparse.Namespace) -> int:
    """Validate a charter and say so; invalid charters list every issue with its line."""
    from codesign import i18n
    from codesign.charter import charter_path, load_charter
    from codesign.exceptions import CharterError
    from codesign.i18n import _, ngettext
    from codesign.system import first_line

    path = charter_path(args.path)
    try:
        file = load_charter(path)
    except CharterError as e:
        if not args.json:
            raise
        issues = [{"loc": i.loc, "line": i.line, "message": i.message} for i in e.issues]
        message = first_line(e)
        print(json.dumps({"valid": False, "path": str(path), "error": message, "issues": issues}))
        return 2
    charter = file.charter
    i18n.set_project_language(charter.language)
    stage_problem = _stage_problem(charter, path)
    summary = {
        "valid": True,
        "path": str(path),
        "title": charter.use_case.title,
        "outcomes": len(charter.outcomes),
        "columns": len(charter.data_contract.columns),
        "charter_sha256": charter.content_sha256(),
        "signoffs_valid": len(charter.valid_signoffs()),
        "signoffs_outdated": len(charter.outdated_signoffs()),
        "stage_problem": stage_problem,
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            _(
                '{path}: valid charter "{title}" ({outcomes} outcomes, {columns} data columns, '
                "sha256 {sha})",
                path=path,
                title=charter.use_case.title,
                outcomes=len(charter.outcomes),
                columns=len(charter.data_contract.columns),
                sha=charter.content_sha256()[:12],
            )
        )
        outdated = len(charter.outdated_signoffs())
        if outdated:
            note = ngettext(
                "{n} sign-off predates the current content",
                "{n} sign-offs predate the current content",
                outdated,
            )
            print("  " + _("note: {note}", note=note))
        if stage_problem:
            print("  " + _("note: {note}", note=stage_problem))
    return 0


def _stage_problem(charter: Charter, path: Path) -> str | None:
    """A deployed stage that neither a go decision of the project nor a reason backs."""
    if not charter.use_case.stage.deployed:
        return None
    from codesign.config import CHARTER_FILENAME
    from codesign.project import Project
    from codesign.tracking.promotion import read_promotions, stage_standing

    # A charter file outside a project (a template, a draft) has no go decisions of its own.
    is_project = path.name == CHARTER_FILENAME
    promotions = read_promotions(Project.at(path.parent)) if is_project else []
    return stage_standing(charter, promotions).problem()


def run_schema(_args: argparse.Namespace) -> int:
    """Print the JSON Schema."""
    from codesign.charter.schema import charter_schema

    print(json.dumps(charter_schema(), indent=2))
    return 0

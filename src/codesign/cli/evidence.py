"""``codesign evidence``: the documents regulators, ethics boards and buyers ask for.

Documents and lines are in the project's language: ``--lang``, ``CODESIGN_LANG``, else the
charter's ``language:``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from codesign.cli.options import add_project, add_tracking_uri

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``evidence`` command."""
    parser = subparsers.add_parser(
        "evidence",
        help="write Annex IV, TRIPOD+AI, DECIDE-AI, a CHAI model card, DOCX and JSON evidence",
        description=(
            "Turn the project's charter, gate results, iterations, report runs, feedback and "
            "sign-offs into EU AI Act Annex IV (HTML, Markdown, DOCX), TRIPOD+AI and DECIDE-AI "
            "checklists, a CHAI Applied Model Card (XML) and evidence.json, each item evidenced, "
            "partial or missing with its source. Exit 0; 1 with --check when an item the "
            "charter requires (evidence.required) is not evidenced; 2 on bad input."
        ),
    )
    add_project(parser)
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: PROJECT/evidence)"
    )
    parser.add_argument(
        "--iteration", metavar="NAME", help="candidate iteration (default: the latest logged)"
    )
    add_tracking_uri(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when an item listed in the charter's evidence.required is not evidenced",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the evidence; print where, the counts and what required items lack."""
    from codesign import i18n
    from codesign.evidence import write_evidence
    from codesign.evidence.render import STATUS_MARKS
    from codesign.i18n import _

    result = write_evidence(
        args.project, out=args.out, iteration=args.iteration, tracking_uri=args.tracking_uri
    )
    with i18n.project_language(result.evidence.facts.charter.language):
        print(_("evidence written to {folder}", folder=result.folder))
        for framework in result.evidence.frameworks:
            counts = framework.counts()
            print(
                _(
                    "  {framework}: {evidenced} evidenced, {partial} partial, {missing} missing",
                    framework=framework.key,
                    evidenced=counts["evidenced"],
                    partial=counts["partial"],
                    missing=counts["missing"],
                )
            )
        lacking = result.evidence.required_missing()
        for item in lacking:
            print(
                _(
                    "  required {id} ({title}) is {status}: {reasons}",
                    id=item.id,
                    title=item.title,
                    status=STATUS_MARKS[item.status].word.lower(),
                    reasons=_("; ").join(item.missing) or _("no evidence"),
                )
            )
    return 1 if args.check and lacking else 0

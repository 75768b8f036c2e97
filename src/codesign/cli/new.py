"""``codesign new NAME``: scaffold a use case project from the Cookiecutter template."""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign.cli.options import language_code

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from codesign.scaffold import ProjectSpec

_PRESETS_HELP: Final = "triage, imaging, documentation or blank"
"""Written out so that ``--help`` imports nothing; a test checks it against ``PRESETS``."""

_OPTIONAL: Final = (
    ("clinical_lead", "Clinical lead"),
    ("partner_organisation", "Partner organisation"),
    ("site", "Hospital or site"),
    ("timezone", "Time zone of the report schedule"),
)
"""The variables prompted for after the preset, with their prompts, in order."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``new`` command."""
    parser = subparsers.add_parser(
        "new",
        help="start a use case: a project with its charter, notebooks, tests and git",
        description=(
            "Create DIR/<slug>/ from codesign's project template: the charter (codesign.yaml) "
            "from a preset with your names filled in, the workshop, governance, iteration, "
            "feedback and report notebooks, the project's own tests, and a git repository that "
            "strips notebook outputs on commit. Asks for what is missing when run in a terminal; "
            "with --no-input (or no terminal) an empty answer keeps the preset's example."
        ),
    )
    parser.add_argument(
        "name", help='the use case\'s name, e.g. "Nurse triage assistant" (folder: its slug)'
    )
    parser.add_argument(
        "--preset", help=f"charter preset: {_PRESETS_HELP} (default: triage)", default=None
    )
    parser.add_argument(
        "--output-dir",
        default=".",
        metavar="DIR",
        help="where to create the project folder (default: the current folder)",
    )
    parser.add_argument(
        "--language",
        type=language_code,
        metavar="LANG",
        help="en or fr: the preset's language and the charter's language: (default: --lang, "
        "CODESIGN_LANG, else the locale's, else en)",
    )
    parser.add_argument("--no-input", action="store_true", help="never ask; use the defaults")
    parser.add_argument("--clinical-lead", metavar="NAME", help="the clinical lead's name")
    parser.add_argument(
        "--partner-organisation", metavar="NAME", help="the partner organisation (vendor, lab)"
    )
    parser.add_argument("--site", metavar="NAME", help="the hospital or site")
    parser.add_argument(
        "--timezone", metavar="ZONE", help="IANA time zone of the reports, e.g. Europe/Paris"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check every answer, ask for the missing ones in a terminal, scaffold, say what's next."""
    from codesign.i18n import current_language
    from codesign.scaffold import ProjectSpec, create_project, slug_for

    slug_for(args.name)  # a bad name is refused before any question is asked
    answers: dict[str, str] = {
        key: value
        for key in ("preset", *(name for name, _ in _OPTIONAL))
        if (value := getattr(args, key)) is not None
    }
    answers["language"] = args.language or current_language()
    if not args.no_input and sys.stdin.isatty():
        answers = _Interview(args.name, answers, input).run()
    spec = ProjectSpec.from_name(args.name, **answers)
    root = create_project(spec, args.output_dir)
    _print_next_steps(spec, root)
    return 0


@dataclass
class _Interview:
    """Asks, in a terminal, for the answers not given on the command line.

    Each answer is checked as it comes, with the same checks as the command line's, and asked
    again until it passes. An empty answer takes the default shown in brackets: for the preset
    the first one offered, for the others the chosen preset's own example.
    """

    name: str
    answers: dict[str, str]
    ask: Callable[[str], str]

    def run(self) -> dict[str, str]:
        """Ask for each missing variable, preset first; returns all the answers."""
        from codesign.charter import PRESETS
        from codesign.scaffold import DEFAULT_PRESET, preset_defaults

        if "preset" not in self.answers:
            self._question("preset", f"Charter preset ({', '.join(PRESETS)})", DEFAULT_PRESET)
        defaults = preset_defaults(
            self.answers.get("preset", DEFAULT_PRESET), self.answers.get("language", "en")
        )
        for key, prompt in _OPTIONAL:
            if key not in self.answers:
                self._question(key, prompt, defaults[key])
        return self.answers

    def _question(self, key: str, prompt: str, default: str) -> None:
        from codesign.exceptions import ScaffoldError
        from codesign.scaffold import ProjectSpec

        while True:
            try:
                reply = self.ask(f"{prompt} [{default or 'none'}]: ").strip()
            except EOFError:
                msg = "no answer (end of input); nothing was written"
                raise ScaffoldError(msg) from None
            try:
                ProjectSpec.from_name(self.name, **{**self.answers, key: reply})
            except ScaffoldError as e:
                print(f"  {e}", file=sys.stderr)
                continue
            if reply:
                self.answers[key] = reply
            return


def _print_next_steps(spec: ProjectSpec, root: Path) -> None:
    shown = _relative(root)
    print(f'Created "{spec.project_name}" in {root} (preset: {spec.preset}, {spec.language})')
    print("  codesign.yaml   the charter, validated; edit it in the workshop notebook")
    print("  notebooks/      00_workshop, 01_governance, 02_iterations, 03_feedback, report")
    print("  data/           data extracts go here; git-ignored, never committed")
    print("  git             first commit made; notebooks committed without outputs (nbstripout)")
    print("  .cruft.json     `cruft update` brings later template improvements")
    print()
    print("Next:")
    from codesign.system import runnable

    codesign = runnable("codesign")  # a full path when a new shell would not find it
    steps = [
        (f"cd {shown}", ""),
        (f"{codesign} lab", "JupyterLab; start with notebooks/00_workshop.ipynb"),
        (f"{codesign} charter validate", "after editing codesign.yaml by hand"),
        (runnable("pytest"), "the project's own checks"),
    ]
    width = max(len(command) for command, _ in steps)
    for command, comment in steps:
        print(f"  {command:{width}}  # {comment}" if comment else f"  {command}")


def _relative(path: Path) -> str:
    """``path`` relative to the current folder when it lies below it, else absolute; quoted."""
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    return shlex.quote(str(shown))

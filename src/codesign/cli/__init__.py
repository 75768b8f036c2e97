"""The ``codesign`` command line: thin argument parsing over the library.

Each command lives in its own module under :mod:`codesign.cli` with a ``register(subparsers)``
function; its handler parses nothing itself, calls one library function and returns an exit code.
Known errors (:class:`~codesign.exceptions.CodesignError`) become a one-paragraph message on
stderr and exit code 2, never a traceback.

Only :mod:`argparse` and the standard library are imported to build the parser, so
``codesign --help`` answers in a few tens of milliseconds; the heavy libraries (MLflow, Great
Expectations, Papermill, ipywidgets, pandas) are imported by the handlers that need them.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from typing import TYPE_CHECKING, Final

from codesign.cli import options

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
"""The command ran and found a failure: the gate failed, a report failed."""
EXIT_BAD_INPUT: Final = 2
"""Bad input: a usage error, an invalid charter, a missing file."""

COMMANDS: Final = (
    "new",
    "charter",
    "check",
    "track",
    "compare",
    "promote",
    "report",
    "diff",
    "portfolio",
    "demo",
    "lab",
    "workshop",
    "evidence",
)
"""Command modules under ``codesign.cli``, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every command's sub-parser."""
    parser = argparse.ArgumentParser(
        prog="codesign",
        description=(
            "Co-design AI use cases with hospital teams: an outcome charter owned by clinicians, "
            "a governance gate on the data, every model iteration measured against the charter, "
            "reports anyone can read."
        ),
        epilog="Run `codesign COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    _add_verbosity(parser, verbose=0, quiet=False)
    options.add_lang(parser, default=None)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"codesign.cli.{name}")
        module.register(subparsers)
    for command in _commands(parser):
        # `codesign report run -q` as well as `codesign -q report run`; given only where typed
        # (SUPPRESS), so an option before the command is not reset by the command's default.
        _add_verbosity(command, verbose=argparse.SUPPRESS, quiet=argparse.SUPPRESS)
        options.add_lang(command, default=argparse.SUPPRESS)
    return parser


def _add_verbosity(parser: argparse.ArgumentParser, *, verbose: object, quiet: object) -> None:
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-v", "--verbose", action="count", default=verbose, help="say more (-vv for debug output)"
    )
    verbosity.add_argument("-q", "--quiet", action="store_true", default=quiet, help="only errors")


def _commands(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every command and sub-command parser under ``parser``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):  # aliases share a parser
                yield command
                yield from _commands(command)


class _VersionAction(argparse.Action):
    """``--version``, resolved only when asked (reading package metadata costs ~30 ms)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        import codesign

        print(f"codesign {codesign.__version__}")
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # --help and --version end here, before any import below

    from codesign import i18n
    from codesign.config import quiet_telemetry
    from codesign.exceptions import CodesignError, LanguageError

    _configure_logging(args.verbose, quiet=args.quiet)
    quiet_telemetry()
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        i18n.environment_language()  # CODESIGN_LANG=de stops here, named, before any work
    except LanguageError as e:
        print(f"codesign: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    i18n.set_language(args.lang)
    try:
        if hasattr(args, "project"):  # its first message in the project's language already
            i18n.set_project_language(_project_language(args.project))
        code: int = handler(args)
    except CodesignError as e:
        # in the language the message was written in (a charter's, read with the file)
        with i18n.use_language(getattr(e, "language", None)):
            print(i18n._("codesign: error: {error}", error=e), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(i18n._("codesign: interrupted"), file=sys.stderr)
        return 130
    return code


def _project_language(folder: Path | str | None) -> str | None:
    """The ``language:`` of the project a command works on, if it is one (else ``None``)."""
    from codesign.exceptions import CodesignError
    from codesign.project import Project

    try:
        return Project.at(folder).written_language()
    except CodesignError:
        return None


def _configure_logging(verbose: int, *, quiet: bool) -> None:
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # MLflow installs its own stderr handler at INFO on import unless told not to: the command
    # line owns the handlers, so MLflow's records go through the one configured here.
    os.environ.setdefault("MLFLOW_CONFIGURE_LOGGING", "false")
    if level > logging.DEBUG:
        # Libraries we drive are chatty at INFO; our own messages are what a user needs.
        for noisy in ("alembic", "mlflow", "great_expectations", "papermill", "traitlets"):
            logging.getLogger(noisy).setLevel(max(level, logging.WARNING))

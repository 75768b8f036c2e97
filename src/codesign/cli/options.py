"""The options several commands share, defined once so they read and behave the same everywhere.

``--project``, ``--tracking-uri``, ``--json`` and ``--lang`` mean the same thing in every command
that has them; ``codesign lab`` and ``codesign workshop`` start a server the same way.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_project(parser: argparse.ArgumentParser) -> None:
    """``--project DIR``: the project folder (default: the current one)."""
    parser.add_argument(
        "--project", type=Path, metavar="DIR", help="project folder (default: the current one)"
    )


def add_tracking_uri(parser: argparse.ArgumentParser) -> None:
    """``--tracking-uri URI``, first in the order the store is chosen (README, "Tracking")."""
    parser.add_argument(
        "--tracking-uri",
        metavar="URI",
        help="MLflow store (overrides CODESIGN_TRACKING_URI, then MLFLOW_TRACKING_URI)",
    )


def add_json(parser: argparse.ArgumentParser, what: str = "print one JSON document") -> None:
    """``--json``: one JSON document on stdout, nothing else."""
    parser.add_argument("--json", action="store_true", help=what)


def add_server(parser: argparse.ArgumentParser) -> None:
    """The options of a command that serves a project: folder, port, browser, root."""
    add_project(parser)
    parser.add_argument("--port", type=port_number, default=0, help="port (default: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument(
        "--allow-root", action="store_true", help="run even as root (containers, CI)"
    )


def port_number(text: str) -> int:
    """A ``--port`` value: 1 to 65535, or 0 for a free one."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        msg = f"expected a port number from 1 to 65535 (0: a free one), got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return port


def add_lang(parser: argparse.ArgumentParser, *, default: object) -> None:
    """``--lang en|fr``: the language of what the command says and writes (before the charter's)."""
    parser.add_argument(
        "--lang",
        type=language_code,
        default=default,
        metavar="LANG",
        help="language of messages and reports: en or fr (overrides CODESIGN_LANG and the "
        "charter's language:)",
    )


def language_code(text: str) -> str:
    """A ``--lang`` value: ``en`` or ``fr`` (``fr_FR`` accepted); else a usage error, exit 2."""
    from codesign.exceptions import LanguageError
    from codesign.i18n import LANGUAGES, parse_language

    try:
        return parse_language(text, source="--lang")
    except LanguageError as e:
        msg = f"expected one of {', '.join(LANGUAGES)}, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from e

"""``codesign lab``: JupyterLab on a project, bound to 127.0.0.1 with a token."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lab`` command."""
    parser = subparsers.add_parser(
        "lab",
        help="open JupyterLab on a project (127.0.0.1, with a token)",
        description=(
            "Start JupyterLab on a project folder for a workshop, on the workshop notebook. The "
            "server listens on 127.0.0.1 only and requires a token: JUPYTER_TOKEN if set, else "
            "a fresh random one, printed in the URL. Ctrl-C stops it."
        ),
    )
    parser.add_argument("--project", default=".", help="project folder (default: current folder)")
    parser.add_argument("--port", type=_port, default=0, help="port (default: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument(
        "--allow-root", action="store_true", help="run even as root (containers, CI)"
    )
    parser.set_defaults(handler=run)


def _port(text: str) -> int:
    import argparse

    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        msg = f"expected a port number from 1 to 65535 (0: a free one), got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return port


def run(args: argparse.Namespace) -> int:
    """Start JupyterLab and wait for it; Ctrl-C stops it."""
    from codesign.jupyter.lab import LabOptions, lab_command, run_lab
    from codesign.project import Project

    project = Project.at(Path(args.project))
    options = LabOptions(
        port=args.port, open_browser=not args.no_browser, allow_root=args.allow_root
    )
    command = lab_command(project, options)
    print(f"Starting JupyterLab on {project.root} (127.0.0.1 only). Stop it with Ctrl-C.")
    print(f"Workshop forms: {command.url}", flush=True)
    return run_lab(command)

"""``codesign lab``: JupyterLab on a project, bound to 127.0.0.1 with a token."""

from __future__ import annotations

import secrets
import subprocess
import sys
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
            "Start JupyterLab on a project folder for a workshop. The server listens on "
            "127.0.0.1 only and requires a fresh random token, printed in the URL."
        ),
    )
    parser.add_argument("--project", default=".", help="project folder (default: current folder)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.set_defaults(handler=run)


def lab_argv(project: Path, *, port: int, token: str, open_browser: bool) -> list[str]:
    """The JupyterLab command line for ``project``: loopback only, token required."""
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={project}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_remote_access=False",
    ]
    if port:
        argv.append(f"--ServerApp.port={port}")
    if not open_browser:
        argv.append("--no-browser")
    return argv


def run(args: argparse.Namespace) -> int:
    """Start JupyterLab and wait for it; Ctrl-C stops it."""
    from codesign.project import Project

    project = Project.at(Path(args.project))
    token = secrets.token_urlsafe(24)
    argv = lab_argv(project.root, port=args.port, token=token, open_browser=not args.no_browser)
    print(f"Starting JupyterLab on {project.root} (127.0.0.1 only). Stop it with Ctrl-C.")
    print("Open notebooks/00_workshop.ipynb for the workshop forms.")
    try:
        return subprocess.call(argv)
    except KeyboardInterrupt:
        return 0

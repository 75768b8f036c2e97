"""``codesign workshop``: the workshop as a web app with no code (Voilà), for the whole room."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from codesign.cli.options import add_server

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``workshop`` command."""
    parser = subparsers.add_parser(
        "workshop",
        help="serve the workshop forms as a web app: facilitator and participant pages, no code",
        description=(
            "Serve a project's workshop as web pages with no code: a facilitator page with "
            "every form and a participant page each person in the room opens on a laptop or "
            "phone. Listens on 127.0.0.1 with a token by default; --lan ADDRESS serves the room "
            "on that one address of this machine and prints a QR code for the projector. The "
            "URLs are printed once the pages answer. Ctrl-C or SIGTERM stops it."
        ),
    )
    add_server(parser)
    parser.add_argument(
        "--lan",
        metavar="ADDRESS",
        help="serve the room on this address of this machine (e.g. 192.168.1.20)",
    )
    parser.add_argument("--certfile", type=Path, help="TLS certificate (PEM), with --keyfile")
    parser.add_argument("--keyfile", type=Path, help="TLS private key (PEM), with --certfile")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve the workshop and wait; Ctrl-C or SIGTERM stops it and its kernels."""
    from codesign import i18n
    from codesign.jupyter.workshop import (
        WorkshopOptions,
        announcement,
        run_workshop,
        workshop_command,
    )
    from codesign.project import Project

    project = Project.at(args.project)
    project.load_charter()  # a broken charter is told now, not on the first page view
    workshop = workshop_command(
        project,
        WorkshopOptions(
            port=args.port,
            open_browser=not args.no_browser,
            lan=args.lan,
            certfile=args.certfile,
            keyfile=args.keyfile,
            allow_root=args.allow_root,
            language=i18n.current_language(),
        ),
    )
    return run_workshop(workshop, lambda: print(announcement(workshop), flush=True))

"""``codesign lab``: JupyterLab on a project, bound to 127.0.0.1 with a token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from codesign.cli.options import add_server

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lab`` command."""
    parser = subparsers.add_parser(
        "lab",
        help="open JupyterLab on a project (127.0.0.1, with a token)",
        description=(
            "Start JupyterLab on a project folder for engineers, on the workshop notebook. The "
            "server listens on 127.0.0.1 only and always requires a token (JUPYTER_TOKEN if set, "
            "else a fresh random one), whatever your Jupyter configuration; its URL is printed "
            "once it answers. Ctrl-C or SIGTERM stops it and its kernels. For clinicians, "
            "prefer `codesign workshop` (forms only, no code)."
        ),
    )
    add_server(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start JupyterLab and wait for it; Ctrl-C or SIGTERM stops it."""
    from codesign import i18n
    from codesign.jupyter.lab import LabOptions, lab_command, run_lab
    from codesign.project import Project

    project = Project.at(args.project)
    options = LabOptions(
        port=args.port,
        open_browser=not args.no_browser,
        allow_root=args.allow_root,
        language=i18n.current_language(),  # the charter's, as written, unless told otherwise
    )
    command = lab_command(project, options)

    def ready() -> None:
        print(f"JupyterLab on {project.root} (127.0.0.1 only). Stop it with Ctrl-C.")
        print(f"Workshop forms: {command.url}", flush=True)

    return run_lab(command, ready)

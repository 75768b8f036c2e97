"""Configuration, in one place.

Precedence, highest first, for every setting that has more than one source:

1. an explicit argument (a CLI option such as ``--project``, or a keyword of a library call);
2. an environment variable (``CODESIGN_*``);
3. the project (its folder layout of DESIGN.md section 3, its charter);
4. the defaults below, which serve one team on one machine with files and SQLite.

The same code scales out by configuration only: point ``CODESIGN_TRACKING_URI`` at an MLflow
server on PostgreSQL, give ``codesign check`` a ``postgresql://`` table URL.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

CHARTER_FILENAME: Final = "codesign.yaml"
"""The charter's file name at a project's root; a folder holding it is a codesign project."""

MAX_CHARTER_BYTES: Final = 1 << 20
"""Charters above 1 MiB are refused before parsing: a real one is a few kilobytes."""

MAX_YAML_DEPTH: Final = 32
"""Nesting deeper than this is refused: the charter format needs five levels."""

ENV_TRACKING_URI: Final = "CODESIGN_TRACKING_URI"
"""Overrides the embedded tracking store (``http://127.0.0.1:5000``, ``postgresql://...``)."""

ENV_ARTIFACT_ROOT: Final = "CODESIGN_ARTIFACT_ROOT"
"""Where artifacts go when ``CODESIGN_TRACKING_URI`` points at a database."""

TELEMETRY_OFF: Final[Mapping[str, str]] = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "GX_ANALYTICS_ENABLED": "False",
    "MLFLOW_ALLOW_PICKLE_DESERIALIZATION": "false",
}
"""Environment that keeps MLflow and Great Expectations from phoning home or unpickling."""


def quiet_telemetry(environ: dict[str, str] | None = None) -> None:
    """Switch telemetry and pickle loading off before a heavy library is imported.

    Uses ``setdefault`` so that an operator who deliberately set one of these keeps their value;
    called by each layer right before its lazy import, and by the CLI at start.
    """
    env = os.environ if environ is None else environ
    for key, value in TELEMETRY_OFF.items():
        env.setdefault(key, value)


def configured_tracking_uri(override: str | None = None) -> str | None:
    """The tracking URI given explicitly or by the environment, if any.

    An argument wins over ``CODESIGN_TRACKING_URI``; with neither, ``None``, and the project's
    embedded store is used (:meth:`codesign.project.Project.tracking_uri`).
    """
    if override:
        return override
    return os.environ.get(ENV_TRACKING_URI, "").strip() or None

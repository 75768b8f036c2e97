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

ENV_MLFLOW_TRACKING_URI: Final = "MLFLOW_TRACKING_URI"
"""MLflow's own variable: honoured after ``CODESIGN_TRACKING_URI``, so a machine already set up
for MLflow logs iterations where its MLflow users look for runs."""

ENV_ARTIFACT_ROOT: Final = "CODESIGN_ARTIFACT_ROOT"
"""Where artifacts go when ``CODESIGN_TRACKING_URI`` points at a database."""

ENV_PROJECT: Final = "CODESIGN_PROJECT"
"""The project a workshop page shows: set by ``codesign workshop`` for its page kernels."""

ENV_FACILITATOR_KEY: Final = "CODESIGN_FACILITATOR_KEY"
"""The facilitator page's key, set by ``codesign workshop`` for its page kernels. The room
shares one token (the participants' link); the facilitator's link carries this key as well, so
a participant who edits their link's page name gets no facilitator forms."""

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

    First found of: ``override`` (``--tracking-uri``, a library call's ``tracking_uri=``),
    ``CODESIGN_TRACKING_URI``, ``MLFLOW_TRACKING_URI`` (MLflow's own variable, so a machine set up
    for MLflow logs iterations where its MLflow users look for runs). With none, ``None``, and
    the project's embedded store ``sqlite:///<project>/mlruns/mlflow.db`` is used
    (:meth:`codesign.project.Project.tracking_uri`).
    """
    if override and override.strip():
        return override.strip()
    for name in (ENV_TRACKING_URI, ENV_MLFLOW_TRACKING_URI):
        from_env = os.environ.get(name, "").strip()
        if from_env:
            return from_env
    return None

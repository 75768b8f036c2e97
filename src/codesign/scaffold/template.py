"""The Cookiecutter template and the report notebook, as shipped package data.

Both live at the top of the repository (``cookiecutter/``, ``templates/reports/``) and are linked
into the package, so a wheel carries them; they are always found through
:mod:`importlib.resources`, never relative to a source file.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from codesign.exceptions import ScaffoldError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from codesign.scaffold.spec import ProjectSpec

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def template_dir() -> Iterator[Path]:
    """The Cookiecutter template folder (holding ``cookiecutter.json``), as a real path."""
    with resources.as_file(resources.files("codesign") / "cookiecutter") as path:
        if not (path / "cookiecutter.json").is_file():
            msg = f"{path}: codesign's project template is missing (a broken installation?)"
            raise ScaffoldError(msg)
        yield path


def report_notebook_bytes() -> bytes:
    """The report notebook every project starts with (``templates/reports/report.ipynb``)."""
    resource = resources.files("codesign") / "templates" / "reports" / "report.ipynb"
    try:
        return resource.read_bytes()
    except OSError as e:
        msg = "codesign's report notebook template is missing (a broken installation?)"
        raise ScaffoldError(msg) from e


def render(spec: ProjectSpec, output_dir: Path) -> Path:
    """Render the template for ``spec`` into ``output_dir``; returns the new project folder.

    Cookiecutter is configured here, not by the user's ``~/.cookiecutterrc`` (whose
    ``default_context`` would change what is generated): replay files, which hold every answer,
    go to a temporary folder that is removed afterwards, never to the user's home. The template's
    hooks are not run: the caller runs the same library functions in this process.
    """
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.main import cookiecutter

    with template_dir() as template, tempfile.TemporaryDirectory(prefix="codesign-cc-") as tmp:
        config = {
            "replay_dir": str(Path(tmp) / "replay"),
            "cookiecutters_dir": str(Path(tmp) / "cookiecutters"),
            "default_context": {},
            "abbreviations": {},
        }
        try:
            project = cookiecutter(
                str(template),
                no_input=True,
                extra_context=spec.context(),
                output_dir=str(output_dir),
                default_config=config,
                accept_hooks=False,
            )
        except CookiecutterException as e:
            msg = f"cannot render the project template: {e}"
            raise ScaffoldError(msg) from e
    logger.debug("rendered %s", project)
    return Path(project)

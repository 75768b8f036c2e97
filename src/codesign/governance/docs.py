"""Publishing Great Expectations Data Docs under the project's ``governance/data_docs/``.

Great Expectations writes its static site file by file. It writes into a fresh temporary
folder next to the published one; the gate checks the pages for any rendered table of
unexpected values, then swaps the folders under the governance folder's lock, so a reader (or a
second gate running at the same time) sees the previous site or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign.exceptions import GovernanceError
from codesign.fileio import folder_lock
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)

DOCS_DIR: Final = "data_docs"
VALUE_TABLE_MARKERS: Final = ("Unexpected Value", "Sampled Unexpected Values", "Unexpected Index")
"""Headings Great Expectations gives to tables of values; none may appear in the site."""


@contextlib.contextmanager
def staging(governance_dir: Path) -> Iterator[Path]:
    """A temporary folder beside the published site; removed unless published."""
    try:
        governance_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{DOCS_DIR}-", dir=governance_dir))
    except OSError as e:
        msg = f"{governance_dir}: cannot write gate results there ({os_reason(e)})"
        raise GovernanceError(msg) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_pages(site: Path) -> None:
    """Refuse a site with a rendered table of unexpected values (a safety net)."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        found = [marker for marker in VALUE_TABLE_MARKERS if marker in text]
        if found:
            msg = f"refusing to publish Data Docs: {page.name} shows {found[0]!r}"
            raise GovernanceError(msg)


def publish(site: Path, governance_dir: Path) -> Path:
    """Make ``site`` the published Data Docs; returns the published ``index.html``."""
    check_pages(site)
    target = governance_dir / DOCS_DIR
    with folder_lock(governance_dir):
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{DOCS_DIR}-old-", dir=governance_dir))
            os.replace(target, old / DOCS_DIR)
        os.replace(site, target)
        site.mkdir()  # the staging context removes an (empty) folder at its path
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    logger.debug("published Data Docs at %s", target)
    return target / "index.html"

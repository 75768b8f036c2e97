"""The demo's folder: created fresh, replaced only when it is an earlier demo and the user agrees.

The demo writes only inside its folder. A folder is recognised as an earlier demo by the marker
file :data:`MARKER` written before anything else, so a demo interrupted half way is recognised
too. Anything else (a folder with other files, a file, a symbolic link) is never touched, even
with ``force``: the user picks another ``--dir``.
"""

from __future__ import annotations

import json
import logging
import shutil
from typing import TYPE_CHECKING, Final

from codesign.exceptions import DemoError, FileWriteError
from codesign.fileio import REPLACE_ANY, atomic_write_text
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

logger = logging.getLogger(__name__)

MARKER: Final = ".codesign-demo"
"""Written first in a demo folder; only a folder holding it is ever replaced."""


def prepare_folder(
    folder: Path, *, force: bool = False, confirm: Callable[[str], bool] | None = None
) -> Path:
    """Make ``folder`` an empty demo folder holding only the marker; returns its absolute path.

    An existing earlier demo is replaced when ``force`` is set or ``confirm(question)`` says
    yes; with neither, :class:`DemoError` says how to replace it. Raises :class:`DemoError` for a
    folder that is not a demo, a file, a symbolic link or a place that cannot be written.
    """
    folder = folder.expanduser().absolute()
    if folder.is_symlink():
        msg = f"{folder}: is a symbolic link; give the demo a real folder with --dir"
        raise DemoError(msg)
    if folder.exists() and not folder.is_dir():
        msg = f"{folder}: exists and is not a folder; choose another --dir"
        raise DemoError(msg)
    if folder.is_dir() and any(folder.iterdir()):
        if not (folder / MARKER).is_file():
            msg = (
                f"{folder}: the folder holds files that are not a codesign demo; nothing was "
                "changed. Choose another --dir (the demo only replaces a folder it made)"
            )
            raise DemoError(msg)
        question = f"{folder} holds an earlier demo. Replace it?"
        if not (force or (confirm is not None and confirm(question))):
            msg = f"{folder}: holds an earlier demo; run again with --force to replace it"
            raise DemoError(msg)
        _remove(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        marker = json.dumps({"codesign_demo": 1}) + "\n"
        atomic_write_text(folder / MARKER, marker, expected_sha256=REPLACE_ANY)
    except OSError as e:
        msg = f"{folder}: cannot create the demo folder ({os_reason(e)})"
        raise DemoError(msg) from e
    except FileWriteError as e:
        msg = f"{folder}: cannot create the demo folder ({e})"
        raise DemoError(msg) from e
    return folder


def _remove(folder: Path) -> None:
    """Delete an earlier demo's contents, the marker last, so a half-deleted demo is still one."""
    logger.info("replacing the earlier demo in %s", folder)
    try:
        for entry in sorted(folder.iterdir()):
            if entry.name == MARKER:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    except OSError as e:
        msg = f"{folder}: cannot remove the earlier demo ({os_reason(e)})"
        raise DemoError(msg) from e

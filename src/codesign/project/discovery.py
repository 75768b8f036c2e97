"""Finding projects: every folder holding a charter under some roots, quickly, on a share.

A hospital's file share holds hundreds of projects and folders some users cannot open; the
search skips the bulky folders of a project, never descends into a project once found, and lists
the folders it could not enter instead of silently showing fewer initiatives than there are.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign import config
from codesign.project.layout import BULKY_DIRS
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

logger = logging.getLogger(__name__)

_SKIP_DIRS: Final = BULKY_DIRS | {"node_modules", "__pycache__", "site-packages"}


@dataclass(frozen=True)
class UnreadableFolder:
    """A folder under the roots that could not be searched: it may hide a project."""

    path: Path
    reason: str
    """Why, in the operating system's words (``Permission denied``); never file content."""


@dataclass(frozen=True)
class ProjectScan:
    """What a search of the roots found: project folders, and folders it could not enter."""

    projects: tuple[Path, ...]
    unreadable: tuple[UnreadableFolder, ...] = ()


def find_projects(roots: Iterable[Path | str]) -> list[Path]:
    """Every project folder under ``roots`` (a root may itself be a project), sorted.

    Hidden folders and the bulky folders of a project (data, mlruns, reports) are not searched,
    and the search does not descend into a project once found, so a file share with hundreds of
    projects is scanned quickly. Folders that cannot be read are skipped (and logged); see
    :func:`scan_projects` to list them.
    """
    return list(scan_projects(roots).projects)


def scan_projects(roots: Iterable[Path | str]) -> ProjectScan:
    """:func:`find_projects`, with the folders that could not be searched and why.

    On a shared drive some folders are closed to whoever runs the scan; a portfolio lists them
    rather than silently showing fewer initiatives than there are.
    """
    found: set[Path] = set()
    unreadable: dict[Path, UnreadableFolder] = {}
    for root in roots:
        for item in _walk(Path(root)):
            if isinstance(item, UnreadableFolder):
                unreadable.setdefault(item.path, item)
            else:
                found.add(item)
    return ProjectScan(
        projects=tuple(sorted(found)),
        unreadable=tuple(unreadable[path] for path in sorted(unreadable)),
    )


def _walk(folder: Path) -> Iterator[Path | UnreadableFolder]:
    try:
        is_project = (folder / config.CHARTER_FILENAME).is_file()
        entries = [] if is_project else list(os.scandir(folder))
    except OSError as e:
        reason = os_reason(e)
        logger.warning("cannot scan %s: %s", folder, reason)
        yield UnreadableFolder(folder.absolute(), reason)
        return
    if is_project:
        yield folder.resolve()
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SKIP_DIRS:
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(Path(entry.path))

"""The demo's folder: created fresh; on replacing, only what the demo itself wrote is removed.

The demo writes only inside its folder. The marker file :data:`MARKER`, written before anything
else, is the demo's manifest: it names the folder it was written in (device and inode, so a
marker copied into another folder proves nothing) and every entry the demo makes there, each
listed *before* it is made (:func:`claim`), so a demo interrupted half way is recognised and
replaced too. Replacing an earlier demo removes exactly the entries its manifest lists; anything
else in the folder (a person's notes, a marker copied from elsewhere) is never touched, even with
``force``. A folder with content and no valid manifest, a file, or a symbolic link is refused.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign.exceptions import DemoError, FileReadError, FileWriteError
from codesign.fileio import REPLACE_ANY, atomic_write_text, read_user_file
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

logger = logging.getLogger(__name__)

MARKER: Final = ".codesign-demo"
"""Written first in a demo folder: the manifest of what the demo made there."""
MANIFEST_VERSION: Final = 2
_MAX_MARKER_BYTES: Final = 64 * 1024


@dataclass(frozen=True)
class Manifest:
    """What a demo made in its folder: the folder's identity and the entries it created."""

    device: int
    inode: int
    entries: tuple[str, ...] = ()

    def to_json(self) -> str:
        data = {
            "codesign_demo": MANIFEST_VERSION,
            "folder": {"device": self.device, "inode": self.inode},
            "entries": list(self.entries),
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def for_folder(cls, folder: Path, entries: tuple[str, ...] = ()) -> Manifest:
        info = folder.stat()
        return cls(info.st_dev, info.st_ino, entries)


def prepare_folder(
    folder: Path, *, force: bool = False, confirm: Callable[[str], bool] | None = None
) -> Path:
    """Make ``folder`` a demo folder with an empty manifest; returns its absolute path.

    An earlier demo is replaced (its listed entries removed, nothing else) when ``force`` is set
    or ``confirm(question)`` says yes; with neither, :class:`DemoError` says how to replace it.
    Raises :class:`DemoError` for a folder with content that no valid manifest of this folder
    accounts for, a file, a symbolic link or a place that cannot be written.
    """
    folder = folder.expanduser().absolute()
    if folder.is_symlink():
        msg = f"{folder}: is a symbolic link; give the demo a real folder with --dir"
        raise DemoError(msg)
    if folder.exists() and not folder.is_dir():
        msg = f"{folder}: exists and is not a folder; choose another --dir"
        raise DemoError(msg)
    if folder.is_dir() and any(folder.iterdir()):
        manifest = _earlier_manifest(folder)
        question = f"{folder} holds an earlier demo. Replace it?"
        if not (force or (confirm is not None and confirm(question))):
            msg = f"{folder}: holds an earlier demo; run again with --force to replace it"
            raise DemoError(msg)
        _remove(folder, manifest)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder, Manifest.for_folder(folder))
    except OSError as e:
        msg = f"{folder}: cannot create the demo folder ({os_reason(e)})"
        raise DemoError(msg) from e
    return folder


def claim(folder: Path, name: str) -> Path:
    """List ``name`` in the demo's manifest before the demo creates ``folder / name``.

    Listed first, made second: an interrupted demo's entry is still the demo's to replace.
    Raises :class:`DemoError` when the entry exists already and is not the demo's.
    """
    manifest = _read_manifest(folder)
    if manifest is None:
        msg = f"{folder}: no demo manifest ({MARKER}); prepare the folder first"
        raise DemoError(msg)
    target = folder / name
    if name not in manifest.entries:
        if os.path.lexists(target):
            msg = f"{target}: exists and was not made by the demo; nothing was changed"
            raise DemoError(msg)
        _write(folder, Manifest(manifest.device, manifest.inode, (*manifest.entries, name)))
    return target


def _earlier_manifest(folder: Path) -> Manifest:
    """The manifest of the earlier demo in ``folder``, or :class:`DemoError` saying why not."""
    not_ours = (
        f"{folder}: the folder holds files that are not a codesign demo; nothing was "
        "changed. Choose another --dir (the demo only replaces a folder it made)"
    )
    manifest = _read_manifest(folder)
    if manifest is None:
        raise DemoError(not_ours)
    info = folder.stat()
    if (manifest.device, manifest.inode) != (info.st_dev, info.st_ino):
        msg = (
            f"{folder}: its {MARKER} was made for another folder (copied here?); nothing was "
            "changed. Choose another --dir"
        )
        raise DemoError(msg)
    return manifest


def _read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest; ``None`` when there is none or it is not one this demo wrote."""
    path = folder / MARKER
    if path.is_symlink():
        return None
    try:
        data = json.loads(read_user_file(path, limit=_MAX_MARKER_BYTES, what="demo manifest"))
    except FileNotFoundError:
        return None
    except (FileReadError, ValueError) as e:
        logger.warning("%s: not a demo manifest (%s)", path, type(e).__name__)
        return None
    try:
        if data["codesign_demo"] != MANIFEST_VERSION:
            return None
        entries = tuple(data["entries"])
        identity = (int(data["folder"]["device"]), int(data["folder"]["inode"]))
    except (KeyError, TypeError, ValueError):
        return None
    if not all(_plain_name(e) for e in entries):
        return None
    return Manifest(*identity, entries)


def _plain_name(entry: object) -> bool:
    """An entry name inside the folder: no separator, not ``..``, not the marker itself."""
    return (
        isinstance(entry, str)
        and entry not in ("", ".", "..", MARKER)
        and "/" not in entry
        and os.sep not in entry
        and "\0" not in entry
    )


def _write(folder: Path, manifest: Manifest) -> None:
    try:
        atomic_write_text(folder / MARKER, manifest.to_json(), expected_sha256=REPLACE_ANY)
    except FileWriteError as e:
        msg = f"{folder}: cannot write the demo manifest ({e})"
        raise DemoError(msg) from e


def _remove(folder: Path, manifest: Manifest) -> None:
    """Delete the entries the earlier demo listed, nothing else; the manifest is rewritten last.

    A link the demo's entry was replaced with is removed as a link, never followed.
    """
    logger.info("replacing the earlier demo in %s", folder)
    kept = sorted(set(os.listdir(folder)) - {*manifest.entries, MARKER})
    if kept:
        logger.info("keeping what the demo did not make in %s: %d entries", folder, len(kept))
    try:
        for name in manifest.entries:
            entry = folder / name
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            elif os.path.lexists(entry):
                entry.unlink()
    except OSError as e:
        msg = f"{folder}: cannot remove the earlier demo ({os_reason(e)})"
        raise DemoError(msg) from e

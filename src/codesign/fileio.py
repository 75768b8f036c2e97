"""Atomic, conflict-checked writes of the files people care about.

Every file codesign writes for a user (the charter, feedback records, gate results, reports) goes
through :func:`atomic_write`: the bytes go to a temporary file in the same folder, are flushed
and fsynced, and only then replace the target with :func:`os.replace`. A crash at any point leaves
either the old file or the new one, never a truncated mix.

Optimistic concurrency: a caller that loaded a file passes the SHA-256 of what it loaded. Under a
lock on the folder, the file on disk is hashed again; if someone else (another kernel, a text
editor) wrote it meanwhile, nothing is written and :class:`~codesign.exceptions.ConflictError`
is raised, so no work is overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import tempfile
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign.exceptions import ConflictError, FileWriteError
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

logger = logging.getLogger(__name__)

_NO_HARD_LINKS: Final = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})


class Overwrite(Enum):
    """What :func:`atomic_write` may replace."""

    ANY = "any"
    """Replace whatever is there (generated outputs that nobody edits by hand)."""
    NEVER = "never"
    """Create only: fail if the target exists."""


MUST_NOT_EXIST: Final = Overwrite.NEVER
REPLACE_ANY: Final = Overwrite.ANY


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, *, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's content, streamed so large extracts never sit in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def read_if_exists(path: Path) -> bytes | None:
    """The file's bytes, or ``None`` if it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``folder`` while checking and replacing a file in it.

    The lock is taken on the directory itself (``flock`` on its descriptor), so no lock file is
    ever left behind. Where ``fcntl`` does not exist (Windows) the check still happens, without
    the lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def atomic_write(
    path: Path,
    data: bytes,
    *,
    expected_sha256: str | Overwrite,
    mode: int = 0o644,
) -> str:
    """Write ``data`` to ``path`` atomically and return the new content's SHA-256.

    ``expected_sha256`` says what may be replaced: the hex digest of the version the caller
    loaded (the file must still hold exactly that), :data:`MUST_NOT_EXIST`, or
    :data:`REPLACE_ANY`. Raises :class:`ConflictError` when the file on disk is not what the caller
    expects, and :class:`FileWriteError` when the write itself fails; in both cases the file
    on disk is untouched.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        msg = f"{path}: cannot write, folder {folder} does not exist"
        raise FileWriteError(msg)
    tmp_path = _write_temp(folder, path.name, data, mode)
    renamed = False
    try:
        with folder_lock(folder):
            if expected_sha256 is Overwrite.NEVER:
                renamed = _create_new(tmp_path, path)
            else:
                if expected_sha256 is not Overwrite.ANY:
                    _check_unchanged(path, expected_sha256)
                os.replace(tmp_path, path)
                renamed = True
        _fsync_folder(folder)
    except OSError as e:
        msg = f"{path}: could not write ({os_reason(e)}); the previous version is intact"
        raise FileWriteError(msg) from e
    finally:
        if not renamed:
            with contextlib.suppress(FileNotFoundError):
                tmp_path.unlink()
    logger.debug("wrote %s (%d bytes)", path, len(data))
    return sha256_bytes(data)


def update_file(path: Path, transform: Callable[[bytes | None], bytes]) -> str:
    """Read-modify-write ``path`` under the folder lock; returns the new content's SHA-256.

    ``transform`` receives the current bytes (``None`` if the file does not exist) and returns
    the new bytes. Holding the lock across the read and the write makes concurrent updates from
    codesign processes (two kernels appending feedback) serialise instead of conflicting.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        msg = f"{path}: cannot write, folder {folder} does not exist"
        raise FileWriteError(msg)
    with folder_lock(folder):
        data = transform(read_if_exists(path))
        tmp_path = _write_temp(folder, path.name, data, 0o644)
        try:
            os.replace(tmp_path, path)
        except OSError as e:
            with contextlib.suppress(FileNotFoundError):
                tmp_path.unlink()
            msg = f"{path}: could not write ({os_reason(e)}); the previous version is intact"
            raise FileWriteError(msg) from e
    _fsync_folder(folder)
    return sha256_bytes(data)


def atomic_write_text(
    path: Path,
    text: str,
    *,
    expected_sha256: str | Overwrite,
) -> str:
    """:func:`atomic_write` for UTF-8 text."""
    return atomic_write(path, text.encode("utf-8"), expected_sha256=expected_sha256)


def _write_temp(folder: Path, name: str, data: bytes, mode: int) -> Path:
    """Write ``data`` to a hidden temporary file next to the target, flushed to disk."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        msg = f"{folder / name}: could not create a temporary file ({os_reason(e)})"
        raise FileWriteError(msg) from e
    tmp_path = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        tmp_path.chmod(mode)
    except OSError as e:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        msg = f"{folder / name}: could not write ({os_reason(e)}); the previous version is intact"
        raise FileWriteError(msg) from e
    return tmp_path


def _create_new(tmp_path: Path, path: Path) -> bool:
    """Give the finished temporary file its final name, failing if that name is taken.

    ``os.link`` is atomic create-if-absent, so a file that appears between any check and the
    write (a text editor saving at the same moment) is never clobbered. File systems without
    hard links (some network shares) fall back to check-then-rename under the folder lock.
    Returns whether the temporary file was consumed (renamed) rather than linked.
    """
    try:
        os.link(tmp_path, path)
    except FileExistsError as e:
        msg = f"{path}: already exists; refusing to overwrite it"
        raise ConflictError(msg, path=path) from e
    except OSError as e:
        if e.errno not in _NO_HARD_LINKS:
            raise
        if path.exists():
            msg = f"{path}: already exists; refusing to overwrite it"
            raise ConflictError(msg, path=path) from e
        os.replace(tmp_path, path)
        return True
    return False


def _check_unchanged(path: Path, expected: str) -> None:
    """Raise :class:`ConflictError` unless the file on disk still hashes to ``expected``."""
    current = read_if_exists(path)
    if current is None:
        msg = f"{path}: was deleted or moved since it was loaded; nothing was written"
        raise ConflictError(msg, path=path)
    if sha256_bytes(current) != expected:
        msg = f"{path}: modified elsewhere since it was loaded; nothing was written"
        raise ConflictError(msg, path=path, theirs=current.decode("utf-8", errors="replace"))


def _fsync_folder(folder: Path) -> None:
    """Persist the rename itself; a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - not POSIX
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)

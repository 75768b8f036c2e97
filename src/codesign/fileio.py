"""Safe reads and atomic, conflict-checked writes of the files people care about.

Reading a user's file (:func:`read_user_file`, :func:`open_user_file`,
:func:`check_regular_file`): the path must name a regular file, checked *before* anything is
read, and what is read is bounded. A FIFO would block the reader forever and ``/dev/zero`` never
ends; both are refused at once with a message naming the file, as Python's ``tarfile`` filters
refuse special files.

Writing inside a project (:func:`project_folder`, ``within=`` of :func:`atomic_write`): every
folder between the project's root and the file must be a real folder, not a symbolic link, and
the resolved target must still be inside the root when the file is renamed into place, so a link
planted in ``reports/`` cannot turn a scheduled run against a file elsewhere. Files are created
with the permissions the process's umask allows (a file replaced keeps its own), never forced
wider.

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
import secrets
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign.exceptions import ConflictError, FileReadError, FileWriteError
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import BinaryIO

logger = logging.getLogger(__name__)

_NO_HARD_LINKS: Final = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})
_O_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK: Final = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC: Final = getattr(os, "O_CLOEXEC", 0)
_O_NOCTTY: Final = getattr(os, "O_NOCTTY", 0)
_TEMP_ATTEMPTS: Final = 100

MIB: Final = 1024 * 1024
SMALL_FILE_LIMIT: Final = 16 * MIB
"""Default size allowed for a small file codesign reads whole (a charter, a state file)."""


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
    with open_user_file(path) as stream:
        while chunk := stream.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def read_if_exists(path: Path, *, limit: int = SMALL_FILE_LIMIT) -> bytes | None:
    """The file's bytes (see :func:`read_user_file`), or ``None`` if it does not exist."""
    try:
        return read_user_file(path, limit=limit)
    except FileNotFoundError:
        return None


# --- reading a user's file ---------------------------------------------------------------------


def _kind(mode: int) -> str:
    """What a non-regular file is, in words a person knows."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_regular_file(path: Path, *, what: str = "file", limit: int | None = None) -> int:
    """Check that ``path`` is a regular file (at most ``limit`` bytes); returns its size.

    For files handed by path to a library that opens them itself (pandas, pyarrow): a FIFO or a
    device is refused before that library can block on it or read it without end. Raises
    ``FileNotFoundError`` when there is no such file (callers word that themselves), and
    :class:`FileReadError` otherwise.
    """
    try:
        info = Path(path).stat()
    except FileNotFoundError:
        raise
    except OSError as e:
        raise _unreadable(path, e) from e
    _check_stat(path, info, what=what, limit=limit)
    return info.st_size


def _check_stat(path: Path, info: os.stat_result, *, what: str, limit: int | None) -> None:
    if not stat.S_ISREG(info.st_mode):
        msg = f"{path}: is {_kind(info.st_mode)}, expected a regular file ({what})"
        raise FileReadError(msg)
    if limit is not None and info.st_size > limit:
        msg = (
            f"{path}: {_size(info.st_size)}, more than the {_size(limit)} a {what} may have; "
            "nothing was read"
        )
        raise FileReadError(msg)


def _unreadable(path: Path, error: OSError) -> FileReadError:
    return FileReadError(f"{path}: cannot read ({os_reason(error)})")


def _size(count: int) -> str:
    return f"{count / MIB:.1f} MiB" if count >= MIB else f"{count} bytes"


def open_user_file(path: Path, *, what: str = "file", limit: int | None = None) -> BinaryIO:
    """Open a user's regular file for reading in binary, without ever blocking on the open.

    The path is checked (:func:`check_regular_file`) and then opened non-blocking, and the open
    file checked again (the same file, still regular), so a FIFO swapped in between is refused
    too. ``limit`` bounds the size the file has when opened; a reader that must also bound what
    it reads from a growing file uses :func:`read_user_file`. Raises ``FileNotFoundError`` or
    :class:`FileReadError`.
    """
    check_regular_file(path, what=what, limit=limit)
    flags = os.O_RDONLY | _O_NONBLOCK | _O_CLOEXEC | _O_NOCTTY
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as e:
        raise _unreadable(path, e) from e
    try:
        _check_stat(path, os.fstat(fd), what=what, limit=limit)
        if _O_NONBLOCK:
            import fcntl

            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~_O_NONBLOCK)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_user_file(path: Path, *, limit: int = SMALL_FILE_LIMIT, what: str = "file") -> bytes:
    """The whole content of a user's regular file of at most ``limit`` bytes.

    The one way codesign reads a file whole: refused before reading when it is not a regular
    file or is larger than ``limit``, and never more than ``limit`` bytes read even if the file
    grows meanwhile. Raises ``FileNotFoundError`` or :class:`FileReadError`.
    """
    with open_user_file(path, what=what, limit=limit) as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as e:
            raise _unreadable(path, e) from e
    if len(data) > limit:
        msg = f"{path}: grew past the {_size(limit)} a {what} may have while read; nothing kept"
        raise FileReadError(msg)
    return data


# --- writing inside a project ------------------------------------------------------------------


def project_folder(root: Path, relative: Path | str, *, create: bool = True) -> Path:
    """``root / relative``, every folder below ``root`` real (not a symbolic link), made if missing.

    The place to write a project's generated files (reports, gate results, the tracking store):
    a symbolic link planted at ``reports/`` or ``reports/sub`` is refused with
    :class:`FileWriteError`, so nothing is ever written through it. ``root`` itself may be
    reached through links (a share mounted via a link); what is below it must not.
    """
    current = Path(root)
    for part in Path(relative).parts:
        if part in ("", ".", "..") or os.sep in part:
            msg = f"{root / relative}: not a plain folder path inside {root}"
            raise FileWriteError(msg)
        current = current / part
        if create:
            try:
                current.mkdir()
            except FileExistsError:
                pass  # checked below: a real folder, not a link or a file
            except OSError as e:
                msg = f"{current}: cannot create the folder ({os_reason(e)})"
                raise FileWriteError(msg) from e
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return Path(root) / relative
        except OSError as e:
            msg = f"{current}: cannot use the folder ({os_reason(e)})"
            raise FileWriteError(msg) from e
        _real_folder(
            current,
            info,
            link=(
                f"codesign writes only inside the project {root}, never through a link "
                "(nothing was written). Replace the link with a folder"
            ),
            expected="a folder",
        )
    return current


def _real_folder(path: Path, info: os.stat_result, *, link: str, expected: str) -> None:
    """Raise :class:`FileWriteError` unless ``info`` (``lstat`` of ``path``) is a real folder.

    ``link`` says why a symbolic link is refused there; ``expected`` what the folder is for.
    """
    if stat.S_ISLNK(info.st_mode):
        msg = f"{path}: is a symbolic link; {link}"
        raise FileWriteError(msg)
    if not stat.S_ISDIR(info.st_mode):
        kind = "a file" if stat.S_ISREG(info.st_mode) else _kind(info.st_mode)
        msg = f"{path}: is {kind}, expected {expected} (nothing was written)"
        raise FileWriteError(msg)


def output_folder(folder: Path, *, what: str = "output folder") -> Path:
    """``folder`` made if missing, for files a command writes where the user said (``--out``).

    Unlike :func:`project_folder`, the folder may be anywhere; it must itself be a real folder:
    a symbolic link or a file in its place is a :class:`FileWriteError` naming ``what`` it was
    meant to be, and nothing is written.
    """
    try:
        info = os.lstat(folder)
    except (FileNotFoundError, NotADirectoryError):
        info = None  # made below, or said below why it cannot be
    except OSError as e:
        msg = f"{folder}: cannot use the {what} ({os_reason(e)})"
        raise FileWriteError(msg) from e
    if info is not None:
        _real_folder(
            folder,
            info,
            link=f"the {what} must be a real folder (nothing was written)",
            expected=f"a folder for the {what}",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        msg = f"{folder}: cannot create the folder ({os_reason(e)})"
        raise FileWriteError(msg) from e
    return folder


def check_inside(path: Path, root: Path) -> None:
    """Raise :class:`FileWriteError` unless ``path``'s folder resolves to a place under ``root``.

    The last check before a file is renamed into place: a folder swapped for a link after
    :func:`project_folder` checked it is caught here.
    """
    folder = Path(path).parent.resolve()
    if not folder.is_relative_to(Path(root).resolve()):
        msg = (
            f"{path}: leads out of {root} (to {folder}) through a symbolic link; "
            "nothing was written"
        )
        raise FileWriteError(msg)


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
    within: Path | None = None,
) -> str:
    """Write ``data`` to ``path`` atomically and return the new content's SHA-256.

    ``expected_sha256`` says what may be replaced: the hex digest of the version the caller
    loaded (the file must still hold exactly that), :data:`MUST_NOT_EXIST`, or
    :data:`REPLACE_ANY`. Raises :class:`ConflictError` when the file on disk is not what the caller
    expects, and :class:`FileWriteError` when the write itself fails; in both cases the file
    on disk is untouched.

    A new file gets ``mode`` as the umask allows; a replaced file keeps its permissions. With
    ``within`` (a project's root), the file must land inside that folder (:func:`check_inside`).
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        msg = f"{path}: cannot write, folder {folder} does not exist"
        raise FileWriteError(msg)
    tmp_path = _write_temp(folder, path.name, data, _mode_for(path, mode))
    renamed = False
    try:
        with folder_lock(folder):
            if within is not None:
                check_inside(path, within)
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


def update_file(
    path: Path, transform: Callable[[bytes | None], bytes], *, within: Path | None = None
) -> str:
    """Read-modify-write ``path`` under the folder lock; returns the new content's SHA-256.

    ``transform`` receives the current bytes (``None`` if the file does not exist) and returns
    the new bytes. Holding the lock across the read and the write makes concurrent updates from
    codesign processes (two kernels appending feedback) serialise instead of conflicting.
    ``within`` as for :func:`atomic_write`.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        msg = f"{path}: cannot write, folder {folder} does not exist"
        raise FileWriteError(msg)
    with folder_lock(folder):
        if within is not None:
            check_inside(path, within)
        data = transform(read_if_exists(path))
        tmp_path = _write_temp(folder, path.name, data, _mode_for(path, 0o644))
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
    within: Path | None = None,
) -> str:
    """:func:`atomic_write` for UTF-8 text."""
    return atomic_write(path, text.encode("utf-8"), expected_sha256=expected_sha256, within=within)


@dataclass(frozen=True)
class _Mode:
    bits: int
    keep: bool
    """``True``: set exactly these bits (a replaced file's); ``False``: as the umask allows."""


def _mode_for(path: Path, default: int) -> _Mode:
    """A replaced regular file keeps its permissions; anything else gets ``default`` & ~umask."""
    try:
        info = os.lstat(path)
    except OSError:
        return _Mode(default, keep=False)
    if stat.S_ISREG(info.st_mode):
        return _Mode(stat.S_IMODE(info.st_mode), keep=True)
    return _Mode(default, keep=False)


def _write_temp(folder: Path, name: str, data: bytes, mode: _Mode) -> Path:
    """Write ``data`` to a hidden temporary file next to the target, flushed to disk.

    Created exclusively and without following links (``O_EXCL | O_NOFOLLOW``) with ``mode``, so
    the kernel applies the umask, unlike ``mkstemp``'s fixed 0600 that a later chmod widens.
    """
    fd, tmp_path = _create_temp(folder, name, mode.bits)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            if mode.keep and hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), mode.bits)
            os.fsync(stream.fileno())
    except OSError as e:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        msg = f"{folder / name}: could not write ({os_reason(e)}); the previous version is intact"
        raise FileWriteError(msg) from e
    return tmp_path


def _create_temp(folder: Path, name: str, mode: int) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC
    for _ in range(_TEMP_ATTEMPTS):
        tmp_path = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp_path, flags, mode), tmp_path
        except FileExistsError:
            continue
        except OSError as e:
            msg = f"{folder / name}: could not create a temporary file ({os_reason(e)})"
            raise FileWriteError(msg) from e
    msg = f"{folder / name}: could not create a temporary file (every name tried was taken)"
    raise FileWriteError(msg)


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
    try:
        current = sha256_file(path)
    except FileNotFoundError:
        current = None
    if current is None:
        msg = f"{path}: was deleted or moved since it was loaded; nothing was written"
        raise ConflictError(msg, path=path)
    if current != expected:
        msg = f"{path}: modified elsewhere since it was loaded; nothing was written"
        try:
            theirs = read_if_exists(path)
        except FileReadError:
            theirs = None  # too large to show: the message says enough
        text = None if theirs is None else theirs.decode("utf-8", errors="replace")
        raise ConflictError(msg, path=path, theirs=text)


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

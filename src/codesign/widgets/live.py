"""Pages that follow the room: a light poll of the project's files, in the page's kernel.

Voilà gives each page view its own kernel and no shared memory, so a facilitator's page learns
of a participant's ratings from the project's files. A daemon thread looks every few seconds at
a cheap signature (sizes and modification times, no parsing) and calls back only when it
changed; the callback runs under the page's lock, so it never interleaves with a click.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

logger = logging.getLogger(__name__)


def files_signature(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of each file that exists (a folder: its files)."""
    found: list[tuple[str, int, int]] = []
    for path in paths:
        try:
            if path.is_dir() and not path.is_symlink():
                with os.scandir(path) as entries:
                    for entry in entries:
                        info = entry.stat(follow_symlinks=False)
                        found.append((entry.path, info.st_size, info.st_mtime_ns))
            else:
                info = path.stat(follow_symlinks=False)
                found.append((str(path), info.st_size, info.st_mtime_ns))
        except OSError:
            continue
    return tuple(sorted(found))


class Poller:
    """Call ``on_change`` (under ``lock``) whenever ``probe()`` returns something new."""

    def __init__(
        self,
        probe: Callable[[], object],
        on_change: Callable[[], None],
        lock: threading.RLock,
        *,
        interval: float = 2.0,
    ) -> None:
        self.probe = probe
        self.on_change = on_change
        self.lock = lock
        self.interval = interval
        self._last = probe()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="codesign-poll", daemon=True)

    def start(self) -> Poller:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def check(self) -> bool:
        """Look once now; ``True`` if something changed (and ``on_change`` ran)."""
        current = self.probe()
        if current == self._last:
            return False
        self._last = current
        with self.lock:
            self.on_change()
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # a bad file must not end the page's updates
                logger.exception("updating the page from the project's files failed")

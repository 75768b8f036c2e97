"""Log report runs to MLflow from a child process, beside the kernels rather than after them.

MLflow's first use in a process costs more than a whole small report: importing it and setting
up its SQLAlchemy store take two to three seconds of CPU (measured by ``bench/reports.py``).
In-process, that work would queue behind the report's own (one interpreter, one GIL). A child
process runs it on another core while the report's kernel starts and runs, so a report is
logged moments after it is written. One child serves every report of a run: MLflow is imported
once, and each project's store is opened as soon as its report starts.

The protocol is one JSON document per line on the child's stdin and stdout:

* ``{"op": "prepare", "key", "project", "experiment", "tracking_uri"}``: open the store and the
  experiment now (no reply; a failure is kept and reported by the ``log`` that follows);
* ``{"op": "log", "key", "name", "files", "charter_sha256", "started_at", "failure"}``: log the
  report run; replies ``{"key", "run_id"}`` or ``{"key", "error"}``.

The child ends when its stdin closes. If it dies, every waiting report is told, as a
:class:`~codesign.exceptions.TrackingError`, and the reports themselves are kept on disk.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from codesign.exceptions import CodesignError, TrackingError
from codesign.system import first_line, os_reason

if TYPE_CHECKING:
    from collections.abc import Iterator

    from codesign.reports.record import ReportStore

logger = logging.getLogger(__name__)

REPLY_TIMEOUT_S: Final = 600.0
"""Longest wait for one report run to be logged (a slow tracking server), then give up."""
STOP_TIMEOUT_S: Final = 30.0
NICENESS: Final = 10


class TrackingWorker:
    """The parent's side: start the child on first use, send requests, wait for replies.

    Thread-safe: reports running in parallel threads share one worker.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._pending: dict[str, concurrent.futures.Future[str]] = {}
        self._reader: threading.Thread | None = None
        self._dead: str | None = None
        self._sent = 0

    def start(self) -> None:
        """Start the child now, ahead of the first report, if it is not running yet.

        Importing MLflow is the slowest part of logging a report: started first, it is done
        by the time the first report is written.
        """
        with self._lock:
            if self._dead is None:
                self._started()

    def prepare(self, key: str, project: Path, experiment: str, tracking_uri: str) -> None:
        """Have the child open ``project``'s store and experiment while the report runs."""
        self._send(
            {
                "op": "prepare",
                "key": key,
                "project": str(project),
                "experiment": experiment,
                "tracking_uri": tracking_uri,
            }
        )

    def log(
        self,
        key: str,
        *,
        name: str,
        files: tuple[Path, ...],
        charter_sha256: str,
        started_at: dt.datetime,
        failure: str | None,
    ) -> str:
        """Log the report run prepared under ``key``; returns the MLflow run id."""
        future: concurrent.futures.Future[str] = concurrent.futures.Future()
        with self._lock:
            if self._dead is not None:
                raise TrackingError(self._dead)
            self._pending[key] = future
        self._send(
            {
                "op": "log",
                "key": key,
                "name": name,
                "files": [str(f) for f in files],
                "charter_sha256": charter_sha256,
                "started_at": started_at.isoformat(),
                "failure": failure,
            }
        )
        try:
            return future.result(timeout=REPLY_TIMEOUT_S)
        except concurrent.futures.TimeoutError:
            msg = f"the MLflow logger did not answer within {REPLY_TIMEOUT_S:g} s"
            raise TrackingError(msg) from None
        finally:
            with self._lock:
                self._pending.pop(key, None)

    def close(self) -> None:
        """Let the child finish what it was sent, then end it (at once if it was sent nothing)."""
        with self._lock:
            process, sent = self._process, self._sent
        if process is None:
            return
        if not sent:
            process.kill()  # still importing MLflow for reports that never came
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self._reader is not None:
            self._reader.join(timeout=STOP_TIMEOUT_S)
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> TrackingWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- the child process -----------------------------------------------------------------------

    def _send(self, request: dict[str, Any]) -> None:
        line = json.dumps(request) + "\n"
        with self._lock:
            if self._dead is not None:
                return  # log() raises it
            process = self._started()
            try:
                stdin = process.stdin
                if stdin is None:  # pragma: no cover - started with stdin=PIPE
                    raise OSError("no pipe to the logger")
                stdin.write(line)
                stdin.flush()
                self._sent += 1
            except OSError as e:
                self._fail_all(f"the MLflow logger stopped ({os_reason(e)})")

    def _started(self) -> subprocess.Popen[str]:
        """The child, started on first use (caller holds the lock)."""
        if self._process is None:
            from codesign.config import TELEMETRY_OFF

            env = {**os.environ, **TELEMETRY_OFF, "MLFLOW_CONFIGURE_LOGGING": "false"}
            self._process = subprocess.Popen(
                [sys.executable, "-m", "codesign.reports.tracker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env=env,
            )
            self._reader = threading.Thread(
                target=self._read, args=(self._process,), name="codesign-tracker", daemon=True
            )
            self._reader.start()
        return self._process

    def _read(self, process: subprocess.Popen[str]) -> None:
        for line in process.stdout or ():
            try:
                reply = json.loads(line)
            except ValueError:
                logger.warning("the MLflow logger wrote something unexpected; ignored")
                continue
            with self._lock:
                future = self._pending.get(str(reply.get("key")))
            if future is None:
                continue
            if "run_id" in reply:
                future.set_result(str(reply["run_id"]))
            else:
                future.set_exception(TrackingError(str(reply.get("error", "unknown error"))))
        code = process.wait()
        with self._lock:
            self._fail_all(f"the MLflow logger exited (code {code}) before logging the report")

    def _fail_all(self, message: str) -> None:
        """Fail every waiting report (caller holds the lock)."""
        self._dead = message
        for future in self._pending.values():
            if not future.done():
                future.set_exception(TrackingError(message))


# --- the child ------------------------------------------------------------------------------------


def serve(requests: IO[str], replies: IO[str]) -> None:
    """Answer requests until ``requests`` ends (the child's main loop)."""
    from codesign.project import Project
    from codesign.reports.record import log_report_run, open_report_store

    stores: dict[str, ReportStore | CodesignError] = {}
    for line in requests:
        request = json.loads(line)
        key = str(request["key"])
        if request["op"] == "prepare":
            try:
                stores[key] = open_report_store(
                    Project(Path(request["project"])),
                    request["experiment"],
                    request["tracking_uri"],
                )
            except CodesignError as e:
                stores[key] = e
            continue
        store = stores.pop(key, None)
        reply: dict[str, str] = {"key": key}
        if store is None:
            reply["error"] = "no store was prepared for this report"
        elif isinstance(store, CodesignError):
            reply["error"] = first_line(store)
        else:
            try:
                reply["run_id"] = log_report_run(
                    store,
                    name=request["name"],
                    files=tuple(Path(f) for f in request["files"]),
                    charter_sha256=request["charter_sha256"],
                    started_at=dt.datetime.fromisoformat(request["started_at"]),
                    failure=request["failure"],
                )
            except CodesignError as e:
                reply["error"] = first_line(e)
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


@contextlib.contextmanager
def _protocol_streams() -> Iterator[tuple[IO[str], IO[str]]]:
    """stdin for requests and the original stdout for replies; anything else printed to stdout
    (a library's notice) goes to stderr instead, so it cannot break the protocol."""
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    try:
        yield sys.stdin, replies
    finally:
        replies.close()


def main() -> None:
    """The child process: import MLflow at once, serve, and leave without tearing down.

    It runs at a lower priority: the report's kernel and the process driving it are what a
    reader waits for; logging only has to be done by the time the report is written. Once its
    input ends, every run it logged is committed and every reply flushed, so it exits at once
    rather than spending half a second unwinding MLflow and SQLAlchemy.
    """
    from codesign.config import quiet_telemetry

    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    quiet_telemetry()
    with _protocol_streams() as (requests, replies):
        try:
            import mlflow.tracking  # noqa: F401 - the slow import, done before the first request
        except ImportError as e:  # pragma: no cover - mlflow is a dependency
            logger.error("MLflow cannot be imported: %s", e)
        serve(requests, replies)
    logging.shutdown()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()

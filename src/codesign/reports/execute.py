"""Execute a report notebook with Papermill, in this process, one kernel per report.

:func:`execute` parameterises and runs a notebook through Papermill's public
``execute_notebook``, with a small engine of our own registered the documented way
(``papermill_engines.register``). The engine is Papermill's nbclient engine with two additions:

* it keeps a handle on the notebook being executed, so that whatever happens (a cell raises, the
  kernel dies, the time limit is reached) the partially executed notebook is returned, never lost;
* it exposes the kernel's process, so a watchdog can end a report that runs past its time limit.
  Papermill's own ``execution_timeout`` bounds one cell; ``timeout`` here bounds the whole
  report, kernel start included. When it is reached the kernel's process group is killed, nbclient
  notices the dead kernel within a second, and the report is marked as timed out.

Nothing is written here: the caller decides where the (partial) notebook goes. Papermill is
told not to save, not to draw a progress bar and not to change the working directory of this
process (reports run in parallel threads); the kernel is started in the project's folder.

Kernels talk over local sockets (ZeroMQ's ``ipc`` transport), not TCP: jupyter_client picks
free TCP ports and the kernel binds them a moment later, so on a busy machine another process
can take one in between and the report fails with "Address already in use". Socket files in a
private folder made for each kernel (mode 0700, short path: a socket path has a ~100-byte limit)
cannot collide, are reachable by no other user, and need no TCP encryption warning.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from codesign.exceptions import ReportError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from codesign.reports.parameters import JsonValue

logger = logging.getLogger(__name__)

ENGINE_NAME: Final = "codesign"
KERNEL_START_TIMEOUT: Final = 60.0
"""Seconds to wait for a kernel to start (Papermill's default), capped by the report's limit."""
ERROR_MARKER_TAG: Final = "papermill-error-cell-tag"
"""Tag of the cells Papermill inserts around a failed cell; the runner shows its own banner."""


class FailureKind(StrEnum):
    """Why a report stopped before its end."""

    CELL_ERROR = "cell error"
    """A cell raised an exception."""
    KERNEL_DIED = "kernel died"
    """The kernel's process ended (out of memory, ``os._exit``, killed from outside)."""
    TIMEOUT = "timeout"
    """The report ran past its time limit; its kernel was killed."""
    KERNEL_START = "kernel start"
    """No kernel could be started (missing kernel, start time-out)."""


@dataclass(frozen=True)
class Failure:
    """Where and why a report stopped."""

    kind: FailureKind
    cell_index: int | None
    """Index of the cell that was running, in the executed notebook; ``None`` before any cell."""
    error_name: str | None = None
    """The exception's class name, for a cell error (never its message: it may quote data)."""
    detail: str = ""
    """Plain words for people: "timed out after 30 s", "the kernel died"."""


@dataclass
class Execution:
    """A (possibly partial) executed notebook and, when it stopped early, why."""

    notebook: Any
    """The executed ``nbformat.NotebookNode``, with every output produced before any failure."""
    failure: Failure | None
    seconds: float


class _Watch:
    """What the engine shares with the watchdog: the kernel, the client, whether time ran out."""

    def __init__(self) -> None:
        self.client: Any = None
        self.manager: Any = None
        self.on_execute: Callable[[], None] | None = None
        self.timed_out = threading.Event()
        self.finished = threading.Event()

    def kill_kernel(self) -> bool:
        """Kill the kernel's whole process group; ``False`` when there is no kernel (yet)."""
        manager = self.manager or (self.client.km if self.client is not None else None)
        provisioner = getattr(manager, "provisioner", None) if manager is not None else None
        pid = getattr(provisioner, "pid", None)
        if pid is None:
            return False
        pgid = getattr(provisioner, "pgid", None)
        try:
            if pgid is not None and hasattr(os, "killpg"):
                os.killpg(pgid, signal.SIGKILL)
            else:  # pragma: no cover - not POSIX
                os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        logger.info("killed the kernel (pid %s) of a report past its time limit", pid)
        return True


@dataclass(frozen=True)
class KernelOptions:
    """How the report's kernel is started.

    ``name``: the Jupyter kernel (default: the notebook's kernelspec). ``preload``: modules the
    kernel imports while it starts, in parallel with this process loading Papermill, so the
    report's first cells find them ready; importing has no side effect (a rule of codesign), so
    the notebook behaves exactly as without.
    """

    name: str | None = None
    preload: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    """Environment variables set for the kernel on top of this process's."""
    on_execute: Callable[[], None] | None = None
    """Called when the cells start executing: this process mostly waits from then on."""


def execute(
    notebook: Path,
    *,
    parameters: Mapping[str, JsonValue],
    cwd: Path,
    timeout: float | None = None,
    kernel: KernelOptions | None = None,
) -> Execution:
    """Run ``notebook`` with ``parameters`` injected, the kernel started in ``cwd``.

    Returns the executed notebook, complete or partial, with the failure if any. Raises
    :class:`~codesign.exceptions.ReportError` only when the notebook cannot be read at all.

    The run happens in a thread of its own: jupyter_client drives the kernel with an asyncio
    event loop, and a thread that is ours alone is one whose loop can be closed afterwards,
    whatever loop the caller (a notebook, a scheduler, another report) is using.
    """
    outcome: list[Execution] = []
    error: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(_execute(notebook, parameters, cwd, timeout, kernel or KernelOptions()))
        except BaseException as e:  # handed over to the caller's thread below
            error.append(e)
        finally:
            _close_event_loop()

    # A daemon: Ctrl-C ends the command at once (the kernel, orphaned, ends with its parent).
    thread = threading.Thread(
        target=work, name=f"codesign-execute-{notebook.parent.parent.name}", daemon=True
    )
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return outcome[0]


def _close_event_loop() -> None:
    """Close this thread's event loop (jupyter_core's ``run_sync`` made it for the kernel)."""
    policy = asyncio.get_event_loop_policy()
    try:
        loop = policy.get_event_loop()
    except RuntimeError:
        return
    if not loop.is_running():
        loop.close()
    policy.set_event_loop(None)


def _execute(
    notebook: Path,
    parameters: Mapping[str, JsonValue],
    cwd: Path,
    timeout: float | None,
    kernel: KernelOptions,
) -> Execution:
    watch = _Watch()
    watch.on_execute = kernel.on_execute
    start = time.monotonic()
    watchdog = _start_watchdog(watch, timeout)
    start_timeout = KERNEL_START_TIMEOUT if timeout is None else min(KERNEL_START_TIMEOUT, timeout)
    failure: Failure | None = None
    result: Any = None
    try:
        # The kernel boots in its own process while this one imports Papermill (a second or so).
        watch.manager = _launch_kernel(notebook, cwd, kernel)
        logger.debug("kernel launched for %s", notebook)
        import papermill
        from papermill.exceptions import PapermillExecutionError

        _register_engine()
        try:
            result = papermill.execute_notebook(
                str(notebook),
                None,
                parameters=dict(parameters),
                engine_name=ENGINE_NAME,
                kernel_name=watch.manager.kernel_name,
                progress_bar=False,
                request_save_on_cell_execute=False,
                start_timeout=max(1, round(start_timeout)),
                codesign_watch=watch,
            )
        except PapermillExecutionError as e:
            failure = Failure(FailureKind.CELL_ERROR, None, e.ename, f"a cell raised {e.ename}")
    except ReportError:
        raise
    except Exception as e:
        failure = _classify(e, watch, timeout)
        if failure is None:
            raise
    finally:
        watch.finished.set()
        if watchdog is not None:
            watchdog.join()
        _shutdown(watch.manager)
    nb = result if result is not None else _partial(watch, notebook)
    _drop_papermill_markers(nb)
    if failure is not None and failure.kind is not FailureKind.KERNEL_START:
        failure = dataclasses.replace(failure, cell_index=_stopped_at(nb))
    return Execution(notebook=nb, failure=failure, seconds=time.monotonic() - start)


def _launch_kernel(notebook: Path, cwd: Path, kernel: KernelOptions) -> Any:
    """Start the notebook's kernel in ``cwd``; returns its (asynchronous) manager."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    name = kernel.name or _kernelspec_name(notebook)
    arguments = [
        # The kernel's own log holds only noise for an unattended run (a note that it talks TCP
        # on 127.0.0.1, the interrupt jupyter_client sends before shutting it down); the
        # report's errors are in its cells' outputs.
        "--IPKernelApp.log_level=CRITICAL",
        # No IPython history file: a report's code has no business in the user's home.
        "--HistoryManager.hist_file=:memory:",
        *(f"--IPKernelApp.exec_lines=import {module}" for module in kernel.preload),
    ]
    sockets = Path(tempfile.mkdtemp(prefix="codesign-kernel-"))
    manager = AsyncKernelManager(
        kernel_name=name,
        log=_EngineLog(logger, {}),
        transport="ipc",
        connection_file=str(sockets / "kernel.json"),
        ip=str(sockets / "k"),
    )
    env = {**os.environ, **kernel.env}
    try:
        run_sync(manager.start_kernel)(cwd=str(cwd), extra_arguments=arguments, env=env)
    except BaseException:
        shutil.rmtree(sockets, ignore_errors=True)
        raise
    return manager


def _kernelspec_name(notebook: Path) -> str:
    """The kernel a notebook asks for (``metadata.kernelspec.name``), as Papermill reads it."""
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        msg = f"{notebook}: cannot read the report notebook ({type(e).__name__})"
        raise ReportError(msg) from e
    name = (
        data.get("metadata", {}).get("kernelspec", {}).get("name")
        if isinstance(data, dict)
        else None
    )
    if not isinstance(name, str) or not name:
        msg = f"{notebook}: the notebook names no kernel (metadata.kernelspec.name)"
        raise ReportError(msg)
    return name


def _classify(error: Exception, watch: _Watch, timeout: float | None) -> Failure | None:
    """The failure an exception out of Papermill stands for; ``None`` for a bug of ours."""
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import DeadKernelError

    started = watch.client is not None and _stopped_at(watch.client.nb) is not None
    if watch.timed_out.is_set():
        limit = f"{timeout:g} s" if timeout is not None else "its time limit"
        where = "and its kernel was killed" if started else "while its kernel was starting"
        return Failure(FailureKind.TIMEOUT, None, detail=f"timed out after {limit} {where}")
    if isinstance(error, DeadKernelError) and started:
        return Failure(
            FailureKind.KERNEL_DIED,
            None,
            detail="the kernel (the Python process running the report) died",
        )
    if isinstance(error, NoSuchKernel):
        return Failure(
            FailureKind.KERNEL_START, None, detail=f"no Jupyter kernel named {error.name!r}"
        )
    if isinstance(error, (TimeoutError, RuntimeError)) and not started:
        return Failure(
            FailureKind.KERNEL_START,
            None,
            detail=f"the kernel did not start ({type(error).__name__})",
        )
    return None


def _partial(watch: _Watch, notebook: Path) -> Any:
    """The notebook as far as it ran; the unexecuted source if execution never began."""
    client = watch.client
    if client is not None:
        return client.nb
    import nbformat

    try:
        return nbformat.read(notebook, as_version=4)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as e:
        msg = f"{notebook}: cannot read the report notebook ({type(e).__name__})"
        raise ReportError(msg) from e


def _stopped_at(nb: Any) -> int | None:
    """Index of the last cell whose execution began: where a stopped run stopped.

    Papermill stamps ``start_time`` on each cell as it starts it. Its status is not enough: a
    cell cut short by a dead kernel is still marked "completed" on the way out.
    """
    started = [
        index
        for index, cell in enumerate(nb.cells)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    return started[-1] if started else None


def _drop_papermill_markers(nb: Any) -> None:
    nb.cells = [
        c for c in nb.cells if ERROR_MARKER_TAG not in c.get("metadata", {}).get("tags", [])
    ]


def _start_watchdog(watch: _Watch, timeout: float | None) -> threading.Thread | None:
    """A thread that kills the report's kernel once ``timeout`` seconds have passed."""
    if timeout is None:
        return None

    def guard() -> None:
        if watch.finished.wait(timeout):
            return
        watch.timed_out.set()
        # The kernel may still be starting: keep trying until it can be killed or the run ends.
        while not watch.kill_kernel() and not watch.finished.wait(0.1):
            pass

    thread = threading.Thread(target=guard, name="codesign-report-watchdog", daemon=True)
    thread.start()
    return thread


class _EngineLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """nbclient's log, one level down: its errors ("kernel died", "timeout") are the report's
    failure, which the runner reports once, with where the report stopped."""

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        super().log(logging.DEBUG if level >= logging.INFO else level, msg, *args, **kwargs)


@functools.cache
def _register_engine() -> None:
    """Register the ``codesign`` engine with Papermill (once per process)."""
    from papermill.engines import NBClientEngine, papermill_engines

    class CodesignEngine(NBClientEngine):  # type: ignore[misc]
        """Papermill's nbclient engine, sharing its client with the watchdog."""

        @classmethod
        def execute_managed_notebook(  # noqa: PLR0917 - Papermill's engine interface
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            from papermill.clientwrap import PapermillNotebookClient

            watch: _Watch = kwargs.pop("codesign_watch")
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man,
                km=watch.manager,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=_EngineLog(logger, {}),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                shutdown_kernel="immediate",
                **kwargs,
            )
            watch.client = client
            if watch.timed_out.is_set():  # time ran out while Papermill was loading
                raise TimeoutError
            if watch.on_execute is not None:
                watch.on_execute()
            logger.debug("executing %s", nb_man.nb.metadata.get("papermill", {}).get("input_path"))
            return client.execute(cleanup_kc=True)

    papermill_engines.register(ENGINE_NAME, CodesignEngine)


def _shutdown(manager: Any) -> None:
    """Stop the kernel if it still runs (nbclient stops it at the end of a normal run)."""
    if manager is None:
        return
    from jupyter_core.utils import run_sync

    async def stop() -> None:
        with contextlib.suppress(Exception):
            if manager.has_kernel and await manager.is_alive():
                await manager.shutdown_kernel(now=True)
        with contextlib.suppress(Exception):
            await manager.cleanup_resources()

    run_sync(stop)()
    if manager.connection_file:  # the kernel's private socket folder
        shutil.rmtree(Path(manager.connection_file).parent, ignore_errors=True)

"""Concurrency never fails a report: kernels talk over private sockets, not racing TCP ports.

jupyter_client picks free TCP ports and the kernel binds them a moment later; with other kernels
starting on the machine, one of them can take a port in between ("Address already in use").
Report kernels use ZeroMQ's ``ipc`` transport instead. The stress test runs 16 small reports
with ``jobs=4`` while 4 other (TCP) kernels start and stop in a loop, three times over, and
expects no failure. The reports are small notebooks (the charter and a print) so that the test
measures kernel starts, not report content, and stays within about two minutes.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager

from codesign.reports import runner
from codesign.reports.execute import KernelOptions, _launch_kernel, _shutdown
from codesign.reports.runner import ReportOptions, ReportStatus, run_reports

from .conftest import fixed_clock, small_projects

pytestmark = pytest.mark.slow

REPORTS = 16
OTHER_KERNELS = 4
ROUNDS = 3


def churn_kernels(stop: threading.Event, errors: list[BaseException]) -> None:
    """Start and stop TCP kernels in a loop: the other users of the machine's ports."""

    async def churn() -> None:
        while not stop.is_set():
            managers = [AsyncKernelManager(kernel_name="python3") for _ in range(OTHER_KERNELS)]
            await asyncio.gather(
                *(
                    m.start_kernel(extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
                    for m in managers
                )
            )
            await asyncio.gather(*(m.shutdown_kernel(now=True) for m in managers))
            await asyncio.sleep(0.5)  # a breath: the point is overlap, not burning the cores

    try:
        asyncio.run(churn())  # its own event loop, closed at the end
    except BaseException as e:  # reported by the test, not lost in the thread
        errors.append(e)


def test_reports_never_fail_while_other_kernels_start(
    scaffolded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # bare kernels: they start sooner, so starts overlap more, and the test costs less CPU
    monkeypatch.setattr(runner, "KERNEL_PRELOAD", ())
    stop = threading.Event()
    errors: list[BaseException] = []
    churn = threading.Thread(target=churn_kernels, args=(stop, errors), daemon=True)
    churn.start()
    try:
        for round_ in range(ROUNDS):
            root = small_projects(scaffolded, tmp_path / f"round{round_}", REPORTS)
            options = ReportOptions(
                jobs=4,
                clock=fixed_clock("2026-03-02T07:00:00+00:00"),
                # one store for all: creating 48 SQLite stores would dominate the test
                tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
            )
            summary = run_reports([root], options)
            failed = [
                f"{r.project.name}: {r.message}"
                for r in summary.results
                if r.status is not ReportStatus.OK
            ]
            assert failed == [], failed
            assert len(summary.results) == REPORTS
    finally:
        stop.set()
        churn.join(timeout=60)
    assert errors == []


def test_a_report_kernel_listens_on_private_sockets_removed_afterwards(tmp_path: Path) -> None:
    notebook = tmp_path / "report.ipynb"
    spec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nbformat.v4.new_notebook(metadata={"kernelspec": spec}), notebook)
    manager = _launch_kernel(notebook, tmp_path, KernelOptions())
    try:
        info = manager.get_connection_info()
        assert info["transport"] == "ipc"
        folder = Path(manager.connection_file).parent
        assert folder.stat().st_mode & 0o777 == 0o700  # (jupyter_client adds the sticky bit)
        assert len(f"{info['ip']}-{info['hb_port']}") < 100  # a socket path's limit is ~107
    finally:
        _shutdown(manager)
    assert not folder.exists()

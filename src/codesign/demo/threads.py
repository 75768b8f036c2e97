"""Thread pools sized to the machine for the demo's model fits (threadpoolctl).

scikit-learn's gradient boosting runs OpenMP threads, one per core by default. On a shared
server where every core is already busy, those threads fight the other processes and each
other: a fit that takes seconds on an idle machine took minutes. The pools are therefore
limited, for the duration of a fit or a prediction, to the cores this process may use that the
rest of the machine leaves free (at least one), as read from the one-minute load average.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, which containers and ``taskset`` set)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover - not Linux


def free_cpus(cpus: int, load: float) -> int:
    """Threads worth running on ``cpus`` cores when ``load`` processes want to run (1-min load).

    This process counts for one of them (it is running: the load includes it), so an idle
    machine gives every core, and a machine whose other processes already fill every core
    gives one thread.
    """
    others = max(0.0, load - 1.0)
    return max(1, min(cpus, cpus - math.floor(others)))


def fit_threads() -> int:
    """How many threads a model fit should use now."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - no load average (Windows)
        load = 0.0
    return free_cpus(usable_cpus(), load)


@contextlib.contextmanager
def sized_thread_pools() -> Iterator[int]:
    """Limit OpenMP and BLAS thread pools to :func:`fit_threads` inside the block."""
    from threadpoolctl import threadpool_limits

    threads = fit_threads()
    logger.debug("model fit with %d thread(s)", threads)
    with threadpool_limits(limits=threads):
        yield threads

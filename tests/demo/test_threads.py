"""The demo's model fits use the cores the machine leaves free, at least one."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_info

from codesign.demo.threads import free_cpus, sized_thread_pools, usable_cpus


@pytest.mark.parametrize(
    ("cpus", "load", "threads"),
    [
        (2, 0.0, 2),  # idle
        (2, 1.0, 2),  # only this process runs
        (2, 2.3, 1),  # another process has a core
        (2, 15.0, 1),  # every core taken many times over: one thread, never zero
        (8, 3.5, 6),
        (1, 0.0, 1),
    ],
)
def test_threads_fit_what_the_machine_leaves_free(cpus: int, load: float, threads: int) -> None:
    assert free_cpus(cpus, load) == threads


def test_the_pools_are_limited_inside_the_block_only() -> None:
    import sklearn.ensemble  # noqa: F401 - loads scikit-learn's OpenMP runtime

    before = [pool["num_threads"] for pool in threadpool_info()]
    assert any(pool["user_api"] == "openmp" for pool in threadpool_info())
    with sized_thread_pools() as threads:
        assert 1 <= threads <= usable_cpus()
        assert all(pool["num_threads"] <= threads for pool in threadpool_info())
    assert [pool["num_threads"] for pool in threadpool_info()] == before

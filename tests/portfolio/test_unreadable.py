"""Folders and files closed to whoever runs the portfolio, as on a shared drive.

Permissions do not stop root, and CI runs as root: there the portfolio is read with the effective
user set to ``nobody`` (``os.seteuid``; the real user stays root, so it is set back after). The
share is built outside pytest's private temporary folder so that ``nobody`` can walk to it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.portfolio.conftest import NOW, Tree, copy_project

from codesign.portfolio import FlagCode, PortfolioOptions, build_portfolio, write_portfolio
from codesign.project import scan_projects

NOBODY = 65534


@contextlib.contextmanager
def as_another_user() -> Iterator[None]:
    """Run the block as a user the closed folders are closed to."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.fixture
def share(tree: Tree) -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="codesign-unreadable-"))
    base.chmod(0o755)
    share = base / "share"
    closed: list[Path] = []
    try:
        copy_project(tree["good"], share / "open" / "triage")
        copy_project(tree["good"], share / "hidden" / "inside" / "triage")
        closed.append(share / "hidden")
        copy_project(tree["good"], share / "locked-charter")
        closed.append(share / "locked-charter" / "codesign.yaml")
        copy_project(tree["good"], share / "locked-store")
        closed.append(share / "locked-store" / "mlruns" / "mlflow.db")
        copy_project(tree["good"], share / "locked-reports")
        closed.append(share / "locked-reports" / "reports")
        for path in closed:
            path.chmod(0)
        yield share
    finally:
        for path in closed:
            path.chmod(stat.S_IRWXU)
        shutil.rmtree(base)


def test_closed_folders_and_files_are_listed_not_fatal(share: Path, tmp_path: Path) -> None:
    build_portfolio([share / "open"])  # every module the run needs is imported before
    with as_another_user():
        scan = scan_projects([share])
        portfolio = build_portfolio([share], PortfolioOptions(now=NOW))
    assert [u.path for u in scan.unreadable] == [share / "hidden"]
    assert scan.unreadable[0].reason == "Permission denied"
    found = {i.path.relative_to(share).as_posix(): i for i in portfolio.initiatives}
    assert sorted(found) == ["hidden", "locked-charter", "locked-reports", "locked-store",
                             "open/triage"]  # fmt: skip

    assert found["open/triage"].problems == ()
    assert found["hidden"].problems == (
        f"{share / 'hidden'}: cannot read this folder (Permission denied); it may hold projects",
    )
    assert "cannot read (Permission denied)" in found["locked-charter"].problems[0]
    locked_store = found["locked-store"]
    assert locked_store.title == "Nurse triage assistant"
    (problem,) = locked_store.problems
    assert "mlflow.db: cannot read the tracking store" in problem
    (problem,) = found["locked-reports"].problems
    assert problem == f"{share / 'locked-reports' / 'reports'}: cannot read the reports folder " \
        "(Permission denied)"  # fmt: skip
    for name in ("hidden", "locked-charter", "locked-store", "locked-reports"):
        assert found[name].flagged(FlagCode.BROKEN)
    write_portfolio(portfolio, tmp_path / "out")
    assert "cannot read this folder" in (tmp_path / "out" / "index.html").read_text()

"""codesign works installed from a wheel built as a partner builds it, outside any checkout.

The template, the presets and the report notebook live at the top of the repository, reached
through symlinks in ``src/codesign``. This runs ``python -m build`` (an sdist, then the wheel
built from that sdist, as PyPI tooling does), installs the wheel in a fresh virtual environment
(no system site packages) and, from an empty folder outside the repository, runs
``codesign new``, the new project's own tests (pytest comes with codesign), the plain
``cookiecutter`` command on the installed template, and ``codesign report run`` (the report
notebook and its HTML template are found in the installed package). Installing every
dependency takes minutes (pip's cache makes later runs quicker), hence ``slow``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .conftest import LAYOUT, REPO, files_under

pytestmark = pytest.mark.slow

_USER_PIP_CACHE = Path(os.environ.get("PIP_CACHE_DIR") or Path.home() / ".cache" / "pip")
"""The developer's pip cache, read at collection time (before HOME is isolated)."""


def run(argv: list[str | Path], cwd: Path, timeout: float = 900) -> str:
    # as a partner runs it: nothing of this checkout on the path (a developer may export it)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"{argv}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.mark.timeout(3600)  # installing every dependency, from PyPI the first time
def test_scaffolds_from_an_installed_wheel(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--outdir", dist, REPO], cwd=tmp_path)  # sdist, then wheel
    (sdist,) = dist.glob("codesign-*.tar.gz")
    with tarfile.open(sdist) as archive:
        shipped = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "src/codesign/py.typed", "cookiecutter/cookiecutter.json"} <= shipped
    (wheel,) = dist.glob("codesign-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "codesign/py.typed" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)
    template = "codesign/cookiecutter/{{cookiecutter.project_slug}}/"
    for expected in (
        "codesign/cookiecutter/cookiecutter.json",
        "codesign/cookiecutter/hooks/post_gen_project.py",
        f"{template}.gitignore",
        f"{template}.gitattributes",
        f"{template}mlruns/.gitkeep",
        f"{template}notebooks/00_workshop.ipynb",
        "codesign/templates/reports/report.ipynb",
        "codesign/templates/reports/html/codesign-report/conf.json",
        "codesign/templates/reports/html/codesign-report/index.html.j2",
        "codesign/templates/charters/triage.yaml",
        "codesign/templates/charters/fr/triage.yaml",
        # compiled from the .po at build time (hatch_build.py), never committed
        "codesign/locale/fr/LC_MESSAGES/codesign.mo",
    ):
        assert expected in names, expected

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile"]
    if _USER_PIP_CACHE.is_dir():
        pip += ["--cache-dir", _USER_PIP_CACHE]
    run([*pip, "-c", REPO / "constraints.txt", wheel], cwd=tmp_path, timeout=1800)
    location = run(
        [venv / "bin" / "python", "-c", "import codesign; print(codesign.__file__)"], cwd=tmp_path
    )
    assert location.startswith(str(venv)), location

    out = tmp_path / "out"
    printed = run(
        [venv / "bin" / "codesign", "new", "Wheel check", "--no-input", "--output-dir", out],
        cwd=tmp_path,
    )
    project = out / "wheel-check"
    assert f"in {project} " in printed
    assert files_under(project) == LAYOUT
    config = run(["git", "config", "filter.nbstripout.clean"], cwd=project)
    assert config.startswith(str(venv / "bin" / "python"))
    run([venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project)

    installed = Path(location).parent / "cookiecutter"
    run(
        [venv / "bin" / "cookiecutter", installed, "--no-input", "-o", out, "preset=blank"],
        cwd=tmp_path,
    )
    assert files_under(out / "new-use-case") == LAYOUT

    # The report notebook and its HTML template are data files: a report of the new project
    # finds them in the installed package. (The demo's Python runs from the checkout in
    # tests/demo; from the wheel it adds minutes and no file a wheel could miss.)
    report = run([venv / "bin" / "codesign", "report", "run", project], cwd=tmp_path, timeout=900)
    assert report.startswith("OK ")
    assert list((project / "reports").glob("wheel-check-*.html"))

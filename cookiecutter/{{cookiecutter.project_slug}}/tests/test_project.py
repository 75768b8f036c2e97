"""This project's own checks. They pass right after `codesign new` and keep passing as it grows:
they check that the project is sound, not what it says (that is the workshop's business).

Run them with `pytest` from the project's folder.
"""

from pathlib import Path

import nbformat
import pytest

from codesign.charter import load_charter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORT = ROOT / "notebooks" / "report.ipynb"


def test_charter_is_valid():
    """codesign.yaml loads and validates; a failure lists every problem with its line."""
    charter = load_charter(ROOT).charter
    assert charter.use_case.title


def test_the_notebooks_are_there():
    names = {path.name for path in NOTEBOOKS}
    assert "report.ipynb" in names, "the report runner executes notebooks/report.ipynb"
    assert len(names) > 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_is_valid(path):
    """Each notebook is valid nbformat 4 and names a kernel, so it opens and runs anywhere."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata.get("kernelspec", {}).get("name"), f"{path.name}: no kernel named"


def test_report_has_a_parameters_cell():
    """Papermill injects the report's parameters after the cell tagged `parameters`."""
    notebook = nbformat.read(REPORT, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell of report.ipynb must be tagged `parameters`"
    assert tagged[0].cell_type == "code"
    assert "project_dir" in tagged[0].source


def test_data_stays_out_of_git():
    """The data folder is ignored and notebooks are stripped of outputs on commit."""
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "data/*" in ignored or "data/" in ignored
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8").split()
    assert "filter=nbstripout" in attributes

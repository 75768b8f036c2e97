"""What changed between two notebooks, or two charters: for reviewing what a workshop changed.

``codesign diff A B`` takes two notebooks or two charters (a ``codesign.yaml``, or a project
folder holding one):

* notebooks are compared with nbdime, cell by cell. Outputs, execution counts and metadata are
  left out by default (what a reviewer reads is what the notebook *does*; outputs differ on
  every run and may hold data); :class:`DiffOptions` brings them back;
* charters are compared field by field (:func:`codesign.charter.diff.diff_charters`), records
  matched by their key, so the review reads "outcome added", "target changed from >= 0.90 to
  >= 0.95", "moved from position 2 to 1" rather than as lines of YAML.
"""

from __future__ import annotations

import copy
import io
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from codesign.charter.diff import ChangeKind, diff_charters
from codesign.charter.document import load_charter
from codesign.config import CHARTER_FILENAME
from codesign.exceptions import ReportError
from codesign.system import os_reason

if TYPE_CHECKING:
    from codesign.charter.diff import Change

logger = logging.getLogger(__name__)

Kind = Literal["notebook", "charter"]
_CHARTER_SUFFIXES: Final = (".yaml", ".yml")


@dataclass(frozen=True)
class DiffOptions:
    """What a notebook diff includes besides the cells' sources (charters: everything)."""

    outputs: bool = False
    """Cell outputs and execution counts."""
    metadata: bool = False
    """Notebook and cell metadata, and cell ids."""
    color: bool = False
    """ANSI colours in the text (for a terminal)."""


@dataclass(frozen=True)
class FileDiff:
    """The differences between two files of the same kind."""

    kind: Kind
    old: Path
    new: Path
    changes: int
    """How many changes (0: the same, for what was compared)."""
    text: str
    """The readable diff."""
    details: list[Any] = field(default_factory=list)
    """The changes as data: nbdime's diff for notebooks, one entry per change for charters."""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old": str(self.old),
            "new": str(self.new),
            "changes": self.changes,
            "details": self.details,
        }


def diff_files(old: Path | str, new: Path | str, options: DiffOptions | None = None) -> FileDiff:
    """Compare two notebooks or two charters; :class:`ReportError` for anything else."""
    options = options or DiffOptions()
    old_path, new_path = Path(old), Path(new)
    kinds = (kind_of(old_path), kind_of(new_path))
    if kinds[0] != kinds[1]:
        msg = (
            f"cannot compare a {kinds[0]} ({old_path}) with a {kinds[1]} ({new_path}); "
            "give two notebooks (.ipynb) or two charters (codesign.yaml or project folders)"
        )
        raise ReportError(msg)
    if kinds[0] == "notebook":
        return diff_notebook_files(old_path, new_path, options)
    return diff_charter_files(old_path, new_path)


def kind_of(path: Path) -> Kind:
    """``notebook`` or ``charter``, from the path; bad input says what was expected."""
    if not path.exists():
        msg = f"{path}: no such file or folder"
        raise ReportError(msg)
    if path.is_dir():
        if (path / CHARTER_FILENAME).is_file():
            return "charter"
        msg = f"{path}: a folder without {CHARTER_FILENAME}; expected a notebook or a charter"
        raise ReportError(msg)
    if path.suffix == ".ipynb":
        return "notebook"
    if path.suffix in _CHARTER_SUFFIXES:
        return "charter"
    msg = f"{path}: expected a notebook (.ipynb) or a charter (.yaml, or a project folder)"
    raise ReportError(msg)


# --- notebooks ------------------------------------------------------------------------------------


def diff_notebook_files(old: Path, new: Path, options: DiffOptions) -> FileDiff:
    """nbdime's diff of two notebooks, limited to what ``options`` include."""
    from nbdime import diff_notebooks
    from nbdime.prettyprint import PrettyPrintConfig, pretty_print_notebook_diff

    a = _compared(_read_notebook(old), options)
    b = _compared(_read_notebook(new), options)
    diff = diff_notebooks(a, b)
    buffer = io.StringIO()
    config = PrettyPrintConfig(
        out=buffer,
        include=_Include(options),
        use_git=False,  # no external `git diff`: the same text on every machine
        use_diff=False,
        use_color=options.color,
    )
    pretty_print_notebook_diff(str(old), str(new), a, diff, config)
    changes = _count_leaves(diff)
    text = buffer.getvalue() if changes else f"No difference in {_scope(options)}."
    return FileDiff("notebook", old, new, changes, text, json.loads(json.dumps(diff)))


@dataclass(frozen=True)
class _Include:
    """What nbdime's printer shows (its ``include`` object: one flag per part of a notebook)."""

    options: DiffOptions

    @property
    def sources(self) -> bool:
        return True

    @property
    def attachments(self) -> bool:
        return True

    @property
    def outputs(self) -> bool:
        return self.options.outputs

    @property
    def metadata(self) -> bool:
        return self.options.metadata

    @property
    def id(self) -> bool:
        return self.options.metadata

    @property
    def details(self) -> bool:
        return self.options.outputs


def _read_notebook(path: Path) -> Any:
    import nbformat

    try:
        return nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    except (OSError, UnicodeDecodeError) as e:
        msg = f"{path}: cannot read the notebook ({os_reason(e) if isinstance(e, OSError) else e})"
        raise ReportError(msg) from e
    except Exception as e:  # nbformat raises bare ValueError/NotJSONError/validation errors
        msg = f"{path}: not a Jupyter notebook ({type(e).__name__}); expected nbformat 4 JSON"
        raise ReportError(msg) from e


def _compared(nb: Any, options: DiffOptions) -> Any:
    """A copy of ``nb`` without what is not compared, so it cannot count as a change."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if not options.outputs and cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        if not options.metadata:
            cell["metadata"] = {}
            cell.pop("id", None)
    if not options.metadata:
        nb["metadata"] = {}
    return nb


def _count_leaves(diff: list[Any]) -> int:
    """Changes in an nbdime diff: its leaf operations (a patch counts its parts)."""
    total = 0
    for entry in diff:
        if entry.get("op") == "patch":
            total += _count_leaves(entry.get("diff", []))
        else:
            total += 1
    return total


def _scope(options: DiffOptions) -> str:
    parts = ["the cells' sources"]
    if options.outputs:
        parts.append("outputs")
    if options.metadata:
        parts.append("metadata")
    return ", ".join(parts)


# --- charters -------------------------------------------------------------------------------------


def diff_charter_files(old: Path, new: Path) -> FileDiff:
    """Every change from one charter to the other, with a summary of what matters most."""
    before = load_charter(old).charter
    after = load_charter(new).charter
    changes = diff_charters(before, after)
    lines = [f"Charter changes from {old} to {new}: {len(changes)}"]
    if changes:
        summary = summarise(changes)
        if summary:
            lines.append(f"  in short: {summary}")
        lines.extend(f"  {change.describe()}" for change in changes)
    else:
        lines.append("  none: the two charters say the same.")
    details = [{"path": c.path, "kind": c.kind.value, "old": c.old, "new": c.new} for c in changes]
    return FileDiff("charter", old, new, len(changes), "\n".join(lines), details)


def summarise(changes: list[Change]) -> str:
    """``1 outcome(s) added, 2 moved, 1 target(s) changed``: what a reviewer looks for first."""
    counts: Counter[str] = Counter()
    for change in changes:
        if not change.path.startswith("outcomes["):
            continue
        if "." not in change.path and change.kind is not ChangeKind.CHANGED:
            counts[f"outcome(s) {change.kind.value}"] += 1
        elif change.path.endswith(".target"):
            counts["target(s) changed"] += 1
    order = [f"outcome(s) {k.value}" for k in ChangeKind if k is not ChangeKind.CHANGED]
    return ", ".join(
        f"{counts[what]} {what}" for what in [*order, "target(s) changed"] if counts[what]
    )

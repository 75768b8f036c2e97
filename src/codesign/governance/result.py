"""A gate result, readable by a data protection officer: counts per column and category.

:class:`GateResult` wraps the :class:`~codesign.project.GateRecord` kept for the tracking layer
and says where the Data Docs are. It renders as the JSON of DESIGN.md section 5
(:meth:`GateResult.to_json`), as a terminal summary (:meth:`GateResult.summary`) and as an HTML
table in a notebook (``_repr_html_``). No rendering ever holds a data value: there is none to
show, the result only has counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codesign.presentation import GATE_VERDICTS, esc, mark_html
from codesign.project import PHI_CATEGORIES

if TYPE_CHECKING:
    from pathlib import Path

    from codesign.project import GateFinding, GateRecord


@dataclass(frozen=True)
class GateResult:
    """The outcome of one gate run."""

    record: GateRecord
    data_docs: Path | None = None
    """The Data Docs' ``index.html`` (under the project's ``governance/``)."""
    record_path: Path | None = None
    """Where the result is kept for the tracking layer."""
    title: str = ""
    """The use case's title, for people."""

    @property
    def passed(self) -> bool:
        return self.record.passed

    @property
    def rows(self) -> int:
        return self.record.rows

    @property
    def findings(self) -> list[GateFinding]:
        return list(self.record.findings)

    def to_dict(self) -> dict[str, Any]:
        """``{"passed", "rows", "findings": [{"column", "category", "count", "check"}]}``."""
        return {
            "passed": self.record.passed,
            "rows": self.record.rows,
            "findings": [f.model_dump() for f in self.record.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def summary(self) -> str:
        """A plain-text report for the terminal: verdict, then findings by kind, counts only."""
        record = self.record
        verdict = "PASSED" if record.passed else "FAILED"
        what = f"{record.source} ({record.rows:,} rows)"
        lines = [f"Governance gate {verdict}: {what}"]
        if self.title:
            lines.append(f"Data contract of {self.title!r} (charter {record.charter_sha256[:12]})")
        phi = [f for f in record.findings if f.category in PHI_CATEGORIES]
        contract = [f for f in record.findings if f.category not in PHI_CATEGORIES]
        if not record.findings:
            lines.append("No identifying information found; the data matches its contract.")
        if phi:
            lines += ["", "Identifying information (number of values; none is shown or kept):"]
            lines += _finding_lines(phi)
        if contract:
            lines += ["", "Data contract:"]
            lines += _finding_lines(contract)
        lines.append("")
        if self.data_docs is not None:
            lines.append(f"Data Docs: {self.data_docs}")
        if self.record_path is not None:
            lines.append(f"Result kept for iteration tracking: {self.record_path}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        record = self.record
        verdict = mark_html(GATE_VERDICTS[record.status], f"Governance gate {record.status}")
        rows = "".join(
            "<tr>"
            f"<td>{esc(f.column)}</td>"
            f"<td>{esc(f.label)}</td>"
            f"<td style='text-align:right'>{f.count:,}</td>"
            f"<td><code>{esc(f.check)}</code></td>"
            "</tr>"
            for f in record.findings
        )
        table = (
            "<table><thead><tr><th>column</th><th>finding</th><th>values</th><th>check</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
            if rows
            else "<p>No identifying information found; the data matches its contract.</p>"
        )
        docs = (
            f"<p>Data Docs: <code>{esc(str(self.data_docs))}</code></p>" if self.data_docs else ""
        )
        return (
            f"<div><p>{verdict}: "
            f"{esc(record.source)}, {record.rows:,} rows. Counts only; no value is shown "
            f"or kept.</p>{table}{docs}</div>"
        )


def _finding_lines(findings: list[GateFinding]) -> list[str]:
    width = max(len(f.column) for f in findings)
    return [f"  {f.column:<{width}}  {f.label}: {f.count:,}" for f in findings]

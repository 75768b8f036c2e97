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

from codesign.i18n import _, format_integer, project_language
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
    language: str | None = None
    """The charter's ``language:``: the summary is written in it unless ``--lang`` or
    ``CODESIGN_LANG`` chose another (:mod:`codesign.i18n`)."""

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
        """A plain-text report for the terminal: verdict, then findings by kind, counts only.

        Written in the charter's language unless ``--lang`` or ``CODESIGN_LANG`` chose another;
        counts grouped the language's way (``12,345`` in English, ``12 345`` in French).
        """
        with project_language(self.language):
            return self._summary()

    def _summary(self) -> str:
        record = self.record
        rows = format_integer(record.rows, grouped=True)
        lines = [
            _("Governance gate PASSED: {source} ({rows} rows)", source=record.source, rows=rows)
            if record.passed
            else _(
                "Governance gate FAILED: {source} ({rows} rows)", source=record.source, rows=rows
            )
        ]
        if self.title:
            lines.append(
                _(
                    "Data contract of {title} (charter {charter})",
                    title=repr(self.title),
                    charter=record.charter_sha256[:12],
                )
            )
        phi = [f for f in record.findings if f.category in PHI_CATEGORIES]
        contract = [f for f in record.findings if f.category not in PHI_CATEGORIES]
        if not record.findings:
            lines.append(_("No identifying information found; the data matches its contract."))
        if phi:
            heading = _("Identifying information (number of values; none is shown or kept):")
            lines += ["", heading]
            lines += _finding_lines(phi)
        if contract:
            lines += ["", _("Data contract:")]
            lines += _finding_lines(contract)
        lines.append("")
        if self.data_docs is not None:
            lines.append(_("Data Docs: {path}", path=self.data_docs))
        if self.record_path is not None:
            lines.append(_("Result kept for iteration tracking: {path}", path=self.record_path))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        with project_language(self.language):
            return self._html()

    def _html(self) -> str:
        record = self.record
        verdict = mark_html(GATE_VERDICTS[record.status], _html_verdict(record.status))
        rows = "".join(
            "<tr>"
            f"<td>{esc(f.column)}</td>"
            f"<td>{esc(f.label)}</td>"
            f"<td style='text-align:right'>{format_integer(f.count, grouped=True)}</td>"
            f"<td><code>{esc(f.check)}</code></td>"
            "</tr>"
            for f in record.findings
        )
        headers = "".join(
            f"<th>{esc(h)}</th>" for h in (_("column"), _("finding"), _("values"), _("check"))
        )
        no_finding = _("No identifying information found; the data matches its contract.")
        table = (
            f"<table><thead><tr>{headers}</tr></thead><tbody>{rows}</tbody></table>"
            if rows
            else f"<p>{esc(no_finding)}</p>"
        )
        docs_line = _("Data Docs: {path}", path=self.data_docs) if self.data_docs else ""
        docs = f"<p>{esc(docs_line)}</p>" if docs_line else ""
        what = _(
            "{source}, {rows} rows. Counts only; no value is shown or kept.",
            source=record.source,
            rows=format_integer(record.rows, grouped=True),
        )
        return f"<div><p>{verdict}: {esc(what)}</p>{table}{docs}</div>"


def _html_verdict(status: str) -> str:
    words = {
        "passed": _("Governance gate passed"),
        "failed": _("Governance gate failed"),
        "not run": _("Governance gate not run"),
    }
    return words[status]


def _finding_lines(findings: list[GateFinding]) -> list[str]:
    width = max(len(f.column) for f in findings)
    return [
        _(
            "  {column}  {finding}: {count}",
            column=f.column.ljust(width),
            finding=f.label,
            count=format_integer(f.count, grouped=True),
        )
        for f in findings
    ]

"""From an executed notebook to what people read: a banner when it failed, and the HTML page.

The HTML is one self-contained file: nbconvert's HTML exporter with the code left out
(``exclude_input``, no prompts), images embedded as data URIs, styles inline, and a template of
our own (``templates/reports/html/codesign-report``) that drops the scripts JupyterLab's template
loads from CDNs, so a report opens offline and contacts nobody.

A report that stopped early keeps everything it produced, with a banner at the top saying where
it stopped (the cell and its section) and why, and a marker just before that cell.
"""

from __future__ import annotations

import contextlib
import functools
import html
import logging
import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from codesign import i18n
from codesign.exceptions import ReportError
from codesign.i18n import N_, _
from codesign.reports.execute import FailureKind

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from codesign.reports.execute import Failure

logger = logging.getLogger(__name__)

TEMPLATE_NAME: Final = "codesign-report"
BANNER_TAG: Final = "codesign-report-banner"
"""Tag of the cells the runner adds to a failed report (the banner and the stop marker)."""
STOP_ANCHOR: Final = "report-stopped-here"
_EXPORT_LOCK = threading.Lock()

_WHY: Final = {
    FailureKind.CELL_ERROR: N_("the code of that section raised {error}"),
    FailureKind.KERNEL_DIED: N_(
        "the Python process running the report died (out of memory, or the code ended it)"
    ),
    FailureKind.TIMEOUT: N_("it {detail}"),
    FailureKind.KERNEL_START: "{detail}",
}


def section_of(nb: Any, index: int | None) -> str | None:
    """The heading of the section holding cell ``index``: the nearest heading above.

    A heading is a Markdown cell's, or one a code cell displayed as Markdown (the report's
    ``report.heading(...)`` cells, which write it in the report's language).
    """
    if index is None:
        return None
    for cell in reversed(nb.cells[: index + 1]):
        if cell.get("cell_type") == "markdown":
            texts = [str(cell.get("source", ""))]
        else:
            texts = [
                str(output.get("data", {}).get("text/markdown", ""))
                for output in cell.get("outputs", [])
            ]
        for text in texts:
            for line in text.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip() or None
    return None


def describe_failure(nb: Any, failure: Failure) -> str:
    """Where and why a report stopped, in one line for people (no exception message)."""
    why = _(
        _WHY[failure.kind],
        error=failure.error_name or _("an error"),
        detail=failure.detail or _("failed"),
    )
    if failure.cell_index is None:
        return _("stopped before running any cell: {why}", why=why)
    section = section_of(nb, failure.cell_index)
    words = {"cell": failure.cell_index + 1, "cells": len(nb.cells), "why": why}
    if section:
        return _(
            "stopped at cell {cell} of {cells}, in the section “{section}”: {why}",
            section=section,
            **words,
        )
    return _("stopped at cell {cell} of {cells}: {why}", **words)


def add_failure_banner(
    nb: Any, failure: Failure, *, at: dt.datetime, timezone: str | None = None
) -> str:
    """Mark a stopped report: a banner on top and a marker before the cell where it stopped.

    Returns the one-line description also used in the command's summary. The banner is in the
    current language, ``at`` shown in ``timezone`` (the project's; UTC if none).
    """
    import nbformat

    description = describe_failure(nb, failure)
    stopped_here, go_there = _("The report stopped here."), _("Go to where it stopped.")
    if failure.cell_index is not None:
        marker = nbformat.v4.new_markdown_cell(  # type: ignore[no-untyped-call]
            f'<div id="{STOP_ANCHOR}" style="border-top:3px solid #D55E00;color:#D55E00;'
            f'font-weight:600;padding-top:4px">{html.escape(stopped_here)}</div>',
            metadata={"tags": [BANNER_TAG]},
        )
        nb.cells.insert(failure.cell_index, marker)
    link = (
        f' <a href="#{STOP_ANCHOR}">{html.escape(go_there)}</a>'
        if failure.cell_index is not None
        else ""
    )
    when = i18n.format_datetime(at, timezone)
    message = _(
        "<strong>This report is incomplete.</strong> The run of {when} {description}. Everything "
        "above that point is shown; the sections after it are missing.",
        when=html.escape(when),
        description=html.escape(description),
    )
    banner = nbformat.v4.new_markdown_cell(  # type: ignore[no-untyped-call]
        '<div style="border:2px solid #D55E00;border-left-width:8px;background:#fff4ec;'
        f'padding:10px 14px;margin-bottom:12px">{message}{link}</div>',
        metadata={"tags": [BANNER_TAG]},
    )
    nb.cells.insert(0, banner)
    return description


def to_html(nb: Any, *, title: str, language: str | None = None) -> str:
    """The notebook as one self-contained HTML page without its code.

    ``language`` (default: the current one) is the page's ``<html lang>``, so screen readers
    speak it and browsers hyphenate it right.
    """
    nb.metadata["title"] = title
    with _EXPORT_LOCK:
        exporter = _exporter()
        exporter.language_code = language or i18n.current_language()
        body, _resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    text: str = body
    return text


def prepare_exporter() -> None:
    """Build the exporter ahead of need and render a small page once.

    The first export loads what nbconvert imports on first use (the Markdown renderer, syntax
    highlighting, the HTML parser that embeds images): a quarter of a second that the runner
    spends while a kernel runs rather than after it.
    """
    import nbformat

    sample = nbformat.v4.new_notebook(  # type: ignore[no-untyped-call]
        cells=[
            nbformat.v4.new_markdown_cell("## Section\n\nText with `code`."),  # type: ignore[no-untyped-call]
            nbformat.v4.new_code_cell(  # type: ignore[no-untyped-call]
                "x",
                outputs=[
                    nbformat.v4.new_output(  # type: ignore[no-untyped-call]
                        "display_data", data={"text/html": "<p>x</p>", "text/plain": "x"}
                    )
                ],
            ),
        ]
    )
    to_html(sample, title="warm-up")


@functools.cache
def _exporter() -> Any:
    """nbconvert's HTML exporter, configured once per process (building it reads templates)."""
    from nbconvert import HTMLExporter

    with _template_dir() as folder:
        return HTMLExporter(  # type: ignore[no-untyped-call]
            template_name=TEMPLATE_NAME,
            extra_template_basedirs=[str(folder)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )


@contextlib.contextmanager
def _template_dir() -> Iterator[Path]:
    """The folder holding the ``codesign-report`` nbconvert template, as a real path."""
    with resources.as_file(resources.files("codesign") / "templates" / "reports" / "html") as path:
        if not (path / TEMPLATE_NAME / "index.html.j2").is_file():
            msg = f"{path}: codesign's report page template is missing (a broken installation?)"
            raise ReportError(msg)
        yield Path(path)

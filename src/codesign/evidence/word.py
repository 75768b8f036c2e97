"""Annex IV as a Word document, for committees that review in Word (python-docx).

The document holds the same 9 sections, statuses, content, missing items and sources as the
HTML and Markdown. The ZIP entries are stamped with the generation time, so the same store gives
the same bytes but for that time. Its words are in the current language, as the HTML's.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any

from codesign.evidence.render import STATUS_MARKS
from codesign.i18n import _, format_datetime

if TYPE_CHECKING:
    import datetime as dt

    from codesign.evidence.assess import Evidence


def annex_docx(evidence: Evidence) -> bytes:
    """The Annex IV document as DOCX bytes."""
    import docx  # python-docx: only evidence needs it

    framework = evidence.framework("annex-iv")
    document = docx.Document()
    properties = document.core_properties
    properties.title = _(
        "{framework}: {project}", framework=framework.title, project=evidence.title
    )
    properties.author = "codesign"
    properties.created = evidence.generated_at.replace(tzinfo=None)
    properties.modified = evidence.generated_at.replace(tzinfo=None)
    properties.last_modified_by = "codesign"
    properties.revision = 1
    _styled(document, framework.title, "Title")
    candidate = evidence.candidate or _("no iteration logged")
    document.add_paragraph(
        _(
            "{project} · candidate iteration: {candidate} · generated {when}",
            project=evidence.title,
            candidate=candidate,
            when=format_datetime(evidence.generated_at),
        )
    )
    status_word, missing_word = _("Status:"), _("Missing:")
    document.add_paragraph().add_run(framework.reference).italic = True
    for item in framework.items:
        number = item.id.removeprefix("annex-iv.")
        _styled(document, f"{number}. {item.title}", "Heading1")
        mark = STATUS_MARKS[item.status]
        status = document.add_paragraph()
        status.add_run(f"{status_word} ").bold = True
        status.add_run(f"{mark.symbol} {mark.word}")
        # Bullets as text: a named paragraph style costs a scan of every style per paragraph.
        for line in item.content:
            document.add_paragraph(f"• {line}")
        if item.missing:
            document.add_paragraph().add_run(missing_word).bold = True
            for line in item.missing:
                document.add_paragraph(f"• {line}")
        source = "; ".join(item.sources) if item.sources else _("nothing in the store")
        document.add_paragraph().add_run(_("Source: {sources}", sources=source)).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return _stamped(buffer.getvalue(), evidence.generated_at)


def _styled(document: Any, text: str, style_id: str) -> None:
    """A paragraph in a style of the default template, given by id.

    python-docx's ``add_heading`` finds a style by its name with a scan of every style for each
    paragraph (a quarter of a second for this document); the id of a built-in style is fixed.
    """
    paragraph = document.add_paragraph(text)
    paragraph._p.style = style_id


def _stamped(data: bytes, moment: dt.datetime) -> bytes:
    """The same ZIP with every entry dated ``moment`` (ZIP stores the write time otherwise)."""
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()

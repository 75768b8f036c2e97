"""``codesign evidence``: every document rendered in memory first, then written atomically.

Nothing is written unless every document rendered: a broken charter or store raises
:class:`~codesign.exceptions.EvidenceError` before the first byte. Each file is replaced
atomically (a reader sees the old or the new version); the output folder must be a real folder,
not a symlink, and each target is replaced, never written through.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign.evidence.assess import assess
from codesign.evidence.facts import gather
from codesign.evidence.model_card import model_card_xml
from codesign.evidence.render import annex_markdown, evidence_json, framework_html
from codesign.evidence.word import annex_docx
from codesign.exceptions import EvidenceError, FileWriteError
from codesign.fileio import REPLACE_ANY, atomic_write, output_folder
from codesign.i18n import project_language

if TYPE_CHECKING:
    import datetime as dt

    from codesign.evidence.assess import Evidence
    from codesign.project import Project

logger = logging.getLogger(__name__)

EVIDENCE_DIR: Final = Path("evidence")
"""Where evidence goes in a project unless told otherwise."""

FILES: Final = (
    "annex-iv.html",
    "annex-iv.md",
    "tripod-ai.html",
    "decide-ai.html",
    "model-card.xml",
    "evidence.docx",
    "evidence.json",
)


@dataclass(frozen=True)
class EvidenceResult:
    """What ``codesign evidence`` wrote and found."""

    evidence: Evidence
    folder: Path
    files: tuple[Path, ...]

    @property
    def complete(self) -> bool:
        """Every item the charter requires is evidenced."""
        return not self.evidence.required_missing()


def render_all(evidence: Evidence) -> dict[str, bytes]:
    """Every evidence file's bytes, by file name."""
    return {
        "annex-iv.html": framework_html(evidence, "annex-iv").encode("utf-8"),
        "annex-iv.md": annex_markdown(evidence).encode("utf-8"),
        "tripod-ai.html": framework_html(evidence, "tripod-ai").encode("utf-8"),
        "decide-ai.html": framework_html(evidence, "decide-ai").encode("utf-8"),
        "model-card.xml": model_card_xml(evidence),
        "evidence.docx": annex_docx(evidence),
        "evidence.json": evidence_json(evidence).encode("utf-8"),
    }


def write_evidence(
    project: Project | Path | str | None = None,
    *,
    out: Path | str | None = None,
    iteration: str | None = None,
    tracking_uri: str | None = None,
    generated_at: dt.datetime | None = None,
) -> EvidenceResult:
    """Gather, judge and write the evidence of a project; see the module docstring."""
    facts = gather(project, iteration=iteration, tracking_uri=tracking_uri)
    # Written for the project's readers: --lang, CODESIGN_LANG, else the charter's language:.
    with project_language(facts.charter.language):
        evidence = assess(facts, generated_at=generated_at)
        documents = render_all(evidence)
    folder = Path(out) if out is not None else facts.project.root / EVIDENCE_DIR
    _prepare(folder)
    written = []
    for name, data in documents.items():
        target = folder / name
        try:
            atomic_write(target, data, expected_sha256=REPLACE_ANY)
        except FileWriteError as e:
            raise EvidenceError(str(e)) from e
        written.append(target)
    logger.info("wrote %d evidence files to %s", len(written), folder)
    return EvidenceResult(evidence, folder, tuple(written))


def _prepare(folder: Path) -> None:
    """Create the output folder; refuse a symlink or a file in its place."""
    try:
        output_folder(folder, what="evidence folder")
    except FileWriteError as e:
        raise EvidenceError(str(e)) from e
    for name in FILES:
        target = folder / name
        if target.exists() and not target.is_symlink() and not target.is_file():
            msg = f"{target}: exists and is not a file; nothing was written"
            raise EvidenceError(msg)

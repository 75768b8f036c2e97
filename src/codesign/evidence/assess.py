"""Judge every item of every framework: evidenced, partial or missing, with where and what lacks.

An item is *evidenced* when its probes found content and nothing missing, *partial* when they
found some content and something missing, *missing* when they found nothing. The result is a
plain value (:class:`Evidence`) that every output renders: HTML, Markdown, DOCX, JSON and the
model card all say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from codesign.evidence.catalogue import FRAMEWORKS, ITEM_IDS
from codesign.exceptions import EvidenceError
from codesign.i18n import _
from codesign.timeutil import iso_utc

if TYPE_CHECKING:
    from codesign.evidence.catalogue import Framework
    from codesign.evidence.facts import Facts

Status = Literal["evidenced", "partial", "missing"]
STATUSES: tuple[Status, ...] = ("evidenced", "partial", "missing")


@dataclass(frozen=True)
class Item:
    """One framework item as evidenced by the store."""

    id: str
    title: str
    status: Status
    content: tuple[str, ...]
    sources: tuple[str, ...]
    missing: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "content": list(self.content),
            "sources": list(self.sources),
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class FrameworkEvidence:
    """A framework's items, in the framework's order."""

    key: str
    title: str
    reference: str
    items: tuple[Item, ...]

    def counts(self) -> dict[Status, int]:
        """How many items are evidenced, partial, missing."""
        return {s: sum(1 for i in self.items if i.status == s) for s in STATUSES}


@dataclass(frozen=True)
class Evidence:
    """Every framework's evidence for one project, and the items the charter requires."""

    title: str
    slug: str
    candidate: str | None
    generated_at: dt.datetime
    frameworks: tuple[FrameworkEvidence, ...]
    required: tuple[str, ...]
    facts: Facts

    def framework(self, key: str) -> FrameworkEvidence:
        return next(f for f in self.frameworks if f.key == key)

    def item(self, item_id: str) -> Item:
        return next(i for f in self.frameworks for i in f.items if i.id == item_id)

    def required_missing(self) -> list[Item]:
        """Required items (the charter's ``evidence.required``) not fully evidenced."""
        return [self.item(i) for i in self.required if self.item(i).status != "evidenced"]

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.title,
            "slug": self.slug,
            "candidate_iteration": self.candidate,
            "generated_at": iso_utc(self.generated_at),
            "required": list(self.required),
            "required_missing": [i.id for i in self.required_missing()],
            "frameworks": [
                {
                    "key": f.key,
                    "title": f.title,
                    "reference": f.reference,
                    "counts": f.counts(),
                    "items": [i.to_json() for i in f.items],
                }
                for f in self.frameworks
            ],
        }


def assess(facts: Facts, *, generated_at: dt.datetime | None = None) -> Evidence:
    """Run every framework's probes on ``facts``."""
    charter = facts.charter
    unknown = [i for i in charter.evidence.required if i not in ITEM_IDS]
    if unknown:
        msg = (
            f"{facts.project.charter_path}: evidence.required lists unknown item(s) "
            f"{', '.join(unknown)}; expected ids like annex-iv.1-9, tripod-ai.1-27, decide-ai.1-17"
        )
        raise EvidenceError(msg)
    return Evidence(
        title=charter.use_case.title,
        slug=facts.project.slug_of(charter),
        candidate=facts.candidate.name if facts.candidate is not None else None,
        generated_at=generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        frameworks=tuple(_framework(f, facts) for f in FRAMEWORKS),
        required=tuple(charter.evidence.required),
        facts=facts,
    )


def _framework(framework: Framework, facts: Facts) -> FrameworkEvidence:
    items = []
    for spec in framework.items:
        found = spec.probe(facts)
        status: Status = (
            "missing" if not found.content else ("partial" if found.missing else "evidenced")
        )
        items.append(
            Item(spec.id, _(spec.title), status, found.content, found.sources, found.missing)
        )
    return FrameworkEvidence(
        framework.key, _(framework.title), _(framework.reference), tuple(items)
    )

"""Evidence for regulators, ethics boards and buyers, from what the project's store holds.

:func:`write_evidence` turns a project's charter, gate results, iterations, report runs, feedback
and sign-offs into EU AI Act Annex IV (HTML, Markdown, Word), TRIPOD+AI and DECIDE-AI
checklists, a CHAI Applied Model Card (XML) and a JSON of every item, its status and source,
listing concretely what is still missing.
"""

from codesign.evidence.assess import Evidence, Item, assess
from codesign.evidence.build import EvidenceResult, write_evidence
from codesign.evidence.facts import Facts, KeyMetric, facts_of, gather, key_metrics

__all__ = [
    "Evidence",
    "EvidenceResult",
    "Facts",
    "Item",
    "KeyMetric",
    "assess",
    "facts_of",
    "gather",
    "key_metrics",
    "write_evidence",
]

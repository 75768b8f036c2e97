"""The pilot's clinician feedback, as the feedback forms would record it: SUS, trust, time-motion.

Triage nurses used the improved model for two weeks. Twelve answered the System Usability Scale
and the trust statements; the head nurse timed 24 triages with and without the tool. The answers
are drawn from a fixed seed, with the spread real questionnaires show.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

from codesign.charter.feedback import TRUST_ITEMS, FeedbackKind, FeedbackRecord

if TYPE_CHECKING:
    import numpy as np

NURSES: Final = 12
TIMED_TRIAGES: Final = 24
ROLE: Final = "triage nurse"
SESSION: Final = "pilot weeks 1-2"
TASK: Final = "triage of one patient"


def pilot_feedback(iteration: str, *, seed: int, start: dt.datetime) -> list[FeedbackRecord]:
    """SUS and trust answers of :data:`NURSES` nurses and :data:`TIMED_TRIAGES` timed triages.

    Every record names ``iteration``: feedback on one model never counts for another.
    ``start`` is the first day of the pilot; records are spread over its two weeks.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    records: list[FeedbackRecord] = []

    def record(when: dt.datetime, **answers: Any) -> FeedbackRecord:
        return FeedbackRecord(iteration=iteration, session=SESSION, recorded_at=when, **answers)

    for nurse in range(NURSES):
        when = start + dt.timedelta(days=nurse % 10, hours=8 + int(rng.integers(0, 10)))
        records.append(record(when, kind=FeedbackKind.SUS, respondent_role=ROLE, sus=_sus(rng)))
        trust = {key: _likert(rng, 3.9) for key in TRUST_ITEMS}
        records.append(record(when, kind=FeedbackKind.TRUST, respondent_role=ROLE, trust=trust))
    for triage in range(TIMED_TRIAGES):
        without = float(np.clip(rng.normal(6.0, 1.2), 2.5, 12.0))
        saved = float(np.clip(rng.normal(1.5, 0.8), -1.0, 4.0))
        records.append(
            record(
                start + dt.timedelta(days=triage % 10, hours=14),
                kind=FeedbackKind.TIME_MOTION,
                respondent_role="head triage nurse",
                task=TASK,
                minutes_without=round(without, 1),
                minutes_with=round(max(without - saved, 0.5), 1),
            )
        )
    return records


def _sus(rng: np.random.Generator) -> tuple[int, ...]:
    """Ten answers of a nurse who finds the tool fairly easy: positive items high, negative low."""
    return tuple(_likert(rng, 4.2) if item % 2 == 0 else _likert(rng, 1.9) for item in range(10))


def _likert(rng: np.random.Generator, mean: float) -> int:
    """One answer on the 1-5 scale around ``mean``."""
    return int(min(max(round(rng.normal(mean, 0.7)), 1), 5))

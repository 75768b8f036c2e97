"""The development set of the PHI detector: realistic, annotated, fixed, and the goals it sets."""

from __future__ import annotations

import pyarrow as pa
import pytest
from stdnum.fr import nir

from codesign.governance import phi
from codesign.synthetic.notes import CATEGORIES, Note, clinical_notes, development_set


@pytest.fixture(scope="module")
def dev():
    return development_set()


def test_the_set_is_fixed_large_and_split(dev) -> None:
    assert len(dev.tuning) + len(dev.held_out) >= 300
    assert development_set() == dev  # same notes every time
    assert not {n.text for n in dev.tuning} & {n.text for n in dev.held_out}


def test_every_category_and_identifier_free_notes_are_there(dev) -> None:
    for part in (dev.tuning, dev.held_out):
        for category in CATEGORIES:
            assert sum(category in n.categories for n in part) >= 15, category
        assert sum(n.decoy for n in part) >= len(part) / 4


def test_annotations_are_removed_from_the_text() -> None:
    note = Note(annotated="IPP : ⟦phi.patient_id|8001234567⟧, tél ⟦phi.phone|06 12⟧", kind="x")
    assert note.text == "IPP : 8001234567, tél 06 12"
    assert note.categories == {"phi.patient_id", "phi.phone"}
    assert note.values == ("8001234567", "06 12")
    for n in clinical_notes(60, seed=5):
        assert "⟦" not in n.text
        assert "⟧" not in n.text


def test_decoy_fifteen_digit_numbers_have_a_wrong_key() -> None:
    import re

    for note in clinical_notes(200, seed=6):
        if note.decoy:
            for number in re.findall(r"(?<![0-9])[0-9]{15}(?![0-9])", note.text):
                assert not nir.is_valid(number)


def recall_and_alarms(notes: tuple[Note, ...]) -> tuple[dict[str, float], float]:
    masks = phi.scan_strings(pa.array([n.text for n in notes]))
    found = [{c for c, m in masks.items() if m[i]} for i in range(len(notes))]
    recall = {}
    for category in CATEGORIES:
        holding = [i for i, n in enumerate(notes) if category in n.categories]
        recall[category] = sum(category in found[i] for i in holding) / len(holding)
    clean = [i for i, n in enumerate(notes) if n.decoy]
    flagged = sum(bool(found[i]) for i in clean) / len(clean)
    assert not any("phi.nir" in found[i] for i in clean)
    return recall, flagged


GOALS = {
    **dict.fromkeys(("phi.phone", "phi.email", "phi.nir", "phi.patient_id"), 0.95),
    **dict.fromkeys(("phi.name", "phi.birthdate", "phi.address"), 0.90),
}


@pytest.mark.slow
def test_the_detector_meets_the_goals_of_issue_16(dev) -> None:
    for part in (dev.tuning, dev.held_out):
        recall, flagged = recall_and_alarms(part)
        assert {c: r for c, r in recall.items() if r < GOALS[c]} == {}
        assert flagged <= 0.05

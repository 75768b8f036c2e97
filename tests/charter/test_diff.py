"""Charter diffs: outcomes added, removed, moved and changed, in words."""

from __future__ import annotations

from codesign.charter import Outcome, parse_charter, preset_text
from codesign.charter.diff import ChangeKind, describe_changes, diff_charters


def test_diff_names_each_kind_of_change() -> None:
    old = parse_charter(preset_text("triage"))
    new = old.model_copy(deep=True)
    new.outcomes[1].target = ">= 0.9"  # type: ignore[assignment]
    removed = new.outcomes.pop(4)
    new.outcomes.insert(0, new.outcomes.pop(2))
    new.outcomes.append(
        Outcome(id="auroc", title="Ranks well", category="accuracy", metric="auroc", target="> 0.8")  # type: ignore[arg-type]
    )
    new.use_case.stage = "pilot"  # type: ignore[assignment]

    changes = diff_charters(old, new)
    kinds = {(c.path, c.kind) for c in changes}
    assert ("outcomes[high_acuity_sensitivity].target", ChangeKind.CHANGED) in kinds
    assert (f"outcomes[{removed.id}]", ChangeKind.REMOVED) in kinds
    assert ("outcomes[auroc]", ChangeKind.ADDED) in kinds
    assert ("outcomes[over_triage]", ChangeKind.MOVED) in kinds
    assert ("use_case.stage", ChangeKind.CHANGED) in kinds
    lines = describe_changes(old, new)
    assert 'outcomes[high_acuity_sensitivity].target: ">= 0.95" → ">= 0.9"' in lines
    assert 'outcomes[auroc]: added "Ranks well"' in lines
    assert 'use_case.stage: "co-design" → "pilot"' in lines


def test_identical_charters_have_no_diff() -> None:
    charter = parse_charter(preset_text("imaging"))
    assert diff_charters(charter, charter.model_copy(deep=True)) == []

"""Re-applying unsaved changes on top of a version saved elsewhere: a three-way charter merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesign.charter import Outcome, load_charter, preset_text
from codesign.charter.merge import merge_changes
from codesign.exceptions import CharterError, ConflictError


@pytest.fixture
def triage(tmp_path: Path) -> Path:
    path = tmp_path / "codesign.yaml"
    path.write_text(preset_text("triage"), encoding="utf-8")
    return path


def test_only_one_side_changed_takes_that_side() -> None:
    base = {"a": 1, "b": [1, 2]}
    assert merge_changes(base, base, {"a": 2, "b": [1, 2]}).data == {"a": 2, "b": [1, 2]}
    assert merge_changes(base, {"a": 3, "b": [1, 2]}, base).data == {"a": 3, "b": [1, 2]}


def test_both_changed_keeps_mine_and_says_so() -> None:
    result = merge_changes({"t": ">= 0.9"}, {"t": ">= 0.95"}, {"t": ">= 0.92"})
    assert result.data == {"t": ">= 0.95"}
    assert result.overridden == ('t: kept yours (">= 0.95"); the other had ">= 0.92"',)


def test_records_merge_by_key_in_order() -> None:
    base = [{"id": "a", "v": 1}, {"id": "b", "v": 1}, {"id": "c", "v": 1}]
    mine = [{"id": "a", "v": 2}, {"id": "c", "v": 1}, {"id": "m", "v": 1}]  # edit a, drop b, add m
    theirs = [{"id": "t", "v": 1}, *base[:2], {"id": "c", "v": 5}]  # add t first, edit c
    result = merge_changes(base, mine, theirs)
    assert result.data == [
        {"id": "t", "v": 1},
        {"id": "a", "v": 2},
        {"id": "c", "v": 5},
        {"id": "m", "v": 1},
    ]
    assert result.overridden == ()


def test_my_reordering_wins_their_additions_follow_their_predecessor() -> None:
    base = [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    mine = [{"id": "c"}, {"id": "b"}, {"id": "a"}]
    theirs = [{"id": "a"}, {"id": "x"}, {"id": "b"}, {"id": "c"}]
    assert [r["id"] for r in merge_changes(base, mine, theirs).data] == ["c", "b", "a", "x"]


def test_record_removed_here_but_edited_there_stays_removed_with_a_note() -> None:
    base = [{"id": "a", "v": 1}, {"id": "b", "v": 1}]
    result = merge_changes(base, [base[0]], [base[0], {"id": "b", "v": 2}])
    assert result.data == [{"id": "a", "v": 1}]
    assert result.overridden == ('[b]: kept yours (nothing); the other had {id: "b", v: 2}',)


def test_signoffs_of_the_same_person_are_distinct_records() -> None:
    one = {"name": "Dr A", "role": "lead", "charter_sha256": "1" * 64, "signed_at": "t1"}
    two = {**one, "charter_sha256": "2" * 64, "signed_at": "t2"}
    three = {**one, "name": "B", "signed_at": "t3"}
    merged = merge_changes([one], [one, three], [one, two]).data
    assert merged == [one, two, three]


def test_rebase_reapplies_my_edits_on_their_version(triage: Path) -> None:
    mine = load_charter(triage)
    theirs = load_charter(triage)
    theirs.charter.outcomes[0].target = "<= 0.04"
    theirs.charter.stakeholders.pop()
    theirs.save()

    mine.charter.use_case.title = "My title"
    mine.charter.outcomes[1].target = ">= 0.97"
    mine.charter.outcomes.append(
        Outcome(id="auroc", title="Ranks well", category="accuracy", metric="auroc", target="> 0.8")
    )
    with pytest.raises(ConflictError):
        mine.save()
    fresh, notes = mine.rebase()
    assert notes == []
    assert fresh.modified
    charter = fresh.charter
    assert charter.use_case.title == "My title"
    assert [str(o.target) for o in charter.outcomes[:2]] == ["<= 0.04", ">= 0.97"]
    assert charter.outcomes[-1].id == "auroc"
    assert len(charter.stakeholders) == 3
    text_before = triage.read_text()
    fresh.save()
    text = triage.read_text()
    assert "ACS Committee on Trauma" in text  # comments kept through the rebase
    assert text != text_before
    assert load_charter(triage).charter == charter


def test_rebase_that_cannot_be_valid_is_refused_and_changes_nothing(triage: Path) -> None:
    mine = load_charter(triage)
    theirs = load_charter(triage)
    theirs.charter.decision.criteria[0].name = "Speed"
    theirs.save()
    mine.charter.decision.criteria[1].name = "speed"  # same name, different case: a duplicate
    with pytest.raises(CharterError, match="cannot be re-applied") as caught:
        mine.rebase()
    assert any("duplicate" in issue.message for issue in caught.value.issues)
    assert mine.charter.decision.criteria[1].name == "speed"

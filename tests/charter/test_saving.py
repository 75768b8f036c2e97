"""Saving charters: faithful round trips, atomic writes, conflicts detected, nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codesign.charter import CharterFile, Outcome, load_charter, preset_text
from codesign.charter.registry import REGISTRY
from codesign.exceptions import CharterError, ConflictError, FileWriteError


@pytest.fixture
def triage(tmp_path: Path) -> Path:
    path = tmp_path / "codesign.yaml"
    path.write_text(preset_text("triage"), encoding="utf-8")
    return path


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_unchanged_charter_saves_byte_identical(triage: Path) -> None:
    before = triage.read_bytes()
    file = load_charter(triage)
    file.save()
    assert triage.read_bytes() == before


def test_edit_touches_only_the_edited_line(triage: Path) -> None:
    before = triage.read_text().splitlines()
    file = load_charter(triage)
    file.charter.outcomes[1].target = ">= 0.9"
    file.save()
    after = triage.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [('    target: ">= 0.95"', '    target: ">= 0.9"')]


def test_added_outcome_reads_back_and_comments_stay(triage: Path) -> None:
    original = triage.read_text()
    file = load_charter(triage)
    file.charter.outcomes.append(
        Outcome(id="auroc", title="Ranks well", category="accuracy", metric="auroc", target="> 0.8")
    )
    file.charter.outcomes.reverse()
    file.save()
    again = load_charter(triage).charter
    assert [o.id for o in again.outcomes] == [o.id for o in file.charter.outcomes]
    assert again == file.charter
    assert sorted(comment_lines(triage.read_text())) == sorted(comment_lines(original))


def test_removing_a_field_value_deletes_the_key(triage: Path) -> None:
    file = load_charter(triage)
    file.charter.use_case.partner = None
    file.save()
    assert "partner: Example Health AI" not in triage.read_text()
    assert load_charter(triage).charter.use_case.partner is None


def test_renamed_record_keeps_its_line_and_style(triage: Path) -> None:
    before = triage.read_text().splitlines()
    file = load_charter(triage)
    file.charter.stakeholders[0].name = "Dr Z. Bernard"
    file.save()
    after = triage.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        (
            "  - {name: Dr A. Martin, role: clinical lead, side: internal}",
            "  - {name: Dr Z. Bernard, role: clinical lead, side: internal}",
        )
    ]


def test_key_added_at_a_mapping_end_stays_in_its_section(triage: Path) -> None:
    file = load_charter(triage)
    file.charter.use_case.slug = "triage"
    file.save()
    text = triage.read_text()
    assert "  partner: Example Health AI\n  slug: triage\n\nstakeholders:\n" in text


def test_new_file_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_text("precious: work\n")
    file = CharterFile.from_text(preset_text("blank"), path)
    with pytest.raises(ConflictError, match="already exists"):
        file.save()
    assert path.read_text() == "precious: work\n"


def test_invalid_model_is_not_saved(triage: Path) -> None:
    before = triage.read_bytes()
    file = load_charter(triage)
    file.charter.outcomes.append(file.charter.outcomes[0].model_copy())
    with pytest.raises(CharterError) as caught:
        file.save()
    assert any("duplicate 'under_triage'" in issue.message for issue in caught.value.issues)
    assert triage.read_bytes() == before


def test_conflict_is_detected_and_explained(triage: Path) -> None:
    mine = load_charter(triage)
    theirs = load_charter(triage)
    theirs.charter.outcomes[0].target = "<= 0.04"
    theirs.save()
    on_disk = triage.read_bytes()

    mine.charter.use_case.title = "My title"
    with pytest.raises(ConflictError) as caught:
        mine.save()
    assert "modified elsewhere" in str(caught.value)
    assert 'outcomes[under_triage].target: "<= 0.05" → "<= 0.04"' in caught.value.changes
    assert triage.read_bytes() == on_disk  # their work is intact
    assert mine.charter.use_case.title == "My title"  # and so is mine

    fresh = mine.reload()
    fresh.charter.use_case.title = mine.charter.use_case.title
    fresh.save()
    merged = load_charter(triage).charter
    assert merged.use_case.title == "My title"
    assert str(merged.outcomes[0].target) == "<= 0.04"


def test_text_editor_change_is_a_conflict(triage: Path) -> None:
    file = load_charter(triage)
    triage.write_text(triage.read_text().replace("Nurse triage assistant", "Edited by hand"))
    file.charter.stakeholders.pop()
    with pytest.raises(ConflictError) as caught:
        file.save()
    assert any("use_case.title" in change for change in caught.value.changes)
    assert "Edited by hand" in triage.read_text()


def test_deleted_file_is_a_conflict(triage: Path) -> None:
    file = load_charter(triage)
    triage.unlink()
    with pytest.raises(ConflictError, match="deleted or moved"):
        file.save()
    assert not triage.exists()


def test_failed_replace_leaves_old_file_intact(
    triage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = triage.read_bytes()
    file = load_charter(triage)
    file.charter.use_case.title = "Half written"

    def crash(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(FileWriteError, match="previous version is intact"):
        file.save()
    monkeypatch.undo()
    assert triage.read_bytes() == before
    assert load_charter(triage).charter.use_case.title == "Nurse triage assistant"
    assert sorted(p.name for p in triage.parent.iterdir()) == ["codesign.yaml"]
    file.save()  # the same model saves once the disk is fine again
    assert load_charter(triage).charter.use_case.title == "Half written"


def test_process_killed_between_write_and_replace(triage: Path) -> None:
    """A real crash: the process dies (no cleanup, no exception handling) before the rename."""
    before = triage.read_bytes()
    script = textwrap.dedent(
        f"""
        import os
        from codesign.charter import load_charter
        file = load_charter({str(triage)!r})
        file.charter.use_case.title = "Never written"
        os.replace = lambda *args: os._exit(9)
        file.save()
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True)
    assert result.returncode == 9
    assert triage.read_bytes() == before
    assert load_charter(triage).charter.use_case.title == "Nurse triage assistant"
    leftovers = [p.name for p in triage.parent.iterdir() if p.name != "codesign.yaml"]
    assert all(name.startswith(".codesign.yaml.") and name.endswith(".tmp") for name in leftovers)


# --- property-based round trip ------------------------------------------------------------------

text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
shares = st.floats(min_value=0.01, max_value=0.99).map(lambda x: round(x, 4))
targets = st.tuples(st.sampled_from([">=", "<=", ">", "<"]), shares)
"""An operator and where the number lies on the metric's scale (targets must lie on it)."""


def on_scale(metric: str, target: tuple[str, float]) -> str:
    op, share = target
    spec = REGISTRY.get(metric)
    low, high = spec.scale if spec is not None and spec.scale is not None else (0.0, 1.0)
    return f"{op} {round(low + share * (high - low), 4)}"


@st.composite
def edits(draw: st.DrawFn) -> dict[str, object]:
    return {
        "title": draw(text),
        "problem": draw(st.none() | text),
        "users": draw(st.lists(text, max_size=4)),
        "targets": draw(st.lists(targets, min_size=7, max_size=7)),
        "owner": draw(st.none() | text),
        "order": draw(st.permutations(range(7))),
        "schedule": draw(st.sampled_from([None, "0 7 * * MON", "*/15 * * * *", "0 8 1 * *"])),
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(change=edits())
def test_round_trip_property(tmp_path: Path, change: dict[str, object]) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_text(preset_text("triage"), encoding="utf-8")
    original_comments = comment_lines(path.read_text())
    file = load_charter(path)
    charter = file.charter
    charter.use_case.title = change["title"]
    charter.use_case.problem = change["problem"]
    charter.use_case.intended_users = change["users"]
    for outcome, target in zip(charter.outcomes, change["targets"], strict=True):
        outcome.target = on_scale(outcome.metric, target)
    charter.outcomes[0].owner = change["owner"]
    charter.outcomes = [charter.outcomes[i] for i in change["order"]]
    charter.reports.schedule = change["schedule"]
    file.save()

    again = load_charter(path)
    assert again.charter == charter
    assert again.charter.content_sha256() == charter.content_sha256()
    assert sorted(comment_lines(path.read_text())) == sorted(original_comments)
    path.unlink()


@pytest.mark.parametrize(
    ("mapping", "offset"),
    [(2, 2), (2, 0), (4, 2), (4, 4), (3, 0)],
)
def test_indentation_style_is_kept(tmp_path: Path, mapping: int, offset: int) -> None:
    """A charter indented another way keeps its look when one field is edited."""
    m, o = " " * mapping, " " * offset
    text = (
        "schema_version: 1\n"
        "use_case:\n"
        f"{m}title: Sepsis early warning\n"
        f"{m}intended_users:\n"
        f"{m}{o}- ward nurse\n"
        "outcomes:\n"
        "  # the one that matters\n"
        f"{o}- id: sensitivity\n"
        f"{o}  title: Catch sepsis early\n"
        f"{o}  category: safety\n"
        f"{o}  metric: sensitivity\n"
        f'{o}  target: ">= 0.85"\n'
    ).replace("  # the one", o + "# the one")
    path = tmp_path / "codesign.yaml"
    path.write_text(text)
    file = load_charter(path)
    file.charter.outcomes[0].target = ">= 0.9"
    file.save()
    assert path.read_text() == text.replace('">= 0.85"', '">= 0.9"')

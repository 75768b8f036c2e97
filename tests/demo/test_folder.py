"""The demo folder: made fresh, an earlier demo replaced only when asked, the rest untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codesign.demo.folder import MARKER, claim, prepare_folder
from codesign.demo.story import DemoOptions
from codesign.exceptions import DemoError


def earlier_demo(folder: Path) -> Path:
    prepare_folder(folder)
    claim(folder, "project").mkdir()
    (folder / "project" / "codesign.yaml").write_text("old")
    return folder


def test_a_new_folder_is_created_with_the_marker(tmp_path: Path) -> None:
    folder = prepare_folder(tmp_path / "a" / "demo")
    assert folder == tmp_path / "a" / "demo"
    assert [p.name for p in folder.iterdir()] == [MARKER]


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    assert (prepare_folder(tmp_path / "demo") / MARKER).is_file()


def test_an_earlier_demo_is_kept_unless_replacing_is_asked(tmp_path: Path) -> None:
    folder = earlier_demo(tmp_path / "demo")
    with pytest.raises(DemoError, match="earlier demo; run again with --force"):
        prepare_folder(folder)
    with pytest.raises(DemoError, match="earlier demo"):
        prepare_folder(folder, confirm=lambda _question: False)
    assert (folder / "project" / "codesign.yaml").read_text() == "old"


@pytest.mark.parametrize("how", ["force", "confirm"])
def test_an_earlier_demo_is_replaced_when_asked(tmp_path: Path, how: str) -> None:
    neighbour = tmp_path / "keep.txt"
    neighbour.write_text("mine")
    folder = earlier_demo(tmp_path / "demo")
    questions: list[str] = []

    def yes(question: str) -> bool:
        questions.append(question)
        return True

    if how == "force":
        prepare_folder(folder, force=True)
    else:
        prepare_folder(folder, confirm=yes)
        assert questions == [f"{folder} holds an earlier demo. Replace it?"]
    assert [p.name for p in folder.iterdir()] == [MARKER]
    assert neighbour.read_text() == "mine"


def test_a_folder_that_is_not_a_demo_is_never_touched_even_with_force(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "thesis.docx").write_text("years of work")
    with pytest.raises(DemoError, match="not a codesign demo; nothing was changed"):
        prepare_folder(folder, force=True)
    assert [p.name for p in folder.iterdir()] == ["thesis.docx"]


def test_replacing_removes_only_what_the_demo_listed(tmp_path: Path) -> None:
    folder = earlier_demo(tmp_path / "share")
    (folder / "notes.txt").write_text("the team's notes")
    (folder / "minutes").mkdir()
    (folder / "minutes" / "day1.md").write_text("kept")
    prepare_folder(folder, force=True)
    assert sorted(p.name for p in folder.iterdir()) == [MARKER, "minutes", "notes.txt"]
    assert (folder / "minutes" / "day1.md").read_text() == "kept"
    prepare_folder(folder, force=True)  # still a demo folder: replaced again, notes kept
    assert (folder / "notes.txt").read_text() == "the team's notes"


def test_a_copied_marker_authorises_nothing(tmp_path: Path) -> None:
    demo = earlier_demo(tmp_path / "demo")
    share = tmp_path / "share"
    share.mkdir()
    (share / "project").mkdir()
    (share / "project" / "codesign.yaml").write_text("a real project")
    (share / "budget.xlsx").write_text("numbers")
    shutil.copy2(demo / MARKER, share / MARKER)
    with pytest.raises(DemoError, match="made for another folder"):
        prepare_folder(share, force=True)
    assert (share / "project" / "codesign.yaml").read_text() == "a real project"
    assert (share / "budget.xlsx").read_text() == "numbers"
    (share / MARKER).write_text('{"codesign_demo": 1}\n')  # a hand-made or older marker
    with pytest.raises(DemoError, match="not a codesign demo"):
        prepare_folder(share, force=True)
    assert (share / "budget.xlsx").read_text() == "numbers"


def test_an_entry_the_demo_did_not_make_is_not_claimed(tmp_path: Path) -> None:
    folder = prepare_folder(tmp_path / "demo")
    (folder / "triage").mkdir()
    with pytest.raises(DemoError, match="exists and was not made by the demo"):
        claim(folder, "triage")


def test_a_file_or_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "demo"
    file.write_text("x")
    with pytest.raises(DemoError, match="is not a folder"):
        prepare_folder(file, force=True)
    target = earlier_demo(tmp_path / "target")
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(DemoError, match="symbolic link"):
        prepare_folder(link, force=True)
    assert (target / "project" / "codesign.yaml").exists()


def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(DemoError, match="cannot create the demo folder"):
        prepare_folder(blocker / "demo")


def test_rows_out_of_range_are_refused() -> None:
    with pytest.raises(DemoError, match="rows: expected 1000 to 200000 visits, got 10"):
        DemoOptions(rows=10)

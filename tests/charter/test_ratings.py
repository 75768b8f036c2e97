"""The Delphi rounds on disk: pseudonymous, by role, atomic, twenty savers at once, nothing lost."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from codesign.charter.consensus import Verdict
from codesign.charter.ratings import Candidate, CandidateStatus, Rating, RatingStore
from codesign.charter.versions import VersionBook
from codesign.exceptions import DataError, FileWriteError


def test_twenty_people_saving_at_once_are_all_kept(tmp_path: Path) -> None:
    store = RatingStore(tmp_path)
    store.rater_key("warm up")  # the key exists before the rush, as after the first page view
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def save(index: int) -> None:
        try:
            own = RatingStore(tmp_path)
            rater = own.rater_key(f"Person {index}")
            barrier.wait()
            own.save(rater, "triage nurse", {"sepsis": Rating(score=7 + index % 3)}, round_number=1)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = store.result(1)
    assert result.raters == 20
    assert result.roles == {"triage nurse": 20}
    assert result.tallies["sepsis"].verdict is Verdict.IN
    assert not list(tmp_path.rglob(".*.tmp"))  # no temporary file left behind


def test_ratings_are_pseudonymous_by_role_and_a_second_save_replaces(tmp_path: Path) -> None:
    store = RatingStore(tmp_path)
    rater = store.rater_key("Marie Dupont")
    assert rater == RatingStore(tmp_path).rater_key("  marie dupont ")  # stable across pages
    assert rater != RatingStore(tmp_path / "other").rater_key("Marie Dupont")  # per project
    store.save(rater, "triage nurse", {"a": Rating(score=3)}, round_number=1)
    store.save(rater, "triage nurse", {"a": Rating(score=8, target=0.9)}, round_number=1)
    files = list((tmp_path / "workshop" / "ratings" / "round-1").iterdir())
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert "Marie" not in text
    assert "Dupont" not in text
    assert '"role": "triage nurse"' in text
    answers = store.answers(rater, 1)
    assert answers is not None
    assert answers.ratings["a"] == Rating(score=8, target=0.9)


@pytest.mark.parametrize("score", [0, 10, -3])
def test_a_rating_outside_one_to_nine_is_refused_and_nothing_saved(
    tmp_path: Path, score: int
) -> None:
    with pytest.raises(ValidationError, match=r"from 1 \(not important\) to 9 \(critical\)"):
        Rating(score=score)
    assert not (tmp_path / "workshop").exists()


def test_rounds_candidates_and_closing(tmp_path: Path) -> None:
    store = RatingStore(tmp_path)
    candidate = Candidate(id="sepsis", title="Flag sepsis", category="safety", metric="sensitivity")
    store.propose(candidate)
    with pytest.raises(DataError, match="already put to the room"):
        store.propose(candidate)
    assert store.next_round().round == 2
    state = store.close("sepsis", CandidateStatus.ACCEPTED)
    assert state.candidates[0].status == "accepted"
    assert state.candidates[0].round_closed == 2
    assert state.open_candidates() == []


def test_a_fifo_or_a_symlink_in_place_of_a_workshop_file_fails_alone(tmp_path: Path) -> None:
    (tmp_path / "workshop").mkdir()
    os.mkfifo(tmp_path / "workshop" / "consensus.json")
    with pytest.raises(DataError, match="not a regular file"):
        RatingStore(tmp_path).state()  # returns at once: never blocks on the FIFO
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / "workshop").symlink_to(elsewhere)
    with pytest.raises(FileWriteError, match="symbolic link"):
        RatingStore(project).save("0" * 24, "nurse", {"a": Rating(score=5)}, round_number=1)
    assert list(elsewhere.iterdir()) == []


def test_charter_versions_are_numbered_in_the_order_seen(tmp_path: Path) -> None:
    book = VersionBook(tmp_path)
    first = book.number("a" * 64, seen_at=dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC))
    second = book.number("b" * 64)
    assert (first.number, second.number) == (1, 2)
    assert book.number("a" * 64) == first
    assert VersionBook(tmp_path).known() == [first, second]

"""The workshop's Delphi rounds on disk: candidate outcomes, and each person's ratings.

Everything lives under the project's ``workshop/`` folder:

* ``workshop/consensus.json``: the current round and the candidate outcomes put to the room
  (read-modify-written under the folder lock, so two facilitators' clicks both land);
* ``workshop/ratings/round-<n>/<rater>.json``: one file per person and round, written
  atomically. Twenty people saving at once write twenty different files: nothing is lost, and
  nobody waits for anybody.

A rater file is named by a keyed hash of the person's name (the key, ``workshop/.rater-key``,
is random and stays in the project), so a person who reloads the page replaces their own answers
instead of counting twice, while the file holds only their **role**: ratings are pseudonymous.

Every read checks it is a regular file of bounded size before reading (a FIFO or ``/dev/zero``
in place of a file fails alone, with its name), and no write follows a symlink.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from codesign.charter.consensus import check_score, tally
from codesign.charter.model import Category, Name, Text
from codesign.exceptions import ConflictError, DataError, FileWriteError
from codesign.fileio import MUST_NOT_EXIST, REPLACE_ANY, atomic_write, project_folder, update_file

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from codesign.charter.consensus import ConsensusRule, Tally

FOLDER: Final = "workshop"
STATE_FILE: Final = "consensus.json"
KEY_FILE: Final = ".rater-key"
MAX_FILE_BYTES: Final = 1 << 20
"""A rater file or the state file is a few kilobytes; anything above 1 MiB is not ours."""
_CANDIDATE_ID: Final = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class CandidateStatus:
    OPEN: Final = "open"
    ACCEPTED: Final = "accepted"
    DROPPED: Final = "dropped"


class Candidate(BaseModel):
    """An outcome put to the room: what it means, how it would be measured, which way is good."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str
    title: Text
    category: Category
    metric: str
    op: str = ">="
    """The direction of a target: ``>=`` (at least) or ``<=`` (at most)."""
    status: str = CandidateStatus.OPEN
    round_closed: int | None = None
    """The round in which it was accepted or dropped."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _CANDIDATE_ID.match(value):
            msg = f"expected a short id of letters, digits and _, got {value!r}"
            raise ValueError(msg)
        return value


class RoundState(BaseModel):
    """``workshop/consensus.json``: the round the room is in, and the candidates."""

    model_config = ConfigDict(extra="forbid")

    round: int = Field(default=1, ge=1)
    candidates: list[Candidate] = Field(default_factory=list)

    def candidate(self, candidate_id: str) -> Candidate | None:
        return next((c for c in self.candidates if c.id == candidate_id), None)

    def open_candidates(self) -> list[Candidate]:
        return [c for c in self.candidates if c.status == CandidateStatus.OPEN]


class Rating(BaseModel):
    """One person's answer on one candidate: a GRADE score and, optionally, a target."""

    model_config = ConfigDict(extra="forbid")

    score: int
    target: float | None = None

    @field_validator("score")
    @classmethod
    def _on_scale(cls, value: int) -> int:
        return check_score(value)


class RaterFile(BaseModel):
    """One person's answers in one round, by role (never by name)."""

    model_config = ConfigDict(extra="forbid")

    role: Name
    saved_at: dt.datetime
    ratings: dict[str, Rating] = Field(default_factory=dict)


@dataclass(frozen=True)
class RoundResult:
    """A round's ratings of every candidate, ready to show."""

    round: int
    tallies: dict[str, Tally] = field(default_factory=dict)
    raters: int = 0
    roles: dict[str, int] = field(default_factory=dict)
    """How many raters per role (who is in the room, without a name)."""


class RatingStore:
    """The Delphi rounds of one project (``<project>/workshop/``)."""

    def __init__(self, project_root: Path) -> None:
        self.root = Path(project_root)
        self.folder = self.root / FOLDER

    # --- state ----------------------------------------------------------------------------

    def state(self) -> RoundState:
        """The current round and candidates (round 1 and none before any is put)."""
        data = read_small(self.folder / STATE_FILE)
        if data is None:
            return RoundState()
        try:
            return RoundState.model_validate_json(data)
        except ValidationError as e:
            path = self.folder / STATE_FILE
            msg = f"{path}: not a workshop state file ({e.error_count()} problem(s))"
            raise DataError(msg) from e

    def propose(self, candidate: Candidate) -> RoundState:
        """Put a candidate outcome to the room (its id must be new)."""

        def add(state: RoundState) -> None:
            if state.candidate(candidate.id) is not None:
                msg = f'an outcome with the id "{candidate.id}" is already put to the room'
                raise DataError(msg)
            state.candidates.append(candidate)

        return self._update(add)

    def close(self, candidate_id: str, status: str) -> RoundState:
        """Mark a candidate accepted or dropped in the current round."""

        def mark(state: RoundState) -> None:
            found = state.candidate(candidate_id)
            if found is None:
                msg = f'no outcome "{candidate_id}" is put to the room'
                raise DataError(msg)
            found.status = status
            found.round_closed = state.round

        return self._update(mark)

    def next_round(self) -> RoundState:
        """Close the current round: ratings go on in the next, beside the group's last answers."""

        def advance(state: RoundState) -> None:
            state.round += 1

        return self._update(advance)

    def _update(self, change: Callable[[RoundState], None]) -> RoundState:
        folder = self._writable_folder()
        result: list[RoundState] = []

        def transform(current: bytes | None) -> bytes:
            state = RoundState() if current is None else RoundState.model_validate_json(current)
            change(state)
            result.append(state)
            return (state.model_dump_json(indent=2) + "\n").encode("utf-8")

        path = folder / STATE_FILE
        refuse_symlink(path)
        update_file(path, transform)
        return result[0]

    # --- ratings --------------------------------------------------------------------------

    def rater_key(self, name: str) -> str:
        """The pseudonym of a person in rating files: stable for them, meaningless to others."""
        key = self._key()
        digest = hmac.new(key, name.strip().casefold().encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:24]

    def save(
        self, rater: str, role: str, ratings: Mapping[str, Rating], *, round_number: int
    ) -> Path:
        """Write one person's ratings of a round (replacing their earlier ones), atomically."""
        if not re.fullmatch(r"[0-9a-f]{24}", rater):
            msg = "internal error: a rater is named by its pseudonym"
            raise ValueError(msg)
        record = RaterFile(role=role, saved_at=dt.datetime.now(dt.UTC), ratings=dict(ratings))
        folder = self._writable_folder() / "ratings" / f"round-{round_number}"
        make_folder(self.root, folder)
        path = folder / f"{rater}.json"
        refuse_symlink(path)
        atomic_write(
            path,
            (record.model_dump_json(indent=1) + "\n").encode("utf-8"),
            expected_sha256=REPLACE_ANY,
        )
        return path

    def answers(self, rater: str, round_number: int) -> RaterFile | None:
        """A person's answers in a round, if they gave any."""
        return _read_rater(self.folder / "ratings" / f"round-{round_number}" / f"{rater}.json")

    def raters(self, round_number: int) -> list[RaterFile]:
        """Every answer file of a round; a file that is not one is skipped, named in the log."""
        folder = self.folder / "ratings" / f"round-{round_number}"
        if not folder.is_dir() or folder.is_symlink():
            return []
        found = []
        for path in sorted(folder.glob("*.json")):
            with contextlib.suppress(DataError):
                record = _read_rater(path)
                if record is not None:
                    found.append(record)
        return found

    def result(self, round_number: int, rule: ConsensusRule | None = None) -> RoundResult:
        """The tally of every candidate rated in a round."""
        files = self.raters(round_number)
        scores: dict[str, list[int]] = {}
        targets: dict[str, list[float]] = {}
        roles: dict[str, int] = {}
        for record in files:
            roles[record.role] = roles.get(record.role, 0) + 1
            for candidate_id, rating in record.ratings.items():
                scores.setdefault(candidate_id, []).append(rating.score)
                if rating.target is not None:
                    targets.setdefault(candidate_id, []).append(rating.target)
        tallies = {cid: tally(values, targets.get(cid, ()), rule) for cid, values in scores.items()}
        return RoundResult(round=round_number, tallies=tallies, raters=len(files), roles=roles)

    # --- files ----------------------------------------------------------------------------

    def _key(self) -> bytes:
        path = self.folder / KEY_FILE
        data = read_small(path)
        if data is None:
            folder = self._writable_folder()
            with contextlib.suppress(ConflictError):  # another kernel made it first
                atomic_write(
                    folder / KEY_FILE,
                    secrets.token_hex(32).encode("ascii"),
                    expected_sha256=MUST_NOT_EXIST,
                    mode=0o600,
                )
            data = read_small(path)
        if not data:
            msg = f"{path}: cannot read the workshop's pseudonym key"
            raise DataError(msg)
        return data.strip()

    def _writable_folder(self) -> Path:
        make_folder(self.root, self.folder)
        return self.folder


def make_folder(root: Path, folder: Path) -> None:
    """Create ``folder`` inside the project ``root``; refuse a symlink on the way."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        msg = f"{root}: cannot create the folder ({e.strerror or e})"
        raise FileWriteError(msg) from e
    project_folder(root, folder.relative_to(root))


def refuse_symlink(path: Path) -> None:
    if path.is_symlink():
        msg = f"{path}: is a symbolic link; not written"
        raise FileWriteError(msg)


def read_small(path: Path) -> bytes | None:
    """A small regular file's bytes, ``None`` if absent; never follows a symlink, never blocks."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as e:
        msg = f"{path}: cannot read ({e.strerror or e}; a symbolic link is not followed)"
        raise DataError(msg) from e
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            msg = f"{path}: not a regular file"
            raise DataError(msg)
        if info.st_size > MAX_FILE_BYTES:
            msg = f"{path}: {info.st_size} bytes, more than a workshop file holds"
            raise DataError(msg)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)


def _read_rater(path: Path) -> RaterFile | None:
    data = read_small(path)
    if data is None:
        return None
    try:
        return RaterFile.model_validate_json(data)
    except ValidationError as e:
        msg = f"{path}: not a rating file ({e.error_count()} problem(s))"
        raise DataError(msg) from e

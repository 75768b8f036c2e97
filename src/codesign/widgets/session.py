"""One charter being edited in a notebook: the file every workshop form shares.

The forms of a workshop (use case, outcomes, decision, sign-off) all edit the same
:class:`~codesign.charter.CharterFile` model, and every Save button saves it with
:meth:`CharterFile.save`, the atomic, conflict-checked, comment-keeping save the command line
uses. The session holds no data of its own: it tells the forms when the model changed, whether
it is saved, which problems it has, and what happened on the last save. It imports no widget
library, so it is tested and benchmarked on its own.

Two kinds of problems are told apart:

* *entries* a form could not apply to the model (a target of ``">= abc"``): they exist only in
  the form, next to their field, until fixed; a save is refused while any remains, so the file
  never silently misses what someone typed;
* *charter issues* the model has as a whole (two outcomes with the same id), found with the
  same validation as the loader and shown next to the fields they concern.

One rule is the session's own: a move to ``pilot`` or ``scaled`` made in the forms puts the tool
in front of patients, so it needs the go decision (``codesign promote``) or a written reason
(``use_case.stage_reason``); without either the save is refused. A charter already at that stage
on disk is left alone (the portfolio flags it), so other edits are never blocked by it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from codesign.charter import charter_path, load_charter
from codesign.exceptions import CharterError, CharterIssue, CodesignError, ConflictError
from codesign.i18n import _, ngettext
from codesign.widgets.plain import when

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from codesign.charter import Charter, CharterFile, Stage

logger = logging.getLogger(__name__)


class SessionView:
    """Something shown for a session (a form, a save bar); the session calls these hooks.

    Every hook has a do-nothing default, so a view implements only what it shows.
    """

    def refresh(self) -> None:
        """The model was replaced (reloaded from disk): show every value afresh."""

    def model_changed(self) -> None:
        """Some form changed the model: update what depends on it (scores, sign-off status)."""

    def show_issues(self, issues: Sequence[CharterIssue]) -> None:
        """The charter's current problems as a whole; show those that concern this view."""

    def pending_issues(self) -> list[CharterIssue]:
        """Entries typed here that could not be applied to the model (they block saving)."""
        return []

    def state_changed(self, state: SaveState) -> None:
        """The save state changed (saved, unsaved changes, conflict...)."""


class SaveStatus(StrEnum):
    """Where the charter in the forms stands against the file."""

    SAVED = "saved"
    MODIFIED = "modified"
    INVALID = "invalid"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class SaveState:
    """What a save bar shows: the status, a sentence, and what changed elsewhere on a conflict."""

    status: SaveStatus
    message: str
    notice: str = ""
    """What the last action did (saved at..., reloaded...), shown until the next one."""
    changes: tuple[str, ...] = ()
    """On a conflict: what the other writer changed, one line each."""


class CharterSession:
    """The :class:`CharterFile` a notebook's forms edit together, and its save state."""

    def __init__(self, file: CharterFile) -> None:
        self.file = file
        self.issues: tuple[CharterIssue, ...] = ()
        """The charter's problems as a whole, as of the last edit or save."""
        self.conflict: ConflictError | None = None
        """The last save's conflict, until the person reloads."""
        self.notice = ""
        self.saved_content = file.charter.content_sha256() if not file.modified else ""
        """The content hash of the charter as saved on disk: sign-offs are judged against it, so
        an unsaved edit never marks one outdated."""
        self.saved_stage: Stage = file.charter.use_case.stage
        """The stage on disk: a move away from it to pilot or scaled needs a reason."""
        self._views: list[SessionView] = []
        self._state: SaveState | None = None

    @classmethod
    def open(cls, path: Path | str | None = None) -> CharterSession:
        """Load the charter of a project folder or file (raises :class:`CharterError`)."""
        return cls(load_charter(charter_path(path)))

    @property
    def charter(self) -> Charter:
        """The live model; forms edit it in place, then call :meth:`edited`."""
        return self.file.charter

    @property
    def path(self) -> Path:
        return self.file.path

    def attach(self, view: SessionView) -> None:
        """Keep ``view`` informed of changes from now on."""
        self._views.append(view)
        view.state_changed(self.state())

    # --- edits ------------------------------------------------------------------------------

    def edited(self, source: SessionView | None = None) -> None:
        """A form changed the model or an entry: re-check the charter, tell every view.

        ``source`` (the form that changed) is told too: its neighbours may depend on the edit.
        """
        del source  # every view is told; the argument documents who called
        self.notice = ""  # what the last save or reload did is no longer the news
        self.issues = tuple(self.check())
        for view in self._views:
            view.model_changed()
            view.show_issues(self.issues)
        self._publish()

    def pending(self) -> list[CharterIssue]:
        """Entries typed in any form that are not (yet) valid, so not in the model."""
        return [issue for view in self._views for issue in view.pending_issues()]

    def check(self) -> list[CharterIssue]:
        """The charter's problems as a whole now (the loader's validation), without saving."""
        try:
            self.file.validated()
        except CharterError as e:
            return [*e.issues, *self.stage_issues()]
        return self.stage_issues()

    def stage_issues(self) -> list[CharterIssue]:
        """The move to a deployed stage made here, when neither a reason nor a decision backs it."""
        use_case = self.charter.use_case
        if not use_case.stage.deployed or use_case.stage is self.saved_stage:
            return []
        from codesign.project import Project
        from codesign.tracking.promotion import read_promotions, stage_standing

        if stage_standing(self.charter, read_promotions(Project.at(self.path.parent))).backed:
            return []
        message = _(
            "{stage} puts the tool in front of patients: it needs the go decision (recorded "
            "with codesign promote) or the reason for the move, written in 'Reason for the stage'",
            stage=use_case.stage.label,
        )
        return [CharterIssue(loc="use_case.stage", message=message)]

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> str:
        """Save the model with :meth:`CharterFile.save`; returns the new file's SHA-256.

        Raises :class:`CharterError` when an entry in a form is invalid or the charter is (the
        issues are shown next to their fields), :class:`ConflictError` when the file changed
        elsewhere since it was loaded. Either way nothing is written and nothing is lost.
        """
        pending = self.pending()
        if pending:
            msg = ngettext(
                "{file} not saved: {n} entry to fix first (shown in red next to the field)",
                "{file} not saved: {n} entries to fix first (shown in red next to the field)",
                len(pending),
                file=self.path.name,
            )
            self.notice = ""
            self._publish()
            raise CharterError(msg, path=self.path, issues=pending)
        stage = self.stage_issues()
        if stage:
            self.issues = tuple(stage)
            for view in self._views:
                view.show_issues(self.issues)
            self.notice = ""
            self._publish()
            msg = _("{file} not saved: {problem}", file=self.path.name, problem=stage[0].message)
            raise CharterError(msg, path=self.path, issues=stage)
        try:
            sha = self.file.save()
        except CharterError as e:
            self.issues = e.issues
            for view in self._views:
                view.show_issues(self.issues)
            self.notice = ""
            self._publish()
            raise
        except ConflictError as e:
            self.conflict = e
            self.notice = ""
            self._publish()
            raise
        self.conflict = None
        self.issues = ()
        self.saved_content = self.file.charter.content_sha256()
        self.saved_stage = self.file.charter.use_case.stage
        now = dt.datetime.now(dt.UTC)
        self.notice = _(
            "Saved to {file} at {moment}.", file=self.path.name, moment=when(now, self.charter)
        )
        for view in self._views:
            view.show_issues(self.issues)
        self._publish()
        return sha

    def reload(self, *, keep_changes: bool = True) -> list[str]:
        """Take the version on disk; with ``keep_changes``, re-apply this session's changes.

        Returns one line per value both this session and the other writer changed (this
        session's value was kept). Refuses, changing nothing, while a form holds an entry that
        is not in the model (it would be lost), or when the changes cannot be re-applied.
        """
        if keep_changes:
            pending = self.pending()
            if pending:
                msg = ngettext(
                    "not reloaded: {n} entry in red not part of the charter yet; fix or clear "
                    "it first",
                    "not reloaded: {n} entries in red not part of the charter yet; fix or clear "
                    "them first",
                    len(pending),
                )
                raise CharterError(msg, path=self.path, issues=pending)
            fresh, notes = self.file.rebase()
            on_disk = load_charter(self.path).charter
        else:
            fresh, notes = self.file.reload(), []
            on_disk = fresh.charter
        self.file = fresh
        self.saved_content = on_disk.content_sha256()
        self.saved_stage = on_disk.use_case.stage
        self.conflict = None
        for view in self._views:
            view.refresh()
        self.edited()
        self.notice = _reload_notice(keep_changes=keep_changes, modified=fresh.modified)
        self._publish()
        logger.info("reloaded %s (changes kept: %s)", self.path, keep_changes)
        return notes

    def commit(self, change: Callable[[Charter], None], *, attempts: int = 5) -> str:
        """Apply ``change`` to the charter as it is on disk now and save it; returns the SHA-256.

        For pages whose person edits nothing else (a participant adding themselves, signing):
        the latest version is reloaded, changed and saved; if someone saved in between, it starts
        again on their version. Unsaved edits in other forms are kept (re-applied on top).
        """
        if self.file.modified or self.pending():
            # Someone's unsaved edits in the other forms stay: the change is saved from a
            # session of its own, then this one takes it in with those edits re-applied.
            sha = CharterSession.open(self.path).commit(change, attempts=attempts)
            with contextlib.suppress(CodesignError):
                self.reload(keep_changes=True)
            return sha
        for _attempt in range(attempts - 1):
            self.reload(keep_changes=False)
            change(self.charter)
            self.edited()
            try:
                return self.save()
            except ConflictError:
                continue
        self.reload(keep_changes=False)
        change(self.charter)
        self.edited()
        return self.save()

    # --- state ------------------------------------------------------------------------------

    def state(self) -> SaveState:
        """The save state as the save bars show it."""
        if self.conflict is not None:
            if self.conflict.theirs is None:  # deleted, moved, or created meanwhile
                what = str(self.conflict).splitlines()[0].split(": ", 1)[-1]
                message = _(
                    "Not saved: {file} {what}. Your changes are still here.",
                    file=self.path.name,
                    what=what,
                )
            else:
                message = _(
                    "Not saved: {file} was changed elsewhere (another notebook or a text "
                    "editor) since it was loaded. Your changes are still here.",
                    file=self.path.name,
                )
            return SaveState(
                SaveStatus.CONFLICT,
                message,
                changes=self.conflict.changes,
            )
        problems = len(self.pending()) + len(self.issues)
        if problems:
            return SaveState(
                SaveStatus.INVALID,
                ngettext(
                    "{n} problem to fix before saving (shown in red next to the field).",
                    "{n} problems to fix before saving (shown in red next to the field).",
                    problems,
                ),
                notice=self.notice,
            )
        if self.file.modified:
            return SaveState(SaveStatus.MODIFIED, _("Unsaved changes."), notice=self.notice)
        return SaveState(
            SaveStatus.SAVED,
            self.notice or _("Everything is saved in {file}.", file=self.path.name),
        )

    def _publish(self) -> None:
        state = self.state()
        if state == self._state:
            return
        self._state = state
        for view in self._views:
            view.state_changed(state)


def _reload_notice(*, keep_changes: bool, modified: bool) -> str:
    if not keep_changes:
        return _("Reloaded the version on disk; your unsaved changes were discarded.")
    if modified:
        return _(
            "Reloaded the version on disk and re-applied your changes: review them, then Save."
        )
    return _("Reloaded the version on disk.")

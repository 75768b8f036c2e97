"""The exceptions codesign raises on purpose.

Everything a user can get wrong (a bad charter, a missing data file, an unreachable tracking
server) is raised as a subclass of :class:`CodesignError`, with a message that names the file,
the field and what was expected. The command line maps these to exit code 2 and prints the
message, never a traceback. Foreign errors are translated at the boundary with
``raise ...Error(msg) from e`` so the cause stays chained for debugging.

No message built here may contain a value read from patient data: errors name columns,
categories and counts, never cell values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path


class CodesignError(Exception):
    """Root of every error codesign raises on purpose; the CLI exits 2 on it."""


class LanguageError(CodesignError):
    """Raised when a language is asked for that codesign does not speak (``--lang de``).

    ``source`` names where it was asked (``--lang``, ``CODESIGN_LANG``), ``value`` what was
    given.
    """

    def __init__(self, message: str, *, source: str, value: str) -> None:
        self.source = source
        self.value = value
        super().__init__(message)


@dataclass(frozen=True)
class CharterIssue:
    """One problem found in a charter.

    ``loc`` is the field path as the user reads it (``outcomes[2].target``), ``line`` the
    1-based line in the YAML file when known.
    """

    loc: str
    message: str
    line: int | None = None
    subject: str | None = None
    """The record the field belongs to, as people name it (``outcome “Catch every…”``)."""

    def format(self, source: str | None = None) -> str:
        """Render as ``file:line: loc: message (subject)``, the form editors and terminals link."""
        where = source or "<charter>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        message = f"{self.message} ({self.subject})" if self.subject else self.message
        if self.loc:
            return f"{where}: {self.loc}: {message}"
        return f"{where}: {message}"


class CharterError(CodesignError):
    """Raised when a charter cannot be read, parsed or validated.

    ``issues`` lists every problem found (not only the first), each with its field path and line,
    so a workshop can fix them all in one go.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        issues: Sequence[CharterIssue] = (),
        language: str | None = None,
    ) -> None:
        self.path = path
        self.issues = tuple(issues)
        self.language = language
        """The language the message and issues are written in (the charter's), if known."""
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.issues:
            return head
        source = str(self.path) if self.path else None
        return "\n".join([head, *(f"  {issue.format(source)}" for issue in self.issues)])


class ConflictError(CodesignError):
    """Raised when a file changed on disk since it was loaded, so saving would lose that change.

    Nothing is written. ``changes`` summarises what the other writer changed (one line each),
    ``theirs`` is the text now on disk; the caller's unsaved version stays in memory.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path,
        changes: Sequence[str] = (),
        theirs: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.changes = tuple(changes)
        self.theirs = theirs

    def __str__(self) -> str:
        head = super().__str__()
        if not self.changes:
            return head
        return "\n".join([head, "  changed on disk:", *(f"    {c}" for c in self.changes)])


class FileWriteError(CodesignError):
    """Raised when an atomic write fails (disk full, permissions, a folder that is a symbolic
    link leading out of the project); the old file is intact."""


class FileReadError(CodesignError):
    """Raised when a user's file cannot be read safely: not a regular file (a folder, a FIFO, a
    device such as ``/dev/zero``), larger than the size allowed for it, or unreadable.

    Nothing of it was read into memory beyond the allowed size; messages name the file and say
    what was expected, never its content.
    """


class DataError(CodesignError):
    """Raised when an input data file (extract, predictions, feedback) is missing or malformed.

    Messages name the file and the column and say what was expected; never a cell value.
    """


class ScaffoldError(CodesignError):
    """Raised when a project cannot be scaffolded: bad name or variable, target exists.

    Nothing is left behind: what was created before the failure is removed.
    """


class GovernanceError(CodesignError):
    """Raised when the governance gate cannot run: missing or unreadable data, no data contract.

    A gate that runs and finds problems is not an error; it returns a failed result (exit 1).
    """


class TrackingError(CodesignError):
    """Raised when an iteration cannot be logged or read: unreachable tracking server, bad store.

    A run that was started is marked failed before this is raised, never left running.
    """


class ReportError(CodesignError):
    """Raised when a report cannot be set up (no report notebook, bad parameters, lock held), or
    two notebooks or charters cannot be compared (``codesign diff``).

    A report that runs and stops early is not an error: it is a failed result (exit 1).
    """


class PortfolioError(CodesignError):
    """Raised when a portfolio cannot be made: a root that is not a folder, an output folder
    that cannot be written or that holds files codesign did not write.

    A project that cannot be read is not an error: the portfolio lists it with the reason.
    """


class DemoError(CodesignError):
    """Raised when the demo cannot run: its folder holds something other than an earlier demo,
    an earlier demo the user did not agree to replace, or a folder that cannot be written.

    Nothing is written or removed when it is raised for the folder.
    """


class GateRefusedError(TrackingError):
    """Raised when an iteration is to be logged on data whose latest gate result failed, and no
    ``--override-gate`` reason was given. Nothing is logged.

    ``findings`` holds the rows found per category (``{"phi.name": 12}``), never a value.
    """

    def __init__(self, message: str, *, findings: dict[str, int] | None = None) -> None:
        super().__init__(message)
        self.findings = dict(findings or {})


class ServerError(CodesignError):
    """Raised when a workshop or lab server cannot start safely: the port is taken, running as
    root without ``--allow-root``, a certificate without its key, or a Jupyter configuration
    that turns authentication off. Nothing was started and no URL was printed.
    """


class EvidenceError(CodesignError):
    """Raised when evidence cannot be produced: a broken charter or store, an unknown iteration
    or required item, an output folder that is a symlink or cannot be written.

    Nothing is written when it is raised. Evidence that is merely missing is not an error: it is
    listed as missing (and ``codesign evidence --check`` exits 1).
    """

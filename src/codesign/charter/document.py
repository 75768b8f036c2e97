"""Loading, validating and saving ``codesign.yaml``: one code path for the CLI, forms and scripts.

:func:`load_charter` returns a :class:`CharterFile`: the validated :class:`Charter` model plus what
is needed to save it back faithfully (the round-trip YAML document with the person's comments,
the exact bytes' hash for the "modified elsewhere" check). :meth:`CharterFile.save` validates the
model, writes only what changed, atomically, and refuses to overwrite a file that someone else
changed since it was loaded.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from codesign.charter import yamlio
from codesign.charter.model import Charter, CrossFieldError, _loc_text, raw_duplicate_issues
from codesign.config import CHARTER_FILENAME, MAX_CHARTER_BYTES
from codesign.exceptions import CharterError, CharterIssue, ConflictError, FileReadError
from codesign.fileio import MUST_NOT_EXIST, atomic_write, read_user_file, sha256_bytes
from codesign.i18n import N_, _, project_language

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pydantic_core import ErrorDetails
    from ruamel.yaml.comments import CommentedMap

    from codesign.charter.model import Loc

logger = logging.getLogger(__name__)


def charter_path(path: Path | str | None = None) -> Path:
    """Resolve a charter path: a file as given, a folder's ``codesign.yaml``, or the cwd's."""
    candidate = Path(path) if path is not None else Path.cwd()
    return candidate / CHARTER_FILENAME if candidate.is_dir() else candidate


class CharterFile:
    """A charter as loaded from (or destined to) one file, ready to be edited and saved.

    ``charter`` is the live model: forms and scripts edit it in place, then call :meth:`save`.
    """

    def __init__(
        self,
        path: Path,
        charter: Charter,
        document: CommentedMap,
        *,
        loaded_sha256: str | None,
        indent: yamlio.Indentation | None = None,
    ) -> None:
        self.path = path
        self.charter = charter
        self._document = document
        self._baseline = _dump(charter)
        self._indent = indent or yamlio.Indentation()
        self.loaded_sha256 = loaded_sha256
        """SHA-256 of the bytes on disk when loaded or last saved; ``None`` for a new file."""

    @classmethod
    def from_text(cls, text: str, path: Path | str, *, new: bool = True) -> CharterFile:
        """Parse charter text (a preset, say) destined for ``path``.

        With ``new`` the first save creates the file and refuses to replace an existing one.
        """
        data = text.encode("utf-8")
        document = yamlio.parse(data, path)
        charter = _validate(document, Path(path))
        return cls(
            Path(path),
            charter,
            document,
            loaded_sha256=None if new else sha256_bytes(data),
            indent=yamlio.indentation(text),
        )

    @property
    def modified(self) -> bool:
        """Whether the model differs from what was loaded or last saved."""
        return _dump(self.charter) != self._baseline

    def render(self) -> str:
        """The YAML text :meth:`save` would write, without writing it."""
        charter = self.validated()
        return self._render(charter)

    def validated(self) -> Charter:
        """The model, validated as a whole (cross-field rules included), as the loader would."""
        with project_language(self.charter.language):
            try:
                return Charter.model_validate(self.charter.model_dump())
            except (ValidationError, CrossFieldError) as e:
                issues = _issues(e, self._document, raw=self.charter.model_dump(mode="json"))
                msg = _("{path}: charter not saved, {n} problem(s)", path=self.path, n=len(issues))
                raise CharterError(msg, path=self.path, issues=issues) from None

    def save(self) -> str:
        """Validate and write the charter atomically; returns the new file's SHA-256.

        Raises :class:`CharterError` if the model is invalid and :class:`ConflictError` if the
        file changed on disk since it was loaded (with a summary of what changed there). In both
        cases nothing is written and the edited model is kept, so no work is lost.
        """
        charter = self.validated()
        text = self._render(charter)
        expected = MUST_NOT_EXIST if self.loaded_sha256 is None else self.loaded_sha256
        try:
            new_sha = atomic_write(self.path, text.encode("utf-8"), expected_sha256=expected)
        except ConflictError as e:
            if e.theirs is None:  # created meanwhile, or deleted: the message says so
                raise
            raise _explain_conflict(e, self) from None
        self.loaded_sha256 = new_sha
        if self.charter.schema_version != charter.schema_version:
            # A format 2 field filled in place (a hazard appended to ``risks``) upgrades the
            # version written; the live model takes it too, or it would differ from the file
            # forever after (always "modified", its hash never the saved one). __dict__: as the
            # model's own upgrade, without re-validating the whole charter.
            self.charter.__dict__["schema_version"] = charter.schema_version
        self._baseline = _dump(charter)
        logger.info("saved %s", self.path)
        return new_sha

    def reload(self) -> CharterFile:
        """A fresh :class:`CharterFile` with what is on disk now (after a conflict, say)."""
        return load_charter(self.path)

    def rebase(self) -> tuple[CharterFile, list[str]]:
        """What is on disk now, with this file's unsaved changes re-applied on top.

        The answer to a :class:`ConflictError`: the returned file holds the other writer's
        version plus everything changed here since loading (see :mod:`codesign.charter.merge`),
        not yet saved, so the person reviews it and saves again. The list says, for each value
        both sides changed differently, that this side's was kept and what the other had.
        Raises :class:`CharterError` if the combination is not a valid charter; this file and
        its model are left as they were.
        """
        from codesign.charter.merge import merge_changes

        fresh = self.reload()
        result = merge_changes(self._baseline, _dump(self.charter), fresh._baseline)
        with project_language(self.charter.language):
            try:
                fresh.charter = Charter.model_validate(result.data)
            except (ValidationError, CrossFieldError) as e:
                issues = _issues(e, fresh._document, raw=result.data)
                msg = _(
                    "{path}: your changes cannot be re-applied to the version on disk, "
                    "{n} problem(s); your version is unchanged",
                    path=self.path,
                    n=len(issues),
                )
                raise CharterError(msg, path=self.path, issues=issues) from None
        return fresh, list(result.overridden)

    def _render(self, charter: Charter) -> str:
        yamlio.apply(self._document, self._baseline, _dump(charter))
        return yamlio.dump(self._document, self._indent)


def load_charter(path: Path | str | None = None) -> CharterFile:
    """Load and validate a charter; ``path`` is a file or a project folder (default: cwd).

    Raises :class:`CharterError` listing every problem with its field path and line.
    """
    file = charter_path(path)
    try:
        data = read_user_file(file, limit=MAX_CHARTER_BYTES, what="charter")
    except FileNotFoundError:
        msg = _(
            "{path}: no charter here (expected a {filename} file)",
            path=file,
            filename=CHARTER_FILENAME,
        )
        raise CharterError(msg, path=file) from None
    except FileReadError as e:
        raise CharterError(str(e), path=file) from e
    document = yamlio.parse(data, file)
    charter = _validate(document, file)
    return CharterFile(
        file,
        charter,
        document,
        loaded_sha256=sha256_bytes(data),
        indent=yamlio.indentation(data.decode("utf-8")),
    )


def parse_charter(text: str, source: str = "<charter>") -> Charter:
    """Validate charter text without a file (tests, diffs of two revisions)."""
    return _validate(yamlio.parse(text.encode("utf-8"), source), Path(source))


def _dump(charter: Charter) -> dict[str, Any]:
    return charter.model_dump(mode="json", exclude_defaults=True)


def _validate(document: CommentedMap, path: Path) -> Charter:
    """The charter model of ``document``; its problems are worded in the charter's language."""
    language = document.get("language")
    with project_language(language if isinstance(language, str) else None) as written_in:
        try:
            return Charter.model_validate(document)
        except (ValidationError, CrossFieldError) as e:
            issues = _issues(e, document, raw=document)
            msg = _("{path}: invalid charter, {n} problem(s)", path=path, n=len(issues))
            raise CharterError(msg, path=path, issues=issues, language=written_in) from None


def validation_issues(
    error: ValidationError | CrossFieldError, prefix: Loc = ()
) -> list[CharterIssue]:
    """The problems of a failed model validation, worded as the loader words them.

    Forms validate one field or one record at a time with the charter models (an outcome row,
    a use case field) and show these next to the field; ``prefix`` places them in the charter,
    e.g. ``("outcomes", 3)`` turns ``target`` into ``outcomes[3].target``. Lines are unknown.
    """
    return [
        CharterIssue(loc=_loc_text((*prefix, *loc)), message=message)
        for loc, message in _located_all(error)
    ]


_SUBJECTS: Mapping[tuple[str, ...], tuple[str, str]] = {
    ("outcomes",): ("title", N_("outcome “{name}”")),
    ("stakeholders",): ("name", N_("stakeholder “{name}”")),
    ("risks",): ("hazard", N_("hazard “{name}”")),
    ("data_contract", "columns"): ("name", N_("column “{name}”")),
    ("decision", "criteria"): ("name", N_("criterion “{name}”")),
}
"""Records a person knows by a name: an issue inside one names it (the outcome's title)."""


def subject_of(raw: Any, loc: Loc) -> str | None:
    """The record holding ``loc`` as people call it: ``outcome “Catch every…”``; else ``None``."""
    for path, (key, template) in _SUBJECTS.items():
        size = len(path)
        if tuple(loc[:size]) != path or len(loc) <= size or not isinstance(loc[size], int):
            continue
        items: Any = raw
        for part in path:
            items = items.get(part) if isinstance(items, dict) else None
        index = loc[size]
        if isinstance(items, list) and isinstance(index, int) and 0 <= index < len(items):
            record = items[index]
            name = record.get(key) if isinstance(record, dict) else None
            if isinstance(name, str) and name.strip():
                return _(template, name=_short(name.strip()))
    return None


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _located_all(error: ValidationError | CrossFieldError) -> list[tuple[Loc, str]]:
    if isinstance(error, CrossFieldError):
        return list(error.issues)
    return [item for detail in error.errors(include_url=False) for item in _located(detail)]


def _issues(
    error: ValidationError | CrossFieldError, document: CommentedMap, *, raw: Any = None
) -> list[CharterIssue]:
    """Every problem as a located, plain-language issue, sorted by line.

    ``raw`` is the unvalidated data: duplicates in it are reported too, since pydantic skips the
    cross-field checks while any field is invalid.
    """
    located = _located_all(error)
    if raw is not None:
        located.extend(item for item in raw_duplicate_issues(raw) if item not in located)
    issues = [
        CharterIssue(
            loc=_loc_text(loc),
            message=message,
            line=yamlio.line_of(document, loc),
            subject=subject_of(raw, loc) if raw is not None else None,
        )
        for loc, message in located
    ]
    return sorted(issues, key=lambda i: (i.line or 0, i.loc))


def _located(detail: ErrorDetails) -> list[tuple[Loc, str]]:
    loc = tuple(detail["loc"])
    ctx = detail.get("ctx") or {}
    inner = ctx.get("error")
    if isinstance(inner, CrossFieldError):
        return [((*loc, *sub_loc), message) for sub_loc, message in inner.issues]
    return [(loc, _message(detail))]


_EXPECTED: Mapping[str, str] = {
    "int_parsing": N_("expected a whole number, got {got}"),
    "int_from_float": N_("expected a whole number, got {got}"),
    "float_parsing": N_("expected a number, got {got}"),
    "bool_parsing": N_("expected true or false, got {got}"),
    "string_type": N_("expected text, got {got}"),
    "list_type": N_("expected a list, got {got}"),
    "dict_type": N_("expected a mapping of fields, got {got}"),
    "model_type": N_("expected a mapping of fields, got {got}"),
    "model_attributes_type": N_("expected a mapping of fields, got {got}"),
    "tuple_type": N_("expected a list, got {got}"),
    "datetime_parsing": N_("expected a date and time like 2026-03-01T09:30:00Z, got {got}"),
    "datetime_from_date_parsing": N_(
        "expected a date and time like 2026-03-01T09:30:00Z, got {got}"
    ),
    "greater_than": N_("expected greater than {limit}, got {got}"),
    "greater_than_equal": N_("expected greater than or equal to {limit}, got {got}"),
    "less_than": N_("expected less than {limit}, got {got}"),
    "less_than_equal": N_("expected less than or equal to {limit}, got {got}"),
    "string_too_short": N_("expected at least {limit} character(s), got {got}"),
    "string_too_long": N_("expected at most {limit} characters, got {got}"),
    "too_short": N_("expected at least {limit} item(s), got {got}"),
    "too_long": N_("expected at most {limit} items, got {got}"),
    "string_pattern_mismatch": N_("expected text matching {limit}, got {got}"),
    "enum": N_("expected one of: {limit}; got {got}"),
    "literal_error": N_("expected one of: {limit}; got {got}"),
}
"""Pydantic's error types as our sentences, in the reader's language: what was expected and
what was found (``{limit}``: the bound, length, pattern or choices)."""

_LIMITS: Final = ("gt", "ge", "lt", "le", "min_length", "max_length", "pattern", "expected")


def _message(detail: ErrorDetails) -> str:
    """Pydantic's error as our sentence: what was expected, what was found."""
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        return _("required field missing")
    if kind == "extra_forbidden":
        return _unknown_field(detail)
    blank = value in ([], None) or (isinstance(value, str) and not value.strip())
    if kind in ("too_short", "string_too_short") and blank:
        return _("must not be empty")
    if kind in _EXPECTED:
        limit = next((ctx[key] for key in _LIMITS if key in ctx), "")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        if kind in ("enum", "literal_error"):
            limit = ", ".join(re.findall(r"'([^']*)'", str(limit))) or limit
        return _(_EXPECTED[kind], limit=limit, got=_shown(value))
    return str(detail["msg"]).removeprefix("Value error, ")


def _unknown_field(detail: ErrorDetails) -> str:
    import difflib

    from codesign.charter.schema import known_fields

    loc = detail["loc"]
    name = str(loc[-1]) if loc else ""
    siblings = known_fields(tuple(loc[:-1]))
    close = difflib.get_close_matches(name, siblings, n=1, cutoff=0.6)
    if close:
        return _('unknown field (did you mean "{close}"?)', close=close[0])
    if siblings:
        return _("unknown field; expected one of: {fields}", fields=", ".join(siblings))
    return _("unknown field")


def _shown(value: object) -> str:
    """A value from the charter (never patient data), quoted and shortened for a message."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f'"{text}"'
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing")
    return repr(value)


def _explain_conflict(error: ConflictError, file: CharterFile) -> ConflictError:
    """Add what the other writer changed to a conflict, so the user can redo it knowingly."""
    changes: list[str] = []
    if error.theirs is not None:
        from codesign.charter.diff import describe_changes

        try:
            theirs = parse_charter(error.theirs, str(file.path))
            original = Charter.model_validate(file._baseline)
            changes = describe_changes(original, theirs)
        except (CharterError, ValidationError, CrossFieldError):
            changes = ["the file on disk is not a valid charter any more"]
    msg = (
        f"{file.path}: modified elsewhere since it was loaded; your changes were not written "
        "and are still here. Reload to see the other version, then apply your changes again."
    )
    return ConflictError(msg, path=file.path, changes=changes, theirs=error.theirs)

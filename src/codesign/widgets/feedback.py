"""Feedback forms: usability (SUS), trust, time-motion and reviews, from the people using the tool.

Each response is validated as a :class:`~codesign.charter.feedback.FeedbackRecord` and appended
with :func:`~codesign.charter.feedback.append_feedback` to the project's feedback file, which the
tracking layer measures the ``sus``, ``trust``, ``minutes_saved`` and ``reviewed_accuracy``
outcomes from. Respondents give their role, never their name, and there is deliberately no
comment box: a comment is where a patient's name slips in.
"""

from __future__ import annotations

import logging
import statistics
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as ipw
from pydantic import ValidationError

from codesign.charter import load_charter
from codesign.charter.feedback import (
    SESSIONS,
    SUS_ITEMS,
    TRUST_ITEMS,
    FeedbackKind,
    FeedbackRecord,
    append_feedback,
    read_feedback,
    session_label,
    sus_score,
)
from codesign.charter.model import Side
from codesign.charter.tables import feedback_table
from codesign.exceptions import CodesignError
from codesign.i18n import _, format_decimal
from codesign.presentation import esc, format_number
from codesign.project import Project
from codesign.widgets import _ui
from codesign.widgets.binding import Input, field_messages, optional_text
from codesign.widgets.plain import when

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from codesign.charter import Charter
    from codesign.charter.tables import Table

logger = logging.getLogger(__name__)

LIKERT: Final = [("1", 1), ("2", 2), ("3", 3), ("4", 4), ("5", 5)]


class Questionnaire:
    """Statements answered 1 to 5 (radio buttons: Tab reaches a statement, arrows choose)."""

    def __init__(
        self, statements: Sequence[str], scale: str, on_change: Callable[[], None]
    ) -> None:
        # The statement is the answer's own label (read out by screen readers, found by tests),
        # above the five choices; the row wraps on a phone instead of cutting the statement.
        self.answers = [
            ipw.RadioButtons(
                options=LIKERT,
                value=None,
                orientation="horizontal",
                description=f"{number}. {_(statement)}",
                style={"description_width": "100%"},
                layout=_ui.shared_layout(width="100%", flex_flow="row wrap", margin="4px 0"),
            )
            for number, statement in enumerate(statements, 1)
        ]
        for answer in self.answers:
            answer.observe(lambda _change: on_change(), names="value")
        self.score = ipw.HTML()
        rows = self.answers
        self.box = ipw.VBox(
            [ipw.HTML(_ui.message_html([scale], _ui.MUTED_COLOUR)), *rows, self.score],
            layout=_ui.shared_layout(width="100%"),
        )

    def values(self) -> list[int | None]:
        return [answer.value for answer in self.answers]

    def unanswered(self) -> list[int]:
        """Numbers (from 1) of the statements not answered yet."""
        return [n for n, value in enumerate(self.values(), 1) if value is None]

    def clear(self) -> None:
        for answer in self.answers:
            answer.value = None


_LABELS: Final = _ui.label_style("8em")
"""One label width for the feedback forms, so their inputs line up."""


def _choice(
    name: str,
    label: str,
    options: list[tuple[str, str | None]],
    tooltip: str,
    *,
    value: str | None = None,
) -> Input:
    """A closed list with its label; the first option (none chosen) unless ``value``."""
    widget = ipw.Dropdown(
        description=label,
        options=options,
        **({"index": 0} if value is None else {"value": value}),
        tooltip=tooltip,
        style=_LABELS,
        layout=_ui.shared_layout(width="100%", max_width="28em"),
    )
    return Input(name, widget, read=lambda chosen: chosen)


def _decimal(text: str) -> str | None:
    """What was typed, a French decimal comma read as a point (``3,5`` is 3.5 minutes)."""
    typed = optional_text(text)
    return None if typed is None else typed.replace(",", ".")


def _minutes(name: str, label: str, example: str, tooltip: str) -> Input:
    """A number of minutes, typed; a decimal comma is a decimal point."""
    widget = _ui.text(
        description=label,
        placeholder=_("minutes, e.g. {example}", example=example),
        tooltip=tooltip,
        style=_LABELS,
        layout=_ui.shared_layout("18em"),
    )
    return Input(name, widget, read=_decimal)


class FeedbackForms:
    """The feedback forms of one project, with the responses recorded so far."""

    def __init__(
        self,
        project: Project,
        charter: Charter | None = None,
        *,
        respondent_role: str | None = None,
        iterations: Sequence[str] | None = None,
        show_responses: bool = True,
    ) -> None:
        self.project = project
        self.charter = charter
        self.messages = _ui.Messages()
        self._names = {s.name.casefold() for s in charter.stakeholders} if charter else set()
        self._context(charter, respondent_role, iterations)
        self.sus = Questionnaire(
            SUS_ITEMS, _("1 = strongly disagree … 5 = strongly agree"), self._show_sus_score
        )
        self.trust = Questionnaire(
            list(TRUST_ITEMS.values()), _("1 = disagree … 5 = agree"), self._show_trust_score
        )
        self.sus_save = self._save_button(
            _("Save this SUS response"), _("saving the SUS response"), self.save_sus
        )
        self.trust_save = self._save_button(
            _("Save this trust response"), _("saving the trust response"), self.save_trust
        )
        timing, review = self._timing(), self._review()
        # Buttons, not tabs: they wrap on a phone where a tab bar would cut its titles.
        self.tabs = _ui.Sections(
            [
                (_("Usability (SUS)"), lambda: ipw.VBox([self.sus.box, self.sus_save])),
                (_("Trust"), lambda: ipw.VBox([self.trust.box, self.trust_save])),
                (_("Time-motion"), lambda: timing),
                (_("Review of an output"), lambda: review),
            ]
        )
        self.responses = ipw.HTML()
        self.widget = self._layout(show_responses=show_responses)
        self._show_sus_score()
        self._show_trust_score()
        _ui.guarded(self.messages, _("reading the responses"))(self.show_responses)()

    # --- building the forms ------------------------------------------------------------------

    def _context(
        self, charter: Charter | None, role: str | None, iterations: Sequence[str] | None
    ) -> None:
        """Who answers (a role), about which iteration, in which session: closed lists only."""
        roles = _roles(charter)
        if role is not None and role not in roles:
            roles.append(role)
        # A free-text role is where "Marie Dupont, infirmière" lands: a list, always.
        self.role = _choice(
            "respondent_role",
            _("Your role"),
            [(_("choose your role"), None), *((r, r) for r in roles)],
            _("Your role; responses are recorded by role, never by name"),
            value=role,
        )
        self.role.widget.disabled = role is not None
        names = list(iterations) if iterations is not None else logged_iterations(self.project)
        self.iteration = _choice(
            "iteration",
            _("Iteration"),
            [(_("not about one iteration"), None), *((n, n) for n in reversed(names))],
            _("The model iteration the feedback is about, as logged"),
        )
        self.session_name = _choice(
            "session",
            _("Session"),
            [(_("not given"), None), *((session_label(name), name) for name in SESSIONS)],
            _("The workshop or pilot session the answers come from"),
        )

    def _timing(self) -> ipw.VBox:
        """Time-motion: the task (from the list of tasks seen so far) and minutes with/without."""
        self.task = Input(
            "task",
            ipw.Combobox(
                description=_("Task"),
                placeholder=_("e.g. triage of one patient"),
                options=self._tasks(),
                tooltip=_("The task that was timed"),
                continuous_update=False,
                style=_LABELS,
                layout=_ui.shared_layout("28em"),
            ),
        )
        self.minutes_with = _minutes(
            "minutes_with",
            _("With the tool"),
            format_decimal(3.5),
            _("Minutes the task took with the tool"),
        )
        self.minutes_without = _minutes(
            "minutes_without",
            _("Without it"),
            format_decimal(5),
            _("Minutes the same task takes without the tool"),
        )
        self.saved_minutes = ipw.HTML()
        for item in (self.minutes_with, self.minutes_without):
            item.widget.observe(lambda _change: self._show_minutes(), names="value")
        self.timing_save = self._save_button(
            _("Save this timing"), _("saving the timing"), self.save_timing
        )
        return ipw.VBox(
            [
                self.task.box,
                self.minutes_with.box,
                self.minutes_without.box,
                self.saved_minutes,
                self.timing_save,
            ]
        )

    def _review(self) -> ipw.VBox:
        """Review of an output: accurate or not, no comment."""
        self.accurate = Input(
            "accurate",
            ipw.RadioButtons(
                options=[(_("accurate"), True), (_("not accurate"), False)],
                value=None,
                description=_("The output was"),
                orientation="horizontal",
                style=_LABELS,
                tooltip=_("Accurate: no clinically significant error"),
            ),
            read=lambda value: value,
        )
        self.review_save = self._save_button(
            _("Save this review"), _("saving the review"), self.save_review
        )
        question = _("Was the tool's output accurate, with no clinically significant error?")
        return ipw.VBox(
            [
                ipw.HTML(_ui.message_html([question], _ui.MUTED_COLOUR)),
                self.accurate.box,
                self.review_save,
            ]
        )

    def _layout(self, *, show_responses: bool) -> ipw.VBox:
        intro = _(
            "Answer as yourself, by role: no names, and no comments (a comment is where a "
            "patient's name slips in)."
        )
        widget = ipw.VBox(
            [
                ipw.HTML(_ui.message_html([intro], _ui.MUTED_COLOUR)),
                self.role.box,
                self.iteration.box,
                self.session_name.box,
                self.tabs.widget,
                self.messages.box,
                *(
                    [ipw.HTML(_ui.bold(_("Responses so far"))), self.responses]
                    if show_responses
                    else []
                ),
            ],
            layout=_ui.shared_layout(width="100%"),
        )
        widget.add_class("codesign-feedback-forms")
        return widget

    @classmethod
    def open(cls, project_dir: Path | str = ".") -> FeedbackForms:
        """The forms of the project holding ``project_dir`` (the notebook's folder works)."""
        project = Project.find(project_dir)
        try:
            charter: Charter | None = load_charter(project.charter_path).charter
        except CodesignError:
            charter = None  # the roles offered come from the charter; the forms work without
        return cls(project, charter)

    @property
    def path(self) -> Path:
        return self.project.feedback_path

    def __str__(self) -> str:
        return _("Feedback is saved in {path}", path=self.path)

    # saving

    def _save_button(self, description: str, doing: str, action: Callable[[], None]) -> ipw.Button:
        button = _ui.button(
            description,
            tooltip=_("Append to {file}", file=self.path.name),
            icon="save",
            style="primary",
            layout=_ui.shared_layout(width="auto", margin="6px 0 0 0"),
        )
        button.on_click(lambda _b: _ui.guarded(self.messages, doing)(action)())
        return button

    def save_sus(self) -> None:
        missing = self.sus.unanswered()
        if missing:
            self.messages.error(
                _(
                    "Not saved: answer every statement first ({n} left: {numbers}).",
                    n=len(missing),
                    numbers=", ".join(map(str, missing)),
                )
            )
            return
        record = self._record(kind=FeedbackKind.SUS, sus=tuple(self.sus.values()))
        if record is not None:
            self._append(
                record, _("usability score {score}", score=format_number(record.sus_score()))
            )
            self.sus.clear()

    def save_trust(self) -> None:
        answers = {k: v for k, v in zip(TRUST_ITEMS, self.trust.values(), strict=True) if v}
        if not answers:
            self.messages.error(_("Not saved: answer at least one statement first."))
            return
        record = self._record(kind=FeedbackKind.TRUST, trust=answers)
        if record is not None:
            self._append(record, _("trust {score}", score=format_number(record.trust_score())))
            self.trust.clear()

    def save_timing(self) -> None:
        record = self._record(
            kind=FeedbackKind.TIME_MOTION,
            task=self.task.read(self.task.widget.value),
            minutes_with=self.minutes_with.read(self.minutes_with.widget.value),
            minutes_without=self.minutes_without.read(self.minutes_without.widget.value),
        )
        if record is not None:
            self._append(
                record,
                _(
                    "{minutes} minutes saved on {task}",
                    minutes=format_number(record.minutes_saved()),
                    task=record.task,
                ),
            )
            self.minutes_with.widget.value = ""
            self.minutes_without.widget.value = ""
            self.task.widget.options = self._tasks()

    def save_review(self) -> None:
        record = self._record(kind=FeedbackKind.REVIEW, accurate=self.accurate.widget.value)
        if record is not None:
            self._append(record, _("accurate") if record.accurate else _("not accurate"))
            self.accurate.widget.value = None

    def _record(self, **values: Any) -> FeedbackRecord | None:
        """The response as a record, or ``None`` with each problem shown next to its input."""
        inputs = self._inputs()
        for item in inputs.values():
            item.set_messages([])
        role = self.role.read(self.role.widget.value)
        task = values.get("task")
        if task and any(name in task.casefold() for name in self._names):
            self.task.set_messages([_("Name the task, not a person: answers are by role only.")])
            self.messages.error(_("Not saved: see the entries in red."))
            return None
        data = {
            "respondent_role": role,
            "iteration": self.iteration.read(self.iteration.widget.value),
            "session": self.session_name.read(self.session_name.widget.value),
            **values,
        }
        try:
            return FeedbackRecord.model_validate({k: v for k, v in data.items() if v is not None})
        except ValidationError as e:
            general: list[str] = []
            for name, messages in field_messages(e).items():
                target = inputs.get(name.split(".")[0])
                if target is None:
                    general += messages
                else:
                    target.set_messages(messages)
            if not role:
                self.role.set_messages([_("Choose your role in the list.")])
            self.messages.error(_("Not saved: see the entries in red."), general)
            return None

    def _inputs(self) -> dict[str, Input]:
        items = (
            self.role,
            self.iteration,
            self.session_name,
            self.task,
            self.minutes_with,
            self.minutes_without,
            self.accurate,
        )
        return {item.name: item for item in items}

    def _append(self, record: FeedbackRecord, what: str) -> None:
        total = append_feedback(self.path, [record])
        where = self.path.relative_to(self.project.root)
        self.messages.info(
            _(
                "Saved: {what} ({role}). {file} now holds {n} responses.",
                what=what,
                role=record.respondent_role,
                file=where,
                n=total,
            )
        )
        self.show_responses()

    # view

    def show_responses(self) -> None:
        """Show every response recorded so far, each with its own score."""
        records = read_feedback(self.path) if self.path.exists() else []
        self.responses.value = self._table(records)._repr_html_()

    def _table(self, records: Sequence[FeedbackRecord]) -> Table:
        """The responses, each recorded time in the project's time zone."""
        return feedback_table(records, moment=lambda at: when(at, self.charter))

    def _show_sus_score(self) -> None:
        values = self.sus.values()
        missing = self.sus.unanswered()
        if missing:
            text = _(
                "{answered} of {total} answered.",
                answered=len(values) - len(missing),
                total=len(values),
            )
        else:
            score = sus_score([v for v in values if v is not None])
            text = _(
                "SUS score: {score} / 100 (standard scoring: odd statements count the answer "
                "minus 1, even ones 5 minus the answer; the sum times 2.5. 68 is average.)",
                score=format_number(score),
            )
        self.sus.score.value = _ui.message_html([text], _ui.MUTED_COLOUR)

    def _show_trust_score(self) -> None:
        answered = [v for v in self.trust.values() if v is not None]
        text = (
            _(
                "Mean trust: {mean} / 5 ({answered} of {total} answered).",
                mean=format_number(statistics.fmean(answered)),
                answered=len(answered),
                total=len(TRUST_ITEMS),
            )
            if answered
            else _("No statement answered yet.")
        )
        self.trust.score.value = _ui.message_html([text], _ui.MUTED_COLOUR)

    def _show_minutes(self) -> None:
        try:
            without = float(_decimal(self.minutes_without.widget.value) or "")
            saved = without - float(_decimal(self.minutes_with.widget.value) or "")
        except ValueError:
            self.saved_minutes.value = ""
            return
        self.saved_minutes.value = _ui.message_html(
            [
                _("Saves {minutes} minutes on this task.", minutes=format_number(saved))
                if saved >= 0
                else _("Costs {minutes} minutes on this task.", minutes=format_number(-saved))
            ],
            _ui.MUTED_COLOUR,
        )

    def _tasks(self) -> list[str]:
        try:
            records = read_feedback(self.path) if self.path.exists() else []
        except CodesignError:
            return []
        return sorted({r.task for r in records if r.task})

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        try:
            records = read_feedback(self.path) if self.path.exists() else []
        except CodesignError as e:
            fallback = f"<p>{esc(str(e))}</p>"
        else:
            fallback = self._table(records)._repr_html_()
        return _ui.displayed(self.widget, fallback_html=fallback, **kwargs)


def logged_iterations(project: Project) -> list[str]:
    """Names of the iterations logged for ``project``, oldest first (``[]`` if none or unreadable).

    Read through the tracking layer's read path (the embedded store is read with sqlite3, no
    MLflow import), only when a feedback form is built.
    """
    from codesign.tracking.reading import read_iterations

    try:
        return [record.name for record in read_iterations(project)]
    except CodesignError as e:
        logger.info("iterations not listed: %s", str(e).splitlines()[0])
        return []


def _roles(charter: Charter | None) -> list[str]:
    """Roles to offer: the intended users, then the hospital side's roles."""
    if charter is None:
        return []
    roles = [*charter.use_case.intended_users]
    roles += [s.role for s in charter.stakeholders if s.side is Side.INTERNAL]
    return list(dict.fromkeys(roles))

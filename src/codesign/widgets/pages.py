"""The workshop's two pages, as ``codesign workshop`` serves them with Voilà.

Each page notebook (:mod:`codesign.jupyter.pages`) holds one line calling
:func:`facilitator_page` or :func:`participant_page`; Voilà runs it in a fresh kernel per page
view and shows only the outputs. The project comes from ``CODESIGN_PROJECT`` (set by the
server for its kernels). Sections are built when first opened, so a page is ready in the time
its first section takes.

* facilitator: outcome consensus (live), outcomes, use case and people, what it is for
  (intended use), risks to patients (the hazard log), the data it uses (the data contract),
  decision, sign-offs, feedback so far;
* participant: "I am ...", then rate outcomes, questionnaires, sign-off.

Pages keep to the width they are given (phones included): labels wrap instead of being cut and
rows wrap instead of scrolling sideways (the small style sheet below). Text areas grow with what
they hold (no sentence hidden behind a scrollbar), and forms marked ``codesign-stacked`` put each
label above its input.
"""

from __future__ import annotations

import hmac
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs

import ipywidgets as ipw

from codesign.charter.ratings import RatingStore
from codesign.charter.tables import feedback_table, signoffs_table
from codesign.charter.versions import VersionBook
from codesign.config import ENV_FACILITATOR_KEY, ENV_PROJECT
from codesign.exceptions import CodesignError
from codesign.i18n import _, ngettext
from codesign.presentation import esc
from codesign.project import Project
from codesign.widgets import _ui
from codesign.widgets._ui import Sections
from codesign.widgets.consensus import ConsensusBoard, RatingForm
from codesign.widgets.participants import IdentityPicker
from codesign.widgets.plain import day, when
from codesign.widgets.signoff import ParticipantSignOff
from codesign.widgets.workshop import Problem, Workshop

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from codesign.charter.model import Stakeholder
    from codesign.widgets.session import CharterSession

logger = logging.getLogger(__name__)

ENV_QUERY: Final = "QUERY_STRING"
"""The page request's query string, which Voilà gives the page's kernel."""

PAGE_CSS: Final = """
<style>
.codesign-page { width: 100%; max-width: 72rem; margin: 0 auto; box-sizing: border-box;
  --codesign-field-margin: 0px; }
.codesign-page * { box-sizing: border-box; }
.codesign-page .widget-label, .codesign-page .widget-label-basic {
  white-space: normal; overflow: visible; text-overflow: clip; height: auto;
  line-height: 1.3 !important; color: #1a1a1a; text-align: left; }
.codesign-page .widget-inline-hbox { flex-wrap: wrap; height: auto; }
.codesign-page .widget-inline-hbox > .widget-label { min-width: 0; max-width: 100%; }
.codesign-page .widget-hbox { flex-wrap: wrap; max-width: 100%; }
.codesign-page .widget-dropdown > select, .codesign-page .widget-text input {
  min-width: 0; max-width: 100%; }
.codesign-page .widget-html-content { white-space: normal; overflow-wrap: anywhere;
  line-height: 1.35; }
.codesign-page .widget-html, .codesign-page .widget-html > .widget-html-content { height: auto; }
.codesign-page .widget-box > .jupyter-widgets:not(.widget-box):not(.jupyter-button) {
  margin-left: 0; margin-right: 0; }
.codesign-page .widget-box { max-width: 100%; }
.codesign-page .widget-radio-box { flex-wrap: wrap; }
.codesign-page .jupyter-button { max-width: 100%; white-space: normal; height: auto;
  min-height: var(--jp-widgets-inline-height); }
.codesign-page input[type="checkbox"], .codesign-page input[type="radio"] { width: 18px;
  height: 18px; }  /* a finger's target, not a 13px dot */
.codesign-page button:focus-visible, .codesign-page select:focus-visible,
.codesign-page input:focus-visible { outline: 3px solid #0072b2; outline-offset: 1px; }
.codesign-page table { display: block; max-width: 100%; overflow-x: auto; }
.codesign-page textarea { font-family: inherit; field-sizing: content; min-height: 2.6em;
  max-height: 18em; }
.codesign-stacked .widget-inline-hbox { flex-direction: column; align-items: stretch; }
.codesign-stacked .widget-inline-hbox > .widget-label { width: auto !important;
  max-width: 100%; margin-bottom: 2px; }
.codesign-stacked .widget-inline-hbox > :not(.widget-label) { flex: 0 0 auto; max-width: 100%; }
.codesign-page .widget-dropdown > select { min-height: var(--jp-widgets-inline-height, 28px); }
.codesign-nav .jupyter-button { margin: 2px; }
/* ipywidgets' button colours give white text 2:1 to 3.5:1; these reach WCAG AA (4.5:1) */
.codesign-page .jupyter-button.mod-primary { background-color: #0b5cad; color: #fff; }
.codesign-page .jupyter-button.mod-success { background-color: #1b7a30; color: #fff; }
.codesign-page .jupyter-button.mod-info { background-color: #0b6378; color: #fff; }
.codesign-page .jupyter-button.mod-warning { background-color: #9a4d00; color: #fff; }
.codesign-page .jupyter-button.mod-danger { background-color: #b3261e; color: #fff; }
.codesign-page .widget-vbox > .jupyter-button { align-self: flex-start; }
@media (max-width: 640px) {
  /* a table's row on a phone: one input a line, each saying what it is (placeholder, label) */
  .codesign-page .codesign-record-heading { display: none; }
  .codesign-page .codesign-record-line > * { flex: 1 1 100% !important; width: 100% !important;
    max-width: 100%; }
  .codesign-page .codesign-column-notes { flex-direction: column; }
  .codesign-page .codesign-column-notes > div { width: auto !important; }
}
</style>
"""


def project_dir() -> Path:
    """The project a page shows: ``CODESIGN_PROJECT``, else the current folder."""
    return Path(os.environ.get(ENV_PROJECT, "."))


def _frame(title: str, subtitle: str, body: Sequence[ipw.Widget]) -> ipw.VBox:
    head = ipw.HTML(
        f"<h2 style='margin:4px 0'>{esc(title)}</h2>"
        f"<div style='color:{_ui.MUTED_COLOUR}'>{esc(subtitle)}</div>"
    )
    page = ipw.VBox([ipw.HTML(PAGE_CSS), head, *body], layout=_ui.shared_layout(width="100%"))
    page.add_class("codesign-page")
    return page


def _problem_page(title: str, error: CodesignError) -> ipw.VBox:
    return _frame(title, _("The workshop cannot open this project."), [Problem(error).widget])


# --- facilitator ----------------------------------------------------------------------------


def facilitator_view(project: Path | str, *, live: bool = True) -> ipw.VBox:
    """The facilitator's page: every form, the room's consensus live."""
    workshop = Workshop.open(project)
    if workshop.session is None:
        return _problem_page(_("Workshop: facilitator"), workshop.problem or CodesignError("?"))
    session = workshop.session
    root = session.path.parent
    store = RatingStore(root)

    def widget_of(form: Any) -> ipw.Widget:
        return form.widget

    sections = Sections(
        [
            (_("Outcome consensus"), lambda: ConsensusBoard(store, session, live=live).widget),
            (_("Outcomes"), lambda: widget_of(workshop.outcomes)),
            (_("Use case and people"), lambda: widget_of(workshop.use_case)),
            (_("What it is for"), lambda: widget_of(workshop.intended_use)),
            (_("Risks to patients"), lambda: widget_of(workshop.risks)),
            (_("The data it uses"), lambda: widget_of(workshop.contract)),
            (_("Build, buy or partner"), lambda: widget_of(workshop.decision)),
            (_("Sign-offs"), lambda: _signoff_status(session)),
            (_("Feedback so far"), lambda: _feedback_so_far(session)),
        ]
    )
    charter = session.charter
    return _frame(
        _("{title}: workshop", title=charter.use_case.title),
        _("Facilitator. Participants open the participant link on their own laptop or phone."),
        [sections.widget],
    )


def _signoff_status(session: CharterSession) -> ipw.Widget:
    """Who signed which version (each signer signs on their own participant page)."""
    versions = VersionBook(session.path.parent)
    messages = _ui.Messages()
    status = ipw.HTML(layout=_ui.shared_layout(width="100%"))
    table = ipw.HTML(layout=_ui.shared_layout(width="100%"))

    def show() -> None:
        session.reload(keep_changes=True)
        version = versions.number(session.saved_content)
        valid = sum(
            1 for s in session.charter.signoffs if s.charter_sha256 == session.saved_content
        )
        status.value = _ui.message_html(
            [
                ngettext(
                    "Saved charter: version {version} of {day}; {n} sign-off on it. Each "
                    "person signs on their own participant page (Sign-off).",
                    "Saved charter: version {version} of {day}; {n} sign-offs on it. Each "
                    "person signs on their own participant page (Sign-off).",
                    valid,
                    version=version.number,
                    day=day(version.first_seen, session.charter),
                )
            ],
            "inherit",
        )
        table.value = signoffs_table(
            session.charter,
            session.saved_content,
            moment=lambda at: when(at, session.charter),
        )._repr_html_()

    refresh = _ui.button(_("Refresh"), tooltip=_("Read the sign-offs saved since"), icon="refresh")
    reading = _("reading the sign-offs")
    refresh.on_click(lambda _b: _ui.guarded(messages, reading)(show)())
    _ui.guarded(messages, reading)(show)()
    return ipw.VBox([status, table, refresh, messages.box], layout=_ui.shared_layout(width="100%"))


def _feedback_so_far(session: CharterSession) -> ipw.Widget:
    from codesign.charter.feedback import read_feedback

    path = Project.at(session.path.parent).feedback_path
    charter = session.charter
    try:
        records = read_feedback(path) if path.exists() else []
        value = feedback_table(records, moment=lambda at: when(at, charter))._repr_html_()
    except CodesignError as e:
        value = _ui.message_html([str(e).splitlines()[0]])
    return ipw.HTML(value, layout=_ui.shared_layout(width="100%"))


# --- participant ----------------------------------------------------------------------------


class ParticipantPage:
    """One person in the room: who they are, then their ratings, questionnaires and sign-off."""

    def __init__(self, project: Path | str, *, live: bool = True) -> None:
        self.live = live
        workshop = Workshop.open(project)
        self.session = workshop.session
        if self.session is None:
            self.widget = _problem_page(_("Workshop"), workshop.problem or CodesignError("?"))
            return
        self.root = self.session.path.parent
        self.picker = IdentityPicker(self.session, self.chosen)
        self.area = ipw.VBox([self.picker.widget], layout=_ui.shared_layout(width="100%"))
        self.widget = _frame(
            _("{title}: workshop", title=self.session.charter.use_case.title),
            _("Your page: rate the outcomes, answer the questionnaires, sign off."),
            [self.area],
        )

    def chosen(self, person: Stakeholder) -> None:
        """Build the person's sections once they said who they are."""
        from codesign.widgets.feedback import FeedbackForms

        assert self.session is not None  # noqa: S101 - the picker exists only with a session
        session = self.session
        project = Project.at(self.root)
        you = ipw.HTML(
            _ui.message_html(
                [
                    _(
                        "You are {name}, {role}. Not you? Reload the page and choose again.",
                        name=person.name,
                        role=person.role,
                    )
                ],
                "inherit",
            )
        )
        sections = Sections(
            [
                (
                    _("Rate outcomes"),
                    lambda: RatingForm(RatingStore(self.root), person, live=self.live).widget,
                ),
                (
                    _("Questionnaires"),
                    lambda: (
                        FeedbackForms(
                            project,
                            session.charter,
                            respondent_role=person.role,
                            show_responses=False,
                        ).widget
                    ),
                ),
                (
                    _("Sign-off"),
                    lambda: ParticipantSignOff(session, person, VersionBook(self.root)).widget,
                ),
            ]
        )
        self.sections = sections
        self.area.children = (you, sections.widget)


def participant_view(project: Path | str, *, live: bool = True) -> ParticipantPage:
    return ParticipantPage(project, live=live)


def facilitator_page() -> ipw.VBox:
    """The facilitator's page; the last line of ``facilitator.ipynb``, so Voilà shows it.

    Only with the facilitator's key in the page's address: without it (a participant's token
    on the facilitator's page) the page says where to go instead."""
    if not facilitator_key_given(os.environ):
        return _frame(
            _("Workshop: facilitator"),
            _("This page is the facilitator's."),
            [
                ipw.HTML(
                    _ui.message_html(
                        [
                            _(
                                "To take part, open the participant link the facilitator "
                                "shared (or scan the code on the screen). The facilitator "
                                "opens the facilitator link that codesign workshop printed."
                            )
                        ]
                    )
                )
            ],
        )
    return facilitator_view(project_dir())


def facilitator_key_given(environ: Mapping[str, str]) -> bool:
    """Whether the page was asked for with the facilitator's key (``&key=...``)."""
    expected = environ.get(ENV_FACILITATOR_KEY, "")
    given = parse_qs(environ.get(ENV_QUERY, "")).get("key", [""])[0]
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def participant_page() -> ipw.VBox:
    """The participant's page; the last line of ``participant.ipynb``, so Voilà shows it."""
    return participant_view(project_dir()).widget

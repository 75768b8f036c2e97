"""The use case and stakeholders form: what the use case is for, where, for whom, and who is in.

Stakeholders carry their side of the co-design: the hospital (internal) owns the why and the
what, outcomes, governance and change; the partner owns the how, models and infrastructure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

import ipywidgets as ipw

from codesign.charter.model import Side, Stage, Stakeholder
from codesign.charter.tables import stakeholders_table
from codesign.i18n import N_, _
from codesign.presentation import esc
from codesign.widgets import _ui
from codesign.widgets.binding import (
    FieldSet,
    Input,
    RecordRow,
    RecordTable,
    choice_cell,
    text_cell,
    text_list,
)
from codesign.widgets.savebar import SaveBar

if TYPE_CHECKING:
    from codesign.widgets.binding import Cell
    from codesign.widgets.session import CharterSession

SIDE_LABELS: Final = (
    (N_("hospital: why & what"), Side.INTERNAL.value),
    (N_("partner: how"), Side.PARTNER.value),
)
STAGE_LABELS: Final = (
    (N_("idea"), Stage.IDEA.value),
    (N_("co-design"), Stage.CO_DESIGN.value),
    (N_("pilot"), Stage.PILOT.value),
    (N_("scaled"), Stage.SCALED.value),
    (N_("retired"), Stage.RETIRED.value),
)


def _use_case_inputs() -> list[Input]:
    style = _ui.label_style("10em")
    wide = _ui.shared_layout("46em")
    narrow = _ui.shared_layout("30em")

    def text(name: str, label: str, tip: str, *, layout: ipw.Layout = wide, **kw: Any) -> ipw.Text:
        widget = _ui.text(description=label, tooltip=tip, style=style, layout=layout, **kw)
        widget.add_class(f"codesign-use-case-{name}")
        return widget

    return [
        Input(
            "title",
            text("title", _("Title"), _("Short name, e.g. Nurse triage assistant")),
            read=str,
        ),
        Input(
            "problem",
            text(
                "problem",
                _("Problem"),
                _("The problem, in the words of the people who have it"),
                multiline=True,
            ),
        ),
        Input(
            "setting",
            text("setting", _("Setting"), _("Care setting, e.g. adult emergency department")),
        ),
        Input(
            "intended_users",
            text(
                "intended_users",
                _("Intended users"),
                _("Who uses the tool day to day"),
                placeholder=_("e.g. triage nurse, emergency physician (comma-separated)"),
            ),
            read=text_list,
            show=", ".join,
        ),
        Input("population", text("population", _("Population"), _("Which patients it is used on"))),
        Input(
            "stage",
            ipw.Dropdown(
                options=_ui.choices(STAGE_LABELS),
                description=_("Stage"),
                style=style,
                tooltip=_("Where the use case stands"),
                layout=_ui.shared_layout("22em"),
            ),
            read=lambda value: value,
            show=lambda stage: stage.value,
        ),
        Input(
            "stage_reason",
            text(
                "stage_reason",
                _("Reason for the stage"),
                _(
                    "Pilot and scaled put the tool in front of patients: they follow the go "
                    "decision, or the reason written here"
                ),
                placeholder=_("e.g. pilot approved by the medical board on 2 October"),
            ),
        ),
        Input("site", text("site", _("Site"), _("Hospital or site running it"), layout=narrow)),
        Input(
            "partner",
            text("partner", _("Partner"), _("Partner organisation, if any"), layout=narrow),
        ),
    ]


class StakeholderRow(RecordRow[Stakeholder]):
    """One person: name, role, side, organisation."""

    model = Stakeholder

    def make_cells(self) -> list[Cell]:
        return [
            text_cell(
                "name",
                _("Name"),
                placeholder=_("Name"),
                tooltip=_("The person's name"),
                width="12em",
                flex="1 1 12em",
                min_width="9em",
                read=lambda value: value,
                css="codesign-stakeholder-name",
            ),
            text_cell(
                "role",
                _("Role"),
                placeholder=_("Role, e.g. clinical lead"),
                tooltip=_("Their role in the use case"),
                width="16em",
                read=lambda value: value,
                css="codesign-stakeholder-role",
            ),
            choice_cell(
                "side",
                _("Side"),
                _ui.choices(SIDE_LABELS),
                tooltip=_("Hospital (why & what) or partner (how)"),
                width="13em",
                css="codesign-stakeholder-side",
            ),
            text_cell(
                "organisation",
                _("Organisation"),
                placeholder=_("Organisation (optional)"),
                tooltip=_("Their organisation, if not the hospital"),
                width="14em",
                css="codesign-stakeholder-organisation",
            ),
        ]


class StakeholderTable(RecordTable[Stakeholder]):
    noun: ClassVar[str] = N_("stakeholder")
    controls_width: ClassVar[str] = "7.5em"

    def make_row(self, *, draft: bool = False) -> StakeholderRow:
        return StakeholderRow(self, draft=draft)


class UseCaseForm:
    """The use case's fields, its stakeholders, and the save bar."""

    def __init__(self, session: CharterSession) -> None:
        self.session = session
        self.messages = _ui.Messages()
        self.fields = FieldSet(
            session,
            lambda charter: charter.use_case,
            "use_case",
            _use_case_inputs(),
            self.messages,
        )
        self.stakeholders = StakeholderTable(session, ("stakeholders",))
        self.save_bar = SaveBar(session)
        self.widget = ipw.VBox(
            [
                *(item.box for item in self.fields.inputs.values()),
                self.messages.box,
                ipw.HTML(
                    _ui.bold(_("Stakeholders"))
                    + " "
                    + _ui.message_html(
                        [
                            _(
                                "The hospital side owns the why and the what (outcomes, "
                                "governance, change); the partner side owns the how (model, "
                                "infrastructure)."
                            )
                        ],
                        _ui.MUTED_COLOUR,
                    )
                ),
                self.stakeholders.heading,
                self.stakeholders.body,
                self.stakeholders.draft.box,
                self.stakeholders.undo_button,
                self.stakeholders.messages.box,
                self.save_bar.widget,
            ],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-use-case-form")

    def input(self, name: str) -> ipw.ValueWidget:
        """The input of a use case field (``title``, ``stage``...)."""
        return self.fields.inputs[name].widget

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        charter = self.session.charter
        summary = (
            f"<p><b>{esc(charter.use_case.title)}</b> ({esc(charter.use_case.stage.label)})</p>"
        )
        table = stakeholders_table(charter)._repr_html_()
        return _ui.displayed(self.widget, fallback_html=summary + table, **kwargs)
